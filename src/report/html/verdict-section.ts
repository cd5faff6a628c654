/** The verdict at the top of report.html: src/report/verdict.ts's findings, each with its source. */
import type { ResultRow } from '../../bench/rows.js';
import { verdict } from '../verdict.js';
import { escapeHtml } from './escape.js';

/** The section's HTML; empty when no kernel was timed both dense and compact. */
export function verdictSection(rows: readonly ResultRow[]): string {
  const findings = verdict(rows);
  if (findings.length === 0) return '';
  const items = findings.map((f) => `<li>${escapeHtml(f.text)}<br><span class="source">${escapeHtml(f.source)}</span></li>`);
  return `<section class="verdict" id="verdict"><b>Verdict: where skipping inactive triplets saves work</b><ol>${items.join('')}</ol></section>`;
}
