/**
 * The precision a row's figures are timed to: the relative half-width of the 95 % interval
 * of its step time over its windows (src/bench/unit-interval.ts).
 */

/** `--precision` when not given, percent. */
export const DEFAULT_PRECISION_PCT = 3;
