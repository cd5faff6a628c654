/** report.html in a run folder: the page of the rows (./page.ts), written beside results.csv. */
import type { ReportExporter } from '../exporter.js';
import { PAGE_HEADING, renderReportPage } from './page.js';

/** The page's file name in a run folder. */
export const REPORT_FILE = 'report.html';

/** report.html; a file that carries the page's heading is one of this tool's. */
export const reportHtmlExporter: ReportExporter = {
  file: REPORT_FILE,
  label: 'report',
  render: (input) => renderReportPage(input),
  recognizes: (text) => text.includes(PAGE_HEADING),
};
