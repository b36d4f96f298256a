// Journey steps for the optional LLM endpoint, against the stub in llm-stub.mjs: set the
// endpoint up and test it, turn the option on, check out and see the LLM's verdict on the
// order, see the visible fallback for a malformed answer, an HTTP error and a slow answer,
// then open the run's share link and see the recorded replies replay to the same trace hash
// without a single new request — and the key in no link, log or trace.
import { until, assert } from './harness.mjs';

const KEY = 'sk-bookmesh-e2e-not-a-real-key';
/** The order whose LLM answer came too late (its fallback is looked for again in the replay). */
let slowOrder = '';

const llmPanel = (page) => page.getByTestId('llm-settings');

async function openLlmSettings(page) {
  await page.getByRole('tab', { name: 'Cluster' }).click();
  await llmPanel(page).scrollIntoViewIfNeeded();
}

async function useModel(page, model) {
  await openLlmSettings(page);
  await page.getByLabel('LLM model').fill(model);
  await llmPanel(page).getByRole('button', { name: 'Save', exact: true }).click();
  await until(async () => (await llmPanel(page).getByRole('alert').isHidden()), 'the settings to save');
}

const myIds = (page) => page.locator('.shop-order', { has: page.locator('.shop-order__origin.is-mine') })
  .locator('.shop-order__id').allInnerTexts();

/** Places the seed's example order and plays until it is decided; returns its order id. */
async function checkOut(page) {
  await page.getByRole('tab', { name: 'Shop' }).click();
  const before = await myIds(page);
  await page.getByRole('button', { name: "Fill with the seed's example", exact: true }).click();
  await page.getByRole('button', { name: 'Place order', exact: true }).click();
  const play = page.getByRole('button', { name: 'Play', exact: true });
  if (await play.count()) await play.click();
  const id = await until(async () => (await myIds(page)).map((t) => t.trim()).find((t) => t && !before.includes(t)),
    'the new order to get an id', 20000);
  const card = page.locator('.shop-order', { has: page.locator('.shop-order__id', { hasText: id }) });
  await until(async () => /is-(approved|rejected)/.test(await card.getAttribute('class')), `${id} to be decided`, 30000);
  return id;
}

/** The LLM lines on the order's card in the Orders tab: [{service, state, text}]. */
async function llmLines(page, id) {
  const card = page.locator('.shop-order', { has: page.locator('.shop-order__id', { hasText: id }) });
  await card.getByRole('button', { name: 'See its DAG ›' }).click();
  const open = page.locator('.orders-item.is-open');
  await until(async () => (await open.locator('.orders-item__id').innerText()).trim() === id, `${id} to open`);
  return open.locator('.llm-call').evaluateAll((els) => els.map((e) => ({
    service: e.dataset.service, state: e.dataset.state, text: e.querySelector('.llm-call__text').textContent,
  })));
}

