/**
 * Issue 25, item 3: weak scaling. --batch is the triplets per thread and each thread count
 * T runs on a batch of T x b, only at T; with both, the strong rows' one-thread row is the
 * weak rows' baseline. Speedup is Gustafson's scaled speedup (throughput at T over
 * throughput at one thread, T times the work), efficiency that over T; compare pairs weak
 * and strong rows apart.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultScaling, runsOn, workloadSpecs } from '../src/bench/plan.js';
import { deriveScaling } from '../src/bench/rows.js';
import { pairingKey } from '../src/report/compare/pairing.js';
import { ENGINES_BY_NAME } from '../src/engines/index.js';
import { resolveSelection, SELECTION_DEFAULTS } from '../src/options.js';
import { plainRow } from './fixtures.js';

const selection = resolveSelection(
  { engines: ['workers'], kernels: ['wasm'], strategies: ['compact'], threads: [1, 2, 4], batch: [64], dims: [{ dIn: 8, dOut: 4 }], active: [0.3], data: 'synthetic', seed: 1, reduction: 'mean' },
  SELECTION_DEFAULTS,
  ENGINES_BY_NAME,
);

describe('weak scaling', () => {
  it('plans a batch of T x b at each thread count, only at T', () => {
    const weak = workloadSpecs(selection, 'weak');
    assert.deepEqual(weak.map((s) => [s.shape.batch, s.weakThreads]), [[64, 1], [128, 2], [256, 4]]);
    const both = workloadSpecs(selection, 'both');
    assert.deepEqual(both.map((s) => [s.shape.batch, s.weakThreads]), [[64, undefined], [128, 2], [256, 4]]);
    const config = { engine: 'workers', kernel: 'wasm', formulation: 'fused', strategy: 'compact', threads: 2 } as const;
    assert.equal(runsOn(config, weak[1]!), true);
    assert.equal(runsOn(config, weak[2]!), false);
    assert.equal(runsOn(config, both[0]!), true);
  });

  it('gives Gustafson figures from the one-thread row of the same triplets per thread', () => {
    // One thread: 64 triplets in 10 ms. Weak T=4: 256 triplets in 12.5 ms: scaled speedup 3.2.
    const rows = [
      plainRow({ threads: 1, batch: 64, p50_ms: 10, triplets_per_s: 6400, margin: 0.5 }),
      plainRow({ threads: 4, batch: 256, p50_ms: 12.5, triplets_per_s: 20480, scaling: 'weak', margin: 0.7 }),
      plainRow({ threads: 4, batch: 64, p50_ms: 5, triplets_per_s: 12800, margin: 0.5 }),
    ];
    deriveScaling(rows);
    assert.ok(Math.abs((rows[1]!.speedup as number) - 3.2) < 1e-12);
    assert.ok(Math.abs((rows[1]!.efficiency as number) - 0.8) < 1e-12);
    assert.ok(Math.abs((rows[2]!.speedup as number) - 2) < 1e-12, 'strong rows keep Amdahl speedup');
  });

  it('leaves Karp-Flatt and its interval empty on weak rows: it solves Amdahl\'s law, not Gustafson\'s', () => {
    const visits = (ms: number) => ({ unitMediansMs: [ms, ms * 1.001, ms * 0.999, ms], singleThreadEngine: false });
    const rows = [
      plainRow({ threads: 1, batch: 64, p50_ms: 10, triplets_per_s: 6400, margin: 0.5 }),
      plainRow({ threads: 2, batch: 128, p50_ms: 10.5, triplets_per_s: 12190, scaling: 'weak', margin: 0.7 }),
      plainRow({ threads: 2, batch: 64, p50_ms: 5.5, triplets_per_s: 11636, margin: 0.5 }),
    ];
    deriveScaling(rows, [visits(10), visits(10.5), visits(5.5)]);
    assert.equal(typeof rows[1]!.speedup_ci_low, 'number', 'the weak row has its speedup interval');
    assert.deepEqual([rows[1]!.karp_flatt, rows[1]!.karp_flatt_ci_low, rows[1]!.karp_flatt_ci_high], [null, null, null]);
    assert.equal(typeof rows[2]!.karp_flatt, 'number', 'the strong row keeps its Karp-Flatt');
    assert.equal(typeof rows[2]!.karp_flatt_ci_low, 'number');
  });

  it('measures both by default only above 8 physical cores', () => {
    assert.equal(defaultScaling(2), 'strong');
    assert.equal(defaultScaling(8), 'strong');
    assert.equal(defaultScaling(16), 'both');
  });

  it('pairs weak and strong rows apart in compare', () => {
    assert.notEqual(pairingKey(plainRow({ scaling: 'weak' })), pairingKey(plainRow({ scaling: 'strong' })));
  });
});
