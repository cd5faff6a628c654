/**
 * How sure a speedup is. A row's windows are its rounds, run minutes apart in a shuffled
 * order: the machine's load drifts between them more than it varies within one, so the
 * unit of evidence is a window, not a step. The 95 % interval of a speedup comes from a
 * bootstrap over each side's per-visit medians (resampled with replacement, the median
 * of the medians taken, the ratio formed), seeded so that the same rows give the same
 * interval. Steps within a window are not independent of each other (same load, same
 * caches), so resampling them would give an interval far narrower than a rerun shows.
 */
import { median, quantileSorted } from './statistics.js';
import { SeededRandom } from '../triplet/random.js';

/** What a row's derived figures rest on, beyond its CSV cells. */
export interface ScalingEvidence {
  /** The median step of each timing window the row pools, ms, in the order they ran. */
  readonly unitMediansMs: readonly number[];
  /** The engine runs on one thread whatever is asked (its threadCounts returns [1]): no speedup to speak of. */
  readonly singleThreadEngine: boolean;
}

/** Bootstrap resamples per interval: the 2.5 and 97.5 % quantiles settle well within 1 %. */
export const BOOTSTRAP_RESAMPLES = 2000;
/** Fewest windows on each side for an interval: one window says nothing of the drift between rounds. */
export const MIN_WINDOWS_FOR_INTERVAL = 2;
/**
 * Widest Karp-Flatt interval that still supports a value. The serial fraction is a share
 * of the work, between 0 and 1 where the model holds; an interval wider than a tenth of
 * that cannot tell a kernel that scales from one that does not, and at T = 2 a speedup
 * known only within +-5 % already spans it (e = 2 / S - 1 there). Such rows leave
 * karp_flatt empty and keep its interval, so a reader sees why.
 */
export const KARP_FLATT_MAX_SPAN = 0.1;
const BOOTSTRAP_SEED = 0x5eed_b007;

/** A 95 % interval. */
export interface Interval {
  readonly low: number;
  readonly high: number;
}

function resampledMedian(values: readonly number[], random: SeededRandom): number {
  return median(Array.from({ length: values.length }, () => values[random.integer(values.length)]!));
}

/**
 * 95 % percentile-bootstrap interval of the speedup t_1 / t_T from the windows of the
 * one-thread row (`baseMs`) and of the row (`rowMs`); null with fewer than
 * MIN_WINDOWS_FOR_INTERVAL windows on either side.
 */
export function speedupInterval(baseMs: readonly number[], rowMs: readonly number[], resamples = BOOTSTRAP_RESAMPLES): Interval | null {
  if (baseMs.length < MIN_WINDOWS_FOR_INTERVAL || rowMs.length < MIN_WINDOWS_FOR_INTERVAL) return null;
  const random = new SeededRandom(BOOTSTRAP_SEED);
  const ratios = Array.from({ length: resamples }, () => resampledMedian(baseMs, random) / resampledMedian(rowMs, random)).sort((a, b) => a - b);
  return { low: quantileSorted(ratios, 0.025), high: quantileSorted(ratios, 0.975) };
}

/** Karp-Flatt serial fraction e = (1/S - 1/p) / (1 - 1/p); p > 1. */
function serialFraction(speedup: number, threads: number): number {
  return (1 / speedup - 1 / threads) / (1 - 1 / threads);
}

/** The Karp-Flatt interval of a speedup interval: e falls as S rises, so the ends swap. */
export function karpFlattInterval(speedup: Interval, threads: number): Interval | null {
  if (threads <= 1 || !(speedup.low > 0)) return null;
  return { low: serialFraction(speedup.high, threads), high: serialFraction(speedup.low, threads) };
}

/** The interval columns of a row and whether its Karp-Flatt value stands. */
export interface IntervalColumns {
  readonly speedup_ci_low: number | null;
  readonly speedup_ci_high: number | null;
  readonly karp_flatt_ci_low: number | null;
  readonly karp_flatt_ci_high: number | null;
  /** Whether the Karp-Flatt interval is narrow enough (KARP_FLATT_MAX_SPAN) to print its value. */
  readonly karpFlattSupported: boolean;
}

/** No interval: too few windows, no one-thread row, or nothing to scale. */
export const NO_INTERVAL: IntervalColumns = { speedup_ci_low: null, speedup_ci_high: null, karp_flatt_ci_low: null, karp_flatt_ci_high: null, karpFlattSupported: false };

/** The interval columns of a row at `threads` from both sides' windows. */
export function intervalColumns(baseMs: readonly number[], rowMs: readonly number[], threads: number): IntervalColumns {
  // At one thread the speedup is 1 by definition: no interval to give.
  if (threads <= 1) return NO_INTERVAL;
  const speedup = speedupInterval(baseMs, rowMs);
  if (!speedup) return NO_INTERVAL;
  const karpFlatt = karpFlattInterval(speedup, threads);
  return {
    speedup_ci_low: speedup.low,
    speedup_ci_high: speedup.high,
    karp_flatt_ci_low: karpFlatt?.low ?? null,
    karp_flatt_ci_high: karpFlatt?.high ?? null,
    karpFlattSupported: karpFlatt !== null && karpFlatt.high - karpFlatt.low <= KARP_FLATT_MAX_SPAN,
  };
}
