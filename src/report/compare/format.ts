/**
 * A comparison as text: an aligned table for the terminal, Markdown to paste into a pull
 * request, or JSON for scripts. Regressions come first, then improvements.
 */
import { formatTable } from '../../console/table.js';
import type { Comparison, PairResult, Verdict } from './compare.js';
import { incompleteLine } from './completeness.js';

/** Output formats of `compare`. */
export const COMPARE_FORMATS = ['table', 'markdown', 'json'] as const;
export type CompareFormat = (typeof COMPARE_FORMATS)[number];

const ORDER: Record<Verdict, number> = { regression: 0, improvement: 1, inconclusive: 2, untested: 3, unchanged: 4 };

const METHOD = "triplets/s from the geometric mean of each configuration's step samples (the CSV's come from the median step); change = current/base; 90 % CI and p from Welch's t-test on the log median step of each visit (the units; steps and windows within one visit are not independent)";

function sorted(pairs: readonly PairResult[]): PairResult[] {
  return [...pairs].sort((a, b) => ORDER[a.verdict] - ORDER[b.verdict]);
}

const percent = (ratio: number) => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)} %`;
const thousands = (value: number | null) => (value === null ? '-' : Math.round(value).toLocaleString('en-US'));
const pText = (p: number) => (p < 0.001 ? '<0.001' : p.toFixed(3));

function cells(pair: PairResult): string[] {
  const c = pair.change;
  return [
    pair.verdict,
    pair.configuration,
    thousands(pair.baseTripletsPerS),
    thousands(pair.currentTripletsPerS),
    c ? percent(c.ratio) : '-',
    c ? `${percent(c.ciLow)} .. ${percent(c.ciHigh)}` : '-',
    c ? pText(c.pValue) : pair.note,
  ];
}

const HEADER = ['verdict', 'configuration', 'base triplets/s', 'current triplets/s', 'change', '90 % CI', 'p'];

function counts(comparison: Comparison): string {
  const n = (verdict: Verdict) => comparison.pairs.filter((p) => p.verdict === verdict).length;
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return `${plural(n('regression'), 'regression')}, ${plural(n('improvement'), 'improvement')} beyond ${comparison.thresholdPct} % ` +
    `(of ${comparison.pairs.length} paired configurations; ${n('inconclusive')} inconclusive, ${comparison.added.length} added, ${comparison.removed.length} removed)`;
}

function runName(run: Comparison['base']): string {
  return `${run.runId ?? run.dir} on ${run.machine.host}`;
}

/** The incomplete-comparison line, where there is one (src/report/compare/completeness.ts). */
function incompleteLines(comparison: Comparison): string[] {
  return comparison.incomplete.length > 0 ? [incompleteLine(comparison.incomplete, comparison.allowMissing)] : [];
}

/** The aligned terminal table, with warnings and added/removed lists under it. */
export function compareTable(comparison: Comparison): string {
  const lines = [
    `base ${runName(comparison.base)} -> current ${runName(comparison.current)}: ${counts(comparison)}`,
    ...incompleteLines(comparison),
    ...comparison.warnings.map((w) => `warning: ${w}`),
    '',
    formatTable(HEADER, sorted(comparison.pairs).map(cells)),
  ];
  if (comparison.added.length > 0) lines.push('', 'added (only in current):', ...comparison.added.map((c) => `  ${c}`));
  if (comparison.removed.length > 0) lines.push('', 'removed (only in base):', ...comparison.removed.map((c) => `  ${c}`));
  lines.push('', METHOD);
  return lines.join('\n');
}

const mdCell = (text: string) => text.replace(/\|/g, '\\|');

/** Markdown for a pull request: a heading with the counts, the table, then the lists. */
export function compareMarkdown(comparison: Comparison): string {
  const lines = [
    `### triplet-bench compare: ${counts(comparison)}`,
    '',
    `Base \`${mdCell(runName(comparison.base))}\`, current \`${mdCell(runName(comparison.current))}\`. ${METHOD}; regression or improvement when the whole interval lies beyond ${comparison.thresholdPct} %, unchanged when it lies inside, inconclusive otherwise.`,
    '',
    ...incompleteLines(comparison).map((line) => `> **${comparison.allowMissing ? 'Incomplete' : 'Gate failed'}:** ${mdCell(line)}\n`),
    ...comparison.warnings.map((w) => `> **Warning:** ${mdCell(w)}\n`),
    `| ${HEADER.join(' | ')} |`,
    `|${HEADER.map((_, i) => (i >= 2 ? ' ---: ' : ' --- ')).join('|')}|`,
    ...sorted(comparison.pairs).map((pair) => {
      const row = cells(pair).map(mdCell);
      row[0] = pair.verdict === 'regression' || pair.verdict === 'improvement' ? `**${row[0]}**` : row[0]!;
      row[1] = `\`${row[1]}\``;
      return `| ${row.join(' | ')} |`;
    }),
  ];
  if (comparison.added.length > 0) lines.push('', '**Added** (only in current):', '', ...comparison.added.map((c) => `- \`${mdCell(c)}\``));
  if (comparison.removed.length > 0) lines.push('', '**Removed** (only in base):', '', ...comparison.removed.map((c) => `- \`${mdCell(c)}\``));
  return lines.join('\n');
}

/** JSON for scripts: every figure, unrounded. */
export function compareJson(comparison: Comparison): string {
  const run = (r: Comparison['base']) => ({ dir: r.dir, run_id: r.runId, ...r.machine });
  return JSON.stringify(
    {
      base: run(comparison.base),
      current: run(comparison.current),
      threshold_pct: comparison.thresholdPct,
      alpha: comparison.alpha,
      method: METHOD,
      warnings: comparison.warnings,
      incomplete: comparison.incomplete,
      allow_missing: comparison.allowMissing,
      configurations: sorted(comparison.pairs).map((p) => ({
        configuration: p.configuration,
        verdict: p.verdict,
        base_triplets_per_s: p.baseTripletsPerS,
        current_triplets_per_s: p.currentTripletsPerS,
        ratio: p.change?.ratio ?? null,
        ci_low: p.change?.ciLow ?? null,
        ci_high: p.change?.ciHigh ?? null,
        p_value: p.change?.pValue ?? null,
        note: p.note,
      })),
      added: comparison.added,
      removed: comparison.removed,
    },
    null,
    2,
  );
}

/** The comparison in the chosen format. */
export function formatComparison(comparison: Comparison, format: CompareFormat): string {
  return format === 'json' ? compareJson(comparison) : format === 'markdown' ? compareMarkdown(comparison) : compareTable(comparison);
}
