// Screenshot helper for looking at the page: node e2e/screenshot.mjs URL OUT.png [WIDTHxHEIGHT] [play-ms] [click-selector...]
import { chromium } from 'playwright-core';
const [url, out, size = '1366x768', playMs = '0', ...clicks] = process.argv.slice(2);
const [width, height] = size.split('x').map(Number);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width, height } });
const errors = [];
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
page.on('pageerror', (e) => errors.push(String(e)));
await page.goto(url);
await page.waitForSelector('.shell', { timeout: 15000 });
for (const sel of clicks) { await page.click(sel); await page.waitForTimeout(200); }
if (Number(playMs) > 0) {
  await page.click('button[aria-label="Play"]');
  await page.waitForTimeout(Number(playMs));
  await page.click('button[aria-label="Pause"]');
}
await page.screenshot({ path: out });
if (errors.length) console.log('page errors:', errors.join('\n'));
await browser.close();
