/**
 * Issue 22, items 1 and 2: the unit of evidence is a visit, and a row gets as many as its
 * figure needs. The real sweep, in-process, over an engine whose steps take scripted times
 * on a fake clock: a steady row stops at its first visits, one whose visits disagree gets
 * more until it reaches the precision, a budget too small for that ends the top-up and says
 * so, the workloads' visits are interleaved over the whole run, and the budget left goes to
 * the rows it can bring to the target.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engineConfigs, workloadSpecs } from '../src/bench/plan.js';
import { affordable, interleavedGroups, runSweep } from '../src/bench/sweep.js';
import { unitInterval } from '../src/bench/unit-interval.js';
import { ENGINES_BY_NAME } from '../src/engines/index.js';
import { resolveSelection, SELECTION_DEFAULTS, type RawSelection } from '../src/options.js';
import { SeededRandom } from '../src/triplet/random.js';
import { FakeClock, scriptedRegistry, type StepScript } from './inject/scripted-engine.js';

/** Two workers kernels on a tiny workload, and what a test changes. */
function select(changes: Partial<RawSelection> = {}) {
  return resolveSelection({ engines: ['workers'], kernels: ['js', 'wasm'], strategies: ['dense'], threads: [1], batch: [64], dims: [{ dIn: 8, dOut: 4 }], active: [0.3], data: 'synthetic', seed: 1, reduction: 'mean', ...changes }, SELECTION_DEFAULTS, ENGINES_BY_NAME);
}
const selection = select();
const context = { runId: 'r', host: 'h', cpuModel: 'c', logicalCpus: 2, nodeVersion: 'v' };

/** js: 10 ms steps whose level is drawn once per visit, spread 6 %; wasm: steady 5 ms steps. */
function script(seed: number): StepScript {
  const random = new SeededRandom(seed);
  const levels = new Map<number, number>();
  return (config, visit) => {
    if (config.kernel === 'wasm') return 5;
    if (!levels.has(visit)) levels.set(visit, 1 + 0.06 * random.gaussian());
    return 10 * levels.get(visit)!;
  };
}

async function sweep(budgetMs: number, { seed = 5, windowsPerVisit = 1, steps = script(seed), chosen = selection } = {}) {
  const clock = new FakeClock();
  const engines = scriptedRegistry(clock, steps);
  const measurements = await runSweep(chosen, workloadSpecs(chosen), engineConfigs(chosen, engines, { overhead: false }), {
    context,
    engines,
    budgetMs: 300,
    rounds: 3,
    precision: { targetPct: 3, budgetMs, windowsPerVisit, maxUnits: 30 },
    now: clock.now,
  });
  const row = (kernel: string) => measurements.find((m) => m.row.kernel === kernel)!;
  return { clock, engines, measurements, js: row('js'), wasm: row('wasm') };
}

describe('a sweep to a precision', () => {
  it('stops a steady row at its first visits and tops up one whose visits disagree until it is tight', async () => {
    const { js, wasm } = await sweep(600_000);
    assert.equal(wasm.row.precision_met, 'yes');
    assert.equal(wasm.visits.length, 3, 'three visits');
    assert.equal(wasm.row.windows, 3, 'one window each');
    assert.equal(js.row.precision_met, 'yes', js.row.note as string);
    assert.ok(js.visits.length > 3, `${js.visits.length} visits`);
    assert.ok((js.row.rme_pct as number) <= 3);
    assert.equal(js.evidence.unitMediansMs.length, js.visits.length, 'one unit per visit');
  });

  it('ends the top-up when the budget is spent, and the row says why it missed', async () => {
    // The first visits alone take a few seconds of fake time: nothing is left for more.
    const { js, clock } = await sweep(1000);
    assert.equal(js.row.precision_met, 'no');
    assert.equal(js.visits.length, 3);
    assert.match(js.row.note as string, /missed the precision of ±3 % .* over 3 visits.*budget/);
    assert.ok(clock.ms < 20_000, `${clock.ms} ms of fake time`);
  });

  it('warms each visit to steady state and records it, with the visit\'s time', async () => {
    const { wasm } = await sweep(600_000);
    for (const visit of wasm.visits) {
      assert.equal(visit.settled, true);
      assert.ok(visit.warmup_steps >= 2 * 20, `${visit.warmup_steps} steps: groups of 20 fast steps`);
      assert.equal(visit.windows, 1);
      assert.ok(visit.ms >= 300 + visit.warmup_ms, `a visit of ${visit.ms} ms holds its warm-up and its 300 ms window`);
    }
  });
});

