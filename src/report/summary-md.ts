/**
 * The Markdown summary of a run folder (SUMMARY_FILE): the results people paste (a design
 * review, an issue, a pull request), as GitHub Markdown: the command, the machine, the
 * headline table, the dense-versus-compact answer, the verdict and the glance, every
 * figure with its 95 % interval. Written into every run folder beside report.html (by
 * `run` and `report`); `report --format md` prints it instead.
 */
import type { ReportExporter } from './exporter.js';
import { headlines, headlineTable } from './headline.js';
import { glance } from './html/glance.js';
import { runLine } from './html/first-screen.js';
import { unitMediansLookup, type ReportSource } from './html/sources.js';
import { verdict } from './verdict.js';

/** The summary's file name in a run folder. */
export const SUMMARY_FILE = 'summary.md';

/** Its title, the first line of every summary: what `report` knows its own summaries by. */
const TITLE = '# triplet-bench: ';

/** A table cell's text: pipes and line breaks would end the cell, angle brackets start HTML. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Running text: no HTML, and no line that a renderer would read as a heading or list. */
function text(value: string): string {
  return value.replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/[\r\n]+/g, ' ');
}

function table(header: readonly string[], lines: readonly (readonly string[])[]): string {
  // Figures right-aligned: triplets/s and the interval, the third and fourth columns.
  const align = header.map((_, i) => (i === 2 || i === 3 ? '--:' : '---'));
  return [header, align, ...lines].map((line, i) => `| ${(i === 1 ? line : line.map(cell)).join(' | ')} |`).join('\n');
}

/** A command line as one inline code span; backticks inside are replaced, not escaped (GitHub has no escape there). */
function commandLine(command: readonly string[]): string {
  const quoted = command.map((arg) => (/^[\w./,:=@+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`));
  return `\`triplet-bench ${quoted.join(' ').replace(/`/g, "'").replace(/[\r\n]+/g, ' ')}\``;
}

/** The Markdown text of these sources. */
export function summaryMarkdown(sources: readonly ReportSource[]): string {
  const rows = sources.flatMap((s) => s.rows);
  const windowsOf = unitMediansLookup(sources);
  const all = headlines(rows, windowsOf);
  const many = all.length > 1;
  const runs = sources.map((s) => s.runId ?? s.label).join(', ');
  const out: string[] = [`${TITLE}${text(runs)}`, '', text(runLine(sources, rows)), ''];
  const commands = sources.filter((s) => s.command);
  for (const s of commands) out.push(`Command${commands.length > 1 ? ` (${text(s.runId ?? s.label)})` : ''}: ${commandLine(s.command!)}`, '');
  if (commands.length === 0) out.push('Command: not recorded (no run.json beside the results).', '');
  out.push('## Best configuration per engine', '');
  if (all.length === 0) out.push('No configuration was timed.', '');
  for (const h of all) {
    const { header, lines } = headlineTable(h);
    if (many) out.push(`### ${text(h.host)}`, '');
    out.push(table(header, lines), '', `**Dense or compact?** ${text(h.answer.join(' '))}`, '');
  }
  out.push('Intervals are 95 %, over each row\'s timing windows (the median step of each window); ' +
    '"precision" is the half-width of a row\'s interval against the precision asked.', '');
  const findings = verdict(rows, windowsOf);
  if (findings.length > 0) {
    out.push('## Verdict', '');
    findings.forEach((f, i) => out.push(`${i + 1}. ${text(f.text)}<br><sub>${text(f.source)}</sub>`));
    out.push('');
  }
  const sentences = glance(rows, windowsOf).filter((h) => h.sentences.length > 0);
  if (sentences.length > 0) {
    out.push('## At a glance', '');
    for (const h of sentences) {
      if (many) out.push(`**${text(h.host)}**`, '');
      out.push(...h.sentences.map((s) => `- ${text(s)}`), '');
    }
  }
  out.push('Every row: results.csv; charts: report.html.', '');
  return out.join('\n');
}

/** The run folder's Markdown summary file; a file that opens with the summary's title is one of this tool's. */
export const summaryMdExporter: ReportExporter = {
  file: SUMMARY_FILE,
  label: 'summary',
  render: (input) => summaryMarkdown(input.sources),
  recognizes: (text) => text.startsWith(TITLE),
};
