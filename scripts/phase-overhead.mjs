#!/usr/bin/env node
/**
 * Do the phase marks slow the step they time? Alternates a plain step and a profiled one,
 * step by step (so a busy machine slows both alike), for each workers kernel and for a tfjs
 * host's stepper, and prints both medians and their ratio. A benchmark, not a test: its
 * answer depends on the machine, so no test asserts it (test/phases.test.ts checks only that
 * the phases add up and the gradient is unchanged). docs/method.md, "Phases".
 *
 *   npm run build && node scripts/phase-overhead.mjs [--steps 40] [--batch 1024] [--dims 128x32] [--threads 2]
 */
import { parseArgs } from 'node:util';
import { createArena } from '../dist/src/thread-boundary/arena.js';
import { median } from '../dist/src/bench/statistics.js';
import { openShardedGradient } from '../dist/src/engines/workers/engine.js';
import { requireTfjsNode } from '../dist/src/native/load-tfjs.js';
import { openTfjsStepper } from '../dist/src/engines/tfjs/stepper.js';
import { syntheticBatch, withMargin } from '../dist/src/triplet/synthetic.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '40' },
    batch: { type: 'string', default: '1024' },
    dims: { type: 'string', default: '128x32' },
    threads: { type: 'string', default: '2' },
  },
});
const steps = Number(values.steps);
const threads = Number(values.threads);
const [dIn, dOut] = values.dims.split('x').map(Number);
const problem = withMargin(syntheticBatch({ batch: Number(values.batch), dIn, dOut }, 7), { activeFraction: 0.3 });

/** Plain and profiled steps alternated, after ten plain ones: their medians, ms. */
async function alternate(plain, profiled) {
  for (let i = 0; i < 10; i++) await plain();
  const a = [];
  const b = [];
  for (let i = 0; i < steps; i++) {
    for (const [step, times] of [[plain, a], [profiled, b]]) {
      const began = performance.now();
      await step();
      times.push(performance.now() - began);
    }
  }
  return { plainMs: median(a), profiledMs: median(b) };
}

const line = (name, { plainMs, profiledMs }) =>
  console.log(`${name.padEnd(34)} ${plainMs.toFixed(3).padStart(9)} ${profiledMs.toFixed(3).padStart(9)} ${(profiledMs / plainMs).toFixed(3).padStart(7)}`);

console.log(`B=${problem.shape.batch} ${dIn}x${dOut}, ${steps} alternations, medians in ms`);
console.log(`${'configuration'.padEnd(34)} ${'plain'.padStart(9)} ${'profiled'.padStart(9)} ${'ratio'.padStart(7)}`);
for (const kernel of ['js', 'wasm', 'tfjs']) {
  const pool = await openShardedGradient(createArena(problem, threads, [kernel]), kernel, threads);
  try {
    const options = { kernel, strategy: 'compact' };
    line(`workers/${kernel} compact T=${threads}`, await alternate(() => pool.step(options), () => pool.profiledStep(options)));
  } finally {
    await pool.close();
  }
}
const tf = requireTfjsNode();
for (const strategy of ['dense', 'compact']) {
  const stepper = openTfjsStepper(tf, { ...problem, formulation: 'fused', strategy, reduction: 'mean' });
  try {
    line(`tfjs-node fused ${strategy}`, await alternate(async () => stepper.step(), async () => stepper.profiledStep()));
  } finally {
    stepper.dispose();
  }
}
