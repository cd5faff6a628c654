/**
 * Figures with their 95 % intervals in words, one way everywhere (the page, the Markdown summary,
 * the terminal): "1,234 (95 % CI 1,200-1,270)", "2.10x", and the clause that says a
 * figure rests on a row that missed the precision asked.
 */
import type { ResultRow } from '../bench/rows.js';
import type { Interval } from '../bench/speedup-interval.js';

/** 1234567 as "1,234,567". */
export const thousands = (value: number) => Math.round(value).toLocaleString('en-US');
/** A ratio as "2.10x". */
export const times = (ratio: number) => `${ratio.toFixed(2)}x`;

/** "12,300-13,100" (an open end as "or more"). */
export function thousandsInterval(interval: Interval | null): string {
  if (!interval) return 'no interval';
  return Number.isFinite(interval.high) ? `${thousands(interval.low)}-${thousands(interval.high)}` : `${thousands(interval.low)} or more`;
}

/** "1.21-1.49x". */
export function timesInterval(interval: Interval | null): string {
  return interval ? `${interval.low.toFixed(2)}-${times(interval.high)}` : 'no interval';
}

/** "met (±1.2 % of 3 %)", "missed (±4.5 %, asked 3 %)", or '-' for a row timed without a precision. */
export function precisionText(row: ResultRow): string {
  const half = typeof row.rme_pct === 'number' ? `±${row.rme_pct.toFixed(1)} %` : '±?';
  const target = typeof row.precision_target_pct === 'number' ? `${row.precision_target_pct} %` : '?';
  if (row.precision_met === 'yes') return `met (${half} of ${target})`;
  if (row.precision_met === 'no') return `missed (${half}, asked ${target})`;
  return '-';
}

/** The rows a claim rests on that missed the precision, as a clause; empty when none did. */
export function missedClause(rows: readonly ResultRow[]): string {
  const missed = [...new Set(rows.filter((r) => r.precision_met === 'no'))];
  if (missed.length === 0) return '';
  return `; ${missed.length === 1 ? 'a row' : `${missed.length} rows`} missed the ${missed[0]!.precision_target_pct ?? '?'} % precision`;
}


/** "95 % CI 1.21-1.49x", or "no interval" where none could be formed (a single visit, no visit medians). */
export function timesCi(interval: Interval | null): string {
  return interval ? `95 % CI ${timesInterval(interval)}` : 'no interval';
}

/** "95 % CI 12,300-13,100", or "no interval". */
export function thousandsCi(interval: Interval | null): string {
  return interval ? `95 % CI ${thousandsInterval(interval)}` : 'no interval';
}
