/**
 * Issue 22, item 3: steady state before each window. A slow start is stepped through, a
 * drift that never settles is cut at the cap (and said so), a noisy but stationary series
 * settles as soon as two groups of steps agree.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_STEADY_STATE, groupSize, hasSettled, warmUntilSteady } from '../src/bench/steady-state.js';
import { SeededRandom } from '../src/triplet/random.js';

/** Steps from `series` on a fake clock that advances by each step's time. */
function fakeStepper(series: (i: number) => number) {
  let clock = 0;
  let i = 0;
  return {
    now: () => clock,
    step: async () => {
      const ms = series(i++);
      clock += ms;
      return ms;
    },
  };
}

describe('steady state', () => {
  it('steps through a slow start and sizes the window from the settled step', async () => {
    // 10 ms steps that start 4x slower and decay over about 30 steps.
    const stepper = fakeStepper((i) => 10 * (1 + 3 * Math.exp(-i / 8)));
    const warm = await warmUntilSteady(stepper.step, [], DEFAULT_STEADY_STATE, stepper.now);
    assert.equal(warm.settled, true);
    assert.ok(warm.steps >= 30, `${warm.steps} steps: stopped inside the slow start`);
    assert.ok(warm.stepMs < 10.5, `sized from ${warm.stepMs} ms`);
  });

  it('cuts a drift at the cap and says it did not settle', async () => {
    const stepper = fakeStepper((i) => 10 * 1.01 ** i);
    const warm = await warmUntilSteady(stepper.step, [], DEFAULT_STEADY_STATE, stepper.now);
    assert.equal(warm.settled, false);
    assert.ok(warm.ms >= DEFAULT_STEADY_STATE.capMs && warm.ms < DEFAULT_STEADY_STATE.capMs + 200, `${warm.ms} ms`);
  });

  it('settles a noisy but stationary series within a few groups', async () => {
    const random = new SeededRandom(3);
    const stepper = fakeStepper(() => 10 * (1 + 0.05 * random.gaussian()));
    const warm = await warmUntilSteady(stepper.step, [], DEFAULT_STEADY_STATE, stepper.now);
    assert.equal(warm.settled, true);
    const k = groupSize(10, DEFAULT_STEADY_STATE);
    assert.ok(warm.steps <= 6 * k, `${warm.steps} steps for groups of ${k}`);
  });

  it('counts steps already taken, and compares medians of groups', () => {
    assert.equal(hasSettled([30, 30, 30, 10, 10, 10], 3, 3), false);
    assert.equal(hasSettled([10, 10.2, 9.9, 10.1, 10, 50], 3, 3), true);
    assert.equal(hasSettled([10, 10], 3, 3), false);
  });
});
