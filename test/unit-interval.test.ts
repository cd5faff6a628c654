/**
 * Issue 22, item 1: a row's interval is taken over its windows, not its steps. Steps inside
 * one window share that window's load, so an interval that counts each step as independent
 * is far too narrow; one over the windows' medians covers the true step time.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summarize } from '../src/bench/statistics.js';
import { unitInterval } from '../src/bench/unit-interval.js';
import { SeededRandom } from '../src/triplet/random.js';

/** Windows whose steps share a per-window offset (4 % spread) plus 1 % step noise around 10 ms. */
function correlatedWindows(random: SeededRandom, windows: number, steps: number): number[][] {
  return Array.from({ length: windows }, () => {
    const offset = 1 + 0.04 * random.gaussian();
    return Array.from({ length: steps }, () => 10 * offset * (1 + 0.01 * random.gaussian()));
  });
}

const medianOf = (values: readonly number[]) => summarize(values).p50Ms;

describe('the interval over units', () => {
  it('covers the true step time about 95 % of the time where the per-step interval does not', () => {
    const random = new SeededRandom(7);
    let unitCovers = 0;
    let stepCovers = 0;
    const trials = 400;
    for (let trial = 0; trial < trials; trial++) {
      const windows = correlatedWindows(random, 6, 40);
      const units = unitInterval(windows.map(medianOf))!;
      if (units.lowMs <= 10 && 10 <= units.highMs) unitCovers++;
      const steps = summarize(windows.flat());
      const half = (steps.rmePct / 100) * steps.meanMs;
      if (steps.meanMs - half <= 10 && 10 <= steps.meanMs + half) stepCovers++;
    }
    assert.ok(unitCovers / trials >= 0.9, `units covered ${unitCovers} of ${trials}`);
    assert.ok(stepCovers / trials <= 0.6, `steps covered ${stepCovers} of ${trials}: the old interval should be too narrow here`);
  });

  it('is a t interval over the logs of the medians, and absent with one unit', () => {
    const medians = [8, 10, 12.5];
    const interval = unitInterval(medians)!;
    assert.equal(interval.units, 3);
    // Logs: ln 8, ln 10, ln 12.5, mean ln 10, so the center is 10; t(2) = 4.303.
    assert.ok(Math.abs(interval.centerMs - 10) < 1e-9);
    const logs = medians.map(Math.log);
    const sd = Math.sqrt(logs.reduce((sum, x) => sum + (x - Math.log(10)) ** 2, 0) / 2);
    const half = (4.303 * sd) / Math.sqrt(3);
    assert.ok(Math.abs(interval.highMs - 10 * Math.exp(half)) < 1e-9);
    assert.ok(Math.abs(interval.lowMs - 10 * Math.exp(-half)) < 1e-9);
    assert.ok(Math.abs(interval.halfWidthPct - 50 * (Math.exp(half) - Math.exp(-half))) < 1e-9);
    assert.equal(unitInterval([10]), null);
  });

  it('never reaches below zero, however spread the windows', () => {
    const interval = unitInterval([1, 40, 3])!;
    assert.ok(interval.lowMs > 0, `${interval.lowMs}`);
    assert.ok(interval.highMs > 40);
  });
});
