import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { phaseSteps, PHASE_STEPS } from '../src/bench/phase-profile.js';
import { PHASES, summarizePhases, type Phase } from '../src/phases.js';
import { createArena } from '../src/thread-boundary/arena.js';
import { openShardedGradient } from '../src/engines/workers/engine.js';
import { requireTfjsNode } from '../src/native/load-tfjs.js';
import { openTfjsStepper } from '../src/engines/tfjs/stepper.js';
import { ENGINES_BY_NAME } from '../src/engines/index.js';
import { problemOf } from './helpers.js';
import { runInProcess } from './in-process-run.js';
import { selectionOf } from './selection-args.js';

/** How far the named phases' medians may fall short of (or exceed) the median profiled step: `other`. */
const OTHER_TOLERANCE = 0.2;
/** Extra slack, ms, for steps so short that a clock read is a visible share. */
const OTHER_SLACK_MS = 0.05;

describe('phase summaries', () => {
  it('averages each phase over the middle half of the steps, so the phases and other sum to their mean step', () => {
    const profile = summarizePhases([
      { stepMs: 10, phases: { forward: 4, backward: 3, barrier: 1 } },
      { stepMs: 30, phases: { forward: 20, backward: 5 } },
      { stepMs: 12, phases: { forward: 5, backward: 5, barrier: 2 } },
      { stepMs: 2, phases: { forward: 1 } },
      { stepMs: 11, phases: { forward: 6, backward: 4 } },
    ])!;
    assert.equal(profile.steps, 5);
    assert.equal(profile.step_ms, 11, 'the 2 ms and 30 ms steps are left out');
    assert.equal(profile.phases_ms.forward, 5);
    assert.equal(profile.phases_ms.backward, 4);
    assert.equal(profile.phases_ms.barrier, 1, 'a phase a step did not mark counts 0 there');
    assert.equal(profile.phases_ms.hinge, 0);
    assert.equal(profile.phases_ms.other, 1);
    assert.deepEqual(Object.keys(profile.phases_ms).sort(), [...PHASES].sort());
    assert.equal(summarizePhases([]), undefined);
  });

  it('profiles at most five steps a visit, one at least, within a quarter second', () => {
    assert.equal(phaseSteps(1), PHASE_STEPS);
    assert.equal(phaseSteps(100), 2);
    assert.equal(phaseSteps(3300), 1);
    assert.equal(phaseSteps(0), 1);
  });
});

describe('phases of a real small run', () => {
  // The sweep in this process (in-process-run.ts), on the product's engines (a tfjs-node
  // host per configuration): the calibration, the roofline, the memory roof and the report
  // page a `run` adds are seconds, and not what this tests. One round: a row's phases are
  // profiled after its first visit's windows only (sweep.ts), so a second round (18 more
  // visits: pools, hosts, warm-ups) profiled nothing. js, wasm and empty at 2 threads, where
  // the harness reduces over shards and dispatches to more than one; the tfjs kernel at 1 (a
  // tfjs pool loads tfjs-node in each of its threads; the tfjs kernel's phases at 2 threads
  // are checked in 'a profiled step' below), which also shows the harness's phases marked on
  // one thread (js there too added two pools and nothing the rows above and it do not show);
  // a tfjs-node host at 2 intra-op threads, compact (a host is a process loading tfjs-node:
  // its dense step's marks are checked on the stepper it runs, in 'a tfjs host's profiled
  // step' below).
  const SHAPE = ['--batch', '512', '--dims', '128x32', '--active', '0.3', '--formulations', 'fused'];
  const RUNS = [
    ['--engines', 'workers', '--kernels', 'js,wasm,empty', '--threads', '2', ...SHAPE],
    ['--engines', 'workers', '--kernels', 'tfjs', '--threads', '1', ...SHAPE],
    ['--engines', 'tfjs-node', '--strategies', 'compact', '--threads', '2', ...SHAPE],
  ];
  it('sum to the profiled step, other within 20 % of it', async () => {
    type Row = { engine: string; kernel: string; strategy: string; threads: number; status: string; p50_ms: number | null; phases_ms: Record<Phase, number> | null; phase_steps: number | null; phase_step_ms: number | null };
    const configurations: Row[] = [];
    for (const args of RUNS) {
      const { out } = await runInProcess(selectionOf(args), ENGINES_BY_NAME, { budgetMs: 30, rounds: 1 });
      configurations.push(...(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { configurations: Row[] }).configurations);
    }
    const profiled = configurations.filter((c) => c.status === 'ok');
    assert.ok(profiled.length >= 4, `${profiled.length} rows ok`);
    for (const c of profiled) {
      const name = `${c.engine}/${c.kernel} ${c.strategy} T=${c.threads}`;
      assert.ok(c.phases_ms && c.phase_steps && c.phase_step_ms, `${name}: no phases`);
      // Up to five steps, one at least, fewer where a busy machine slowed its steps past 50 ms.
      assert.ok(c.phase_steps >= 1 && c.phase_steps <= PHASE_STEPS, `${name}: ${c.phase_steps} profiled steps`);
      const sum = PHASES.reduce((s, p) => s + c.phases_ms![p], 0);
      assert.ok(Math.abs(sum - c.phase_step_ms) < 1e-9, `${name}: phases with other sum to ${sum}, the step is ${c.phase_step_ms}`);
      const other = c.phases_ms.other;
      assert.ok(Math.abs(other) <= OTHER_TOLERANCE * c.phase_step_ms + OTHER_SLACK_MS, `${name}: other ${other} ms of a ${c.phase_step_ms} ms step`);
      const kernelPhases = c.phases_ms.forward + c.phases_ms.backward + c.phases_ms.kernel;
      if (c.kernel !== 'empty') assert.ok(kernelPhases > 0, `${name}: no kernel time`);
      if (c.engine === 'workers') assert.ok(c.phases_ms.reduction > 0 && c.phases_ms.dispatch > 0, `${name}: the harness's phases`);
      else assert.equal(c.phases_ms.reduction, 0, `${name}: a host reduces inside its GEMM`);
    }
    const js = profiled.find((c) => c.kernel === 'js')!;
    assert.ok(js.phases_ms!.forward > 0 && js.phases_ms!.backward > 0 && js.phases_ms!.mask > 0, 'the js kernel marks its phases');
  });
});

