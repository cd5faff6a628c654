/**
 * The break-even active fraction: for each engine, kernel, formulation, thread count and
 * workload shape (batch, dims), the active fraction below which compact (skip the
 * inactive triplets) beats dense (multiply every triplet by its mask), interpolated
 * between the fractions the run measured, with the points it rests on; and compact's
 * speed-up at the lowest fraction measured beside what counting FLOPs predicts.
 *
 * Interpolation is linear in log(dense time / compact time) against the active fraction:
 * timing noise is multiplicative, and a ratio of 2 and one of 0.5 are equally far from 1.
 */
import type { ResultRow } from '../bench/rows.js';
import { hostLabel, timedRows } from './html/labels.js';
import { flopRatio } from '../model/flops.js';

/**
 * How compact fares across the measured fractions:
 * - `crossing`: compact wins below one fraction and loses above it (the expected shape);
 * - `noisy`: the ratio crosses 1 more than once (noise); the bracket spans the crossings;
 * - `always`: compact wins at every fraction measured;
 * - `never`: compact loses at every fraction measured;
 * - `inverted`: one crossing, but compact wins above it and loses below (not what the
 *   work predicts: most likely noise, or a kernel whose compaction costs more when sparse).
 */
export type BreakEvenStatus = 'crossing' | 'noisy' | 'always' | 'never' | 'inverted';

/** One measured fraction: the dense and compact step times of the same workload. */
export interface BreakEvenPoint {
  readonly activeFraction: number;
  readonly denseMs: number;
  readonly compactMs: number;
  /** Dense time over compact time: above 1, compact was faster. */
  readonly speedup: number;
  /** The larger rme (percent) of the two rows; null where a row has none. */
  readonly rmePct: number | null;
  /** The two rows, where the point was made from rows: what its interval and precision rest on. */
  readonly rows?: { readonly dense: ResultRow; readonly compact: ResultRow };
}

/** The break-even figures of one engine/kernel/formulation at one thread count and workload shape. */
export interface BreakEven {
  readonly host: string;
  readonly runId: string;
  readonly engine: string;
  readonly kernel: string;
  readonly formulation: string;
  readonly threads: number;
  readonly batch: number;
  /** A weak-scaling workload (results.csv scaling): its batch is threads x the triplets per thread. */
  readonly weakScaling: boolean;
  readonly dIn: number;
  readonly dOut: number;
  readonly data: string;
  /** Measured fractions, ascending. */
  readonly points: readonly BreakEvenPoint[];
  readonly status: BreakEvenStatus;
  /** How many times the ratio crosses 1 between neighbouring fractions. */
  readonly crossings: number;
  /** The interpolated fraction (crossing, inverted); null when there is none or several. */
  readonly breakEven: number | null;
  /**
   * Where the break-even lies: the two fractions a single crossing rests on; the span
   * from the first to the last crossing when noisy; [highest measured, 1] when compact
   * always wins; [0, lowest measured] when it never does.
   */
  readonly bracket: readonly [number, number];
  /** The points the figure rests on: the crossing's two, or every point. */
  readonly restsOn: readonly BreakEvenPoint[];
  /** The lowest fraction measured, and what the FLOP model predicts there. */
  readonly lowest: BreakEvenPoint;
  readonly flopModelAtLowest: number;
  /** The fraction below which the FLOP model has compact win (1: at every fraction). */
  readonly flopModelBreakEven: number;
}

/** Rows that share everything but strategy and active fraction: one break-even each. */
function groupKey(row: ResultRow): string {
  return [hostLabel(row), row.run_id, row.engine, row.kernel, row.formulation, row.threads, row.batch, row.d_in, row.d_out, row.data, row.seed].join('|');
}

/** Rows of one workload (margin or target) within a group. */
function workloadKey(row: ResultRow): string {
  return `${row.target_active ?? ''}|${row.margin ?? ''}`;
}

/** The fraction a dense/compact pair was measured at: the measured one, else the target. */
function fractionOf(row: ResultRow): number | undefined {
  if (typeof row.active_fraction === 'number') return row.active_fraction;
  return typeof row.target_active === 'number' ? row.target_active : undefined;
}

/**
 * The active fraction in [0, 1] below which the FLOP model has compact do less work than
 * dense, found by bisection so that any model flopRatio implements is solved the same way.
 */
