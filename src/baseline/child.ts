/**
 * The `baseline` command's timing child: started with TF_NUM_INTRAOP_THREADS set (tfjs-node
 * reads it once per process), it loads the requested tfjs backend and times, for each pair,
 * the tfjs engine's own step (src/engines/tfjs/stepper.ts, what the host times) and the plain
 * baseline program (baselines/) step by step in turn within each window, so the
 * machine's load (other processes, frequency) falls on both alike; each window gives one
 * median step per side, and which side steps first alternates between windows.
 */
import { performance } from 'node:perf_hooks';
import { BASELINES } from '../../baselines/index.js';
import { median } from '../bench/statistics.js';
import { errorMessage } from '../errors.js';
import { loadTfjs } from '../native/load-tfjs.js';
import { openTfjsStepper } from '../engines/tfjs/stepper.js';
import { maxRelativeError } from '../triplet/problem.js';
import type { BaselineReply, BaselineRequest, PairTiming } from './protocol.js';

/** Steps each side runs untimed before its first window (graph warm-up, allocator). */
const WARM_STEPS = 3;
/** Fewest steps in a window, however slow a step. */
const MIN_WINDOW_STEPS = 3;

function timed(step: () => unknown, into: number[]): void {
  const start = performance.now();
  step();
  into.push(performance.now() - start);
}

/** One window of about `windowMs`: the two steps in turn, the median step of each. */
function pairedWindow(first: () => unknown, second: () => unknown, windowMs: number): [number, number] {
  const firstMs: number[] = [];
  const secondMs: number[] = [];
  const end = performance.now() + windowMs;
  while (firstMs.length < MIN_WINDOW_STEPS || performance.now() < end) {
    timed(first, firstMs);
    timed(second, secondMs);
  }
  return [median(firstMs), median(secondMs)];
}

async function timePairs(request: BaselineRequest): Promise<PairTiming[]> {
  const tf = await loadTfjs(request.backend);
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
        // Alternate which side steps first, so neither always follows the other.
        if (w % 2 === 0) {
          const [e, b] = pairedWindow(engine.step, baseline.step, request.windowMs);
          engineMs.push(e);
          baselineMs.push(b);
        } else {
          const [b, e] = pairedWindow(baseline.step, engine.step, request.windowMs);
          engineMs.push(e);
          baselineMs.push(b);
        }
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
