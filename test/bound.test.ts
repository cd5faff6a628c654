/**
 * Issue 25, item 1: each row's bound on the two-roof roofline. A row whose intensity times
 * the bandwidth is below the GEMM roof is memory-bound and its bound_pct is its speed over
 * that product; above it, compute-bound, bound_pct over the GEMM roof.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { operationalIntensity } from '../src/model/bytes.js';
import { stepFlops } from '../src/model/flops.js';
import { applyBound } from '../src/roofline/bound.js';
import type { MemoryRoof } from '../src/roofline/memory-roof.js';
import { plainRow } from './fixtures.js';

const point = (threads: number, gbps: number) => ({ threads, array_bytes: 1 << 20, copy_gbps: gbps, triad_gbps: gbps, gbps });
const roof = (gbps: number): MemoryRoof => ({ measured: true, method: 'm', last_level_cache_bytes: null, arena_fits_cache: null, arena: [point(1, gbps), point(2, 2 * gbps)], dram: [point(1, gbps)] });

describe('the bound of a row', () => {
  const shape = { batch: 100, dIn: 8, dOut: 4 };
  const active = 30;
  const intensity = operationalIntensity('fused', 'compact', shape, active);
  const performedGflops = stepFlops('fused', 'compact', shape, active) / (10 * 1e6);

  it('is memory where intensity times bandwidth is under the GEMM roof', () => {
    const rows = [plainRow({ strategy: 'compact', roofline_gflops: 1000 })];
    applyBound(rows, roof(2));
    assert.equal(rows[0]!.bound, 'memory');
    assert.equal(rows[0]!.intensity_flop_per_byte, intensity);
    assert.equal(rows[0]!.memory_roof_gbps, 2);
    assert.ok(Math.abs((rows[0]!.bound_pct as number) - (100 * performedGflops) / (intensity * 2)) < 1e-9);
  });

  it('is compute where the GEMM roof is lower, and takes the roof at its threads', () => {
    const rows = [plainRow({ strategy: 'compact', threads: 2, roofline_gflops: 0.01 })];
    applyBound(rows, roof(1000));
    assert.equal(rows[0]!.bound, 'compute');
    assert.equal(rows[0]!.memory_roof_gbps, 2000);
    assert.ok(Math.abs((rows[0]!.bound_pct as number) - (100 * performedGflops) / 0.01) < 1e-9);
  });

  it('leaves rows empty without a roof, for the harness kernel, and for untimed rows', () => {
    const rows = [plainRow({ roofline_gflops: 10 }), plainRow({ kernel: 'empty', roofline_gflops: 10 }), plainRow({ status: 'errored', roofline_gflops: 10 })];
    applyBound(rows, { measured: false, reason: 'r' });
    assert.equal(rows[0]!.bound, null);
    assert.notEqual(rows[0]!.intensity_flop_per_byte, null);
    applyBound(rows, roof(5));
    assert.equal(rows[1]!.bound, null);
    assert.equal(rows[2]!.bound, null);
  });
});
