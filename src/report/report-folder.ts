/**
 * Where `report` may write its files (REPORT_EXPORTERS: report.html, breakeven.csv, the
 * Markdown summary; issue 23, item 9). A run's folder holds the page and break-even of
 * that run's results.csv: only a report of that file alone may redraw them, never a page
 * of other results. Elsewhere, a file by one of their names that this tool did not write
 * (the user's own) is never replaced.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import { manifestsIn } from '../files/manifest.js';
import { uniqueRunId } from '../files/run-id.js';
import { sameFile } from '../files/same-file.js';
import { BREAK_EVEN_FILE } from './breakeven-csv.js';
import { RESULTS_FILE } from './csv.js';
import type { ReportExporter } from './exporter.js';
import { REPORT_EXPORTERS } from './exporters.js';
import { REPORT_FILE } from './html/report-html.js';

/**
 * The folder of a report without --out. One CSV: beside it, as `run` would have. Several:
 * a folder of their own, named like a run (time to the ms, host, pid and a random part:
 * src/files/run-id.ts), so that reports made in the same second, one after another or
 * side by side, never share one.
 */
export function defaultReportFolder(files: readonly string[], now: Date): string {
  if (files.length === 1) return dirname(files[0]!);
  return join('reports', `report-${uniqueRunId(now)}`);
}

/** Whether the file of `exporter` in `dir` was written by `report` or `run` (the exporter knows its own). */
function writtenByThisTool(dir: string, exporter: ReportExporter): boolean {
  let text: string;
  try {
    text = readFileSync(join(dir, exporter.file), 'utf8');
  } catch {
    return false;
  }
  return exporter.recognizes(text);
}

/**
 * Refuses (UsageError) to draw the page of `files` into `dir` where that would replace
 * another run's page and break-even, or a file of the user's. `what` names the folder.
 */
export function checkReportFolder(dir: string, files: readonly string[], what: string): void {
  const run = manifestsIn(dir)[0];
  if (run) {
    const ownResults = files.length === 1 && sameFile(files[0]!, join(dir, RESULTS_FILE));
    if (!ownResults) {
      throw new UsageError(
        `${what}: holds run ${run.runId} (${run.file}), whose ${REPORT_FILE} and ${BREAK_EVEN_FILE} are drawn from its own results.csv alone; ` +
          `choose another folder for a page of ${files.length === 1 ? files[0] : `these ${files.length} files`}`,
      );
    }
    return;
  }
  const foreign = REPORT_EXPORTERS.filter((exporter) => existsSync(join(dir, exporter.file)) && !writtenByThisTool(dir, exporter)).map((exporter) => exporter.file);
  if (foreign.length > 0) {
    throw new UsageError(`${what}: holds ${foreign.join(' and ')} not written by triplet-bench, which report would replace; choose another folder`);
  }
}
