/**
 * The page's first screen (1280 x 800): one line naming the machine and run, the headline
 * table (best configuration per engine with its interval, the best workers / tfjs-node
 * ratio with its interval), the thread-scaling chart of the headline workload, and the
 * dense-versus-compact answer in at most three sentences (src/report/headline.ts).
 * test/report-charts.test.ts (in chromium) holds these four inside the first 800 px.
 */
import type { ResultRow } from '../../bench/rows.js';
import { interferenceFlagged } from '../interference-rows.js';
import type { WindowMediansOf } from '../best-ratio.js';
import { headlines, headlineTable, type Headline } from '../headline.js';
import { headlineScalingChart } from './charts/scaling.js';
import type { Chart } from './charts/index.js';
import { escapeHtml } from './escape.js';
import { hostLabel, timedRows, workloadLabel } from './labels.js';
import type { ReportSource } from './sources.js';

/** Element ids of the four parts, for the browser test. */
export const FIRST_SCREEN_IDS = { runLine: 'run-line', headline: 'headline', scaling: 'scaling-headline', answer: 'dense-compact' } as const;

/** "vm (AMD EPYC ..., 2 logical CPUs, Node v20.20.2)" for each host of the rows. */
function machines(rows: readonly ResultRow[]): string {
  const hosts = new Map<string, ResultRow>();
  for (const row of rows) if (!hosts.has(hostLabel(row))) hosts.set(hostLabel(row), row);
  return [...hosts.values()].map((r) => `${hostLabel(r)} (${r.cpu_model ?? 'unknown CPU'}, ${r.logical_cpus ?? '?'} logical CPUs, Node ${r.node_version ?? '?'})`).join('; ');
}

/** The one line naming the machine and run, and how far to trust what follows. */
export function runLine(sources: readonly ReportSource[], rows: readonly ResultRow[]): string {
  const runs = sources.map((s) => `${s.runId ?? s.label}${s.status && s.status !== 'completed' ? ` (${s.status})` : ''}`).join(', ');
  const timed = timedRows(rows);
  const missed = timed.filter((r) => r.precision_met === 'no').length;
  const disturbed = timed.filter(interferenceFlagged).length;
  const caveats = [
    ...(missed > 0 ? [`${missed} of ${timed.length} rows missed the precision asked`] : []),
    ...(disturbed > 0 ? [`${disturbed} measured under interference`] : []),
  ];
  return `Run ${runs} on ${machines(rows)}: ${rows.length} configurations${caveats.length > 0 ? `; ${caveats.join(', ')}` : ''}.`;
}

function table(header: readonly string[], lines: readonly (readonly string[])[]): string {
  const head = `<tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = lines.map((line) => `<tr>${line.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`);
  return `<table class="headline">${head}${body.join('')}</table>`;
}

/** The host and workload the first screen's chart draws: that of the ratio's rows, else the fastest row's. */
function headlinePanel(headline: Headline): string {
  const row = headline.ratio?.workers ?? [...headline.best].sort((a, b) => (b.row.triplets_per_s as number) - (a.row.triplets_per_s as number))[0]?.row;
  if (!row) return '';
  // A weak row's batch was timed at its own thread count only: its strong twin is the batch per thread, timed at every count.
  const strong = row.scaling === 'weak' ? { ...row, batch: row.batch / row.threads, scaling: 'strong' } : row;
  return `${hostLabel(row)} · ${workloadLabel(strong)}`;
}

/** What the first screen needs rendered: its chart, and the HTML around it. */
export interface FirstScreen {
  readonly chart: Chart | undefined;
  /** The HTML, given the chart's rendered section. */
  readonly html: (chartHtml: string) => string;
}

/** The first screen of these rows; the chart is rendered by the page (renderSvg is async). */
export function firstScreen(sources: readonly ReportSource[], rows: readonly ResultRow[], windowMediansOf: WindowMediansOf): FirstScreen {
  const all = headlines(rows, windowMediansOf);
  const many = all.length > 1;
  const first = all[0];
  const chart = first ? headlineScalingChart(rows, headlinePanel(first)) : undefined;
  const tables = all.map((h) => {
    const { header, lines } = headlineTable(h);
    return `${many ? `<p><b>${escapeHtml(h.host)}</b></p>` : ''}${table(header, lines)}`;
  });
  const answers = all.map((h) => `<p><b>${many ? `${escapeHtml(h.host)}: d` : 'D'}ense or compact?</b> ${h.answer.map(escapeHtml).join(' ')}</p>`);
  return {
    chart,
    html: (chartHtml) => `<header class="first-screen">
<p class="runline" id="${FIRST_SCREEN_IDS.runLine}">${escapeHtml(runLine(sources, rows))}</p>
<section id="${FIRST_SCREEN_IDS.headline}">${tables.join('') || '<p class="absent">No configuration was timed.</p>'}</section>
<section class="answer" id="${FIRST_SCREEN_IDS.answer}">${answers.join('')}</section>
${chartHtml}
</header>`,
  };
}
