/**
 * The watchdog's deadlines (issue 15, item 2): generous enough that a legitimately slow
 * step is never cut, short enough that a stuck one ends. The end-to-end cases (a kernel
 * that never returns, in JS and stuck in native code) are in faults.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_WATCHDOG, openWatched, Stalled, stepDeadlineMs } from '../src/bench/watchdog.js';
import type { EngineConfig, EngineSession } from '../src/engines/engine.js';

const CONFIG: EngineConfig = { engine: 'tfjs-cpu', kernel: 'cpu', formulation: 'autograd', strategy: 'dense', threads: 1 };

describe('watchdog deadlines', () => {
  it('never cuts a tfjs-cpu autograd step of the full profile\'s largest workload, even at 0.1 GFLOP/s', () => {
    const shape = { batch: 16384, dIn: 2048, dOut: 256 };
    const slowStepMs = (12 * shape.batch * shape.dIn * shape.dOut) / 1e8 * 1000; // 1,030 s at 0.1 GFLOP/s
    assert.ok(stepDeadlineMs(DEFAULT_WATCHDOG, shape, CONFIG, undefined).ms > 50 * slowStepMs, 'unmeasured: from the FLOP model');
    assert.ok(stepDeadlineMs(DEFAULT_WATCHDOG, shape, CONFIG, slowStepMs).ms >= 20 * slowStepMs, 'measured: 20 x the slowest');
  });

  it('gives a tiny step the floor, not milliseconds', () => {
    assert.equal(stepDeadlineMs(DEFAULT_WATCHDOG, { batch: 16, dIn: 4, dOut: 2 }, CONFIG, 0.1).ms, DEFAULT_WATCHDOG.minStepMs);
  });

  it('a session whose step never settles rejects with the step it was stuck in, and closes', async () => {
    let closed = false;
    const stuck: EngineSession = { step: () => new Promise(() => undefined), setWeights: async () => undefined, close: async () => void (closed = true) };
    const policy = { ...DEFAULT_WATCHDOG, minStepMs: 50, closeMs: 50 };
    const session = await openWatched(Promise.resolve(stuck), { batch: 16, dIn: 4, dOut: 2 }, CONFIG, policy);
    const error = await session.step().catch((e: unknown) => e);
    assert.ok(error instanceof Stalled);
    assert.match(error.message, /^no progress in step 1 within 0\.1 s \(estimated from/);
    await session.close();
    assert.ok(closed);
    assert.match(error.message, /; its threads or process were ended$/);
  });

  it('a warm-up that never ends rejects naming the warm-up', async () => {
    const policy = { ...DEFAULT_WATCHDOG, warmUpMs: 50 };
    await assert.rejects(openWatched(new Promise(() => undefined), { batch: 1, dIn: 1, dOut: 1 }, CONFIG, policy), /no progress in warm-up \(opening the pool or tfjs host\) within 0\.1 s/);
  });
});
