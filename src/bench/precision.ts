/**
 * The precision a row's figures are timed to: the relative half-width of the 95 % interval
 * of its step time over its visits (src/bench/unit-interval.ts). With a precision plan the
 * sweep adds visits to the rows still wider than the target until all are tight or the
 * budget is spent; this module says how many more a row needs and, where it missed, why.
 */
import { summarize, tCritical95 } from './statistics.js';
import { unitInterval } from './unit-interval.js';

/** `--precision` when not given, percent. */
export const DEFAULT_PRECISION_PCT = 3;
/** Fewest units any row rests on. */
export const MIN_UNITS = 3;
/** Most units a row takes: past 30 visits a row that still misses is noisy, and more would starve the others. */
export const MAX_UNITS = 30;

/** How a sweep decides how many visits each row gets. */
export interface PrecisionPlan {
  /** The relative half-width of the 95 % interval each row should reach, percent. */
  readonly targetPct: number;
  /** The sweep's wall-clock budget, ms, from its start: no visit starts after it is spent. */
  readonly budgetMs: number;
  /**
   * Windows timed back to back in each visit: 1 in the profiles, since windows of one open
   * vary less than opens do and add little to a unit (docs/method.md); more in the study of
   * that (scripts/unit-study.mjs).
   */
  readonly windowsPerVisit: number;
  /** Most units one row may take: a row that still misses after them is noisy, not short of time. */
  readonly maxUnits: number;
}

function coefficientOfVariation(values: readonly number[]): number {
  const { meanMs, sdMs } = summarize(values);
  return meanMs > 0 ? sdMs / meanMs : Number.POSITIVE_INFINITY;
}

/**
 * Units a row still needs to reach the target, from the spread of those it has: the
 * smallest n whose t interval at that spread is within the target (at a 4 % spread about
 * 10 units for 3 %), less what it has; 0 when it is tight or at the most units allowed.
 */
export function unitsStillNeeded(unitMediansMs: readonly number[], plan: Pick<PrecisionPlan, 'targetPct' | 'maxUnits'>): number {
  const have = unitMediansMs.length;
  if (have < MIN_UNITS) return MIN_UNITS - have;
  const interval = unitInterval(unitMediansMs)!;
  if (interval.halfWidthPct <= plan.targetPct || have >= plan.maxUnits) return 0;
  const cvPct = 100 * coefficientOfVariation(unitMediansMs);
  for (let n = have + 1; n < plan.maxUnits; n++) {
    if ((tCritical95(n - 1) * cvPct) / Math.sqrt(n) <= plan.targetPct) return n - have;
  }
  return plan.maxUnits - have;
}

/** Why a row missed the target: what the note says. */
export function missedPrecisionReason(
  row: { readonly unitMediansMs: readonly number[]; readonly budgetSpent: boolean; readonly interfered: boolean },
  plan: Pick<PrecisionPlan, 'targetPct' | 'maxUnits'>,
): string {
  const interval = unitInterval(row.unitMediansMs);
  const reached = interval ? `±${interval.halfWidthPct.toFixed(1)} %` : 'no interval';
  const reasons: string[] = [];
  if (row.interfered) reasons.push('other work on the machine during its windows (interference)');
  if (row.budgetSpent) reasons.push('the run\'s budget ended first (--budget)');
  else if (row.unitMediansMs.length >= plan.maxUnits) reasons.push(`it took the most visits a row may (${plan.maxUnits}) at a spread of ${(100 * coefficientOfVariation(row.unitMediansMs)).toFixed(1)} %`);
  if (reasons.length === 0) reasons.push(`its visits vary by ${(100 * coefficientOfVariation(row.unitMediansMs)).toFixed(1)} %`);
  return `missed the precision of ±${plan.targetPct} % (${reached} over ${row.unitMediansMs.length} visits): ${reasons.join('; ')}`;
}
