/**
 * The watchdog's deadlines (issue 15, item 2): generous enough that a legitimately slow
 * step is never cut, short enough that a stuck one ends. The end-to-end cases (a kernel
 * that never returns, in JS and stuck in native code) are in faults.test.ts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

describe('a paused process is not a hang (issue 23, item 11)', () => {
  // In a child of its own, so that the test can stop it: a step and a window each finish
  // 1.5 s after they began, against 1 s deadlines. Stopped for 2.5 s in the meantime, every
  // deadline has passed when the process wakes, and its timers are the first thing it runs.
  const WATCHDOG = pathToFileURL(fileURLToPath(new URL('../src/bench/watchdog.js', import.meta.url))).href;
  const SCRIPT = `
    const { DEFAULT_WATCHDOG, openWatched, withDeadline } = await import(${JSON.stringify(WATCHDOG)});
    const late = (value) => new Promise((resolve) => setTimeout(() => resolve(value), 1500));
    const config = { engine: 'workers', kernel: 'js', formulation: 'fused', strategy: 'dense', threads: 1 };
    const session = await openWatched(Promise.resolve({ step: () => late({ loss: 0, activeCount: 0, gradient: new Float64Array(1) }), setWeights: async () => {}, close: async () => {} }), { batch: 1, dIn: 1, dOut: 1 }, config, { ...DEFAULT_WATCHDOG, minStepMs: 1000 });
    const outcomes = Promise.all([
      session.step().then(() => 'step finished', (error) => error.message),
      withDeadline(late('window finished'), 1000, 'the timing window', 'a test').catch((error) => error.message),
    ]);
    process.stdout.write('started\\n');
    process.stdout.write(JSON.stringify(await outcomes) + '\\n');
  `;

  it('stopped past every deadline, then continued: the step and the window finish, nothing is Stalled', async () => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', SCRIPT], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    const started = new Promise<void>((resolve) => child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('started')) resolve();
    }));
    const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
    await started;
    child.kill('SIGSTOP');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    child.kill('SIGCONT');
    await closed;
    assert.deepEqual(JSON.parse(stdout.split('\n')[1]!), ['step finished', 'window finished']);
  });
});
