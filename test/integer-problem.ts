/**
 * Problems whose gradient a sharded step must reproduce bit for bit: on small-integer data
 * every product and sum is exact in float32, so a partial lost, counted twice or raced in
 * the reduction shows as a difference from the float64 reference, not within a tolerance.
 * Shared by many-threads.test.ts and tfjs-kernel.test.ts.
 */
import assert from 'node:assert/strict';
import type { ShardedGradient } from '../src/engines/workers/coordinator.js';
import { STRATEGIES, type KernelName } from '../src/domain.js';
import { REDUCTIONS, type Shape, type TripletProblem } from '../src/triplet/problem.js';
import { referenceLossAndGradient } from '../src/triplet/reference.js';

/** Integers in [-3, 3] from a small LCG: exact in float32, as are their products and sums here. */
export function integerProblem(shape: Shape, seed: number): TripletProblem {
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

/** Every reduction, and for each every kernel of `kernels` and strategy, on `sharded`: equal to the reference bit for bit. */
export async function assertStepsExact(sharded: ShardedGradient, problem: TripletProblem, kernels: readonly KernelName[]): Promise<void> {
  for (const reduction of REDUCTIONS) {
    const reference = referenceLossAndGradient(problem, reduction);
    assert.ok(reference.activeCount > 0 && reference.activeCount < problem.shape.batch, 'some triplets active, some not');
    for (const kernel of kernels) {
      for (const strategy of STRATEGIES) {
        const what = `${kernel} ${strategy} ${reduction} B=${problem.shape.batch} T=${sharded.threads}`;
        const result = await sharded.step({ kernel, strategy, reduction });
        assert.equal(result.activeCount, reference.activeCount, what);
        assert.equal(result.loss, reference.loss, what);
        assert.deepEqual(Float64Array.from(result.gradient), reference.gradient, what);
      }
    }
  }
}
