/**
 * The one-window shortcut (src/bench/sweep.ts) judged a row slow on one warm step: under
 * load a 1 ms step took 15 ms, and its row was timed in one window of its two rounds. A
 * step judged slow but under 200 ms is now stepped again, and the faster counts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engineConfigs, workloadSpecs } from '../src/bench/plan.js';
import { runSweep } from '../src/bench/sweep.js';
import { ENGINES_BY_NAME } from '../src/engines/index.js';
import { resolveSelection, SELECTION_DEFAULTS } from '../src/options.js';
import { FakeClock, scriptedRegistry, type StepScript } from './inject/scripted-engine.js';

/**
 * A row of the workers engine whose steps take `script`'s times on a fake clock, the
 * sweep's own: timed in 100 ms windows over 2 rounds. On the real clock the held-up step
 * had to be a real sleep, and a machine loaded enough (three test files at a time) slowed
 * the re-step too, so the row lost its round for the reason the test exists to rule out.
 */
async function windowsOf(script: StepScript): Promise<number> {
  const raw = { engines: ['workers'], kernels: ['js'], formulations: ['fused' as const], strategies: ['dense' as const], threads: [1], batch: [64], dims: [{ dIn: 16, dOut: 8 }], active: [0.3], data: 'synthetic', seed: 1, reduction: 'mean' as const };
  const selection = resolveSelection(raw, SELECTION_DEFAULTS, ENGINES_BY_NAME);
  const context = { runId: 'r', host: 'h', cpuModel: 'c', logicalCpus: 1, nodeVersion: 'v' };
  const clock = new FakeClock();
  const [measurement] = await runSweep(selection, workloadSpecs(selection), engineConfigs(selection, ENGINES_BY_NAME, { overhead: false }), {
    context, engines: scriptedRegistry(clock, script), now: clock.now, budgetMs: 100, rounds: 2,
  });
  assert.equal(measurement!.row.status, 'ok', String(measurement!.row.note));
  return measurement!.row.windows as number;
}

describe('a fast step the machine slowed once', () => {
  it('is not taken for a slow one: its row gets a window in each of the profile\'s rounds', async () => {
    // A 150 ms second step against a 100 ms window: 3 samples "do not fit", though every other step takes 1 ms.
    assert.equal(await windowsOf((_config, _visit, step) => (step === 1 ? 150 : 1)), 2);
  });

  it('while a step that is slow every time rests on one window', async () => {
    assert.equal(await windowsOf(() => 150), 1);
  });
});
