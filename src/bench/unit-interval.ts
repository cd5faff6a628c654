/**
 * The interval of a row's step time over its units of evidence. A unit is one timing
 * window: its steps share the machine's load of those seconds, so they are not independent
 * of each other, while windows spaced in time are (README, "How a run decides how long to
 * time"). Each window gives its median step; the row's 95 % interval is Student's t over
 * those medians. A t interval, not a bootstrap: with 3 to 12 units a bootstrap of the
 * median moves in steps of whole units and is too narrow at n = 3.
 */
import { tCritical95 } from './statistics.js';

/** A 95 % interval of the step time from the window medians. */
export interface UnitInterval {
  /** Units (windows) it rests on. */
  readonly units: number;
  /** Mean of the window medians, ms. */
  readonly centerMs: number;
  readonly lowMs: number;
  readonly highMs: number;
  /** Half-width as a percent of the center: the figure `--precision` is checked against. */
  readonly halfWidthPct: number;
}

/** Fewest units for an interval: one window says nothing of the variation between windows. */
export const MIN_UNITS_FOR_INTERVAL = 2;

/** Student's t interval over the units' medians; null with fewer than MIN_UNITS_FOR_INTERVAL. */
export function unitInterval(unitMediansMs: readonly number[]): UnitInterval | null {
  const n = unitMediansMs.length;
  if (n < MIN_UNITS_FOR_INTERVAL) return null;
  const mean = unitMediansMs.reduce((sum, x) => sum + x, 0) / n;
  const variance = unitMediansMs.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (n - 1);
  const halfWidth = (tCritical95(n - 1) * Math.sqrt(variance)) / Math.sqrt(n);
  return { units: n, centerMs: mean, lowMs: mean - halfWidth, highMs: mean + halfWidth, halfWidthPct: mean > 0 ? (100 * halfWidth) / mean : Number.NaN };
}
