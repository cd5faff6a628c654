/** The verdict on report.html: src/report/verdict.ts's findings, each with its source, folded below the first screen. */
import type { ResultRow } from '../../bench/rows.js';
import type { WindowMediansOf } from '../best-ratio.js';
import { verdict } from '../verdict.js';
import { escapeHtml } from './escape.js';
import { part } from './part.js';

/** The section's HTML; empty when no kernel was timed both dense and compact. */
export function verdictSection(rows: readonly ResultRow[], windowMediansOf?: WindowMediansOf): string {
  const findings = verdict(rows, windowMediansOf);
  if (findings.length === 0) return '';
  const items = findings.map((f) => `<li>${escapeHtml(f.text)}<br><span class="source">${escapeHtml(f.source)}</span></li>`);
  return part('verdict', 'Verdict: where skipping inactive triplets saves work', `<section class="verdict"><ol>${items.join('')}</ol></section>`);
}
