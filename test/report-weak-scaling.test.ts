import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deriveScaling, type ResultRow } from '../src/bench/rows.js';
import { efficiencyChart, scalingPoints, throughputChart, weakScalingChart, weakScalingPoints } from '../src/report/html/charts/scaling.js';
import { glance } from '../src/report/html/glance.js';
import { renderReportPage } from '../src/report/html/page.js';
import { workloadLabel } from '../src/report/html/labels.js';
import { verdict } from '../src/report/verdict.js';
import { fixtureRow } from './fixtures.js';

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
