/**
 * How an end-of-run warning names the rows it is about: the first few, each with its
 * figure, then "and N more". A warning line stays readable with a hundred rows behind it;
 * results.csv has every one.
 */
import type { ResultRow } from './rows.js';

/** Rows a warning names before it says "and N more". */
export const LISTED_ROWS = 8;

export function listRows(rows: readonly ResultRow[], label: (row: ResultRow) => string, figure: (row: ResultRow) => string): string {
  const named = rows.slice(0, LISTED_ROWS).map((row) => `${label(row)} (${figure(row)})`);
  return named.join(', ') + (rows.length > LISTED_ROWS ? ` and ${rows.length - LISTED_ROWS} more` : '');
}
