#!/usr/bin/env node
/**
 * The README's picture of the page: the first screen (1280 x 800) of a run's report.html,
 * as headless Chromium draws it (Debian's chromium, driven by playwright-core, as the
 * browser test does; CHROMIUM_PATH points elsewhere), written as a PNG.
 *
 *   npm run picture -- reports/<run>/report.html docs/first-screen.png
 */
import { chromium } from 'playwright-core';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [page, out] = process.argv.slice(2);
if (!page || !out) {
  console.error('usage: npm run picture -- REPORT.html OUT.png');
  process.exit(2);
}
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const tab = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await tab.goto(pathToFileURL(resolve(page)).href);
  await tab.waitForLoadState('networkidle');
  await tab.screenshot({ path: out, clip: { x: 0, y: 0, width: 1280, height: 800 } });
  console.error(`${out}: the first 1280 x 800 of ${page}`);
} finally {
  await browser.close();
}
