/**
 * The end-of-run summary for the terminal: the headline table of each host (the best
 * configuration per engine and the best workers / tfjs-node ratio, each with its 95 %
 * interval; src/report/headline.ts) and the dense-versus-compact answer. Every row is in
 * results.csv and on the page; the terminal shows what the Markdown summary (src/report/summary-md.ts) shows.
 */
import type { ResultRow } from '../bench/rows.js';
import type { WindowMediansOf } from '../report/best-ratio.js';
import { headlines, headlineTable } from '../report/headline.js';
import { formatTable } from './table.js';

/** The summary text: a table per host, then its dense/compact answer. */
export function summaryText(rows: readonly ResultRow[], windowMediansOf?: WindowMediansOf): string {
  const all = headlines(rows, windowMediansOf);
  if (all.length === 0) return 'No configuration was timed.';
  return all.map((h) => {
    const { header, lines } = headlineTable(h);
    const title = all.length > 1 ? `${h.host}\n` : '';
    return `${title}${formatTable(header, lines)}\n\nDense or compact? ${h.answer.join(' ')}`;
  }).join('\n\n');
}