export function llmSteps(stub) {
  return [
    ['LLM: fill in the endpoint and test the connection', async ({ page, url, screenshot }) => {
      await page.setViewportSize({ width: 1366, height: 768 });
      await page.goto(url, { waitUntil: 'load' });
      await page.getByRole('region', { name: 'Simulation controls' }).waitFor({ timeout: 15000 });
      await openLlmSettings(page);
      const note = await page.getByTestId('llm-key-note').innerText();
      assert(note.includes("only in this browser's local storage") && note.includes('never put in a share link, an export or the trace'),
        `the panel says where the key is kept: ${note}`);
      await page.getByLabel('LLM base URL').fill(stub.url);
      await page.getByLabel('LLM API key').fill(KEY);
      await useModel(page, 'good');
      await llmPanel(page).getByRole('button', { name: 'Test connection' }).click();
      await until(async () => (await page.getByTestId('llm-test').innerText()).startsWith('Connected: good answered'),
        'the test to connect', 10000);
      const stored = await page.evaluate(() => localStorage.getItem('bookmesh.llm'));
      assert(stored && stored.includes(KEY) && stored.includes(stub.url), `the settings are in local storage: ${stored}`);
      assert(stub.requests.at(-1).authorization === `Bearer ${KEY}`, 'the key went to the endpoint as a bearer token');
      await llmPanel(page).scrollIntoViewIfNeeded();
      await screenshot('llm-settings-1366x768');
    }],

    ['LLM: switched on, a checkout shows the LLM verdict and suggestions on its order', async ({ page, screenshot }) => {
      await page.getByRole('combobox', { name: 'Speed' }).selectOption('10');
      await page.getByRole('switch', { name: 'Ask the LLM for fraud verdicts and suggestions' }).check();
      const id = await checkOut(page);
      const lines = await llmLines(page, id);
      const fraud = lines.find((l) => l.service === 'fraud');
      const suggest = lines.find((l) => l.service === 'suggestions');
      assert(fraud && fraud.state === 'used' && fraud.text.includes('not fraud, confidence 930 ‰'), `the fraud verdict: ${JSON.stringify(lines)}`);
      assert(suggest && suggest.state === 'used' && suggest.text.includes('2 catalog titles suggested, 1 unknown titles dropped'),
        `the suggestions: ${JSON.stringify(lines)}`);
      const asked = stub.requests.filter((r) => r.system.includes('fraud-detection'));
      assert(asked.length >= 1 && asked.every((r) => r.body.response_format?.type === 'json_object'), 'JSON mode was asked for');
      await page.locator('.orders-item.is-open .llm-calls').scrollIntoViewIfNeeded();
      await screenshot('llm-verdict-1366x768');
    }],

    ['LLM: a confident fraud verdict rejects the order', async ({ page }) => {
      await useModel(page, 'fraud');
      const id = await checkOut(page);
      const card = page.locator('.shop-order', { has: page.locator('.shop-order__id', { hasText: id }) });
      assert((await card.getAttribute('class')).includes('is-rejected'), `${id} is rejected`);
      const lines = await llmLines(page, id);
      assert(lines.some((l) => l.service === 'fraud' && l.state === 'used' && l.text.includes('fraud, confidence 970 ‰ — rejected')),
        `the verdict: ${JSON.stringify(lines)}`);
    }],

    ['LLM: malformed, HTTP-error and slow answers fall back to the local model, visibly', async ({ page, screenshot }) => {
      const expected = { malformed: 'LLM fallback: malformed answer', error: 'LLM fallback: HTTP error 500', slow: 'LLM fallback: timeout after 3000 ms' };
      for (const [model, text] of Object.entries(expected)) {
        await useModel(page, model);
        if (model === 'slow') {
          // The run waits (virtual time stands still) while the page waits for the answer.
          await page.getByRole('tab', { name: 'Shop' }).click();
          const waiting = page.getByTestId('llm-waiting');
          const id = checkOut(page);
          await until(async () => (await waiting.isVisible()) && (await waiting.innerText()).startsWith('waiting for LLM ('),
            'the waiting line', 20000);
          const clock = await page.getByRole('timer', { name: 'Virtual time' }).innerText();
          await page.waitForTimeout(500);
          assert((await page.getByRole('timer', { name: 'Virtual time' }).innerText()) === clock, 'virtual time waits for the LLM');
          await screenshot('llm-waiting-1366x768');
          slowOrder = await id;
          const lines = await llmLines(page, slowOrder);
          assert(lines.some((l) => l.state === 'fallback' && l.text.startsWith(text)), `${model}: ${JSON.stringify(lines)}`);
          continue;
        }
        const lines = await llmLines(page, await checkOut(page));
        assert(lines.some((l) => l.service === 'fraud' && l.state === 'fallback' && l.text.startsWith(text)),
          `${model}: ${JSON.stringify(lines)}`);
      }
    }],

    ['LLM: the shared run replays the recorded replies to the same trace hash without asking the model', async ({ page, problems }) => {
      const pause = page.getByRole('button', { name: 'Pause', exact: true });
      if (await pause.count()) await pause.click();
      // A verb takes effect at the next whole millisecond, so the run now stands on one: the
      // moment a link names exactly.
      await openLlmSettings(page);
      await page.getByRole('switch', { name: 'Ask the LLM for fraud verdicts and suggestions' }).uncheck();
      const hash = (await page.getByTestId('trace-hash').innerText()).trim();
      const clock = await page.getByRole('timer', { name: 'Virtual time' }).innerText();
      await page.getByRole('button', { name: 'Share link' }).click();
      const link = await page.getByRole('textbox', { name: 'Shareable link to this run and moment' }).inputValue();
      assert(link.includes('llm_reply'), 'the link carries the recorded replies');
      assert(!link.includes(KEY) && !decodeURIComponent(link).includes(KEY), 'the link does not carry the key');
      const asked = stub.requests.length;
      // Opened afresh (about:blank first: only a hash change would not reload the page).
      const replay = page;
      {
        await replay.goto('about:blank');
        await replay.goto(link, { waitUntil: 'load' });
        await replay.getByText('Replayed the shared run').waitFor({ timeout: 20000 });
        assert((await replay.getByRole('timer', { name: 'Virtual time' }).innerText()) === clock, 'the link opens at the same moment');
        await openLlmSettings(replay);
        const again = (await replay.getByTestId('trace-hash').innerText()).trim();
        assert(again === hash, `the replay's trace hash ${again} equals the live run's ${hash}`);
        assert(stub.requests.length === asked, 'the replay asked the model nothing');
        await replay.getByRole('tab', { name: 'Orders' }).click();
        const item = replay.locator('.orders-item', { has: replay.locator('.orders-item__id', { hasText: slowOrder }) });
        // The newest order opens by itself; a click would close it.
        if (!(await item.getAttribute('class')).includes('is-open')) await item.locator('.orders-item__head').click();
        const fallback = item.locator('.llm-call[data-state="fallback"]').first();
        await fallback.waitFor();
        assert((await fallback.innerText()).includes('LLM fallback: timeout after 3000 ms'), 'the replay shows the same fallback');
        await replay.getByRole('tab', { name: 'Log' }).click();
        assert(!(await replay.locator('.log').innerText()).includes(KEY), 'the key is not in the log');
        assert(!(await replay.content()).includes(KEY), "the key is nowhere in the page's HTML");
      }
      // The stub's HTTP 500 and the aborted slow request were the point of the cases above.
      for (let i = problems.length - 1; i >= 0; i--) {
        if (problems[i].includes(stub.origin) || problems[i].includes('status of 500')) problems.splice(i, 1);
      }
    }],
  ];
}
