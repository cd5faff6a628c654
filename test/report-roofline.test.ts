import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rooflineChart, rooflinePoints, ROOF_NAMES } from '../src/report/html/charts/roofline.js';
import { renderReportPage } from '../src/report/html/page.js';
import { parseRunJson } from '../src/report/read-run-json.js';
import { FIXTURE_MEMORY_ROOF, fixtureRows } from './fixtures.js';

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
