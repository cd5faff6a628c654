/**
 * report.html: one self-contained page (inline CSS, inline SVG, no script, no address
 * anywhere), so it opens from disk on a machine with no network.
 */
import type { ResultRow } from '../../bench/rows.js';
import type { WindowMediansOf } from '../best-ratio.js';
import { buildCharts, type Chart } from './charts/index.js';
import { environmentLines } from './environment-table.js';
import { escapeHtml } from './escape.js';
import { glance } from './glance.js';
import { interferenceSection } from './interference-section.js';
import { phasesPart } from './phases-section.js';
import { configurationLabel, hostLabel } from './labels.js';
import { firstScreen } from './first-screen.js';
import { part } from './part.js';
import { renderSvg } from './render-svg.js';
import { verdictSection } from './verdict-section.js';
import { SINGLE_WINDOW_CAPTION, singleWindowTable } from './single-window.js';
import { memoryRoofLookup, phasesLookup, unitMediansLookup, type ReportSource } from './sources.js';

/** Everything a page shows: what every file of a report is drawn from (src/report/exporters.ts). */
export interface ReportInput {
  readonly sources: readonly ReportSource[];
  /** When the page was made, ISO 8601. */
  readonly generatedAt: string;
}

/** The heading every report.html of this tool opens with: what `report` knows its own pages by (src/report/report-folder.ts). */
export const PAGE_HEADING = '<h1>triplet-bench report</h1>';

