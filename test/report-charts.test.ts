/**
 * The report's charts, drawn from fixture rows: every chart of the page, the roofline's roofs
 * and the weak-scaling chart, and the page in headless chromium. (The roofline's, weak
 * scaling's and the browser's tests were once files of their own: one test process for the
 * four spares three Node starts and three warm-ups of vega, which compiles its first page in
 * each process, about 1.5 CPU-s a file.)
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, it, type TestContext } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { deriveScaling, type ResultRow } from '../src/bench/rows.js';
import { buildCharts, CHART_BUILDERS } from '../src/report/html/charts/index.js';
import { maskChart, maskPoints, maskSavings } from '../src/report/html/charts/mask.js';
import { rooflineChart, rooflinePoints, ROOF_NAMES } from '../src/report/html/charts/roofline.js';
import { efficiencyChart, scalingPoints, throughputChart, weakScalingChart, weakScalingPoints } from '../src/report/html/charts/scaling.js';
import { firstScreen } from '../src/report/html/first-screen.js';
import { glance } from '../src/report/html/glance.js';
import { workloadLabel } from '../src/report/html/labels.js';
import { renderReportPage } from '../src/report/html/page.js';
import { sourceFromCsv, unitMediansLookup, type ReportSource } from '../src/report/html/sources.js';
import { parseRunJson } from '../src/report/read-run-json.js';
import { verdict } from '../src/report/verdict.js';
import { writeExport } from '../src/report/exporter.js';
import { reportHtmlExporter } from '../src/report/html/report-html.js';
import { FIXTURE_MEMORY_ROOF, fixtureRow, fixtureRows, fixtureRowsWithWeak, writeRunFolder } from './fixtures.js';

const source = (rows: ReturnType<typeof fixtureRows>): ReportSource => ({ label: 'fixture', runId: 'fixture-run', status: 'completed', environment: null, warnings: [], rows });

describe('report charts', () => {
  it('draw every chart of one and of several active fractions without a vega-lite or vega warning', async () => {
    // With weak rows, so that the weak-scaling chart is drawn too. The several fractions' page
    // also carries the memory roof run.json records: the roofline's page test (below) reads
    // this page, where a page of its own was another 0.7 CPU-s of vega.
    for (const [rows, memoryRoof] of [[fixtureRowsWithWeak(), FIXTURE_MEMORY_ROOF], [fixtureRowsWithWeak().filter((r) => r.target_active === 0.3), undefined]] as const) {
      const warnings: string[] = [];
      const html = await renderReportPage({ sources: [{ ...source(rows), ...(memoryRoof ? { memoryRoof } : {}) }], generatedAt: 'now' }, (w) => warnings.push(w));
      assert.deepEqual(warnings, []);
      if (memoryRoof) {
        // The roofline on the page, with the memory roof run.json recorded.
        assert.match(html, /<figure class="chart" id="chart-roofline">/);
        assert.match(html, /memory, memory-sized arrays: 18\.0 GB\/s/);
      }
      // The break-even chart needs two fractions: absent, with its reason, for one.
      // And the first screen's scaling chart.
      assert.equal((html.match(/<svg/g) ?? []).length, buildCharts(rows).filter((chart) => chart.spec !== null).length + 1);
      assert.equal(buildCharts(rows).filter((chart) => chart.spec === null).length, rows.some((r) => r.target_active === 1) ? 0 : 1);
    }
  });

  it('draw the ideal line as T times the 1-thread throughput, and leave out kernels timed at one thread count', () => {
    const rows = [...fixtureRows(), fixtureRow({ engine: 'tfjs-cpu', kernel: 'cpu', strategy: 'dense', threads: 1, stepMs: 50 })];
    const points = scalingPoints(rows);
    const one = points.find((p) => p.kind === 'measured' && p.kernel === 'workers/js fused' && p.strategy === 'dense' && p.threads === 1 && p.panel.endsWith('active 0.3'))!;
    const ideal = points.find((p) => p.kind !== 'measured' && p.kernel === one.kernel && p.strategy === 'dense' && p.threads === 2 && p.panel === one.panel)!;
    assert.equal(ideal.triplets_per_s, 2 * one.triplets_per_s);
    assert.ok(!points.some((p) => p.kernel.startsWith('tfjs-cpu')));
  });

  it('with one active fraction, show dense over compact step time beside the FLOP model instead of a one-point curve', () => {
    const rows = fixtureRows().filter((r) => r.target_active === 0.3);
    assert.match(maskChart(rows).title, /Compact against dense at active fraction 0\.30/);
    const js = maskSavings(maskPoints(rows)).find((s) => s.kernel === 'workers/js fused' && s.panel.startsWith('T=1'))!;
    // Fixture: dense 4 ms, compact 2 + 2a = 2.6 ms; fused FLOPs 8 / (4 + 4a) = 1.538...
    assert.ok(Math.abs(js.saving - 4 / 2.6) < 1e-12);
    assert.ok(Math.abs(js.flop_model - 8 / (4 + 4 * 0.3)) < 1e-12);
    assert.match(maskChart(fixtureRows()).title, /Step time against active fraction/);
  });
});

/** The spec's data values: rows and roof vertices. */
const values = (chart: ReturnType<typeof rooflineChart>) => (chart.spec as unknown as { data: { values: Record<string, unknown>[] } }).data.values;

