import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pairedRatio, verdict } from '../src/baseline/ratio.js';

describe('engine / baseline ratio from paired windows', () => {
  it('is the geometric mean of the window ratios, with a t interval around it', () => {
    const estimate = pairedRatio([10, 22, 40], [10, 20, 40]);
    assert.ok(Math.abs(estimate.ratio - Math.cbrt(1.1)) < 1e-12);
    assert.equal(estimate.windows, 3);
    // logs 0, ln 1.1, 0: mean ln(1.1)/3, sd ln(1.1)/sqrt(3); t(2) = 4.303.
    const half = (4.303 * (Math.log(1.1) / Math.sqrt(3))) / Math.sqrt(3);
    assert.ok(Math.abs(Math.log(estimate.high) - (Math.log(1.1) / 3 + half)) < 1e-12);
    assert.ok(Math.abs(Math.log(estimate.low) - (Math.log(1.1) / 3 - half)) < 1e-12);
  });

  it('pairs only the windows both sides have', () => {
    assert.equal(pairedRatio([1, 1, 1], [1, 1]).windows, 2);
    assert.ok(Number.isNaN(pairedRatio([], []).ratio));
  });

  it('says within only when the whole interval is at most 1.05', () => {
    assert.equal(verdict({ ratio: 1.0, low: 0.97, high: 1.04, windows: 5 }), 'within');
    assert.equal(verdict({ ratio: 1.03, low: 0.97, high: 1.09, windows: 5 }), 'inconclusive');
    assert.equal(verdict({ ratio: 1.2, low: 1.1, high: 1.3, windows: 5 }), 'slower');
    assert.equal(verdict({ ratio: 1.0, low: Number.NaN, high: Number.NaN, windows: 1 }), 'inconclusive');
  });
});