/** The page's CSS, shared with train.html. */
export const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; margin: 0 auto; padding: 1.5em 2em 3em; max-width: 1400px; }
h1 { font-size: 1.6em; margin: 0 0 .2em; } h2 { font-size: 1.25em; margin: 2em 0 .3em; border-bottom: 1px solid #ddd; padding-bottom: .2em; }
.sub { color: #555; margin: 0 0 1em; } .caption { color: #444; max-width: 70em; margin: .2em 0 .8em; }
.banner { background: #fff4e5; border: 1px solid #f0b35b; padding: .6em 1em; border-radius: 4px; }
.glance { background: #f3f7fb; border: 1px solid #cddbe8; border-radius: 4px; padding: .6em 1.2em; }
.glance ul { margin: .3em 0; padding-left: 1.2em; }
.verdict { background: #eef7ee; border: 1px solid #b7d8b7; border-radius: 4px; padding: .6em 1.2em; margin-bottom: 1em; } .verdict .source { color: #555; font-size: 12px; } .absent { color: #777; font-style: italic; }
figure { margin: 0; overflow-x: auto; } figure svg { display: block; }
table { border-collapse: collapse; font-size: 13px; } th, td { border: 1px solid #ddd; padding: .25em .6em; text-align: left; vertical-align: top; }
th { background: #f6f6f6; } td.wrap { max-width: 60em; } nav a { margin-right: 1em; }
ul.warnings li { margin: .15em 0; }
.first-screen { margin-bottom: 1em; } .runline { margin: 0 0 .6em; font-size: 15px; } .answer p { margin: .6em 0; max-width: 80em; }
table.headline td:nth-child(3), table.headline td:nth-child(4) { text-align: right; white-space: nowrap; }
.first-screen figure { margin-top: .3em; } .first-screen h2 { font-size: 1.05em; margin: .8em 0 0; border: 0; padding: 0; } .first-screen .caption { margin: 0; font-size: 13px; }
details.part { margin: .4em 0; border-top: 1px solid #ddd; padding-top: .2em; } details.part > summary { cursor: pointer; } details.part > summary h2 { display: inline; border: 0; font-size: 1.15em; }
details.part[open] > summary { margin-bottom: .4em; }
`;

/** Past this many warnings, the list starts folded. */
const FOLD_WARNINGS_OVER = 8;

function list(items: readonly string[]): string {
  return `<ul>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
}

function table(header: readonly string[], lines: readonly (readonly string[])[]): string {
  const head = `<tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = lines.map((line) => `<tr>${line.map((cell, i) => (i === 0 ? `<th>${escapeHtml(cell)}</th>` : `<td class="wrap">${escapeHtml(cell)}</td>`)).join('')}</tr>`);
  return `<table>${head}${body.join('')}</table>`;
}

async function renderedChart(chart: Chart, onWarning: (warning: string) => void): Promise<string> {
  if (!chart.spec) return `<p class="absent">Nothing to draw: ${escapeHtml(chart.absentBecause ?? 'no rows')}.</p>`;
  const rendered = await renderSvg(chart.spec);
  for (const warning of rendered.warnings) onWarning(`${chart.id}: ${warning}`);
  return `<figure class="chart" id="chart-${chart.id}">${rendered.svg}</figure>`;
}

async function chartSection(chart: Chart, onWarning: (warning: string) => void): Promise<string> {
  return part(chart.id, chart.title, `<p class="caption">${escapeHtml(chart.caption)}</p>${await renderedChart(chart, onWarning)}`);
}

/** The first screen's chart: shown, not folded. */
async function openChartSection(chart: Chart | undefined, onWarning: (warning: string) => void): Promise<string> {
  if (!chart) return '';
  return `<section id="${chart.id}"><h2>${escapeHtml(chart.title)}</h2><p class="caption">${escapeHtml(chart.caption)}</p>${await renderedChart(chart, onWarning)}</section>`;
}

function untimedSection(rows: readonly ResultRow[]): string {
  const untimed = rows.filter((r) => r.status !== 'ok');
  if (untimed.length === 0) return '';
  // A row errored by its closing check was timed (its note says so) and is listed here too.
  return part('untimed', 'Configurations errored or not timed', table(
    ['configuration', 'host', 'status', 'why'],
    untimed.map((r) => [configurationLabel(r), hostLabel(r), r.status, String(r.note ?? '')]),
  ));
}

function singleWindowSection(rows: readonly ResultRow[]): string {
  const single = singleWindowTable(rows);
  if (!single) return '';
  return part('single-window', 'Rows resting on a single window', `<p class="caption">${escapeHtml(SINGLE_WINDOW_CAPTION)}</p>${table(single.header, single.lines)}`);
}

function bannerOf(sources: readonly ReportSource[]): string {
  const unfinished = sources.filter((s) => s.status !== null && s.status !== 'completed');
  if (unfinished.length === 0) return '';
  return unfinished
    .map((s) => `<p class="banner">Run ${escapeHtml(s.runId ?? s.label)} is <b>${escapeHtml(s.status!)}</b>: this page shows the ${s.rows.length} configurations it finished, not the whole sweep.</p>`)
    .join('');
}

function glanceSection(rows: readonly ResultRow[], windowMediansOf: WindowMediansOf): string {
  const hosts = glance(rows, windowMediansOf).filter((h) => h.sentences.length > 0);
  if (hosts.length === 0) return '';
  const blocks = hosts.map((h) => (hosts.length > 1 ? `<p><b>${escapeHtml(h.host)}</b></p>` : '') + list(h.sentences));
  return part('glance', 'At a glance', `<section class="glance">${blocks.join('')}</section>`);
}

function warningsSection(sources: readonly ReportSource[]): string {
  const withWarnings = sources.filter((s) => s.warnings.length > 0);
  const body = withWarnings.length === 0
    ? '<p>None recorded' + (sources.some((s) => s.status === null) ? ' (warnings live in run.json, which a CSV alone does not bring)' : '') + '.</p>'
    : withWarnings.map((s) => {
      const unique = [...new Set(s.warnings)];
      const items = `<ul class="warnings">${unique.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`;
      // A noisy machine can warn about every row; folded, the list does not bury the page's end.
      const summary = `${escapeHtml(s.runId ?? s.label)}: ${unique.length} warning${unique.length === 1 ? '' : 's'}`;
      return unique.length > FOLD_WARNINGS_OVER ? `<details><summary>${summary}</summary>${items}</details>` : `<p>${summary}</p>${items}`;
    }).join('');
  return part('warnings', 'Warnings', body);
}

/** The HTML text of the page; `onWarning` hears what vega-lite or vega warned of. */
export async function renderReportPage(input: ReportInput, onWarning: (warning: string) => void = () => {}): Promise<string> {
  const rows = input.sources.flatMap((s) => s.rows);
  const windowsOf = unitMediansLookup(input.sources);
  const first = firstScreen(input.sources, rows, windowsOf);
  const firstHtml = first.html(await openChartSection(first.chart, onWarning));
  const charts = buildCharts(rows, { memoryRoofOf: memoryRoofLookup(input.sources) });
  const sections: string[] = [];
  // One at a time: vega views are cheap, but the machine may be busy with another run.
  for (const chart of charts) sections.push(await chartSection(chart, onWarning));
  sections.push(await phasesPart(rows, phasesLookup(input.sources), (chart) => renderedChart(chart, onWarning)));
  const runs = input.sources.map((s) => s.runId ?? s.label);
  const nav = [...[...charts, { id: 'phases', title: 'Where the time goes' }].map((c) => `<a href="#${c.id}">${escapeHtml(c.title.split(':')[0]!)}</a>`), ...(interferenceSection(rows) ? ['<a href="#interference">Interference</a>'] : []), '<a href="#environment">Environment</a>', '<a href="#warnings">Warnings</a>'];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>triplet-bench report: ${escapeHtml(runs.join(', '))}</title>
<style>${STYLE}</style>
</head>
<body>
${PAGE_HEADING}
${bannerOf(input.sources)}
${firstHtml}
<p class="sub">Masked triplet-loss gradient, sharded over worker threads, against TensorFlow's backends; page made ${escapeHtml(input.generatedAt)}. Each part below opens on a click.</p>
<nav>${nav.join('')}</nav>
${verdictSection(rows, windowsOf)}
${glanceSection(rows, windowsOf)}
${sections.join('\n')}
${interferenceSection(rows)}
${untimedSection(rows)}
${singleWindowSection(rows)}
${part('environment', 'Environment', table(['', ...input.sources.map((s) => s.runId ?? s.label)], environmentLines(input.sources)))}
${warningsSection(input.sources)}
</body>
</html>
`;
}
