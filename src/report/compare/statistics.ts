/**
 * Is a configuration faster or slower than before? The units are each run's timing
 * windows (their median steps): steps inside one window share its load and are not
 * independent, windows are (src/bench/unit-interval.ts). Step times are positive and their
 * changes multiplicative, so the test works on log visit medians: Welch's t-test
 * (@stdlib/stats-ttest2, unequal variances, Welch-Satterthwaite degrees of freedom) on
 * log(base) against log(current). Its confidence interval for the difference of mean logs,
 * exponentiated, is the interval for the ratio of throughputs, current over base.
 */
import { createRequire } from 'node:module';
import type ttest2Type from '@stdlib/stats-ttest2';

// Required on first use: @stdlib takes 0.15 s to load, and only compare needs it.
const require = createRequire(import.meta.url);
let ttest2: typeof ttest2Type | undefined;

/** The ratio current/base of triplets/s, its interval and the test's p-value. */
export interface ThroughputChange {
  /** Current throughput over base throughput (geometric means of the samples); 0.8 = 20 % slower. */
  readonly ratio: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  /** Two-sided p-value of Welch's t-test; 1 when both sample sets are identical. */
  readonly pValue: number;
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** Compares visit medians (ms) of base and current at confidence 1 - alpha; null with fewer than 2 each. */
export function throughputChange(baseMs: readonly number[], currentMs: readonly number[], alpha = 0.05): ThroughputChange | null {
  if (baseMs.length < 2 || currentMs.length < 2 || [...baseMs, ...currentMs].some((v) => !(v > 0))) return null;
  const x = baseMs.map(Math.log);
  const y = currentMs.map(Math.log);
  const ratio = Math.exp(mean(x) - mean(y));
  const constant = (values: number[]) => values.every((v) => v === values[0]);
  // Without spread the t statistic is 0/0: equal constants are unchanged, unequal ones certain.
  if (constant(x) && constant(y)) return { ratio, ciLow: ratio, ciHigh: ratio, pValue: x[0] === y[0] ? 1 : 0 };
  ttest2 ??= require('@stdlib/stats-ttest2') as typeof ttest2Type;
  const test = ttest2(x, y, { alpha });
  return { ratio, ciLow: Math.exp(test.ci[0]!), ciHigh: Math.exp(test.ci[1]!), pValue: test.pValue };
}
