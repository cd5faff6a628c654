import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activeCountForFraction, marginForFraction } from '../src/triplet/margin.js';
import { referenceLossAndGradient, tripletSlacks } from '../src/triplet/reference.js';
import { syntheticBatch } from '../src/triplet/synthetic.js';

describe('margin for a target active fraction', () => {
  const batch = syntheticBatch({ batch: 203, dIn: 17, dOut: 5 }, 3);
  const slacks = tripletSlacks({ ...batch, margin: 0 });
  for (const fraction of [0, 0.01, 0.05, 0.3, 0.5, 0.777, 0.99, 1]) {
    it(`makes exactly round(${fraction} B) triplets active`, () => {
      const margin = marginForFraction(slacks, fraction);
      const result = referenceLossAndGradient({ ...batch, margin });
      assert.equal(result.activeCount, activeCountForFraction(203, fraction));
      // No triplet sits on the tie, so float32 engines agree on the mask.
      const smallest = Math.min(...Array.from(result.hinge, Math.abs));
      assert.ok(smallest > 0, `a hinge value is ${smallest}`);
    });
  }

  it('handles equal slacks and rejects fractions outside [0, 1]', () => {
    assert.ok(marginForFraction([2, 2, 2], 1) > 2);
    assert.ok(marginForFraction([2, 2, 2], 0) < 2);
    assert.throws(() => marginForFraction([1, 2], 1.5), /\[0, 1\]/);
    assert.throws(() => marginForFraction([1, 2], Number.NaN), /\[0, 1\]/);
    assert.throws(() => marginForFraction([], 0.5), /no triplets/);
  });
});
