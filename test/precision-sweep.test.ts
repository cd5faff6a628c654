/**
 * Issue 22, item 2: as many units as the figure needs. The real sweep, in-process, over an
 * engine whose steps take scripted times on a fake clock: a steady row stops at its first
 * visits, a noisy one gets more windows until it reaches the precision, and a budget too
 * small for that ends the top-up and says so in the row.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engineConfigs, workloadSpecs } from '../src/bench/plan.js';
import { runSweep } from '../src/bench/sweep.js';
import { resolveSelection } from '../src/options.js';
import { SELECTION_DEFAULTS } from '../src/options.js';
import { SeededRandom } from '../src/triplet/random.js';
import { FakeClock, scriptedRegistry } from './inject/scripted-engine.js';

const selection = resolveSelection(
  { engines: ['workers'], kernels: ['js', 'wasm'], strategies: ['dense'], threads: [1], batch: [64], dims: [{ dIn: 8, dOut: 4 }], active: [0.3], data: 'synthetic', seed: 1, reduction: 'mean' },
  SELECTION_DEFAULTS,
);
const context = { runId: 'r', host: 'h', cpuModel: 'c', logicalCpus: 2, nodeVersion: 'v' };

/** js: 10 ms steps whose windows spread by 6 % (one draw per window of 30 steps); wasm: steady 5 ms steps. */
function script(seed: number) {
  const random = new SeededRandom(seed);
  let level = 1;
  return (config: { kernel: string }, _visit: number, step: number) => {
    if (config.kernel === 'wasm') return 5;
    if (step % 30 === 0) level = 1 + 0.06 * random.gaussian();
    return 10 * level;
  };
}

async function sweep(budgetMs: number, seed = 5) {
  const clock = new FakeClock();
  const engines = scriptedRegistry(clock, script(seed));
  const measurements = await runSweep(selection, workloadSpecs(selection), engineConfigs(selection, { overhead: false }), {
    context,
    engines,
    budgetMs: 300,
    rounds: 2,
    precision: { targetPct: 3, budgetMs, windowsPerVisit: 3, maxUnits: 30 },
    now: clock.now,
  });
  const row = (kernel: string) => measurements.find((m) => m.row.kernel === kernel)!;
  return { clock, engines, js: row('js'), wasm: row('wasm') };
}

describe('a sweep to a precision', () => {
  it('stops a steady row at its first visits and tops up a noisy one until it is tight', async () => {
    const { js, wasm } = await sweep(600_000);
    assert.equal(wasm.row.precision_met, 'yes');
    assert.equal(wasm.row.windows, 6, 'two visits of three windows');
    assert.equal(wasm.visits.length, 2);
    assert.equal(js.row.precision_met, 'yes', js.row.note as string);
    assert.ok((js.row.windows as number) > 6, `${js.row.windows} windows`);
    assert.ok((js.row.rme_pct as number) <= 3);
    assert.equal(js.evidence.windowMediansMs.length, js.row.windows);
    assert.equal(js.windowVisits.length, js.row.windows);
  });

  it('ends the top-up when the budget is spent, and the row says why it missed', async () => {
    // The first visits alone take about 6 s of fake time: nothing is left for more.
    const { js, clock } = await sweep(1000);
    assert.equal(js.row.precision_met, 'no');
    assert.equal(js.row.windows, 6);
    assert.match(js.row.note as string, /missed the precision of ±3 % .*budget/);
    assert.ok(clock.ms < 20_000, `${clock.ms} ms of fake time`);
  });

  it('warms each visit to steady state and records it', async () => {
    const { wasm } = await sweep(600_000);
    for (const visit of wasm.visits) {
      assert.equal(visit.settled, true);
      assert.ok(visit.warmup_steps >= 2 * 20, `${visit.warmup_steps} steps: groups of 20 fast steps`);
      assert.equal(visit.windows, 3);
    }
  });
});
