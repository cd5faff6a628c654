/**
 * The report's charts, drawn from fixture rows: every chart of the page, the roofline's roofs
 * and the weak-scaling chart. (The roofline's and weak scaling's tests were once files of their
 * own: one test process for the three spares two Node starts and two warm-ups of vega, which
 * compiles its first page in each process, about 1.5 CPU-s a file.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deriveScaling, type ResultRow } from '../src/bench/rows.js';
import { buildCharts } from '../src/report/html/charts/index.js';
import { maskChart, maskPoints, maskSavings } from '../src/report/html/charts/mask.js';
import { rooflineChart, rooflinePoints, ROOF_NAMES } from '../src/report/html/charts/roofline.js';
import { efficiencyChart, scalingPoints, throughputChart, weakScalingChart, weakScalingPoints } from '../src/report/html/charts/scaling.js';
import { glance } from '../src/report/html/glance.js';
import { workloadLabel } from '../src/report/html/labels.js';
import { renderReportPage } from '../src/report/html/page.js';
import type { ReportSource } from '../src/report/html/sources.js';
import { parseRunJson } from '../src/report/read-run-json.js';
import { verdict } from '../src/report/verdict.js';
import { FIXTURE_MEMORY_ROOF, fixtureRow, fixtureRows, fixtureRowsWithWeak } from './fixtures.js';

const source = (rows: ReturnType<typeof fixtureRows>): ReportSource => ({ label: 'fixture', runId: 'fixture-run', status: 'completed', environment: null, warnings: [], rows });

describe('report charts', () => {
  it('draw every chart of one and of several active fractions without a vega-lite or vega warning', async () => {
    // With weak rows, so that the weak-scaling chart is drawn too.
    for (const rows of [fixtureRowsWithWeak(), fixtureRowsWithWeak().filter((r) => r.target_active === 0.3)]) {
      const warnings: string[] = [];
      const html = await renderReportPage({ sources: [source(rows)], generatedAt: 'now' }, (w) => warnings.push(w));
      assert.deepEqual(warnings, []);
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

  it('renders on the page without a vega warning, with the memory roof run.json recorded', async () => {
    const warnings: string[] = [];
    const rows = fixtureRows();
    const html = await renderReportPage({ sources: [{ label: 'f', runId: 'fixture-run', status: 'completed', environment: null, warnings: [], rows, memoryRoof: FIXTURE_MEMORY_ROOF }], generatedAt: 'now' }, (w) => warnings.push(w));
    assert.deepEqual(warnings, []);
    assert.match(html, /<figure class="chart" id="chart-roofline">/);
    assert.match(html, /memory, memory-sized arrays: 18\.0 GB\/s/);
  });

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

  it('draws the first screen\'s scaling chart at the batch per thread when the fastest row is a weak one', async () => {
    const rows = bothRows().map((r) => (r.scaling === 'weak' && r.strategy === 'compact' ? { ...r, p50_ms: 2, triplets_per_s: 256_000 } : r));
    const html = await renderReportPage({ sources: [{ label: 'f', runId: 'fixture-run', status: 'completed', environment: null, warnings: [], rows }], generatedAt: 'now' });
    assert.match(html, /Thread scaling at fixture-host · B=256 64x32 active 0\.3</);
    assert.match(html, /<figure class="chart" id="chart-scaling-headline">/);
  });
});
