/**
 * The end-of-run warning for rows whose timing is too noisy to compare: one line for all
 * of them, noisiest first. A busy 2-core machine can have twenty such rows, and a line
 * each buried the summary (results.csv keeps each row's rme_pct).
 */
import type { ResultRow } from '../bench/rows.js';
import { listRows } from '../bench/row-list.js';

/** rme (percent) above which a row is too noisy to compare; the verdict's caution uses it too. */
export const NOISY_RME_PCT = 5;

function isNoisy(row: ResultRow): row is ResultRow & { rme_pct: number } {
  return row.status === 'ok' && typeof row.rme_pct === 'number' && row.rme_pct > NOISY_RME_PCT;
}

/** The warning, or undefined when no timed row is noisy. */
export function noisyRowsWarning(rows: readonly ResultRow[], label: (row: ResultRow) => string): string | undefined {
  const noisy = rows.filter(isNoisy).sort((a, b) => b.rme_pct - a.rme_pct);
  if (noisy.length === 0) return undefined;
  const timed = rows.filter((row) => row.status === 'ok').length;
  return `${noisy.length} of ${timed} timed rows have an rme above ${NOISY_RME_PCT} % (rme_pct): ` +
    `${listRows(noisy, label, (row) => `${(row.rme_pct as number).toFixed(1)} %`)}; ` +
    'too noisy to compare: raise --time or quiet the machine';
}
