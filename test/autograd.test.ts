import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { autogradLossAndGradient } from '../src/checks/autograd.js';
import { maxRelativeError } from '../src/triplet/problem.js';
import { referenceLossAndGradient } from '../src/triplet/reference.js';
import { problemOf } from './helpers.js';

describe('tfjs autograd of the three-embedding loss', () => {
  for (const reduction of ['mean', 'sum', 'mean-active'] as const) {
    it(`agrees with the float64 reference within 1e-4 relative (${reduction})`, async () => {
      const problem = problemOf({ batch: 64, dIn: 48, dOut: 16 }, { activeFraction: 0.4 });
      const reference = referenceLossAndGradient(problem, reduction);
      const autograd = await autogradLossAndGradient(problem, reduction);
      assert.equal(autograd.activeCount, reference.activeCount);
      const error = maxRelativeError(autograd.gradient, reference.gradient);
      assert.ok(error <= 1e-4, `relative error ${error}`);
      assert.ok(Math.abs(autograd.loss - reference.loss) <= 1e-4 * reference.loss);
    });
  }
});
