/**
 * Statistics of pooled step samples. A configuration is timed in several rounds, each a
 * tinybench run, so its figures come from all rounds' samples together.
 */

/** Latency statistics, in milliseconds. */
export interface LatencySummary {
  readonly samples: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Sample standard deviation. */
  readonly sdMs: number;
  /** Relative margin of error at 95 % (Student's t), percent of the mean. */
  readonly rmePct: number;
}

/** Two-sided 95 % critical values of Student's t for 1..30 degrees of freedom. */
const T_CRITICAL_95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** t critical value for `df` degrees of freedom (normal approximation past 30). */
export function tCritical95(df: number): number {
  if (df < 1) return Number.NaN;
  return T_CRITICAL_95[df - 1] ?? 1.96;
}

/** Quantile q of ascending-sorted values, linear between closest ranks. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

/** Median of numbers (NaN for none). */
export function median(values: readonly number[]): number {
  return quantileSorted([...values].sort((a, b) => a - b), 0.5);
}

/** Summary of samples in any order; at least one sample. */
export function summarize(samplesMs: readonly number[]): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = sorted.reduce((sum, x) => sum + x, 0) / n;
  const variance = n > 1 ? sorted.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (n - 1) : 0;
  const sd = Math.sqrt(variance);
  const rme = n > 1 && mean > 0 ? (100 * tCritical95(n - 1) * (sd / Math.sqrt(n))) / mean : 0;
  return {
    samples: n,
    meanMs: mean,
    p50Ms: quantileSorted(sorted, 0.5),
    p99Ms: quantileSorted(sorted, 0.99),
    sdMs: sd,
    rmePct: rme,
  };
}
