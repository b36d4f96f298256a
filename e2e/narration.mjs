// The narration journey: open a narrated scenario by its step link and walk it from the first
// step to the last by keyboard only (Tab to a control, Enter to press it), checking at each
// step that the card shows the step's title and that every claim shows as passed (the engine's
// verdicts). Usage: node e2e/narration.mjs <url> <output dir>   (./dev test runs it after
// journey.mjs against the same static server).
import { readFileSync } from 'node:fs';
import { runJourney, until, assert } from './harness.mjs';

const [url, outDir] = process.argv.slice(2);
if (!url || !outDir) {
  console.error('usage: node e2e/narration.mjs <url> <output dir>');
  process.exit(2);
}

const SCENARIO = '2pc-commit';
const story = JSON.parse(readFileSync(new URL(`../scenarios/${SCENARIO}.json`, import.meta.url), 'utf8')).narration;

const title = (page) => page.locator('#narration-step-title');
const focusedLabel = (page) => page.evaluate(() => document.activeElement && document.activeElement.getAttribute('aria-label'));

/** Presses Tab (or Shift+Tab) until the control named `label` has the focus. */
async function tabTo(page, label, backwards = false) {
  for (let i = 0; i < 120; i++) {
    if ((await focusedLabel(page)) === label) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`could not reach "${label}" with the keyboard`);
}

/** Waits for step `index`'s card and checks its title and that every claim passed. */
async function expectStep(page, index) {
  const want = story[index].title;
  await until(async () => (await title(page).innerText()) === want && (await title(page).isVisible()),
    `step ${index + 1} "${want}" to show`, 20000);
  const position = await page.locator('.narration__position').innerText();
  assert(position.startsWith(`Step ${index + 1} of ${story.length}`), `position reads "${position}"`);
  const claims = page.getByRole('list', { name: 'Claims checked by the engine' }).locator('li');
  await until(async () => (await claims.count()) === story[index].expect.length,
    `${story[index].expect.length} claims for step ${index + 1}`);
  const verdicts = await claims.evaluateAll((items) => items.map((li) => [li.dataset.passed, li.textContent]));
  for (const [passed, text] of verdicts) assert(passed === 'true' && text.startsWith('✓'), `claim not passed: ${text}`);
}

const steps = [
  ['open the scenario at its first step', async ({ page, url }) => {
    const response = await page.goto(`${url}#scenario=${SCENARIO}&step=1`, { waitUntil: 'load' });
    assert(response && response.ok(), `GET ${url} answered ${response && response.status()}`);
    await page.getByRole('region', { name: 'Narrated scenarios' }).waitFor({ timeout: 15000 });
    await expectStep(page, 0);
  }],

  ['the step highlights its nodes in the mesh', async ({ page }) => {
    for (const node of story[0].highlight.nodes) {
      await until(async () => (await page.locator(`g.mesh-node[data-node="${node}"]`).getAttribute('class')).includes('is-narrated'),
        `${node} to be highlighted`);
    }
  }],

  ['Continue, by keyboard, walks to the last step', async ({ page, screenshot }) => {
    await tabTo(page, 'Continue to the next step');
    for (let i = 1; i < story.length; i++) {
      await page.keyboard.press('Enter');
      await expectStep(page, i);
      assert((await focusedLabel(page)) === 'Continue to the next step', 'the focus stays on Continue');
      if (i === 2) await screenshot('narration-1366x768', { width: 1366, height: 768 });
    }
    assert((await page.getByRole('button', { name: 'Continue to the next step' }).getAttribute('aria-disabled')) === 'true',
      'Continue is disabled on the last step');
  }],

  ['Back, by keyboard, replays to the previous step', async ({ page }) => {
    await tabTo(page, 'Back to the previous step', true);
    await page.keyboard.press('Enter');
    await expectStep(page, story.length - 2);
    await tabTo(page, 'Continue to the next step');
    await page.keyboard.press('Enter');
    await expectStep(page, story.length - 1);
  }],

  ['screenshot at 2560×1440', async ({ screenshot }) => {
    await screenshot('narration-2560x1440', { width: 2560, height: 1440 });
  }],

  ['Take over, by keyboard, stops narrating and plays on', async ({ page }) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await tabTo(page, 'Take over: stop narrating and play freely');
    await page.keyboard.press('Enter');
    await page.getByRole('combobox', { name: 'Narrated story' }).waitFor();
    const toggle = page.getByRole('region', { name: 'Simulation controls' }).locator('button[aria-pressed]');
    await until(async () => (await toggle.getAttribute('aria-pressed')) === 'true', 'the run to play');
  }],

  ['a bad step number gets a clear message', async ({ page, url }) => {
    await page.goto(`${url}#scenario=${SCENARIO}&step=99`, { waitUntil: 'load' });
    await page.reload({ waitUntil: 'load' });
    const notice = page.locator('.notice__text');
    await until(async () => (await notice.innerText()).includes(`link step 99: scenario "${SCENARIO}" has ${story.length} narrated steps`),
      'the notice to name the bad step', 15000);
  }],

  ['no page errors', async ({ problems }) => {
    assert(problems.length === 0, problems.join('\n'));
  }],
];

const ok = await runJourney(steps, { url, outDir });
process.exit(ok ? 0 : 1);
