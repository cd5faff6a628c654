/**
 * The engine-over-baseline step-time ratio from paired windows: each window pair gives
 * one ratio, and their logs (timing noise is multiplicative) give a geometric mean and a
 * Student's t 95 % interval, exponentiated back to a ratio.
 */
import { tCritical95 } from '../bench/statistics.js';

/** The ratio of step times engine / baseline (above 1: the engine is slower). */
export interface RatioEstimate {
  readonly ratio: number;
  readonly low: number;
  readonly high: number;
  readonly windows: number;
}

/** How a ratio stands against a tolerance (0.05: within 5 %). */
export type Verdict = 'within' | 'slower' | 'inconclusive';

/** Geometric mean of the paired ratios and its 95 % interval; NaN bounds with one pair. */
export function pairedRatio(engineMs: readonly number[], baselineMs: readonly number[]): RatioEstimate {
  const n = Math.min(engineMs.length, baselineMs.length);
  if (n === 0) return { ratio: Number.NaN, low: Number.NaN, high: Number.NaN, windows: 0 };
  const logs = Array.from({ length: n }, (_, i) => Math.log(engineMs[i]! / baselineMs[i]!));
  const mean = logs.reduce((sum, x) => sum + x, 0) / n;
  const sd = n > 1 ? Math.sqrt(logs.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (n - 1)) : Number.NaN;
  const half = tCritical95(n - 1) * (sd / Math.sqrt(n));
  return { ratio: Math.exp(mean), low: Math.exp(mean - half), high: Math.exp(mean + half), windows: n };
}

/** within: the whole interval at most 1 + tolerance; slower: the whole interval above it. */
export function verdict(estimate: RatioEstimate, tolerance = 0.05): Verdict {
  if (estimate.high <= 1 + tolerance) return 'within';
  if (estimate.low > 1 + tolerance) return 'slower';
  return 'inconclusive';
}
