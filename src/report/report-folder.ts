/**
 * Where `report` may write its report.html and breakeven.csv (issue 23, item 9). A run's
 * folder holds the page and break-even of that run's results.csv: only a report of that
 * file alone may redraw them, never a page of other results. Elsewhere, a report.html or
 * breakeven.csv that this tool did not write (the user's own) is never replaced.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import { manifestsIn } from '../files/manifest.js';
import { uniqueRunId } from '../files/run-id.js';
import { sameFile } from '../files/same-file.js';
import { BREAK_EVEN_COLUMNS, BREAK_EVEN_FILE } from './breakeven-csv.js';
import { REPORT_FILE } from './html/write.js';
import { SUMMARY_FILE } from './summary-file.js';

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

/** The heading every report.html of this tool carries (src/report/html/page.ts). */
const PAGE_MARK = '<h1>triplet-bench report</h1>';

/** Whether the file at `path` was written by `report` or `run`: a page with our heading, a break-even with our header. */
function writtenByThisTool(path: string, name: string): boolean {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return false;
  }
  if (name === REPORT_FILE) return text.includes(PAGE_MARK);
  // The Markdown summary opens with its title (src/report/summary-md.ts).
  if (name === SUMMARY_FILE) return text.startsWith('# triplet-bench: ');
  // Its first columns and the break_even column: files of versions with other columns still count.
  const [header = ''] = text.split('\n', 1);
  const columns = header.replace(/"/g, '').trim().split(',');
  return BREAK_EVEN_COLUMNS.slice(0, 4).every((column, i) => columns[i] === column) && columns.includes('break_even');
}

/**
 * Refuses (UsageError) to draw the page of `files` into `dir` where that would replace
 * another run's page and break-even, or a file of the user's. `what` names the folder.
 */
export function checkReportFolder(dir: string, files: readonly string[], what: string): void {
  const run = manifestsIn(dir)[0];
  if (run) {
    const ownResults = files.length === 1 && sameFile(files[0]!, join(dir, 'results.csv'));
    if (!ownResults) {
      throw new UsageError(
        `${what}: holds run ${run.runId} (${run.file}), whose ${REPORT_FILE} and ${BREAK_EVEN_FILE} are drawn from its own results.csv alone; ` +
          `choose another folder for a page of ${files.length === 1 ? files[0] : `these ${files.length} files`}`,
      );
    }
    return;
  }
  const foreign = [REPORT_FILE, BREAK_EVEN_FILE, SUMMARY_FILE].filter((name) => existsSync(join(dir, name)) && !writtenByThisTool(join(dir, name), name));
  if (foreign.length > 0) {
    throw new UsageError(`${what}: holds ${foreign.join(' and ')} not written by triplet-bench, which report would replace; choose another folder`);
  }
}
