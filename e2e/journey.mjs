// The end-to-end journey: a first-time visitor opens bookmesh, presses Play and watches virtual
// time run. Usage: node e2e/journey.mjs <url> <output dir>   (./dev test runs it against the
// release build in dist/ served statically on loopback).
// Extend it by appending [name, async (ctx) => {...}] steps; see harness.mjs for ctx.
import { runJourney, until, assert } from './harness.mjs';
import { startLlmStub } from './llm-stub.mjs';
import { llmSteps } from './llm-steps.mjs';

const [url, outDir] = process.argv.slice(2);
if (!url || !outDir) {
  console.error('usage: node e2e/journey.mjs <url> <output dir>');
  process.exit(2);
}

const clockText = (page) => page.getByRole('timer', { name: 'Virtual time' }).innerText();
const playToggle = (page) => page.getByRole('region', { name: 'Simulation controls' }).locator('button[aria-pressed]');

// The LLM steps talk to this stub (started here, stopped when the journey ends).
const stub = await startLlmStub();

const steps = [
  ['open the page', async ({ page, url }) => {
    const response = await page.goto(url, { waitUntil: 'load' });
    assert(response && response.ok(), `GET ${url} answered ${response && response.status()}`);
  }],

  ['the app shell rendered', async ({ page }) => {
    await page.getByRole('region', { name: 'Simulation controls' }).waitFor({ timeout: 15000 });
    assert((await page.locator('h1').innerText()) === 'bookmesh', 'the header names bookmesh');
    await page.locator('section.mesh svg').waitFor();
    await page.getByRole('complementary', { name: 'Run details' }).waitFor();
    for (const name of ['Play', 'Step', 'Reset', 'New seed']) {
      await page.getByRole('button', { name, exact: true }).waitFor();
    }
    await page.getByRole('combobox', { name: 'Speed' }).waitFor();
    await page.getByRole('textbox', { name: 'Seed' }).waitFor();
    assert((await clockText(page)) === '00:00.000', 'virtual time starts at zero');
    assert(await page.locator('#bm-error-banner').isHidden(), 'no error banner on a healthy page');
  }],

  ['screenshot at 1366×768', async ({ screenshot }) => {
    await screenshot('shell-1366x768-paused', { width: 1366, height: 768 });
  }],

  ['clicking Play starts the run', async ({ page }) => {
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await until(async () => (await playToggle(page).getAttribute('aria-pressed')) === 'true',
      'the toggle to be pressed');
    assert((await playToggle(page).getAttribute('aria-label')) === 'Pause', 'the toggle now offers Pause');
  }],

  ['virtual time advances while playing', async ({ page }) => {
    await until(async () => (await clockText(page)) !== '00:00.000', 'the virtual clock to move');
  }],

  ['choosing 10× keeps time running', async ({ page }) => {
    const speed = page.getByRole('combobox', { name: 'Speed' });
    await speed.selectOption('10');
    assert((await speed.inputValue()) === '10', 'the Speed select shows 10×');
    const before = await clockText(page);
    await until(async () => (await clockText(page)) !== before, 'the virtual clock to keep moving');
  }],

  ['screenshot of the running page at 1366×768', async ({ screenshot }) => {
    await screenshot('shell-1366x768', { width: 1366, height: 768 });
  }],

  ['pausing freezes virtual time', async ({ page }) => {
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await until(async () => (await playToggle(page).getAttribute('aria-pressed')) === 'false', 'the toggle to be released');
    const frozen = await clockText(page);
    await page.waitForTimeout(300);
    assert((await clockText(page)) === frozen, `time moved while paused (${frozen} → ${await clockText(page)})`);
  }],

  ['Reset returns virtual time to zero', async ({ page }) => {
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await until(async () => (await clockText(page)) === '00:00.000', 'the clock to read 00:00.000');
  }],

  ['screenshot at 2560×1440', async ({ screenshot }) => {
    await screenshot('shell-2560x1440', { width: 2560, height: 1440 });
  }],

  // ---- mesh, faults, timeline (UI helper A) ----
  ['pick the "Raft: leader crash" scenario', async ({ page }) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    const scenario = page.getByRole('combobox', { name: 'Scenario' });
    await scenario.selectOption({ label: 'Raft: leader crash' });
    await until(async () => (await clockText(page)) === '00:00.000', 'the new run to start at zero');
    const nodes = await page.locator('section.mesh [data-node]').count();
    // client, orchestrator, 3 validators, queue, 3 executors, 3 books-db replicas, payment
    assert(nodes === 13, `the mesh draws the 13 nodes of the checkout world (saw ${nodes})`);
  }],

  ['play at 10× and see a leader badge', async ({ page }) => {
    await page.getByRole('combobox', { name: 'Speed' }).selectOption('10');
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    const badge = page.locator('section.mesh .mesh-node.is-leader[data-node^="executor-"] .mesh-node__term');
    await until(async () => (await badge.count()) === 1, 'a leader with a term badge', 15000);
    assert(/^T\d+$/.test((await badge.textContent()).trim()), 'the badge names the term');
    await until(async () => (await page.locator('.timeline__bar').count()) > 0, 'a reign on the timeline');
  }],

  ['open Faults and crash the leader', async ({ page }) => {
    await page.getByRole('tab', { name: 'Faults' }).click();
    await page.getByText('Now playing').waitFor();
    const crash = page.getByRole('button', { name: 'Crash leader', exact: true });
    const badge = page.locator('section.mesh .mesh-node.is-leader[data-node^="executor-"] .mesh-node__term');
    // The scenario crashes its own leader at 5 s and elects another: wait past that for a
    // live leader to crash. It also restarts every crashed node at 14 s, which at 10× on a busy
    // machine can undo our crash before the mesh is looked at: crash while paused (verbs take
    // effect at once), see it, then play on.
    const clockMs = async () => {
      const [m, s] = (await clockText(page)).split(':');
      return (Number(m) * 60 + Number(s)) * 1000;
    };
    const leads = async () => (await crash.isEnabled()) && (await badge.count()) === 1;
    await until(async () => {
      if ((await clockMs()) <= 7000 || !(await leads())) return false;
      await page.getByRole('button', { name: 'Pause', exact: true }).click();
      if (await leads()) return true;
      await page.getByRole('button', { name: 'Play', exact: true }).click(); // paused mid-election
      return false;
    }, 'a live leader after the scenario\'s own crash, paused', 20000);
    const before = Number((await badge.textContent()).trim().slice(1));
    await crash.click();
    await until(async () => (await page.locator('section.mesh .mesh-node.is-crashed').count()) >= 1, 'a crashed node on the mesh');
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await until(async () => {
      if ((await badge.count()) !== 1) return false;
      return Number((await badge.textContent()).trim().slice(1)) > before;
    }, `a new leader with a term above ${before}`, 20000);
    const after = (await badge.textContent()).trim();
    const bars = await page.locator('.timeline__bar').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    assert(bars.some((b) => b.includes(`term ${after.slice(1)} · leading since`)),
      `the timeline shows the reign of term ${after.slice(1)}: ${bars.join(' | ')}`);
  }],

  ['screenshot of a re-elected cluster at 1366×768', async ({ page, screenshot }) => {
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await screenshot('mesh-reelected-1366x768', { width: 1366, height: 768 });
  }],

  ['the checks tab says every invariant holds', async ({ page }) => {
    await page.getByRole('tab', { name: 'Checks' }).click();
    await until(async () => (await page.getByTestId('violation-badge').innerText()) === 'all hold', 'the checks badge');
    assert((await page.locator('.check.is-violated').count()) === 0, 'no invariant is violated');
  }],

  ['the time slider travels back to before the crash', async ({ page }) => {
    const slider = page.getByRole('slider', { name: 'Time travel' });
    await slider.fill('3000000');
    await until(async () => (await clockText(page)) === '00:03.000', 'the clock to read 00:03.000');
    await until(async () => (await page.locator('section.mesh .mesh-node.is-crashed').count()) === 0, 'no crashed node at 3 s');
  }],

  // ---- shop, orders, cluster, log (UI helper B) ----
  ['a fresh page opens on the shop', async ({ page, url }) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(url, { waitUntil: 'load' });
    await page.getByRole('region', { name: 'Simulation controls' }).waitFor({ timeout: 15000 });
    assert((await page.getByRole('tab', { name: 'Shop' }).getAttribute('aria-selected')) === 'true', 'Shop is the default tab');
    await page.getByRole('region', { name: 'Shop' }).waitFor();
  }],

  ['fill with the seed\'s example and place the order while paused', async ({ page }) => {
    await page.getByRole('button', { name: "Fill with the seed's example", exact: true }).click();
    assert((await page.locator('#shop-name').inputValue()) === 'John Doe', 'the form holds the seed\'s buyer');
    assert((await page.locator('.shop-cart').innerText()).includes('Clean Architecture'), 'the cart holds the seed\'s book');
    await page.getByRole('button', { name: 'Place order', exact: true }).click();
    await until(async () => (await page.locator('.shop-sent.is-paused').count()) === 1, 'the "press Play" banner');
  }],

  ['press Play: the order is approved with three suggestions', async ({ page, screenshot }) => {
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    const mine = page.locator('.shop-order', { has: page.locator('.shop-order__origin.is-mine') });
    await until(async () => (await mine.count()) === 1 && (await mine.getAttribute('class')).includes('is-approved'),
      'our order to be approved', 15000);
    assert((await mine.locator('.shop-order__title').innerText()) === 'Order Approved', 'the card says Order Approved');
    assert((await mine.locator('.shop-suggest__book').count()) === 3, 'three suggested books');
    await until(async () => (await mine.locator('.shop-fate').innerText()) === 'committed', 'the leader to execute it', 15000);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await mine.scrollIntoViewIfNeeded();
    await screenshot('shop-approved-1366x768');
  }],

  ['open its DAG in Orders: all six events ok', async ({ page, screenshot }) => {
    const mine = page.locator('.shop-order', { has: page.locator('.shop-order__origin.is-mine') });
    const id = (await mine.locator('.shop-order__id').innerText()).trim();
    await mine.getByRole('button', { name: 'See its DAG ›' }).click();
    assert((await page.getByRole('tab', { name: 'Orders' }).getAttribute('aria-selected')) === 'true', 'the Orders tab opened');
    const open = page.locator('.orders-item.is-open');
    await until(async () => (await open.locator('.orders-item__id').innerText()).trim() === id, `${id} to be the open order`);
    assert((await open.locator('.dag-node').count()) === 6, 'six events drawn');
    assert((await open.locator('.dag-node[data-state="ok"]').count()) === 6, 'all six events ok');
    assert((await open.locator('.journey').innerText()).includes('Executed'), 'the journey reaches execution');
    await open.locator('.dag-node[data-event="e"]').click();
    await until(async () => (await page.locator('.dag-details').innerText()).includes('fraud ran it'), 'the event details');
    await screenshot('orders-dag-1366x768');
    await screenshot('orders-dag-2560x1440', { width: 2560, height: 1440 });
    await page.setViewportSize({ width: 1366, height: 768 });
  }],

  ['its log lines, then the cluster', async ({ page }) => {
    await page.locator('.orders-item.is-open').getByRole('button', { name: 'Its log lines ›' }).click();
    await until(async () => (await page.locator('.log__order').isVisible()), 'the log narrowed to the order');
    assert((await page.locator('.log-line').count()) > 0, 'the order has log lines');
    await page.getByRole('tab', { name: 'Cluster' }).click();
    assert((await page.locator('.cluster-node.is-leader').count()) === 1, 'one executor leads');
  }],

  // ---- books database: stock reads and payment decline rates (Cluster tab) ----
  ['the cluster tab shows the database size and turns on round-robin replica reads', async ({ page }) => {
    const settings = page.getByTestId('db-settings');
    await settings.scrollIntoViewIfNeeded();
    const size = await page.getByTestId('db-size').innerText();
    assert(/3 replicas · primary books-db-\d/.test(size), `the database section names its size and primary: ${size}`);
    const off = page.getByRole('radio', { name: 'Off', exact: true });
    assert(await off.isChecked(), 'stock reads start off');
    const issued = async () => Number((await page.getByTestId('read-counts').innerText()).split(' ')[0]);
    const before = await issued();
    await page.getByRole('radio', { name: 'Round-robin replicas' }).check();
    assert(await page.getByRole('radio', { name: 'Round-robin replicas' }).isChecked(), 'the switch moved');
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await until(async () => (await issued()) >= before + 3, 'stock reads to be issued', 15000);
    const newest = page.getByRole('table', { name: 'Newest reads' });
    await until(async () => (await newest.locator('tbody tr').count()) > 0, 'rows in the newest reads table');
    const from = newest.locator('tbody tr').first().locator('td').nth(2);
    assert(/^books-db-\d$/.test((await from.innerText()).trim()), `a replica answered: ${await from.innerText()}`);
    assert((await from.getAttribute('title')) === 'replica read', 'the read was a replica read');
  }],

  ['a decline rate above 100 % is refused with a clear message, a valid one applies', async ({ page }) => {
    const visa = page.getByRole('textbox', { name: 'Visa decline rate (%)' });
    await visa.fill('150');
    await page.getByRole('button', { name: 'Apply rates' }).click();
    const alert = page.getByTestId('db-settings').getByRole('alert');
    await until(async () => (await alert.isVisible()) && (await alert.innerText()).includes('Visa: a decline rate is 0–100 %'),
      'the refusal to name the field');
    await visa.fill('40');
    await page.getByRole('button', { name: 'Apply rates' }).click();
    await until(async () => await alert.isHidden(), 'the error to clear');
    await until(async () => (await visa.inputValue()) === '40', 'the field to show the rate in force');
    assert(await page.locator('#bm-error-banner').isHidden(), 'no error banner');
  }],

  ['screenshots of the database settings and reads', async ({ page, screenshot }) => {
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.getByTestId('db-settings').scrollIntoViewIfNeeded();
    await screenshot('db-settings-1366x768', { width: 1366, height: 768 });
    await page.getByTestId('db-settings').scrollIntoViewIfNeeded();
    await screenshot('db-settings-2560x1440', { width: 2560, height: 1440 });
    await page.setViewportSize({ width: 1366, height: 768 });
  }],

  ['the shop shows copies left from the reads', async ({ page, screenshot }) => {
    await page.getByRole('tab', { name: 'Shop' }).click();
    const line = page.locator('.shop-line', { hasText: 'Clean Architecture' });
    await until(async () => /\d+ in stock/.test(await line.locator('.shop-stock').innerText()),
      'the cart line to show the stock read', 10000);
    await line.scrollIntoViewIfNeeded();
    await screenshot('shop-read-stock-1366x768');
  }],

  ['the replica-reads scenario shows a cut-off replica answering stale stock', async ({ page, screenshot }) => {
    const scenario = page.getByRole('combobox', { name: 'Scenario' });
    await scenario.selectOption({ label: 'Books DB: stale replica reads' });
    await until(async () => (await clockText(page)) === '00:00.000', 'the new run to start at zero');
    await page.getByRole('tab', { name: 'Cluster' }).click();
    assert(await page.getByRole('radio', { name: 'Round-robin replicas' }).isChecked(), 'the scenario reads from replicas');
    await page.getByRole('combobox', { name: 'Speed' }).selectOption('10');
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    const stale = page.getByRole('table', { name: 'Stale reads, newest first' });
    await until(async () => (await stale.locator('tbody tr').count()) > 0, 'a stale read', 20000);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    const row = await stale.locator('tbody tr').first().innerText();
    assert(row.includes('books-db-2') && row.includes('Dune') && row.includes('stale'), `the cut-off replica's stale answer: ${row}`);
    assert((await stale.locator('tbody tr').first().getAttribute('class')).includes('is-stale'), 'the row is marked stale');
    assert(/\d+ stale \(\d+%\)/.test(await page.getByTestId('read-counts').innerText()), 'stale reads are counted');
    await page.getByTestId('reads-panel').scrollIntoViewIfNeeded();
    await screenshot('stale-reads-1366x768');
    await page.getByTestId('db-settings').scrollIntoViewIfNeeded();
    await screenshot('stale-reads-2560x1440', { width: 2560, height: 1440 });
    await page.setViewportSize({ width: 1366, height: 768 });
  }],

  // ---- the optional LLM endpoint, against a chat-completions stub on loopback ----
  ...llmSteps(stub),

  ['the page logged no errors', async ({ problems }) => {
    assert(problems.length === 0, problems.join('\n'));
  }],
];

const ok = await runJourney(steps, { url, outDir });
await stub.close();
process.exit(ok ? 0 : 1);
