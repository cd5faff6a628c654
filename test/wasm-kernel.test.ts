import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { arenaLayout, createArena, kernelScratchBytesFor } from '../src/thread-boundary/arena.js';
import { ShardedGradient } from '../src/engines/workers/coordinator.js';
import { workersEngine } from '../src/engines/workers/engine.js';
import { maxRelativeError, type TripletProblem } from '../src/triplet/problem.js';
import { referenceLossAndGradient } from '../src/triplet/reference.js';
import { blockTripletsFor, wasmKernel, wasmMaxBlockTriplets, wasmScratchBytes } from '../workers/kernels/wasm.js';
import { relaxedSimdSupported, WASM_SIMD_ENV, wasmKernelUnavailable, wasmSimdPath } from '../src/thread-boundary/wasm-runtime.js';
import { problemOf } from './helpers.js';
import { STRATEGIES, type Strategy } from '../src/domain.js';

const TOLERANCE = 1e-4;
const open: ShardedGradient[] = [];
const MAX_BLOCK_TRIPLETS = wasmMaxBlockTriplets();
after(async () => Promise.all(open.map((s) => s.close())));

/** A new pool over `problem` (its workers read the wasm build to take as they start). */
async function openPool(problem: TripletProblem, threads: number): Promise<ShardedGradient> {
  const arena = createArena(problem, threads);
  assert.ok(arena.memory, 'a small arena lives in a shared WebAssembly.Memory');
  const sharded = await ShardedGradient.open(arena, threads);
  open.push(sharded);
  return sharded;
}

/**
 * One warm pool per problem, thread count and `use` (a strategy, or 'shared'), shared by the
 * tests that only step it: a pool thread costs about 0.1 CPU-s to start. A pool checked
 * against the reference has stepped only that strategy before, so a step that left part of
 * its partial unwritten cannot pass on what the other strategy wrote there.
 */
const pools = new Map<TripletProblem, Map<string, Promise<ShardedGradient>>>();

function warmPool(problem: TripletProblem, threads: number, use: string): Promise<ShardedGradient> {
  const byUse = pools.get(problem) ?? new Map<string, Promise<ShardedGradient>>();
  pools.set(problem, byUse);
  const key = `T=${threads} ${use}`;
  const pool = byUse.get(key) ?? openPool(problem, threads);
  byUse.set(key, pool);
  return pool;
}

async function wasmStep(problem: TripletProblem, threads: number, strategy: Strategy, on?: ShardedGradient) {
  const sharded = on ?? (await warmPool(problem, threads, strategy));
  const result = await sharded.step({ kernel: 'wasm', strategy });
  return { ...result, gradient: Float64Array.from(result.gradient) };
}

function assertMatchesReference(problem: TripletProblem, got: { loss: number; activeCount: number; gradient: Float64Array }) {
  const reference = referenceLossAndGradient(problem);
  assert.equal(got.activeCount, reference.activeCount);
  const error = maxRelativeError(got.gradient, reference.gradient);
  assert.ok(error <= TOLERANCE, `gradient relative error ${error}`);
  assert.ok(Math.abs(got.loss - reference.loss) <= TOLERANCE * Math.abs(reference.loss), `loss ${got.loss} vs ${reference.loss}`);
}

