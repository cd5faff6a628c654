/**
 * The interval of a row's step time over its units of evidence. A unit is one visit: one
 * open of the configuration, warmed to steady state, timing one window, the visits spread
 * over the whole run (src/bench/sweep.ts). Steps inside a window share the machine's load
 * of those seconds, and so do windows inside one open: measured here, the opens' means
 * spread 1.6 to 5.6 times more than the windows inside them predict (docs/method.md), so
 * neither steps nor windows are independent, while visits minutes apart are. Each visit
 * gives its median step; the row's 95 % interval is Student's t over the logs of those
 * medians, exponentiated: timing noise is multiplicative, and on the log scale the interval
 * never reaches below zero however few or spread the units. A t interval, not a bootstrap:
 * with 3 to 12 units a bootstrap of the median moves in steps of whole units and is too
 * narrow at n = 3.
 */
import { tCritical95 } from './statistics.js';

/** A 95 % interval of the step time from the units' medians. */
export interface UnitInterval {
  /** Units (visits) it rests on. */
  readonly units: number;
  /** Geometric mean of the units' medians, ms. */
  readonly centerMs: number;
  readonly lowMs: number;
  readonly highMs: number;
  /** Half the interval's width as a percent of its center: the figure `--precision` is checked against. */
  readonly halfWidthPct: number;
}

/** Fewest units for an interval: one visit says nothing of the variation between visits. */
export const MIN_UNITS_FOR_INTERVAL = 2;

/** Student's t interval over the logs of the units' medians; null with fewer than MIN_UNITS_FOR_INTERVAL or a median not above 0. */
export function unitInterval(unitMediansMs: readonly number[]): UnitInterval | null {
  const n = unitMediansMs.length;
  if (n < MIN_UNITS_FOR_INTERVAL || unitMediansMs.some((ms) => !(ms > 0))) return null;
  const logs = unitMediansMs.map(Math.log);
  const mean = logs.reduce((sum, x) => sum + x, 0) / n;
  const variance = logs.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (n - 1);
  const halfWidth = (tCritical95(n - 1) * Math.sqrt(variance)) / Math.sqrt(n);
  const centerMs = Math.exp(mean);
  const lowMs = Math.exp(mean - halfWidth);
  const highMs = Math.exp(mean + halfWidth);
  return { units: n, centerMs, lowMs, highMs, halfWidthPct: (100 * (highMs - lowMs)) / 2 / centerMs };
}
