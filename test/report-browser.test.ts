import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { it } from 'node:test';
import { chromium } from 'playwright-core';
import { CHART_BUILDERS } from '../src/report/html/charts/index.js';
import { sourceFromCsv } from '../src/report/html/sources.js';
import { writeReportHtml } from '../src/report/html/write.js';
import { fixtureRows, writeRunFolder } from './fixtures.js';

/** Debian's chromium, which .ci/run installs; CHROMIUM_PATH points elsewhere. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Screenshots land here, ignored by git: a test artefact to look at, not a fixture. */
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

it('report.html loads in headless chromium without console errors or requests, every chart drawn at non-zero size', async (t) => {
  if (!existsSync(CHROMIUM)) {
    // .ci/run sets this once chromium is installed: from then on a missing browser is a failure.
    assert.ok(!process.env['TRIPLET_BENCH_REQUIRE_BROWSER'], `TRIPLET_BENCH_REQUIRE_BROWSER is set but there is no browser at ${CHROMIUM}`);
    t.skip(`no browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium, as .ci/run does) or set CHROMIUM_PATH`);
    return;
  }
  const dir = join(ARTIFACTS, 'report-browser');
  mkdirSync(dir, { recursive: true });
  writeRunFolder(dir, [...fixtureRows('server-a'), ...fixtureRows('server-b')]);
  const pagePath = await writeReportHtml(dir, { sources: [sourceFromCsv(join(dir, 'results.csv'))], generatedAt: new Date(0).toISOString() });

  // Root (CI) cannot use chromium's sandbox; the page is our own file.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], timeout: 60_000 });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('request', (request) => requests.push(request.url()));
    const pageUrl = pathToFileURL(pagePath).href;
    await page.goto(pageUrl, { waitUntil: 'load' });

    const sizes = await page.$$eval('figure.chart svg', (svgs) => svgs.map((svg) => {
      const box = svg.getBoundingClientRect();
      return { chart: svg.parentElement?.id ?? '?', width: box.width, height: box.height };
    }));
    assert.equal(sizes.length, CHART_BUILDERS.length, JSON.stringify(sizes));
    for (const size of sizes) assert.ok(size.width > 100 && size.height > 100, JSON.stringify(size));
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [pageUrl], 'the page loads nothing besides itself');
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});
