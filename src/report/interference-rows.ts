/**
 * Rows measured under interference, read back from their results.csv columns
 * (interference_cores, interference_limit, throttled_periods, written by the sweep:
 * src/bench/interference.ts): the flag every report, verdict and comparison asks, and the
 * end-of-run warnings naming the flagged rows. Functions of recorded rows alone, so they
 * work on a results.csv from any machine.
 */
import type { ResultRow } from '../bench/rows.js';
import { listRows } from '../bench/row-list.js';

/** Whether a row's columns say it was measured under interference: works on rows read back from any results.csv. */
export function interferenceFlagged(row: ResultRow): boolean {
  if (row.status !== 'ok') return false;
  const over = typeof row.interference_cores === 'number' && typeof row.interference_limit === 'number' && row.interference_cores > row.interference_limit;
  return over || (typeof row.throttled_periods === 'number' && row.throttled_periods > 0);
}

/**
 * The end-of-run warnings: one naming the rows others disturbed, with the figure, and one
 * for the rows the cgroup throttled. `label` names a row as the rest of the output does.
 */
export function interferenceWarnings(rows: readonly ResultRow[], label: (row: ResultRow) => string): string[] {
  const flagged = rows.filter(interferenceFlagged);
  const busy = flagged.filter((r) => typeof r.interference_cores === 'number' && typeof r.interference_limit === 'number' && r.interference_cores > r.interference_limit);
  const throttled = flagged.filter((r) => typeof r.throttled_periods === 'number' && r.throttled_periods > 0);
  const warnings: string[] = [];
  const list = (subset: readonly ResultRow[], figure: (r: ResultRow) => string) => listRows(subset, label, figure);
  if (busy.length > 0) {
    const worst = Math.max(...busy.map((r) => r.interference_cores as number));
    const limit = busy[0]!.interference_limit as number;
    warnings.push(`${busy.length} of ${rows.filter((r) => r.status === 'ok').length} timed rows were measured while other processes kept more than ${limit} cores busy ` +
      `(interference_cores, up to ${worst.toFixed(2)}): ${list(busy, (r) => `${(r.interference_cores as number).toFixed(2)} cores`)}; ` +
      'their times are not fit to publish: quiet the machine and rerun (--wait-quiet waits for it)');
  }
  if (throttled.length > 0) {
    warnings.push(`${throttled.length} rows were throttled by their cgroup's CPU quota (throttled_periods): ${list(throttled, (r) => `${r.throttled_periods} periods`)}; ` +
      'keep --threads within the quota (run.json environment.cgroup_cpu_quota) or raise it');
  }
  return warnings;
}
