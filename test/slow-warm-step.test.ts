/**
 * The one-window shortcut (src/bench/sweep.ts) judged a row slow on one warm step: under
 * load a 1 ms step took 15 ms, and its row was timed in one window of its two rounds. A
 * step judged slow but under 200 ms is now stepped again, and the faster counts.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { engineConfigs, workloadSpecs } from '../src/bench/plan.js';
import { runSweep } from '../src/bench/sweep.js';
import { ENGINES_BY_NAME, type EngineRegistry } from '../src/engines/index.js';
import type { Engine } from '../src/engines/engine.js';
import { resolveSelection, SELECTION_DEFAULTS } from '../src/options.js';

/** The workers engine, its sessions' second step (the warm one the window is sized from) held up `delayMs`. */
function secondStepDelayed(delayMs: number): EngineRegistry {
  const product = ENGINES_BY_NAME.workers;
  const delayed: Engine = {
    ...product,
    async open(workload, config) {
      const session = await product.open(workload, config);
      let steps = 0;
      return {
        step: async () => {
          if (++steps === 2) await sleep(delayMs);
          return session.step();
        },
        setWeights: (weights) => session.setWeights(weights),
        close: () => session.close(),
      };
    },
  };
  return { ...ENGINES_BY_NAME, workers: delayed };
}

describe('a fast step the machine slowed once', () => {
  it('is not taken for a slow one: its row gets a window in each of the profile\'s rounds', async () => {
    const raw = { engines: ['workers'], kernels: ['js'], formulations: ['fused' as const], strategies: ['dense' as const], threads: [1], batch: [64], dims: [{ dIn: 16, dOut: 8 }], active: [0.3], data: 'synthetic', seed: 1, reduction: 'mean' as const };
    const selection = resolveSelection(raw, SELECTION_DEFAULTS, ENGINES_BY_NAME);
    const context = { runId: 'r', host: 'h', cpuModel: 'c', logicalCpus: 1, nodeVersion: 'v' };
    // A 150 ms second step against a 100 ms window: 3 samples "do not fit", though the step takes about 1 ms.
    const [measurement] = await runSweep(selection, workloadSpecs(selection), engineConfigs(selection, ENGINES_BY_NAME, { overhead: false }), {
      context, engines: secondStepDelayed(150), budgetMs: 100, rounds: 2,
    });
    assert.equal(measurement!.row.status, 'ok', String(measurement!.row.note));
    assert.equal(measurement!.row.windows, 2);
  });
});
