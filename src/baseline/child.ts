/**
 * The `baseline` command's timing child: started with TF_NUM_INTRAOP_THREADS set (tfjs-node
 * reads it once per process), it loads tfjs-node and times, for each pair, the tfjs-node
 * engine's own step (src/engines/tfjs/stepper.ts, what the host times) and the plain
 * baseline program (baselines/) in alternating windows, so drift in the machine's load
 * falls on both alike.
 */
import { performance } from 'node:perf_hooks';
import { BASELINES } from '../../baselines/index.js';
import { median } from '../bench/statistics.js';
import { errorMessage } from '../errors.js';
import { loadTfjs } from '../engines/tfjs/load.js';
import { openTfjsStepper } from '../engines/tfjs/stepper.js';
import { maxRelativeError } from '../triplet/problem.js';
import type { BaselineReply, BaselineRequest, PairTiming } from './protocol.js';

/** Steps each side runs untimed before its first window (graph warm-up, allocator). */
const WARM_STEPS = 3;
/** Fewest steps in a window, however slow a step. */
const MIN_WINDOW_STEPS = 3;

/** Median step time over one window of about `windowMs`. */
function windowMedian(step: () => unknown, windowMs: number): number {
  const times: number[] = [];
  const end = performance.now() + windowMs;
  while (times.length < MIN_WINDOW_STEPS || performance.now() < end) {
    const start = performance.now();
    step();
    times.push(performance.now() - start);
  }
  return median(times);
}

async function timePairs(request: BaselineRequest): Promise<PairTiming[]> {
  const tf = await loadTfjs('tensorflow');
  const { batch, dIn, dOut } = request.shape;
  const inputs = { batch, dIn, dOut, margin: request.margin, anchors: request.anchors, positives: request.positives, negatives: request.negatives, weights: request.weights };
  const results: PairTiming[] = [];
  for (const pair of request.pairs) {
    const engine = openTfjsStepper(tf, { ...inputs, ...pair, shape: request.shape, reduction: 'mean' });
    const baseline = BASELINES[`${pair.formulation}/${pair.strategy}`]!(tf, inputs);
    try {
      const fromEngine = engine.step();
      const fromBaseline = baseline.step();
      for (let i = 1; i < WARM_STEPS; i++) {
        engine.step();
        baseline.step();
      }
      const engineMs: number[] = [];
      const baselineMs: number[] = [];
      for (let w = 0; w < request.windows; w++) {
        // Alternate which side goes first, so neither always follows the other.
        if (w % 2 === 0) engineMs.push(windowMedian(engine.step, request.windowMs));
        baselineMs.push(windowMedian(baseline.step, request.windowMs));
        if (w % 2 === 1) engineMs.push(windowMedian(engine.step, request.windowMs));
      }
      results.push({
        ...pair,
        engineMs,
        baselineMs,
        gradientRelErr: maxRelativeError(fromEngine.gradient, fromBaseline.gradient),
        engineLoss: fromEngine.loss,
        baselineLoss: fromBaseline.loss,
        engineActive: fromEngine.activeCount,
        baselineActive: fromBaseline.activeCount,
      });
    } finally {
      engine.dispose();
      baseline.dispose();
    }
  }
  return results;
}

process.once('message', (request: BaselineRequest) => {
  timePairs(request).then(
    (pairs) => process.send?.({ type: 'done', pairs } satisfies BaselineReply),
    (error: unknown) => process.send?.({ type: 'error', message: errorMessage(error) } satisfies BaselineReply),
  );
});
process.on('disconnect', () => process.exit(0));
