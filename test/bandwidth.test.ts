/**
 * Issue 25, item 1: the bandwidth probe's arithmetic, on a fake clock: bytes per pass as
 * STREAM counts them, the best pass, the window's total, and T threads' sustained figure as
 * what they moved together over the wall time (never the sum of per-thread rates).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { concurrentGBps, streamPass, timeStream } from '../src/roofline/stream.js';
import { measureBandwidthAt } from '../src/roofline/bandwidth.js';

/** A clock that advances `perCallMs` on each reading. */
function steppingClock(perCallMs: number) {
  let ms = 0;
  return () => (ms += perCallMs);
}

describe('the bandwidth probe', () => {
  it('counts copy at 8 and triad at 12 bytes an element, and times passes until the window', () => {
    const n = 1000;
    const views = [new Float32Array(n), new Float32Array(n), new Float32Array(n)] as const;
    // Each reading adds 1 ms: each timed pass spans 1 ms (two readings), the window 2 ms a pass.
    const copy = timeStream('copy', views, 10, steppingClock(1));
    assert.equal(copy.bestGBps, (8 * n) / 1e6);
    assert.equal(copy.bytes % (8 * n), 0);
    assert.ok(copy.ms >= 10);
    const triad = timeStream('triad', views, 0, steppingClock(2), 4);
    assert.equal(triad.bytes, 4 * 12 * n);
    assert.equal(triad.bestGBps, (12 * n) / 2e6);
  });

  it('computes the passes', () => {
    const a = Float32Array.from([1, 2]);
    const b = Float32Array.from([0, 0]);
    const c = Float32Array.from([10, 20]);
    streamPass('copy', a, b, c);
    assert.deepEqual([...b], [1, 2]);
    streamPass('triad', a, b, c);
    assert.deepEqual([...a], [31, 62]);
  });

  it('takes T threads together as their bytes over the longest window', () => {
    const windows = [{ bytes: 4e9, ms: 1000, bestGBps: 9 }, { bytes: 2e9, ms: 2000, bestGBps: 9 }];
    assert.equal(concurrentGBps(windows), 3);
  });

  it('measures real threads at once, copy and triad, the roof the better', async () => {
    const point = await measureBandwidthAt(2, 1 << 20, 20);
    assert.equal(point.threads, 2);
    assert.ok(point.copy_gbps > 0 && point.triad_gbps > 0);
    assert.equal(point.gbps, Math.max(point.copy_gbps, point.triad_gbps));
  });
});
