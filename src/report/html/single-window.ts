/**
 * The rows that rest on one timing window: a configuration slower than the window gets
 * its samples in its first round and is not run again (src/bench/sweep.ts), and a run of
 * `--rounds 1` gives every row one window. Nothing then shows how the row drifts between
 * rounds, and its speedup has no interval (src/bench/speedup-interval.ts). The page lists
 * them, so that no figure of theirs is read as being as sure as the rest.
 */
import type { ResultRow } from '../../bench/rows.js';
import { configurationLabel, hostLabel } from './labels.js';

/** The section's caption. */
export const SINGLE_WINDOW_CAPTION =
  'Each of these configurations rests on the samples of a single timing window (a step slower than the window is not run again; --rounds 1 gives every row one): ' +
  'their figures show no drift between rounds, their speedup has no interval and their Karp-Flatt fraction is left empty.';

/** Header and lines of the table of single-window rows; none when every timed row has several windows. */
export function singleWindowTable(rows: readonly ResultRow[]): { header: string[]; lines: string[][] } | undefined {
  const single = rows.filter((r) => r.windows === 1);
  if (single.length === 0) return undefined;
  const fixed = (x: unknown, digits: number) => (typeof x === 'number' ? x.toFixed(digits) : '-');
  return {
    header: ['configuration', 'host', 'status', 'windows', 'samples', 'median step (ms)', 'speedup'],
    lines: single.map((r) => [configurationLabel(r), hostLabel(r), r.status, '1 (single window)', String(r.samples ?? '-'), fixed(r.p50_ms, 2), fixed(r.speedup, 2)]),
  };
}
