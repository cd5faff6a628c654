/**
 * Many threads, proven on a 2-core machine: thread counts above the cores and odd ones
 * (7, 5), more threads than rows (B = 5, T = 8: empty shards) and than gradient elements
 * (a 2x3 gradient at T = 8: empty reduction slices), for every kernel and strategy. On small-integer data
 * every product and sum is exact in float32, so the sharded gradient must equal the
 * float64 reference bit for bit whatever T: a partial lost, counted twice or raced in the
 * reduction would show as a difference, not hide in a tolerance.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createArena } from '../src/thread-boundary/arena.js';
import type { ShardedGradient } from '../src/engines/workers/coordinator.js';
import { openShardedGradient } from '../src/engines/workers/engine.js';
import { STRATEGIES, type KernelName } from '../src/domain.js';
import { nativeAvailability } from '../src/native/probe.js';
import { REDUCTIONS, type Shape, type TripletProblem } from '../src/triplet/problem.js';
import { referenceLossAndGradient } from '../src/triplet/reference.js';
import { cliServer } from './helpers.js';

const open: ShardedGradient[] = [];
after(async () => Promise.all(open.map((s) => s.close())));

/** Integers in [-3, 3] from a small LCG: exact in float32, as are their products and sums here. */
function integerProblem(shape: Shape, seed: number): TripletProblem {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state >>> 16) % 7 - 3;
  };
  const matrix = (length: number) => Float32Array.from({ length }, next);
  const rows = shape.batch * shape.dIn;
  const problem = { shape, anchors: matrix(rows), positives: matrix(rows), negatives: matrix(rows), weights: matrix(shape.dOut * shape.dIn), margin: 0 };
  // A margin of (integer + 0.5) leaves no hinge at exactly 0, and about half the triplets active.
  const hinges = [...referenceLossAndGradient(problem, 'sum').hinge].sort((a, b) => a - b);
  return { ...problem, margin: -hinges[Math.floor(hinges.length / 2)]! + 0.5 };
}

const kernels: KernelName[] = ['js', 'wasm'];
const tfjs = nativeAvailability();

async function assertExact(problem: TripletProblem, threads: number, kernelList: readonly KernelName[]) {
  const sharded = await openShardedGradient(createArena(problem, threads), kernelList[0]!, threads);
  open.push(sharded);
  for (const reduction of REDUCTIONS) {
    const reference = referenceLossAndGradient(problem, reduction);
    assert.ok(reference.activeCount > 0 && reference.activeCount < problem.shape.batch, 'some triplets active, some not');
    for (const kernel of kernelList) {
      for (const strategy of STRATEGIES) {
        const what = `${kernel} ${strategy} ${reduction} B=${problem.shape.batch} T=${threads}`;
        const result = await sharded.step({ kernel, strategy, reduction });
        assert.equal(result.activeCount, reference.activeCount, what);
        assert.equal(result.loss, reference.loss, what);
        assert.deepEqual(Float64Array.from(result.gradient), reference.gradient, what);
      }
    }
  }
  const close = open.pop()!;
  await close.close();
}

describe('many threads: the reduction stays exact', () => {
  // Each pool thread starts an isolate and the worker's modules (about 0.1 CPU-s): T = 7 for
  // an odd count above the cores, B = 5 at T = 8 for a power of two with more threads than
  // rows (empty shards) and, on a 2x3 gradient, than gradient elements (empty reduction
  // slices beside them). A pool of 33 ran that last case on its own for 3 CPU-s: the
  // reduction's slices come from the same shardBounds whatever T, and a wide pool opening
  // and checking against the reference is thread-memory.test.ts's verify on 32 threads.
  const shape = { batch: 50, dIn: 12, dOut: 5 };
  it('js and wasm, dense and compact, every reduction, at T = 7 on 2 cores', async () => {
    await assertExact(integerProblem(shape, 7), 7, kernels);
  });

  it('more threads than rows and than gradient elements: B = 5, a 2x3 gradient at T = 8 (empty shards and slices), js and wasm', async () => {
    const problem = integerProblem({ batch: 5, dIn: 3, dOut: 2 }, 5);
    assert.ok(problem.shape.dIn * problem.shape.dOut < 8 && problem.shape.batch < 8);
    await assertExact(problem, 8, kernels);
  });

  // Each worker with rows loads tfjs-node (about 0.7 CPU-s): one pool of 5, odd and above
  // the cores, whose B = 20 fills one shard of 16 rows, part of a second, and leaves three
  // empty: two loads, and a reduction over partials of rows and of empty shards.
  it('the tfjs kernel (tfjs-node in each worker) at T = 5, empty shards among them', { skip: tfjs.available ? false : `native backend unavailable: ${tfjs.available ? '' : tfjs.reason}` }, async () => {
    await assertExact(integerProblem({ batch: 20, dIn: 12, dOut: 5 }, 77), 5, ['tfjs']);
  });
});

describe('verify at many threads', () => {
  // The command's own path (a pool per configuration, verify's table) with more threads
  // than rows and cores: T = 3 on 2 cores, B = 2. Four pools of 7 threads cost 2.5 CPU-s
  // for that; the exactness tests above take the same step at T = 7 and at B = 5, T = 8.
  const cli = cliServer();

  it('passes js and wasm, dense and compact, with more threads than rows and cores (B = 2 at T = 3)', async () => {
    const run = await cli.run(['verify', '--engines', 'workers', '--kernels', 'js,wasm', '--threads', '3', '--batch', '2', '--dims', '6x3', '--no-autograd', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const rows = JSON.parse(run.stdout) as { kernel: string; strategy: string; threads: number; batch: number; status: string; note: string }[];
    assert.equal(rows.length, 2 * 2);
    for (const row of rows) {
      assert.equal(row.threads, 3);
      assert.equal(row.status, 'ok', `${row.kernel} ${row.strategy} T=${row.threads} B=${row.batch}: ${row.note}`);
    }
  });
});
