/**
 * How the best worker-threads configuration compares with the best TensorFlow native
 * (tfjs-node) one: the ratio of their triplets/s and its 95 % interval. The interval rests
 * on each row's timing windows, the unit of evidence (src/bench/unit-interval.ts): the
 * visit medians of both rows are bootstrapped as the speedup's are
 * (src/bench/speedup-interval.ts), so drift between windows widens it and the spread of
 * steps inside one window does not.
 */
import type { ResultRow } from '../bench/rows.js';
import { speedupInterval, type Interval } from '../bench/speedup-interval.js';
import { NATIVE_ENGINE } from './html/charts/gflops.js';
import { timedRows, workloadLabel } from './html/labels.js';

/** The worker-threads engine. */
export const WORKERS_ENGINE = 'workers';

/** One side of a throughput ratio: the batch each step solves and the medians of its windows. */
export interface RatioSide {
  readonly batch: number;
  readonly unitMediansMs: readonly number[];
}

/** Where a row's visit medians are: run.json, or the measurements of the run in memory. */
export type WindowMediansOf = (row: ResultRow) => readonly number[] | undefined;

/**
 * 95 % interval of throughput(a) / throughput(b) = (B_a / t_a) / (B_b / t_b), from the
 * bootstrap of t_b / t_a over both sides' visit medians; null when either side has fewer
 * windows than an interval needs (MIN_WINDOWS_FOR_INTERVAL).
 */
export function throughputRatioInterval(a: RatioSide, b: RatioSide): Interval | null {
  const steps = speedupInterval(b.unitMediansMs, a.unitMediansMs);
  if (!steps) return null;
  const batches = a.batch / b.batch;
  return { low: steps.low * batches, high: steps.high * batches };
}

const throughput = (row: ResultRow) => row.triplets_per_s as number;

/**
 * Where no visit medians are at hand (a results.csv without its run.json), the rows' own
 * intervals over visits (p50_ci_low_ms/p50_ci_high_ms, rme_pct their half-width): on the
 * log scale the two relative half-widths add in quadrature. Null for rows written before
 * those columns, whose rme_pct counted steps, not windows.
 */
function csvRatioInterval(a: ResultRow, b: ResultRow): Interval | null {
  const halfWidth = (row: ResultRow) => (typeof row.p50_ci_low_ms === 'number' && typeof row.rme_pct === 'number' ? row.rme_pct / 100 : undefined);
  const [ha, hb] = [halfWidth(a), halfWidth(b)];
  if (ha === undefined || hb === undefined) return null;
  const ratio = throughput(a) / throughput(b);
  const spread = Math.exp(Math.hypot(ha, hb));
  return { low: ratio / spread, high: ratio * spread };
}

/**
 * 95 % interval of throughput(a) / throughput(b) for two rows: over their visit medians
 * where `windowMediansOf` knows them, else from their CSV intervals; null when neither.
 */
export function rowsRatioInterval(a: ResultRow, b: ResultRow, windowMediansOf: WindowMediansOf = () => undefined): Interval | null {
  const windowsA = windowMediansOf(a);
  const windowsB = windowMediansOf(b);
  if (windowsA && windowsB) {
    const interval = throughputRatioInterval({ batch: a.batch, unitMediansMs: windowsA }, { batch: b.batch, unitMediansMs: windowsB });
    if (interval) return interval;
  }
  return csvRatioInterval(a, b);
}

/** The best workers row against the best tfjs-node row of the same workload. */
export interface BestRatio {
  readonly workers: ResultRow;
  readonly native: ResultRow;
  /** workers triplets/s over native triplets/s. */
  readonly ratio: number;
  /** Its 95 % interval (rowsRatioInterval); null where neither windows nor CSV intervals give one. */
  readonly interval: Interval | null;
  /** Of the two rows, those that missed the precision asked (precision_met 'no'). */
  readonly missedPrecision: readonly ResultRow[];
}

function fastest(rows: readonly ResultRow[]): ResultRow | undefined {
  return rows.reduce<ResultRow | undefined>((best, r) => (!best || throughput(r) > throughput(best) ? r : best), undefined);
}

/**
 * The ratio of the fastest workers row to the fastest tfjs-node row, both of one workload
 * (batch, dims, active fraction): of the workloads timed on both engines, the one where the
 * workers ran fastest. Undefined when no workload was timed on both. Pass one host's rows.
 */
export function bestRatio(rows: readonly ResultRow[], windowMediansOf: WindowMediansOf = () => undefined): BestRatio | undefined {
  const timed = timedRows(rows);
  const workloads = new Set(timed.filter((r) => r.engine === NATIVE_ENGINE).map(workloadLabel));
  const workers = fastest(timed.filter((r) => r.engine === WORKERS_ENGINE && workloads.has(workloadLabel(r))));
  if (!workers) return undefined;
  const native = fastest(timed.filter((r) => r.engine === NATIVE_ENGINE && workloadLabel(r) === workloadLabel(workers)))!;
  return {
    workers,
    native,
    ratio: throughput(workers) / throughput(native),
    interval: rowsRatioInterval(workers, native, windowMediansOf),
    missedPrecision: [workers, native].filter((row) => row.precision_met === 'no'),
  };
}