export function flopModelBreakEven(formulation: string): number {
  if (flopRatio(formulation, 1) >= 1) return 1;
  if (flopRatio(formulation, 0) <= 1) return 0;
  let low = 0;
  let high = 1;
  for (let i = 0; i < 50; i++) {
    const mid = (low + high) / 2;
    if (flopRatio(formulation, mid) > 1) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** Where log(speedup) is zero on the segment between two points. */
function interpolate(a: BreakEvenPoint, b: BreakEvenPoint): number {
  const la = Math.log(a.speedup);
  const lb = Math.log(b.speedup);
  return a.activeFraction + ((b.activeFraction - a.activeFraction) * la) / (la - lb);
}

/**
 * Where compact first stops winning as the fraction rises: the interpolated first
 * win-to-loss crossing when compact wins at the lowest fraction; null when it loses there
 * or never stops winning. For a noisy group, the lower bound of its break-even.
 */
export function firstBreakEven(points: readonly BreakEvenPoint[]): number | null {
  const lowest = points[0];
  if (!lowest || !(lowest.speedup > 1)) return null;
  for (let i = 0; i + 1 < points.length; i++) {
    if (points[i + 1]!.speedup <= 1) return interpolate(points[i]!, points[i + 1]!);
  }
  return null;
}

/** The break-even figures of one group's points, ascending in fraction; undefined for none. */
export function breakEvenOf(points: readonly BreakEvenPoint[]): Pick<BreakEven, 'status' | 'crossings' | 'breakEven' | 'bracket' | 'restsOn'> | undefined {
  if (points.length === 0) return undefined;
  const wins = points.map((p) => p.speedup > 1);
  const segments: number[] = [];
  for (let i = 0; i + 1 < points.length; i++) if (wins[i] !== wins[i + 1]) segments.push(i);
  const first = points[0]!;
  const last = points.at(-1)!;
  if (segments.length === 0) {
    return wins[0]
      ? { status: 'always', crossings: 0, breakEven: null, bracket: [last.activeFraction, 1], restsOn: points }
      : { status: 'never', crossings: 0, breakEven: null, bracket: [0, first.activeFraction], restsOn: points };
  }
  if (segments.length > 1) {
    const low = points[segments[0]!]!;
    const high = points[segments.at(-1)! + 1]!;
    return { status: 'noisy', crossings: segments.length, breakEven: null, bracket: [low.activeFraction, high.activeFraction], restsOn: points };
  }
  const below = points[segments[0]!]!;
  const above = points[segments[0]! + 1]!;
  return {
    status: wins[segments[0]!] ? 'crossing' : 'inverted',
    crossings: 1,
    breakEven: interpolate(below, above),
    bracket: [below.activeFraction, above.activeFraction],
    restsOn: [below, above],
  };
}

/**
 * Every group's break-even, from the rows of one or more runs. A group needs at least one
 * fraction timed both dense and compact; groups are in the rows' order.
 */
export function breakEvens(rows: readonly ResultRow[]): BreakEven[] {
  const groups = new Map<string, ResultRow[]>();
  for (const row of timedRows(rows)) {
    if (typeof row.p50_ms !== 'number' || (row.strategy !== 'dense' && row.strategy !== 'compact')) continue;
    const key = groupKey(row);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const result: BreakEven[] = [];
  for (const members of groups.values()) {
    const points: BreakEvenPoint[] = [];
    for (const dense of members.filter((r) => r.strategy === 'dense')) {
      const compact = members.find((r) => r.strategy === 'compact' && workloadKey(r) === workloadKey(dense));
      const fraction = compact ? (fractionOf(compact) ?? fractionOf(dense)) : undefined;
      if (!compact || fraction === undefined) continue;
      const denseMs = dense.p50_ms as number;
      const compactMs = compact.p50_ms as number;
      const rmes = [dense.rme_pct, compact.rme_pct].filter((v): v is number => typeof v === 'number');
      points.push({ activeFraction: fraction, denseMs, compactMs, speedup: denseMs / compactMs, rmePct: rmes.length > 0 ? Math.max(...rmes) : null, rows: { dense, compact } });
    }
    points.sort((a, b) => a.activeFraction - b.activeFraction);
    const figures = breakEvenOf(points);
    if (!figures) continue;
    const row = members[0]!;
    const lowest = points[0]!;
    result.push({
      host: hostLabel(row),
      runId: String(row.run_id ?? ''),
      engine: row.engine,
      kernel: row.kernel,
      formulation: row.formulation,
      threads: row.threads,
      batch: row.batch,
      weakScaling: row.scaling === 'weak',
      dIn: row.d_in,
      dOut: row.d_out,
      data: String(row.data ?? ''),
      points,
      ...figures,
      lowest,
      flopModelAtLowest: flopRatio(row.formulation, lowest.activeFraction),
      flopModelBreakEven: flopModelBreakEven(row.formulation),
    });
  }
  return result;
}

const pct = (fraction: number) => `${(100 * fraction).toFixed(fraction < 0.1 ? 1 : 0)} %`;
const times = (ratio: number) => `${ratio.toFixed(2)}x`;

/** The points as "10 % (2.10x), 30 % (1.40x)": what a figure rests on, in words. */
export function pointsText(points: readonly BreakEvenPoint[]): string {
  return points.map((p) => `${pct(p.activeFraction)} (${times(p.speedup)})`).join(', ');
}

/** One group's answer in words, without its configuration: "compact wins below 62 % active (...)". */
export function breakEvenText(b: BreakEven): string {
  switch (b.status) {
    case 'crossing':
      return `compact wins below ${pct(b.breakEven!)} active (between ${pointsText(b.restsOn)})`;
    case 'inverted':
      return `compact wins only above ${pct(b.breakEven!)} active (between ${pointsText(b.restsOn)}), against the work it skips: likely noise`;
    case 'noisy':
      return `the dense/compact ratio crosses 1 ${b.crossings} times (noise): the break-even lies between ${pct(b.bracket[0])} and ${pct(b.bracket[1])} active (${pointsText(b.points)})`;
    case 'always':
      return `compact wins at every fraction measured, up to ${pct(b.bracket[0])} active (${pointsText(b.points)})`;
    case 'never':
      return `compact never wins, not even at ${pct(b.bracket[1])} active (${pointsText(b.points)})`;
  }
}
