/** Writing report.html beside results.csv, atomically, so no reader sees half a page. */
import { join } from 'node:path';
import { writeFileAtomic } from '../../files/atomic.js';
import { renderReportPage, type ReportInput } from './page.js';

/** The page's file name in a run folder. */
export const REPORT_FILE = 'report.html';

/** Renders the page and writes it to `dir`/report.html; resolves to its path. */
export async function writeReportHtml(dir: string, input: ReportInput): Promise<string> {
  const path = join(dir, REPORT_FILE);
  writeFileAtomic(path, await renderReportPage(input));
  return path;
}
