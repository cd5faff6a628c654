/**
 * The page's account of interference (src/bench/interference.ts): a sentence for the
 * glance, and a table of the rows measured while other processes kept more than the
 * limit busy or the cgroup throttled the run, with the figure that flagged each. Read from
 * the rows' columns alone, so a page drawn from any results.csv says it.
 */
import { interferenceFlagged } from '../interference-rows.js';
import type { ResultRow } from '../../bench/rows.js';
import { escapeHtml } from './escape.js';
import { configurationLabel, hostLabel } from './labels.js';
import { part } from './part.js';

const cores = (value: unknown) => (typeof value === 'number' ? value.toFixed(2) : '-');

/** One sentence on one host's timed rows: how many were flagged and the worst figure; undefined where none was measured. */
export function interferenceSentence(rows: readonly ResultRow[]): string | undefined {
  const measured = rows.filter((r) => typeof r.interference_cores === 'number');
  if (measured.length === 0) return undefined;
  const worst = Math.max(...measured.map((r) => r.interference_cores as number));
  const limit = measured[0]!.interference_limit;
  const flagged = rows.filter(interferenceFlagged);
  if (flagged.length === 0) {
    return `No row was measured under interference: other processes kept at most ${worst.toFixed(2)} cores busy during any window (limit ${cores(limit)}).`;
  }
  const busy = flagged.filter((r) => typeof r.interference_cores === 'number' && typeof r.interference_limit === 'number' && r.interference_cores > r.interference_limit);
  const throttled = flagged.filter((r) => typeof r.throttled_periods === 'number' && r.throttled_periods > 0);
  const why = [
    ...(busy.length > 0 ? [`other processes kept up to ${worst.toFixed(2)} cores busy (limit ${cores(limit)})`] : []),
    ...(throttled.length > 0 ? [`the cgroup's CPU quota throttled ${throttled.length} of them`] : []),
  ];
  return `${flagged.length} of ${rows.length} rows were measured under interference: ${why.join('; ')}; not fit to publish, see "Measured under interference".`;
}

/** The table of flagged rows; '' when none is. */
export function interferenceSection(rows: readonly ResultRow[]): string {
  const flagged = rows.filter(interferenceFlagged);
  if (flagged.length === 0) return '';
  const header = ['configuration', 'host', 'p50 ms', 'interference_cores', 'limit', 'throttled_periods'];
  const body = flagged.map((r) => [configurationLabel(r), hostLabel(r), cores(r.p50_ms), cores(r.interference_cores), cores(r.interference_limit), String(r.throttled_periods ?? '-')]);
  const cells = (line: readonly string[], tag: 'th' | 'td') => `<tr>${line.map((cell) => `<${tag}>${escapeHtml(cell)}</${tag}>`).join('')}</tr>`;
  return part('interference', 'Measured under interference', `<p class="caption">Rows any of whose timing windows ran while other processes ` +
    'kept more than the limit of cores busy (interference_cores: the most over its windows, from /proc/stat less this run\'s own processes), or while the ' +
    'cgroup\'s CPU quota throttled the run (throttled_periods). Their times are what was measured, slowed by the rest of the machine; run.json keeps each ' +
    `window's figures (interference_windows).</p><table>${cells(header, 'th')}${body.map((line) => cells(line, 'td')).join('')}</table>`);
}
