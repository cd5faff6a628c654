import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { syntheticBatch } from '../src/triplet/synthetic.js';
import { assertFinite, NonFiniteInputError, validateProblem } from '../src/triplet/problem.js';
import { problemOf } from './helpers.js';

const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('synthetic data', () => {
  const shape = { batch: 64, dIn: 12, dOut: 4 };

  it('gives the same bytes for the same seed', () => {
    const a = syntheticBatch(shape, 11);
    const b = syntheticBatch(shape, 11);
    for (const key of ['anchors', 'positives', 'negatives', 'weights'] as const) {
      assert.ok(bytes(a[key]).equals(bytes(b[key])), key);
    }
  });

  it('gives a different batch for a different seed', () => {
    const a = syntheticBatch(shape, 11);
    const b = syntheticBatch(shape, 12);
    assert.ok(!bytes(a.anchors).equals(bytes(b.anchors)));
    assert.ok(!bytes(a.weights).equals(bytes(b.weights)));
  });

  it('draws positives nearer their anchors than negatives, on average', () => {
    const { anchors, positives, negatives } = syntheticBatch({ batch: 500, dIn: 16, dOut: 4 }, 5);
    let toPositive = 0;
    let toNegative = 0;
    for (let i = 0; i < anchors.length; i++) {
      toPositive += (anchors[i]! - positives[i]!) ** 2;
      toNegative += (anchors[i]! - negatives[i]!) ** 2;
    }
    assert.ok(toPositive < 0.8 * toNegative, `${toPositive} vs ${toNegative}`);
  });

  it('rejects NaN and infinity before they reach the math', () => {
    const problem = problemOf({ batch: 4, dIn: 3, dOut: 2 });
    const anchors = Float32Array.from(problem.anchors);
    anchors[5] = Number.NaN;
    assert.throws(() => validateProblem({ ...problem, anchors }), (e: unknown) => e instanceof NonFiniteInputError && /anchors.*element 5/.test(e.message));
    assert.throws(() => validateProblem({ ...problem, margin: Number.POSITIVE_INFINITY }), NonFiniteInputError);
    assert.throws(() => assertFinite('weights', [0, -Infinity]), /weights.*element 1/);
    assert.doesNotThrow(() => validateProblem(problem));
  });
});
