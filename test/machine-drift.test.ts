/**
 * compare says when the machine itself moved between two runs: from the roofs each run
 * measured before its sweep (src/report/compare/machine-drift.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { driftWarning, machineDrift } from '../src/report/compare/machine-drift.js';
import { parseRunJson } from '../src/report/read-run-json.js';
import type { MemoryRoof } from '../src/roofline/memory-roof.js';
import type { Roofline } from '../src/roofline/types.js';

function gemm(points: [threads: number, gflops: number][]): Roofline {
  return {
    measured: true,
    library: 'l',
    gemm: 'g',
    cpus: 2,
    points: points.map(([threads, gflops]) => ({ batch: 4096, d_in: 512, d_out: 128, threads, gflops, method: 'intra-op', intra_op_gflops: gflops, concurrent_gflops: gflops, measured_threads: threads })),
  };
}
function memory(points: [threads: number, gbps: number][]): MemoryRoof {
  const list = points.map(([threads, gbps]) => ({ threads, array_bytes: 8 << 20, copy_gbps: gbps, triad_gbps: gbps / 2, gbps }));
  return { measured: true, method: 'm', last_level_cache_bytes: null, arena_fits_cache: null, arena: list, dram: list };
}

describe('the machine\'s drift between two runs', () => {
  it('is the geometric mean change of each roof over the points both runs measured', () => {
    const drift = machineDrift(
      { gemm: gemm([[1, 200], [2, 400]]), memory: memory([[1, 50], [2, 100]]) },
      { gemm: gemm([[1, 180], [2, 360], [4, 900]]), memory: memory([[1, 55], [2, 110]]) },
    );
    assert.ok(Math.abs(drift.gemmPct! - -10) < 1e-9, `${drift.gemmPct}`);
    assert.ok(Math.abs(drift.memoryPct! - 10) < 1e-9, `${drift.memoryPct}`);
  });

  it('is unknown for a roof either run did not measure', () => {
    const drift = machineDrift({ gemm: { measured: false, reason: 'no native' }, memory: null }, { gemm: gemm([[1, 180]]), memory: memory([[1, 50]]) });
    assert.deepEqual(drift, { gemmPct: null, memoryPct: null });
    assert.equal(driftWarning(drift, 5), undefined);
  });

  it('warns when a roof moved by half the threshold or more, naming each roof\'s change', () => {
    assert.equal(driftWarning({ gemmPct: -2.4, memoryPct: 1 }, 5), undefined);
    const warning = driftWarning({ gemmPct: -4.8, memoryPct: -8 }, 5)!;
    assert.match(warning, /the machine itself moved between the runs \(GEMM roof -4\.8 %, memory roof -8\.0 %/);
    assert.match(driftWarning({ gemmPct: null, memoryPct: 2.5 }, 5)!, /\(memory roof \+2\.5 %;/);
  });

  it('reads the roofline back from run.json, and drops one not of the shape run writes', () => {
    const roofline = gemm([[1, 190]]);
    const text = (value: unknown) => JSON.stringify({ schema_version: 2, configurations: [], roofline: value });
    assert.deepEqual(parseRunJson(text(roofline), 'run.json').roofline, roofline);
    assert.equal(parseRunJson(text({ measured: true, points: [{ threads: 1 }] }), 'run.json').roofline, null);
  });
});
