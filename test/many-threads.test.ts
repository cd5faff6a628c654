/**
 * Many threads, proven on a 2-core machine: thread counts above the cores and odd ones
 * (7; 3 for verify), more threads than rows (B = 5, T = 8: empty shards) and than gradient
 * elements (a 2x3 gradient at T = 8: empty reduction slices), for the js and wasm kernels
 * and every strategy; the tfjs kernel's case (T = 5, empty shards) is tfjs-kernel.test.ts's,
 * beside its other pools that load tfjs-node. On small-integer data the sharded gradient
 * must equal the float64 reference bit for bit whatever T (integer-problem.ts): a partial
 * lost, counted twice or raced in the reduction would show as a difference, not hide in a
 * tolerance.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createArena } from '../src/thread-boundary/arena.js';
import type { ShardedGradient } from '../src/engines/workers/coordinator.js';
import { openShardedGradient } from '../src/engines/workers/engine.js';
import type { KernelName } from '../src/domain.js';
import type { TripletProblem } from '../src/triplet/problem.js';
import { cliServer } from './helpers.js';
import { assertStepsExact, integerProblem } from './integer-problem.js';

const open: ShardedGradient[] = [];
after(async () => Promise.all(open.map((s) => s.close())));

const kernels: KernelName[] = ['js', 'wasm'];

async function assertExact(problem: TripletProblem, threads: number, kernelList: readonly KernelName[]) {
  const sharded = await openShardedGradient(createArena(problem, threads), kernelList[0]!, threads);
  open.push(sharded);
  await assertStepsExact(sharded, problem, kernelList);
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
