/**
 * Result rows: one per configuration, with the columns of the CSV contract (docs/design.md, "The CSV contract")
 * in order, then the extra columns. Derived figures (speedup, efficiency, Karp-Flatt,
 * harness overhead) are filled from the whole set of rows, so they are recomputed each
 * time a row arrives.
 */

import { intervalColumns, NO_INTERVAL, type ScalingEvidence } from './speedup-interval.js';
import { isOverheadKernel } from '../engine-labels.js';

/** Columns of results.csv, the contract's first, in its order. */
export const CONTRACT_COLUMNS = [
  'run_id', 'engine', 'kernel', 'formulation', 'strategy', 'threads', 'batch', 'd_in', 'd_out',
  'margin', 'active_fraction', 'samples', 'mean_ms', 'p50_ms', 'p99_ms', 'sd_ms', 'rme_pct',
  'triplets_per_s', 'gflops', 'speedup', 'efficiency', 'max_rel_err', 'status', 'note',
  'host', 'cpu_model', 'logical_cpus', 'node_version',
] as const;

/** Columns after the contract's: scaling and overhead figures, and what made the row. */
export const EXTRA_COLUMNS = [
  'karp_flatt', 'harness_overhead_ms', 'harness_overhead_pct', 'straggler_ratio', 'target_active', 'data', 'seed',
  // GEMM speed on the row's shape at its threads, and the share of it the row performs (src/roofline/).
  'roofline_gflops', 'roofline_pct',
  // 95 % intervals of speedup and Karp-Flatt, and the timing windows the row rests on (src/bench/speedup-interval.ts).
  'speedup_ci_low', 'speedup_ci_high', 'karp_flatt_ci_low', 'karp_flatt_ci_high', 'windows',
  // Cores other processes kept busy (the most over the row's windows), the limit it was flagged against, cgroup throttling (src/bench/interference.ts).
  'interference_cores', 'interference_limit', 'throttled_periods',
  // 95 % interval of the step time over the row's windows, the precision asked and whether it was met (src/bench/unit-interval.ts).
  'p50_ci_low_ms', 'p50_ci_high_ms', 'precision_target_pct', 'precision_met',
  // FLOPs per byte moved, the memory roof at its threads, the roof that bounds it and its share of that bound (src/roofline/bound.ts).
  'intensity_flop_per_byte', 'memory_roof_gbps', 'bound', 'bound_pct',
  // strong (the batch shared by every thread count) or weak (batch = threads x triplets per thread; speedup is Gustafson's scaled speedup).
  'scaling',
] as const;

export const CSV_COLUMNS = [...CONTRACT_COLUMNS, ...EXTRA_COLUMNS] as const;

type Column = (typeof CSV_COLUMNS)[number];
/** A cell: number, text, or empty (null) where the figure does not apply. */
export type Cell = number | string | null;
export type ResultRow = Record<Column, Cell> & {
  status: 'ok' | 'errored' | 'skipped';
  engine: string;
  kernel: string;
  formulation: string;
  strategy: string;
  threads: number;
  batch: number;
  d_in: number;
  d_out: number;
};

/** Karp-Flatt experimentally determined serial fraction for speedup S on p > 1 threads. */
export function karpFlatt(speedup: number, threads: number): number | null {
  if (threads <= 1 || !(speedup > 0)) return null;
  return (1 / speedup - 1 / threads) / (1 - 1 / threads);
}

/**
 * The configuration a row belongs to, less its thread count: rows that scale together. A
 * weak-scaling row scales with the one-thread row of its triplets per thread (batch / T),
 * whose margin was chosen for its own batch: the target fraction, not the margin, names it.
 */
function scalingKey(row: ResultRow, batch = row.scaling === 'weak' ? row.batch / row.threads : row.batch): string {
  const margin = typeof row.target_active === 'number' ? `active ${row.target_active}` : `margin ${row.margin}`;
  return [row.engine, row.kernel, row.formulation, row.strategy, batch, row.d_in, row.d_out, margin].join('|');
}

/** Same workload and thread count: where a row finds its `empty` twin. */
function overheadKey(row: ResultRow): string {
  return [row.engine, row.batch, row.d_in, row.d_out, row.target_active, row.margin, row.threads].join('|');
}

/**
 * Fills speedup, efficiency, Karp-Flatt, their intervals and the harness overhead columns
 * in place. Speedup is throughput at T over throughput at one thread: Amdahl's speedup for
 * strong scaling (the same batch), Gustafson's scaled speedup for weak (T times the work). `evidence[i]` is what row i rests on (its windows, its engine's threads):
 * without it a row gets no interval, so no Karp-Flatt value either.
 */
export function deriveScaling(rows: ResultRow[], evidence: readonly (ScalingEvidence | undefined)[] = []): void {
  const single = new Map<string, { tripletsPerS: number; batch: number; windowsMs: readonly number[] }>();
  const overhead = new Map<string, number>();
  rows.forEach((row, i) => {
    if (row.status !== 'ok' || typeof row.triplets_per_s !== 'number') return;
    if (row.threads === 1) single.set(scalingKey(row, row.batch), { tripletsPerS: row.triplets_per_s, batch: row.batch, windowsMs: evidence[i]?.unitMediansMs ?? [] });
    if (isOverheadKernel(row.engine, row.kernel) && typeof row.p50_ms === 'number') overhead.set(overheadKey(row), row.p50_ms);
  });
  rows.forEach((row, i) => {
    const base = single.get(scalingKey(row));
    // The overhead kernel's own rows get no scaling figures: there is no work to scale. A
    // single-thread engine's neither: its speedup of 1 would be a definition, not a measurement.
    const ok = row.status === 'ok' && typeof row.triplets_per_s === 'number' && !isOverheadKernel(row.engine, row.kernel) && evidence[i]?.singleThreadEngine !== true;
    row.speedup = ok && base !== undefined ? (row.triplets_per_s as number) / base.tripletsPerS : null;
    row.efficiency = typeof row.speedup === 'number' ? row.speedup / row.threads : null;
    // The interval is over step times; a weak row's step does batch / base batch times the work, so its times count per that much work.
    const work = base ? row.batch / base.batch : 1;
    const rowMs = (evidence[i]?.unitMediansMs ?? []).map((ms) => ms / work);
    const interval = typeof row.speedup === 'number' && base ? intervalColumns(base.windowsMs, rowMs, row.threads) : NO_INTERVAL;
    row.speedup_ci_low = interval.speedup_ci_low;
    row.speedup_ci_high = interval.speedup_ci_high;
    // Karp-Flatt solves Amdahl's law, a fixed problem: a weak row's scaled speedup is not one.
    const amdahl = row.scaling !== 'weak';
    row.karp_flatt_ci_low = amdahl ? interval.karp_flatt_ci_low : null;
    row.karp_flatt_ci_high = amdahl ? interval.karp_flatt_ci_high : null;
    // Karp-Flatt magnifies the speedup's noise (at T = 2, e = 2 / S - 1): shown only where its interval supports it.
    row.karp_flatt = amdahl && typeof row.speedup === 'number' && interval.karpFlattSupported ? karpFlatt(row.speedup, row.threads) : null;
    const overheadMs = ok ? overhead.get(overheadKey(row)) : undefined;
    row.harness_overhead_ms = overheadMs ?? null;
    row.harness_overhead_pct =
      overheadMs !== undefined && typeof row.p50_ms === 'number' && row.p50_ms > 0 ? (100 * overheadMs) / row.p50_ms : null;
  });
}
