/**
 * Times one opened configuration with tinybench: one task = one whole gradient step.
 * tinybench runs until both its time budget and its minimum iterations are met, so the
 * minimum is sized from a measured step: slow steps get few iterations, never minutes.
 */
import { Bench } from 'tinybench';
import type { EngineSession } from '../engines/engine.js';

/** Fewest timed steps a row may rest on. */
export const MIN_SAMPLES = 3;
/** tinybench's own default minimum, kept as the ceiling for fast steps. */
const MAX_MIN_ITERATIONS = 64;
/** Steps faster than this get a tinybench warm-up too (JIT of the dispatch path). */
const FAST_STEP_MS = 20;

/** Latency statistics of a timed configuration, in milliseconds. */
export interface Timing {
  readonly samples: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly sdMs: number;
  readonly rmePct: number;
  /** Every timed sample, sorted ascending (tinybench keeps them sorted). */
  readonly samplesMs: readonly number[];
  /** Median of each step's straggler ratio (warm-up steps included), where the engine reports one. */
  readonly stragglerRatio: number | undefined;
}

/** Minimum iterations for a budget, from one measured step. */
export function minimumIterations(budgetMs: number, stepMs: number): number {
  const fit = Math.floor(budgetMs / Math.max(stepMs, 1e-3));
  return Math.min(MAX_MIN_ITERATIONS, Math.max(MIN_SAMPLES, fit));
}

/** Median of numbers (NaN for none). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Times `session` for about `budgetMs` (at least MIN_SAMPLES steps). */
export async function timeSession(
  session: EngineSession,
  options: { budgetMs: number; stepMs: number; signal?: AbortSignal },
): Promise<Timing> {
  const stragglers: number[] = [];
  const bench = new Bench({
    time: options.budgetMs,
    iterations: minimumIterations(options.budgetMs, options.stepMs),
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
    if (outcome.stragglerRatio !== undefined) stragglers.push(outcome.stragglerRatio);
  });
  const [task] = await bench.run();
  const result = task?.result;
  if (!result || (result.state !== 'completed' && result.state !== 'aborted-with-statistics')) {
    throw new Error(`timing ended in state ${result?.state ?? 'unknown'}`);
  }
  const { latency } = result;
  return {
    samples: latency.samplesCount,
    meanMs: latency.mean,
    p50Ms: latency.p50,
    p99Ms: latency.p99,
    sdMs: latency.sd,
    rmePct: latency.rme,
    samplesMs: latency.samples ? [...latency.samples] : [],
    stragglerRatio: stragglers.length > 0 ? median(stragglers) : undefined,
  };
}