describe('the unit of evidence is the visit', () => {
  it('windows of one open that agree do not narrow the interval of opens that disagree', async () => {
    // Three windows a visit: inside a visit every step is alike, between visits they spread 6 %.
    const { js } = await sweep(1000, { windowsPerVisit: 3 });
    assert.equal(js.windowMediansMs.length, 9, 'three visits of three windows');
    assert.equal(js.evidence.unitMediansMs.length, 3, 'one unit per visit');
    const overWindows = unitInterval(js.windowMediansMs)!;
    const overVisits = unitInterval(js.evidence.unitMediansMs)!;
    // Counted as nine independent units the windows would claim a much tighter figure.
    assert.ok(overWindows.halfWidthPct < overVisits.halfWidthPct / 2, `windows ±${overWindows.halfWidthPct.toFixed(1)} %, visits ±${overVisits.halfWidthPct.toFixed(1)} %`);
    assert.equal(js.row.rme_pct, overVisits.halfWidthPct);
  });

  it('interleaves the workloads: each round visits them in one shuffled order, not one block after another', async () => {
    const three = select({ strategies: ['dense', 'compact'], threads: [1, 2], active: [0.1, 0.3, 0.7] });
    const { engines, measurements } = await sweep(1000, { chosen: three, steps: () => 5 });
    assert.equal(measurements.length, 3 * 8);
    const order = engines.opened.map(({ workload }) => workload);
    const workloads = [...new Set(order)];
    assert.equal(workloads.length, 3);
    // Each round holds every pair once; in each, the workload changes many times over.
    const perRound = 3 * 8;
    for (let round = 0; round < 3; round++) {
      const slice = order.slice(round * perRound, (round + 1) * perRound);
      const switches = slice.slice(1).filter((w, i) => w !== slice[i]).length;
      assert.ok(switches >= 8, `round ${round}: the workload changed ${switches} times in ${perRound} visits`);
    }
  });

  it('sweeps together the workloads that fit a quarter of the memory allowed, in order', () => {
    const three = select({ kernels: ['js'], batch: [4096], dims: [{ dIn: 512, dOut: 128 }], active: [0.1, 0.3, 0.7] });
    const specs = workloadSpecs(three);
    assert.deepEqual(interleavedGroups(specs, 8 * 2 ** 30).map((group) => group.length), [3]);
    // About 25 MB each: a 220 MB allowance holds two together (a quarter: 55 MB), then the third.
    assert.deepEqual(interleavedGroups(specs, 220 * 2 ** 20).map((group) => group.length), [2, 1]);
    assert.deepEqual(interleavedGroups(specs, 1).map((group) => group.length), [1, 1, 1], 'each alone when none fit');
  });
});

describe('the budget left goes to the rows it can bring to the target', () => {
  const row = (units: number[], visitMs: number) => ({ so: { unitMediansMs: units, visitMs: units.map(() => visitMs) } });
  const plan = { targetPct: 3, maxUnits: 30 };
  // About 4 % apart: a few more visits reach 3 %; 20 % apart: the cap (30) first.
  const close = row([10, 10.4, 9.6], 1000);
  const far = row([10, 12, 8], 1000);

  it('visits only the rows whose remaining visits fit, cheapest first', () => {
    assert.deepEqual(affordable([far, close], 10_000, plan), [close]);
  });

  it('visits every row when the budget fits all or none of them', () => {
    assert.deepEqual(new Set(affordable([far, close], 60_000, plan)), new Set([far, close]));
    assert.deepEqual(affordable([far, close], 500, plan), [far, close]);
  });
});
