import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createArena } from '../src/thread-boundary/arena.js';
import { ShardedGradient } from '../src/engines/workers/coordinator.js';
import { openShardedGradient } from '../src/engines/workers/engine.js';
import { maxRelativeError, type Reduction, type TripletProblem } from '../src/triplet/problem.js';
import { referenceLossAndGradient } from '../src/triplet/reference.js';
import { problemOf } from './helpers.js';
import { STRATEGIES } from '../src/domain.js';

const TOLERANCE = 1e-4;
const open: ShardedGradient[] = [];
after(async () => Promise.all(open.map((s) => s.close())));

/**
 * One warm pool per problem, thread count and `use` (a strategy and reduction, or 'shared'),
 * shared by the tests that only step it: a pool thread costs about 0.1 CPU-s to start. A
 * pool checked against the reference has stepped only that strategy and reduction before,
 * so a step that left part of its partial unwritten cannot pass on what another strategy
 * wrote there (dense and compact write the same sums). Tests that load another problem into
 * the arena open their own.
 */
const pools = new Map<TripletProblem, Map<string, Promise<ShardedGradient>>>();

function warmPool(problem: TripletProblem, threads: number, use: string): Promise<ShardedGradient> {
  const byUse = pools.get(problem) ?? new Map<string, Promise<ShardedGradient>>();
  pools.set(problem, byUse);
  const key = `T=${threads} ${use}`;
  let pool = byUse.get(key);
  if (!pool) {
    pool = ShardedGradient.open(createArena(problem, threads), threads);
    byUse.set(key, pool);
    void pool.then((sharded) => open.push(sharded), () => undefined);
  }
  return pool;
}

async function shardedStep(problem: TripletProblem, threads: number, strategy: 'dense' | 'compact', reduction: Reduction = 'mean') {
  const sharded = await warmPool(problem, threads, `${strategy} ${reduction}`);
  const result = await sharded.step({ kernel: 'js', strategy, reduction });
  return { ...result, gradient: Float64Array.from(result.gradient) };
}

function assertMatchesReference(problem: TripletProblem, got: { loss: number; activeCount: number; gradient: Float64Array }, reduction: Reduction = 'mean') {
  const reference = referenceLossAndGradient(problem, reduction);
  assert.equal(got.activeCount, reference.activeCount);
  const error = maxRelativeError(got.gradient, reference.gradient);
  assert.ok(error <= TOLERANCE, `gradient relative error ${error}`);
  assert.ok(Math.abs(got.loss - reference.loss) <= TOLERANCE * Math.abs(reference.loss), `loss ${got.loss} vs ${reference.loss}`);
}

describe('js kernel, sharded over workers', () => {
  // B = 37 is a multiple of no T here; odd dims exercise the block tails.
  const problem = problemOf({ batch: 37, dIn: 19, dOut: 7 });
  // As are B = 203 and 33x9, whose shards differ at every T from 1 to 4 (B = 37's do not at
  // 3 and 4): the per-T pools of this problem also serve the test that T changes nothing
  // beyond rounding, which opened ten threads more to step the same dense steps.
  const bigger = problemOf({ batch: 203, dIn: 33, dOut: 9 });
  for (const strategy of STRATEGIES) {
    for (const threads of [1, 2, 3, 4]) {
      it(`${strategy} at T = ${threads} equals the reference`, async () => {
        assertMatchesReference(bigger, await shardedStep(bigger, threads, strategy));
      });
    }
  }

  it('works with fewer triplets than threads (B = 3, T = 4)', async () => {
    const tiny = problemOf({ batch: 3, dIn: 5, dOut: 2 }, { activeFraction: 0.67 });
    for (const strategy of STRATEGIES) assertMatchesReference(tiny, await shardedStep(tiny, 4, strategy));
  });

  // The no-active and all-active edges on pools of 2: two shards and a reduction over both
  // prove what pools of 3 did, for a thread (0.1 CPU-s) less each.
  it('returns loss 0 and a gradient of exact zeros with no active triplet', async () => {
    const none = problemOf({ batch: 41, dIn: 9, dOut: 6 }, { activeFraction: 0 });
    for (const strategy of STRATEGIES) {
      const result = await shardedStep(none, 2, strategy);
      assert.equal(result.loss, 0);
      assert.equal(result.activeCount, 0);
      assert.ok(result.gradient.every((g) => g === 0));
    }
  });

  it('equals the reference with every triplet active', async () => {
    const all = problemOf({ batch: 30, dIn: 11, dOut: 5 }, { activeFraction: 1 });
    for (const strategy of STRATEGIES) {
      const result = await shardedStep(all, 2, strategy);
      assert.equal(result.activeCount, 30);
      assertMatchesReference(all, result);
    }
  });

  for (const reduction of ['sum', 'mean-active'] as const) {
    it(`honours the ${reduction} reduction`, async () => {
      assertMatchesReference(problem, await shardedStep(problem, 2, 'compact', reduction), reduction);
    });
  }

  it('does not depend on T beyond float rounding', async () => {
    const one = await shardedStep(bigger, 1, 'dense');
    for (const threads of [2, 3, 4]) {
      const many = await shardedStep(bigger, threads, 'dense');
      assert.ok(maxRelativeError(many.gradient, one.gradient) < 1e-12);
      assert.ok(Math.abs(many.loss - one.loss) < 1e-12 * one.loss);
    }
  });

  it('gives the same gradient over repeated steps on a warm pool', async () => {
    const sharded = await warmPool(problem, 2, 'shared');
    const first = Float64Array.from((await sharded.step({ kernel: 'js', strategy: 'compact' })).gradient);
    await sharded.step({ kernel: 'js', strategy: 'dense' });
    const again = (await sharded.step({ kernel: 'js', strategy: 'compact' })).gradient;
    assert.ok(maxRelativeError(again, first) < 1e-12);
  });

  // train reloads the arena every step, with whichever kernel it runs (wasm by default):
  // a kernel that cached W or the batch between calls would train on stale data. The tfjs
  // kernel's case is tfjs-kernel.test.ts's rewrite test (three new problems at T = 4):
  // here it loaded tfjs-node in this process and two workers (about 1.5 CPU-s) for the same.
  for (const kernel of ['js', 'wasm'] as const) {
    it(`takes a new batch, W and margin between steps on the same warm pool (training), kernel ${kernel}`, async () => {
      const shape = { batch: 37, dIn: 19, dOut: 7 };
      const sharded = await openShardedGradient(createArena(problem, 2), kernel, 2);
      open.push(sharded);
      await sharded.step({ kernel, strategy: 'compact' });
      for (const [seed, activeFraction] of [[11, 0.5], [12, 0.9]] as const) {
        const next = problemOf(shape, { activeFraction }, seed);
        sharded.load(next);
        for (const strategy of STRATEGIES) assertMatchesReference(next, await sharded.step({ kernel, strategy }));
      }
    });
  }

  // The repeated steps' pool: the js step first writes every partial, so what an earlier
  // test left there cannot make the empty kernel's zeros pass.
  it('empty kernel: same dispatch and reduction, a zero gradient', async () => {
    const sharded = await warmPool(problem, 2, 'shared');
    await sharded.step({ kernel: 'js', strategy: 'dense' });
    const result = await sharded.step({ kernel: 'empty', strategy: 'dense' });
    assert.equal(result.activeCount, 0);
    assert.ok(result.gradient.every((g) => g === 0));
  });

  it('rejects more threads than the arena has slots', async () => {
    await assert.rejects(ShardedGradient.open(createArena(problem, 2), 3), /2 slots, 3 threads/);
  });
});
