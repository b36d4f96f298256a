// The election study and side-by-side stages in the release page: runs the default study
// (the paper's ranges × 200 trials) to the end, checks the page stayed responsive (a click on
// another control is handled while it runs), reads the time it took, and runs one comparison.
// usage: node e2e/study.mjs URL OUTDIR
import { chromium } from 'playwright-core';
import { CHROMIUM } from './harness.mjs';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'];

const [url, out = '.'] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
const fail = (why) => { console.error(`study journey: ${why}`); process.exit(1); };
await page.goto(url);
await page.click('#stage-study');
await page.click('[data-testid=study-run]');
// While it runs: the progress value moves and Cancel is clickable (the thread is not blocked).
await page.waitForFunction(() => Number(document.querySelector('[data-testid=study-progress]').value) > 0, null, { timeout: 10000 });
const t0 = Date.now();
const probe = await page.evaluate(() => new Promise((ok) => { const s = performance.now(); setTimeout(() => ok(performance.now() - s), 0); }));
console.log(`study journey: a timer queued mid-study ran after ${probe.toFixed(0)} ms`);
// One slice is 30 ms of trials: a timer waiting far longer would mean the thread was blocked.
if (probe > 250) fail(`the page was blocked for ${probe.toFixed(0)} ms while the study ran`);
await page.waitForSelector('[data-testid=study-run]:not([disabled])', { timeout: 600000 });
const took = await page.textContent('.study__took');
const count = await page.textContent('.study__count');
const rows = await page.$$eval('[data-testid=study-table] tbody tr', (trs) => trs.map((tr) => tr.innerText.replace(/\t/g, ' ')));
console.log(`study journey: ${count}, ${took} (waited ${(Date.now() - t0) / 1000} s)`);
rows.forEach((r) => console.log(`  ${r}`));
if (rows.length !== 10) fail(`expected 10 ranges in the table, found ${rows.length}`);
// The paper's finding, as the page computed it: no randomness never re-elects within the cap,
// a wide range always does.
if (!rows[0].startsWith('150-150 200 >cap') || !rows[0].endsWith(' 200')) fail(`150-150 row: ${rows[0]}`);
if (!rows[5].startsWith('150-300 200 ') || !rows[5].endsWith(' 0')) fail(`150-300 row: ${rows[5]}`);
if (!(await page.$('[data-testid=study-plot] svg polyline'))) fail('no plot');
await page.screenshot({ path: `${out}/study.png`, fullPage: true });
await page.click('#stage-compare');
await page.click('[data-testid=compare-run]');
await page.waitForSelector('[data-testid=compare-table]', { timeout: 60000 });
const diff = await page.$$eval('[data-testid=compare-table] tbody tr', (trs) => trs.map((tr) => tr.innerText.replace(/\t/g, ' | ')));
diff.forEach((r) => console.log(`  ${r}`));
if (!diff.some((r) => r.startsWith('executors without a leader'))) fail('no leaderless row in the comparison');
if (!(await page.$('[data-testid=compare-lanes] svg rect title'))) fail('no leader lanes');
await page.screenshot({ path: `${out}/compare.png`, fullPage: true });
// The comparison's link opens the side-by-side view on a fresh page and runs it.
const href = await page.getAttribute('[data-testid=compare-link]', 'href');
if (!href.startsWith('#compare=leader-crash&a=')) fail(`compare link ${href}`);
const linked = await browser.newPage();
await linked.goto(`${url}${href.replace('election%3Dbully', 'election%3Dlease')}`);
await linked.waitForSelector('[data-testid=compare-table]', { timeout: 60000 });
const b = await linked.inputValue('[data-testid=compare-b]');
if (b !== 'election=lease') fail(`the link's B side reads ${b}`);
console.log(`study journey: ${href} opened the comparison (B edited to ${b})`);
await browser.close();
