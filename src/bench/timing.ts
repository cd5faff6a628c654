/**
 * Times one opened configuration with tinybench: one task = one whole gradient step.
 * tinybench runs until both its time budget and its minimum iterations are met, so the
 * minimum is sized from a measured step: slow steps get few iterations, never minutes.
 */
import { Bench } from 'tinybench';
import type { EngineSession, StepOutcome, TimingWindow } from '../engines/engine.js';

// The window is a type of the engine interface (an engine may time its own, in a child);
// said again here for the sweep, which times the others with timeSession.
export type { TimingWindow };

/** tinybench's own default minimum, kept as the ceiling for fast steps. */
const MAX_MIN_ITERATIONS = 64;
/** Steps faster than this get a tinybench warm-up too (JIT of the dispatch path). */
const FAST_STEP_MS = 20;

/** Minimum iterations for a budget, from one measured step: what fits, within [minSamples, 64]. */
export function minimumIterations(budgetMs: number, stepMs: number, minSamples = 3): number {
  const fit = Math.floor(budgetMs / Math.max(stepMs, 1e-3));
  return Math.min(MAX_MIN_ITERATIONS, Math.max(minSamples, fit));
}

/** Times `session` for about `budgetMs` (at least `minSamples` steps, default 3). */
export async function timeSession(
  session: EngineSession,
  options: { budgetMs: number; stepMs: number; minSamples?: number; signal?: AbortSignal },
): Promise<TimingWindow> {
  const stragglerRatios: number[] = [];
  let last: StepOutcome | undefined;
  const bench = new Bench({
    time: options.budgetMs,
    iterations: minimumIterations(options.budgetMs, options.stepMs, options.minSamples),
    warmup: options.stepMs < FAST_STEP_MS,
    warmupTime: Math.min(200, options.budgetMs / 10),
    warmupIterations: 1,
    retainSamples: true,
    throws: true,
    // A signal of its own per Bench: tinybench leaves its listener on the signal it gets.
    ...(options.signal ? { signal: AbortSignal.any([options.signal]) } : {}),
  });
  bench.add('step', async () => {
    const outcome = await session.step();
    last = outcome;
    if (outcome.stragglerRatio !== undefined) stragglerRatios.push(outcome.stragglerRatio);
  });
  const [task] = await bench.run();
  const result = task?.result;
  if (!result || result.state !== 'completed') throw new Error(`timing ended in state ${result?.state ?? 'unknown'}`);
  if (!last) throw new Error('timing ran no step');
  // The gradient may be a view the next step overwrites (the workers' arena): copied once, untimed.
  const lastOutcome = { loss: last.loss, activeCount: last.activeCount, gradient: Float64Array.from(last.gradient) };
  return { samplesMs: result.latency.samples ? [...result.latency.samples] : [], stragglerRatios, lastOutcome };
}