/*
 * Whether the marks slow a step is a speed question, measured by `npm run bench:phase-overhead`
 * (scripts/phase-overhead.mjs), never asserted here: a timed test fails on a busy machine.
 */
describe('a profiled step', () => {
  const problem = problemOf({ batch: 1024, dIn: 128, dOut: 32 });
  for (const kernel of ['js', 'wasm', 'tfjs'] as const) {
    it(`marks phases that sum to its step, and leaves the gradient a plain step gives: workers/${kernel}, T=2`, async () => {
      const pool = await openShardedGradient(createArena(problem, 2, [kernel]), kernel, 2);
      try {
        const options = { kernel, strategy: 'compact' as const };
        const plain = await pool.step(options);
        const plainGradient = Float64Array.from(plain.gradient);
        for (let i = 0; i < 3; i++) {
          const { sample, result } = await pool.profiledStep(options);
          const sum = Object.values(sample.phases).reduce((s, ms) => s + (ms ?? 0), 0);
          assert.ok(Math.abs(sum - sample.stepMs) < 1e-6, `the phases miss the step by ${Math.abs(sum - sample.stepMs)} ms`);
          assert.ok(sample.stepMs > 0, 'a step takes time');
          assert.equal(result.loss, plain.loss, 'the same loss');
          assert.equal(result.activeCount, plain.activeCount, 'the same active triplets');
          assert.deepEqual(Float64Array.from(result.gradient), plainGradient, 'the same gradient');
        }
      } finally {
        await pool.close();
      }
    });
  }
});

describe('a tfjs host\'s profiled step (tfjs-node)', () => {
  it('marks phases that sum to its step, dense and compact', () => {
    const tf = requireTfjsNode();
    const problem = problemOf({ batch: 1024, dIn: 128, dOut: 32 });
    for (const strategy of ['dense', 'compact'] as const) {
      const stepper = openTfjsStepper(tf, { ...problem, formulation: 'fused', strategy, reduction: 'mean' });
      try {
        for (let i = 0; i < 3; i++) {
          const sample = stepper.profiledStep();
          const sum = Object.values(sample.phases).reduce((s, ms) => s + (ms ?? 0), 0);
          assert.ok(sample.stepMs > 0 && Object.keys(sample.phases).length >= 2, `${strategy}: ${JSON.stringify(sample.phases)}`);
          assert.ok(sum <= sample.stepMs + 1e-6, `${strategy}: the phases (${sum} ms) exceed the step (${sample.stepMs} ms)`);
        }
      } finally {
        stepper.dispose();
      }
    }
  });
});
