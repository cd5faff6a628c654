/**
 * The version of run.json's layout and meaning, so a reader can tell a run whose figures
 * it can no longer judge. Raised when a recorded figure changes meaning, not when a field
 * or a results.csv column is added (new columns are only appended: test/versioned-outputs.test.ts);
 * CHANGELOG.md says what changed at each version.
 *
 * - 1: runs recorded before run.json carried `schema_version` (it is absent there).
 * - 2: rme_pct is the relative half-width of a 95 % t interval over the row's windows'
 *   medians (src/bench/unit-interval.ts), no longer over its steps; compare's verdicts
 *   rest on those windows.
 */

/** What `run` writes. */
export const RUN_SCHEMA_VERSION = 2;

/** The oldest run `compare` judges: before it, rme_pct and the verdicts meant something else. */
export const COMPARABLE_SCHEMA_VERSION = 2;

/**
 * run.json's `schema_version` as recorded: 1 when absent (runs before it was written), the
 * integer otherwise; undefined when present but not a positive integer.
 */
export function recordedSchemaVersion(value: unknown): number | undefined {
  if (value === undefined) return 1;
  return Number.isInteger(value) && (value as number) >= 1 ? (value as number) : undefined;
}