describe('wasm kernel, sharded over workers', () => {
  it('is available on this runtime (SIMD, shared memory, built module)', () => {
    assert.deepEqual(workersEngine.availability('wasm'), { available: true });
    assert.ok(workersEngine.kernels.includes('wasm'));
  });

  // Odd D_in and D_out (tails of the 8-wide vectors and the 4-row blocks) and a batch
  // spanning several blocks of triplets with a ragged last block at every T.
  const problem = problemOf({ batch: 2 * MAX_BLOCK_TRIPLETS + 29, dIn: 37, dOut: 13 });
  for (const strategy of STRATEGIES) {
    for (const threads of [1, 2, 3]) {
      it(`${strategy} at T = ${threads} equals the reference`, async () => {
        assertMatchesReference(problem, await wasmStep(problem, threads, strategy));
      });
    }
  }

  it('equals the reference on a shape smaller than one block (B = 5, 3x1)', async () => {
    const tiny = problemOf({ batch: 5, dIn: 3, dOut: 1 }, { activeFraction: 0.6 });
    for (const strategy of STRATEGIES) assertMatchesReference(tiny, await wasmStep(tiny, 2, strategy));
  });

  // The no-active and all-active edges at T = 3: shards of 16, 16 and 9 rows, and of 32, 32
  // and 3 (whole blocks and one of 3 rows). One thread's shard over every row and its
  // ragged last block is the per-T tests' T = 1 above; six more pools (both edges at T = 1,
  // every triplet active at T = 2) proved that again.
  it('returns loss 0 and a gradient of exact zeros with no active triplet', async () => {
    const none = problemOf({ batch: 41, dIn: 9, dOut: 6 }, { activeFraction: 0 });
    for (const strategy of STRATEGIES) {
      const result = await wasmStep(none, 3, strategy);
      assert.equal(result.loss, 0);
      assert.equal(result.activeCount, 0);
      assert.ok(result.gradient.every((g) => g === 0));
    }
  });

  it('equals the reference with every triplet active', async () => {
    const all = problemOf({ batch: 67, dIn: 11, dOut: 5 }, { activeFraction: 1 });
    for (const strategy of STRATEGIES) {
      const result = await wasmStep(all, 3, strategy);
      assert.equal(result.activeCount, 67);
      assertMatchesReference(all, result);
    }
  });

  it('overwrites its partial: repeated steps give the same gradient, and agree with the js kernel', async () => {
    const sharded = await warmPool(problem, 2, 'shared');
    const js = Float64Array.from((await sharded.step({ kernel: 'js', strategy: 'dense' })).gradient);
    const first = Float64Array.from((await sharded.step({ kernel: 'wasm', strategy: 'compact' })).gradient);
    await sharded.step({ kernel: 'wasm', strategy: 'dense' });
    const again = (await sharded.step({ kernel: 'wasm', strategy: 'compact' })).gradient;
    assert.ok(maxRelativeError(again, first) < 1e-12);
    assert.ok(maxRelativeError(first, js) < TOLERANCE);
  });

  const shapes = [{ batch: 8, dIn: 1, dOut: 1 }, { batch: 8, dIn: 37, dOut: 13 }, { batch: 8, dIn: 65, dOut: 9 }, { batch: 8, dIn: 2048, dOut: 256 }, { batch: 8, dIn: 4099, dOut: 1023 }];

  it('sizes its blocks to the arena scratch of every slot', () => {
    for (const shape of shapes) {
      const layout = arenaLayout(shape, 2);
      const block = blockTripletsFor(shape, layout.kernelScratchBytes);
      assert.equal(block, MAX_BLOCK_TRIPLETS, 'the arena holds the preferred block');
      assert.ok(wasmScratchBytes(shape.dIn, shape.dOut, block) <= layout.kernelScratchBytes);
      assert.equal(blockTripletsFor(shape, wasmScratchBytes(shape.dIn, shape.dOut, 6)), 6, 'a smaller scratch takes a smaller block');
    }
  });

  it('declares the scratch its module states, and the arena reserves exactly that (no margin)', () => {
    for (const shape of shapes) {
      const declared = wasmKernel.scratchBytes(shape);
      assert.equal(declared, wasmScratchBytes(shape.dIn, shape.dOut, MAX_BLOCK_TRIPLETS));
      assert.equal(kernelScratchBytesFor(shape), Math.ceil(declared / 64) * 64);
    }
  });
});

describe('wasm kernel builds: plain SIMD128 and relaxed SIMD (FMA)', () => {
  const saved = process.env[WASM_SIMD_ENV];
  after(() => {
    if (saved === undefined) delete process.env[WASM_SIMD_ENV];
    else process.env[WASM_SIMD_ENV] = saved;
  });
  const problem = problemOf({ batch: MAX_BLOCK_TRIPLETS + 11, dIn: 21, dOut: 10 });

  for (const path of ['simd128', 'relaxed'] as const) {
    it(`the ${path} build equals the reference, dense and compact`, async (t) => {
      if (path === 'relaxed' && !relaxedSimdSupported()) {
        t.skip(`Node ${process.version} (V8 ${process.versions.v8}) has no relaxed SIMD, not even behind its flag`);
        return;
      }
      // Workers copy process.env when the pool starts, so the path set here is theirs.
      process.env[WASM_SIMD_ENV] = path;
      assert.equal(wasmSimdPath(), path);
      // A pool of its own: one started under the other path runs the other build. One
      // thread: its worker takes the build as it starts, as each of a wider pool's does.
      const sharded = await openPool(problem, 1);
      for (const strategy of STRATEGIES) assertMatchesReference(problem, await wasmStep(problem, 1, strategy, sharded));
    });
  }

  it('takes relaxed SIMD by default exactly where the runtime has it', () => {
    delete process.env[WASM_SIMD_ENV];
    assert.equal(wasmSimdPath(), relaxedSimdSupported() ? 'relaxed' : 'simd128');
    const major = Number(process.versions.node.split('.')[0]);
    // Node 20's V8 11.3 has it behind a flag that src/thread-boundary/wasm-runtime.ts sets before the first compile.
    if (major >= 20) assert.ok(relaxedSimdSupported(), `Node ${process.version} (V8 ${process.versions.v8}) should have relaxed SIMD`);
  });

  it('marks the kernel unavailable, with the reason, for a bad or impossible forced path', () => {
    process.env[WASM_SIMD_ENV] = 'avx512';
    assert.match(wasmKernelUnavailable()?.reason ?? '', /TRIPLET_BENCH_WASM_SIMD must be auto, simd128 or relaxed, not "avx512"/);
    process.env[WASM_SIMD_ENV] = 'relaxed';
    assert.equal(wasmKernelUnavailable() === undefined, relaxedSimdSupported());
    delete process.env[WASM_SIMD_ENV];
  });
});
