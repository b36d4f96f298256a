// Screenshots of the vector-clock explainer: node e2e/clock-merge-shot.mjs URL OUTDIR
// Plays a scenario with an order for a few seconds, opens the space-time diagram, and selects
// receives until one belongs to an answered order (its merge and the seed comparison show).
import { chromium } from 'playwright-core';
const [url, outDir] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const errors = [];
for (const [width, height] of [[1366, 768], [2560, 1440]]) {
  const page = await browser.newPage({ viewport: { width, height } });
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForSelector('.shell', { timeout: 15000 });
  await page.click('button[aria-label="Play"]');
  await page.waitForTimeout(4500);
  await page.click('button[aria-label="Pause"]');
  await page.click('#stage-spacetime');
  await page.waitForSelector('.spacetime__dot', { timeout: 5000 });
  // The dots are redrawn on every selection, so each is found afresh by its place.
  const receives = page.locator('.spacetime__dot[data-receive="true"]');
  const count = await receives.count();
  let found = false;
  for (let i = count - 1; i >= Math.max(0, count - 60); i--) {
    await receives.nth(i).dispatchEvent('click');
    await page.waitForTimeout(50);
    if (await page.$('.clock-merge__seed')) { found = true; break; }
  }
  if (!found) console.log(`${width}x${height}: no receive of an answered order among the last 60 of ${count} receives`);
  const merge = await page.$('.clock-merge');
  if (merge) await merge.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${outDir}/clock-merge-${width}x${height}.png`, fullPage: false });
  const text = merge ? await merge.innerText() : '(no explainer)';
  console.log(`${width}x${height}:\n${text}\n`);
  await page.close();
}
if (errors.length) console.log('page errors:', errors.join('\n'));
await browser.close();
