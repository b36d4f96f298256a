// A tiny step runner for end-to-end journeys: launches /usr/bin/chromium through
// playwright-core, runs named steps in order and prints TAP-like lines:
//   ok - <step>        /  not ok - <step>  (with the error indented below)
// After the first failure the remaining steps are reported as skipped, a screenshot of the
// failing page is saved, and the process exits non-zero.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const CHROMIUM = process.env.BOOKMESH_CHROMIUM || '/usr/bin/chromium';
// Flags from shared/TOOLCHAIN.md: no sandbox (root in CI), no GPU, no background traffic.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Polls `probe` until it returns a truthy value; throws `what` after `timeoutMs`. */
export async function until(probe, what, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try { last = await probe(); } catch (error) { last = error; }
    if (last && !(last instanceof Error)) return last;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}` +
        (last instanceof Error ? ` (last error: ${last.message})` : ''));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/**
 * Runs `steps` ([name, async (ctx) => {...}] pairs) against `url`, saving files under `outDir`.
 * ctx = { page, url, outDir, screenshot(name, {width, height}), problems }
 * where `problems` collects page errors and console errors as they happen.
 */
export async function runJourney(steps, { url, outDir }) {
  mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  const screenshot = async (name, viewport) => {
    if (viewport) await page.setViewportSize(viewport);
    const path = join(outDir, `${name}.png`);
    await page.screenshot({ path });
    return path;
  };
  const ctx = { page, url, outDir, screenshot, problems };

  let passed = 0, failed = 0, skipped = 0;
  for (const [name, run] of steps) {
    if (failed > 0) { console.log(`not ok - ${name} # SKIP after an earlier failure`); skipped++; continue; }
    try {
      await run(ctx);
      console.log(`ok - ${name}`);
      passed++;
    } catch (error) {
      console.log(`not ok - ${name}`);
      console.log(`  ${String(error && error.stack || error).split('\n').join('\n  ')}`);
      if (problems.length) console.log(`  page problems so far:\n    ${problems.join('\n    ')}`);
      failed++;
      await screenshot('failure').then((p) => console.log(`  screenshot: ${p}`), () => {});
    }
  }
  await browser.close();
  console.log(`journey: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  return failed === 0;
}