describe('the roofline chart', () => {
  it('puts each timed row at its intensity and performed GFLOP/s, one panel per host and thread count, the fastest named', () => {
    const rows = fixtureRows();
    const points = rooflinePoints(rows);
    // js dense and compact, tfjs-node dense, at two fractions and two thread counts; the empty kernel is not a point.
    assert.equal(points.length, 12);
    assert.deepEqual([...new Set(points.map((p) => p.panel))].sort(), ['fixture-host · T=1', 'fixture-host · T=2']);
    for (const panel of ['fixture-host · T=1', 'fixture-host · T=2']) {
      const inPanel = points.filter((p) => p.panel === panel);
      const best = inPanel.filter((p) => p.best);
      assert.equal(best.length, 1);
      assert.equal(best[0]!.gflops, Math.max(...inPanel.map((p) => p.gflops)));
      assert.match(best[0]!.label, /^ringed, the fastest: /);
    }
  });

  it('draws the compute roof and both memory roofs, each said by name and figure, the memory roofs stopping at the compute roof', () => {
    const rows = fixtureRows().map((row) => ({ ...row, roofline_gflops: 30 * row.threads }));
    const chart = rooflineChart(rows, { memoryRoofOf: () => FIXTURE_MEMORY_ROOF });
    assert.ok(chart.spec);
    const roofs = values(chart).filter((v) => v['kind'] === 'roof' && v['panel'] === 'fixture-host · T=2');
    assert.deepEqual([...new Set(roofs.map((r) => r['roof']))], [ROOF_NAMES.compute, ROOF_NAMES.arena, ROOF_NAMES.dram]);
    assert.deepEqual(roofs.filter((r) => r['label_here']).map((r) => r['label']), ['compute (GEMM): 60.0 GFLOP/s', 'memory, arena-sized arrays: 70.0 GB/s', 'memory, memory-sized arrays: 18.0 GB/s']);
    const arenaEnd = roofs.filter((r) => r['roof_kind'] === 'arena').at(-1)!;
    assert.ok(Math.abs((arenaEnd['gflops'] as number) - 60) < 1e-9, 'the arena roof ends on the compute roof');
    assert.match(chart.caption, /largest workload's arena \(128 KiB each; they fit the last-level cache\)/);
    assert.match(chart.caption, /128 MiB each, past the last-level cache/);
  });

  it('draws the arena roof from the rows alone when no run.json brings the memory-sized one, and says so', () => {
    const chart = rooflineChart(fixtureRows());
    assert.deepEqual([...new Set(values(chart).filter((v) => v['kind'] === 'roof').map((v) => v['roof_kind']))], ['arena']);
    assert.match(chart.caption, /Only the arena-sized roof is known here/);
    assert.match(chart.caption, /No compute roof in these results/);
  });

  it('is absent, with the reason, when no row has an intensity', () => {
    const chart = rooflineChart(fixtureRows().map((row) => ({ ...row, intensity_flop_per_byte: null })));
    assert.equal(chart.spec, null);
    assert.match(chart.absentBecause ?? '', /intensity_flop_per_byte/);
  });

  // That it renders on the page without a vega warning, with the memory roof run.json
  // recorded, is checked on the several fractions' page of 'report charts' above.

  it('reads the memory roof back from run.json, and drops one of another shape', () => {
    const text = (roof: unknown) => JSON.stringify({ schema_version: 1, configurations: [], memory_roof: roof });
    assert.deepEqual(parseRunJson(text(FIXTURE_MEMORY_ROOF), 'run.json').memory_roof, FIXTURE_MEMORY_ROOF);
    assert.equal(parseRunJson(text({ measured: true, arena: 'fast' }), 'run.json').memory_roof, null);
    assert.equal(parseRunJson(text(undefined), 'run.json').memory_roof, null);
  });
});

/** A row of the fixture's 256 triplets at `threads`, stepping `stepMs`, as strong or weak scaling ran it (weak: batch 256 x threads). */
function scalingRow(strategy: 'dense' | 'compact', threads: number, stepMs: number, scaling: 'strong' | 'weak'): ResultRow {
  const batch = scaling === 'weak' ? 256 * threads : 256;
  return { ...fixtureRow({ kernel: 'js', strategy, threads, stepMs }), batch, triplets_per_s: (batch * 1000) / stepMs, scaling };
}

/** --scaling both at 1 and 2 threads: the 1-thread rows serve both; strong T=2 gains 1.6x, weak T=2 (twice the work) 1.8x. */
function bothRows(): ResultRow[] {
  const rows = (['dense', 'compact'] as const).flatMap((strategy) => [
    scalingRow(strategy, 1, 4, 'strong'),
    scalingRow(strategy, 2, 2.5, 'strong'),
    scalingRow(strategy, 2, 4 / 0.9, 'weak'),
  ]);
  // Five windows each, around the step: enough for an interval.
  const windows = (ms: number) => [0.99, 1.01, 1, 0.98, 1.02].map((f) => ms * f);
  deriveScaling(rows, rows.map((row) => ({ unitMediansMs: windows(row.p50_ms as number), singleThreadEngine: false })));
  return rows;
}

describe('weak scaling on the page', () => {
  it('gives a weak row an interval around its scaled speedup, counting its step as twice the work', () => {
    const weak = bothRows().find((r) => r.scaling === 'weak')!;
    assert.ok(Math.abs((weak.speedup as number) - 1.8) < 1e-9);
    assert.ok((weak.speedup_ci_low as number) < 1.8 && 1.8 < (weak.speedup_ci_high as number), `${weak.speedup_ci_low}-${weak.speedup_ci_high}`);
  });

  it('keeps weak rows out of the strong-scaling charts and draws them in their own, with the 1-thread row they are divided by', () => {
    const rows = bothRows();
    assert.ok(scalingPoints(rows).every((p) => !p.configuration.includes('B=512')));
    assert.match(throughputChart(rows).title, /\(strong scaling\): the same batch/);
    assert.match(efficiencyChart(rows).title, /\(strong scaling\): the same batch/);
    const points = weakScalingPoints(rows);
    assert.deepEqual(points.map((p) => [p.strategy, p.threads, p.batch, Number(p.scaled_speedup.toFixed(6))]).sort(), [
      ['compact', 1, 256, 1], ['compact', 2, 512, 1.8], ['dense', 1, 256, 1], ['dense', 2, 512, 1.8],
    ]);
    assert.deepEqual([...new Set(points.map((p) => p.panel))], ['fixture-host · 256 triplets/thread 64x32 active 0.3']);
    const chart = weakScalingChart(rows);
    assert.ok(chart.spec);
    assert.match(chart.title, /\(weak scaling\): a fixed batch per thread/);
    assert.match(chart.caption, /Gustafson/);
  });

  it('is absent, saying how to get it, without weak rows', () => {
    const chart = weakScalingChart(bothRows().filter((r) => r.scaling !== 'weak'));
    assert.equal(chart.spec, null);
    assert.match(chart.absentBecause ?? '', /--scaling weak/);
  });

  it('says in the glance which speedup is strong and which weak, and names a weak row\'s workload as weak', () => {
    const rows = bothRows();
    const sentences = glance(rows)[0]!.sentences;
    assert.ok(sentences.some((s) => /^Strong scaling \(the same batch, Amdahl's speedup\): .* at 2 threads: 1\.60x/.test(s)), sentences.join('\n'));
    assert.ok(sentences.some((s) => /^Weak scaling \(256 triplets\/thread 64x32 active 0\.3, Gustafson's scaled speedup\): .* batch 512: 1\.80x/.test(s)), sentences.join('\n'));
    assert.match(workloadLabel(rows.find((r) => r.scaling === 'weak')!), /^B=512 64x32 active 0\.3 \(weak scaling\)$/);
  });

  it('names a weak workload as weak in the verdict\'s sources', () => {
    // Compact fastest on the weak workload: the verdict's source is a weak row.
    const rows = bothRows().map((r) => (r.scaling === 'weak' && r.strategy === 'compact' ? { ...r, p50_ms: 2, triplets_per_s: 256_000 } : r));
    const sources = verdict(rows).map((finding) => finding.source).join('\n');
    assert.match(sources, /T=2, B=512 64x32 \(weak scaling\)/, sources);
  });

  it('draws the first screen\'s scaling chart at the batch per thread when the fastest row is a weak one', () => {
    const rows = bothRows().map((r) => (r.scaling === 'weak' && r.strategy === 'compact' ? { ...r, p50_ms: 2, triplets_per_s: 256_000 } : r));
    // The first screen's chart as the page builds it, not drawn: that the page draws this chart
    // (id chart-scaling-headline) is the browser's first-screen test's and the first test's
    // (its SVGs count it); a page drawn here was 0.7 CPU-s of vega for one title.
    const sources = [{ label: 'f', runId: 'fixture-run', status: 'completed' as const, environment: null, warnings: [], rows }];
    const { chart } = firstScreen(sources, rows, unitMediansLookup(sources));
    assert.ok(chart?.spec);
    assert.match(chart.title, /^Thread scaling at fixture-host · B=256 64x32 active 0\.3$/);
  });
});

/* report.html in headless chromium: what the page looks like where a reader opens it. */

/** Debian's chromium, which .ci/run installs; CHROMIUM_PATH points elsewhere. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Screenshots land here, ignored by git: a test artefact to look at, not a fixture. */
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

/** The first screen the issue asks for (issue 22, item 6): 1280 x 800 in Chromium. */
const SCREEN = { width: 1280, height: 800 };

/** True when there is a browser to test with; otherwise the test is skipped, saying why. */
function haveBrowser(t: TestContext): boolean {
  if (existsSync(CHROMIUM)) return true;
  // .ci/run sets this once chromium is installed: from then on a missing browser is a failure.
  assert.ok(!process.env['TRIPLET_BENCH_REQUIRE_BROWSER'], `TRIPLET_BENCH_REQUIRE_BROWSER is set but there is no browser at ${CHROMIUM}`);
  t.skip(`no browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium, as .ci/run does) or set CHROMIUM_PATH`);
  return false;
}

/** The page of `rows` written to a folder of its own, as `run` leaves it (results.csv, run.json). */
async function pageOf(name: string, rows: readonly ResultRow[]): Promise<string> {
  const dir = join(ARTIFACTS, name);
  mkdirSync(dir, { recursive: true });
  writeRunFolder(dir, rows);
  return writeExport(dir, reportHtmlExporter, { sources: [sourceFromCsv(join(dir, 'results.csv'))], generatedAt: new Date(0).toISOString() });
}

/** The file's one browser, launched before its tests where there is one: a launch is seconds of CPU. */
let browser: Browser | undefined;

/**
 * `use` on a new page of the file's browser once it has loaded `pagePath`; `watch`, given
 * the page before it loads, sees everything from the first request on.
 */
async function withPage<T>(pagePath: string, use: (page: Page) => Promise<T>, watch: (page: Page) => void = () => {}): Promise<T> {
  const page = await browser!.newPage({ viewport: SCREEN });
  try {
    watch(page);
    await page.goto(pathToFileURL(pagePath).href, { waitUntil: 'load' });
    return await use(page);
  } finally {
    await page.close();
  }
}

/**
 * A default-like sweep: tfjs-node's autograd formulation timed at one active fraction only
 * (as the default profile trims it), beside kernels timed at both: the grid of kernels by
 * workload that drew an empty panel for it.
 */
function sweepWithAKernelAtOneFraction(): ResultRow[] {
  const rows = fixtureRows();
  for (const threads of [1, 2]) {
    for (const strategy of ['dense', 'compact'] as const) {
      rows.push(fixtureRow({ engine: 'tfjs-node', kernel: 'tensorflow', formulation: 'autograd', strategy, threads, activeFraction: 0.3, stepMs: (strategy === 'dense' ? 5 : 4) / threads }));
    }
  }
  deriveScaling(rows);
  return rows;
}

describe('report.html in headless chromium', () => {
  /** The default-like sweep's page, which two tests read: drawn once. */
  let sweepPage = '';
  before(async () => {
    if (!existsSync(CHROMIUM)) return;
    // Root (CI) cannot use chromium's sandbox; the page is our own file.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], timeout: 60_000 });
    sweepPage = await pageOf('report-first-screen', sweepWithAKernelAtOneFraction());
  });
  after(() => browser?.close());

  it('loads without console errors or requests, every chart drawn at non-zero size once its part is opened', async (t) => {
    if (!haveBrowser(t)) return;
    // Weak rows on one server: every chart, the weak-scaling one too, has something to draw.
    const pagePath = await pageOf('report-browser', [...fixtureRowsWithWeak('server-a'), ...fixtureRows('server-b')]);
    const errors: string[] = [];
    const requests: string[] = [];
    // Watched from before the page loads: what its load asks for and reports counts.
    const watch = (page: Page) => {
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('request', (request) => requests.push(request.url()));
    };
    await withPage(pagePath, async (page) => {
      // Below the first screen every part is folded: a click opens it.
      for (const summary of await page.$$('details.part > summary')) await summary.click();
      const sizes = await page.$$eval('figure.chart svg', (svgs) => svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        return { chart: svg.parentElement?.id ?? '?', width: box.width, height: box.height };
      }));
      // Every chart of the page, and the first screen's scaling chart.
      assert.equal(sizes.length, CHART_BUILDERS.length + 1, JSON.stringify(sizes));
      for (const size of sizes) assert.ok(size.width > 100 && size.height > 100, JSON.stringify(size));
      assert.deepEqual(errors, []);
      assert.deepEqual(requests, [pathToFileURL(pagePath).href], 'the page loads nothing besides itself');
      await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    }, watch);
  });

  it('holds the run line, the headline table, the scaling chart and the dense/compact answer inside the first 1280 x 800', async (t) => {
    if (!haveBrowser(t)) return;
    await withPage(sweepPage, async (page) => {
      const boxes = await page.$$eval('#run-line, #headline, #scaling-headline figure svg, #dense-compact', (elements) => elements.map((e) => {
        const box = e.getBoundingClientRect();
        return { id: e.id || e.parentElement?.id || '?', top: box.top, bottom: box.bottom, left: box.left, right: box.right, height: box.height };
      }));
      assert.equal(boxes.length, 4, JSON.stringify(boxes));
      for (const box of boxes) {
        assert.ok(box.height > 0 && box.top >= 0 && box.bottom <= SCREEN.height && box.left >= 0 && box.right <= SCREEN.width, `outside the first screen: ${JSON.stringify(box)}`);
      }
      // The headline table names each engine's best and the workers / tfjs-node ratio.
      const table = await page.$eval('#headline', (e) => e.textContent ?? '');
      assert.match(table, /workers \/ tfjs-node/);
      assert.match(table, /95 % interval/);
      // The rest is folded: nothing of it shows before a click.
      const openParts = await page.$$eval('details.part', (parts) => parts.filter((p) => (p as unknown as { open: boolean }).open).length);
      assert.equal(openParts, 0);
      await page.screenshot({ path: join(ARTIFACTS, 'report-first-screen.png') });
    });
  });

  it('draws no empty chart panel and no panel title twice in a chart', async (t) => {
    if (!haveBrowser(t)) return;
    await withPage(sweepPage, async (page) => {
      await page.$$eval('details', (parts) => parts.forEach((p) => { (p as unknown as { open: boolean }).open = true; }));
      const charts = await page.$$eval('figure.chart', (figures) => figures.map((figure) => {
        // vega draws a facet's panels as the items (child groups) of a group mark named "cell" (or "concat_N_cell");
        // data marks are the paths of line, symbol, rect and area marks.
        const cells = [...figure.querySelectorAll('g.mark-group.role-scope')]
          .filter((g) => [...g.classList].some((c) => c === 'cell' || /_cell$/.test(c)))
          .flatMap((group) => [...group.children].filter((item) => item.tagName === 'g'));
        const drawn = (cell: (typeof cells)[number]) => [...cell.querySelectorAll('.mark-line path, .mark-symbol path, .mark-rect path, .mark-area path')]
          .filter((mark) => !mark.closest('.role-axis, .role-legend'))
          .filter((mark) => {
            const box = mark.getBoundingClientRect();
            return box.width > 0 || box.height > 0;
          }).length;
        // Panel titles are the only texts holding " · " (host · workload, thread count · host · workload).
        const titles = [...figure.querySelectorAll('text')].map((text) => text.textContent ?? '').filter((text) => text.includes(' · '));
        return { chart: figure.id, marks: cells.map(drawn), titles };
      }));
      assert.ok(charts.some((c) => c.marks.length > 4), `the facets were found: ${JSON.stringify(charts.map((c) => [c.chart, c.marks.length]))}`);
      for (const chart of charts) {
        assert.ok(chart.marks.every((n) => n > 0), `${chart.chart} has an empty panel: marks per panel ${JSON.stringify(chart.marks)}`);
        assert.deepEqual(chart.titles, [...new Set(chart.titles)], `${chart.chart} repeats a panel title`);
      }
    });
  });
});
