import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCharts } from '../src/report/html/charts/index.js';
import { maskChart, maskPoints, maskSavings } from '../src/report/html/charts/mask.js';
import { scalingPoints } from '../src/report/html/charts/scaling.js';
import { renderReportPage } from '../src/report/html/page.js';
import { fixtureRow, fixtureRows, fixtureRowsWithWeak } from './fixtures.js';
import type { ReportSource } from '../src/report/html/sources.js';

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
