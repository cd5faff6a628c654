/**
 * `triplet-bench report FILE.csv [more.csv ...] [--out DIR] [--format html|md]`:
 * report.html, the Markdown summary and breakeven.csv from results files, so results gathered on
 * several servers (column `host`) make one page. Every file is read and checked before
 * anything is written, and each file is written atomically: bad input leaves no half page
 * behind. `--format md` writes nothing: it prints the Markdown summary on stdout, to paste (src/report/summary-md.ts).
 */
import { Option, type Command } from 'commander';
import { writeReports } from '../report/exporters.js';
import { sourceFromCsv } from '../report/html/sources.js';
import type { Harness } from '../harness.js';
import { distinctFiles } from '../report/distinct-files.js';
import { expandFleetFolders } from '../report/fleet.js';
import { summaryMarkdown } from '../report/summary-md.js';
import { UsageError } from '../errors.js';
import { checkReportFolder, defaultReportFolder } from '../report/report-folder.js';

interface ReportOptions {
  out?: string;
  format: 'html' | 'md';
}

async function reportCommand(given: string[], opts: ReportOptions, harness: Harness): Promise<void> {
  const files = distinctFiles(expandFleetFolders(given), (line) => console.error(`warning: ${line}`));
  const sources = files.map(sourceFromCsv);
  for (const problem of sources.flatMap((s) => s.problems ?? [])) console.error(`warning: ${problem}`);
  if (opts.format === 'md') {
    if (opts.out !== undefined) throw new UsageError('--out: --format md prints the Markdown on stdout and writes no folder; redirect it instead (> summary.md)');
    process.stdout.write(summaryMarkdown(sources));
    return;
  }
  const now = harness.date();
  const outDir = harness.files.prepare(opts.out ?? defaultReportFolder(files, now));
  checkReportFolder(outDir, files, `--out ${opts.out ?? outDir}`);
  // Every file recomputed from the rows of every source, so a merged page gets the break-even of every file's rows.
  const written = await writeReports(outDir, harness.reports, { sources, generatedAt: now.toISOString() });
  const rows = sources.reduce((n, s) => n + s.rows.length, 0);
  const drawn = `(${rows} configurations from ${files.length} file${files.length === 1 ? '' : 's'})`;
  // The first line, the page's, says what it was drawn from.
  console.error(written.map(({ exporter, path }, i) => `${exporter.label}: ${path}${i === 0 ? ` ${drawn}` : ''}`).join('\n'));
}

/** Registers `report` on the program; its default folder's name and the folder itself come from the harness. */
export function registerReport(program: Command, harness: Harness): void {
  program
    .command('report')
    .description('draw report.html and summary.md from one or more results.csv files (several servers make one page, told apart by host)')
    .argument('<files...>', 'results.csv files written by triplet-bench run, or fleet folders (every run folder inside)')
    .option('--out <dir>', 'output folder (default: the CSV\'s folder for one file, reports/report-<time>-<host>-<pid>-<random> for several; never a folder holding another run)')
    .addOption(new Option('--format <format>', 'html: write report.html, summary.md and breakeven.csv; md: print summary.md\'s Markdown on stdout, writing nothing').choices(['html', 'md']).default('html'))
    .action((files: string[], opts: ReportOptions) => reportCommand(files, opts, harness));
}
