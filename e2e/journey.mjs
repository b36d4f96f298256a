// The end-to-end journey: a first-time visitor opens bookmesh, presses Play and watches virtual
// time run. Usage: node e2e/journey.mjs <url> <output dir>   (./dev test runs it against the
// release build in dist/ served statically on loopback).
// Extend it by appending [name, async (ctx) => {...}] steps; see harness.mjs for ctx.
import { runJourney, until, assert } from './harness.mjs';

const [url, outDir] = process.argv.slice(2);
if (!url || !outDir) {
  console.error('usage: node e2e/journey.mjs <url> <output dir>');
  process.exit(2);
}

const clockText = (page) => page.getByRole('timer', { name: 'Virtual time' }).innerText();
const playToggle = (page) => page.getByRole('region', { name: 'Simulation controls' }).locator('button[aria-pressed]');

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
    assert((await page.getByTestId('run-status').innerText()) === 'Running', 'the side panel says Running');
  }],

  ['virtual time advances while playing', async ({ page }) => {
    await until(async () => (await clockText(page)) !== '00:00.000', 'the virtual clock to move');
  }],

  ['a faster speed shows in the side panel', async ({ page }) => {
    await page.getByRole('combobox', { name: 'Speed' }).selectOption('10');
    await until(async () => (await page.locator('.side-panel__facts').innerText()).includes('10×'),
      'the side panel to show 10×');
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

  ['the page logged no errors', async ({ problems }) => {
    assert(problems.length === 0, problems.join('\n'));
  }],
];

const ok = await runJourney(steps, { url, outDir });
process.exit(ok ? 0 : 1);
