/**
 * Issue 22, item 6: the ratio of the best workers configuration to the best tfjs-node one
 * comes with a 95 % interval over both rows' windows, and says when a row missed the precision.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResultRow } from '../src/bench/rows.js';
import { bestRatio, throughputRatioInterval } from '../src/report/best-ratio.js';
import { plainRow } from './fixtures.js';

describe('the best workers / tfjs-node ratio', () => {
  it('is the ratio itself when every window agrees, scaled by the batches', () => {
    assert.deepEqual(throughputRatioInterval({ batch: 100, unitMediansMs: [5, 5, 5] }, { batch: 100, unitMediansMs: [10, 10, 10] }), { low: 2, high: 2 });
    // Twice the batch in the same time is twice the throughput.
    assert.deepEqual(throughputRatioInterval({ batch: 200, unitMediansMs: [10, 10] }, { batch: 100, unitMediansMs: [10, 10] }), { low: 2, high: 2 });
  });

  it('widens with the spread between windows on either side, and holds the ratio', () => {
    const mild = throughputRatioInterval({ batch: 1, unitMediansMs: [4.9, 5.1, 5, 5.05] }, { batch: 1, unitMediansMs: [10, 10, 10, 10] })!;
    const wide = throughputRatioInterval({ batch: 1, unitMediansMs: [4.5, 5.5, 5, 5.3] }, { batch: 1, unitMediansMs: [9, 11, 10, 10.5] })!;
    assert.ok(mild.low < 2 && mild.high > 2, JSON.stringify(mild));
    assert.ok(wide.low < mild.low && wide.high > mild.high, `${JSON.stringify(wide)} wider than ${JSON.stringify(mild)}`);
  });

  it('has no interval from a single window', () => {
    assert.equal(throughputRatioInterval({ batch: 1, unitMediansMs: [5] }, { batch: 1, unitMediansMs: [10, 10] }), null);
  });

  it('pairs the fastest workers row with the fastest tfjs-node row of the same workload', () => {
    const workers = plainRow({ engine: 'workers', kernel: 'wasm', threads: 2, p50_ms: 5, triplets_per_s: 20_000 });
    // Faster still, but at a workload tfjs-node never ran: it cannot be compared.
    const elsewhere = plainRow({ engine: 'workers', kernel: 'wasm', threads: 2, target_active: 0.1, p50_ms: 2, triplets_per_s: 50_000 });
    const native = plainRow({ engine: 'tfjs-node', kernel: 'tensorflow', threads: 2, p50_ms: 10, triplets_per_s: 10_000, precision_met: 'no' });
    const slowNative = plainRow({ engine: 'tfjs-node', kernel: 'tensorflow', threads: 1, p50_ms: 20, triplets_per_s: 5_000 });
    const windows = new Map<ResultRow, number[]>([[workers, [5, 5.2, 4.8]], [native, [10, 10.4, 9.6]]]);
    const best = bestRatio([slowNative, elsewhere, workers, native], (row) => windows.get(row))!;
    assert.equal(best.workers, workers);
    assert.equal(best.native, native);
    assert.equal(best.ratio, 2);
    assert.ok(best.interval !== null && best.interval.low < 2 && best.interval.high > 2, JSON.stringify(best.interval));
    assert.deepEqual(best.missedPrecision, [native]);
    // Without window medians (a CSV alone) the rows' own intervals give it: rme 1 % on each side.
    const fromCsv = bestRatio([workers, native])!.interval!;
    assert.ok(Math.abs(fromCsv.high / 2 - Math.exp(Math.hypot(0.01, 0.01))) < 1e-12, JSON.stringify(fromCsv));
    // Rows written before the interval columns (rme counted steps then): no interval rather than a wrong one.
    const old = (row: ResultRow) => ({ ...row, p50_ci_low_ms: null, p50_ci_high_ms: null });
    assert.equal(bestRatio([old(workers), old(native)])!.interval, null);
  });

  it('is undefined when no workload was timed on both engines', () => {
    assert.equal(bestRatio([plainRow({ engine: 'workers' })]), undefined);
    assert.equal(bestRatio([plainRow({ engine: 'workers' }), plainRow({ engine: 'tfjs-node', kernel: 'tensorflow', target_active: 0.1 })]), undefined);
  });
});
