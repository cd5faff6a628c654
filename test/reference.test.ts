import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { referenceLossAndGradient, type ReferenceInput } from '../src/triplet/reference.js';
import { maxRelativeError, type Reduction } from '../src/triplet/problem.js';
import { problemOf } from './helpers.js';

/** The same problem held in float64, so that finite differences have precision to spare. */
function float64Input(shape = { batch: 9, dIn: 5, dOut: 3 }, margin?: number): ReferenceInput {
  const p = problemOf(shape, { activeFraction: 0.5 });
  return {
    shape: p.shape,
    margin: margin ?? p.margin,
    anchors: Float64Array.from(p.anchors),
    positives: Float64Array.from(p.positives),
    negatives: Float64Array.from(p.negatives),
    weights: Float64Array.from(p.weights),
  };
}

function centralDifferences(input: ReferenceInput, reduction: Reduction, eps = 1e-6): Float64Array {
  const weights = Float64Array.from(input.weights);
  const gradient = new Float64Array(weights.length);
  for (let e = 0; e < weights.length; e++) {
    const w = weights[e]!;
    weights[e] = w + eps;
    const plus = referenceLossAndGradient({ ...input, weights }, reduction).loss;
    weights[e] = w - eps;
    const minus = referenceLossAndGradient({ ...input, weights }, reduction).loss;
    weights[e] = w;
    gradient[e] = (plus - minus) / (2 * eps);
  }
  return gradient;
}

describe('float64 reference', () => {
  for (const reduction of ['mean', 'sum', 'mean-active'] as const) {
    it(`matches central finite differences (${reduction})`, () => {
      const input = float64Input();
      const result = referenceLossAndGradient(input, reduction);
      // Finite differences are only valid away from the hinge's kink.
      for (const h of result.hinge) assert.ok(Math.abs(h) > 1e-3, `h = ${h} too close to the kink`);
      assert.ok(result.activeCount > 0 && result.activeCount < input.shape.batch);
      const error = maxRelativeError(result.gradient, centralDifferences(input, reduction));
      assert.ok(error < 1e-7, `relative error ${error}`);
    });
  }

  it('relates the reductions by their scales', () => {
    const input = float64Input();
    const sum = referenceLossAndGradient(input, 'sum');
    const mean = referenceLossAndGradient(input, 'mean');
    const meanActive = referenceLossAndGradient(input, 'mean-active');
    const { batch } = input.shape;
    assert.ok(Math.abs(mean.loss - sum.loss / batch) < 1e-12 * sum.loss);
    assert.ok(Math.abs(meanActive.loss - sum.loss / sum.activeCount) < 1e-12 * sum.loss);
    assert.ok(maxRelativeError(mean.gradient, sum.gradient.map((g) => g / batch)) < 1e-12);
  });

  it('treats a tie h = 0 as inactive, as relu does', () => {
    const input = float64Input({ batch: 1, dIn: 3, dOut: 2 }, 0);
    // Positive equal to negative makes dP = dN, so h = alpha = 0 exactly.
    const tie = { ...input, negatives: input.positives };
    const result = referenceLossAndGradient(tie);
    assert.equal(result.hinge[0], 0);
    assert.equal(result.activeCount, 0);
    assert.equal(result.loss, 0);
    assert.ok(result.gradient.every((g) => g === 0));
  });

  it('gives zero loss and gradient with no active triplet, also for mean-active', () => {
    const p = problemOf({ batch: 20, dIn: 6, dOut: 4 }, { activeFraction: 0 });
    for (const reduction of ['mean', 'sum', 'mean-active'] as const) {
      const result = referenceLossAndGradient(p, reduction);
      assert.equal(result.activeCount, 0);
      assert.equal(result.loss, 0);
      assert.ok(result.gradient.every((g) => g === 0));
    }
  });
});
