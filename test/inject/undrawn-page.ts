/**
 * report.html and train.html not drawn, for the test entry's --undrawn-page
 * (entry-options.ts): a page of two lines saying so, for tests whose subject is not the
 * page (signals, stdout, folders, faults): the real report costs about 0.7 CPU-s a run and
 * a training's page about 0.3 (vega compiles and renders each chart).
 * The same file, label and recognition as the real exporter, so run.json's manifest, the
 * lines that end a command and `report`'s check of whose files a folder holds are as in a
 * run that drew it.
 */
import type { ReportExporter } from '../../src/report/exporter.js';
import { REPORT_EXPORTERS, type TrainPageExporter } from '../../src/report/exporters.js';
import { PAGE_HEADING } from '../../src/report/html/page.js';
import { reportHtmlExporter } from '../../src/report/html/report-html.js';
import { trainHtmlExporter } from '../../src/report/html/train-page.js';

/** What the stand-in page says in place of the charts. */
export const UNDRAWN_LINE = "not drawn: the test entry's --undrawn-page";

/** report.html's stand-in: the heading and one line with the count of rows it was given. */
export const undrawnPageExporter: ReportExporter = {
  ...reportHtmlExporter,
  render: (input) => `<!doctype html>\n${PAGE_HEADING}\n<p>${UNDRAWN_LINE} (${input.sources.reduce((n, source) => n + source.rows.length, 0)} rows)</p>\n`,
};

/** The report's files with the stand-in page in the real one's place. */
export const UNDRAWN_PAGE_REPORTS: readonly ReportExporter[] = REPORT_EXPORTERS.map((exporter) => (exporter === reportHtmlExporter ? undrawnPageExporter : exporter));

/** train.html's stand-in: the training page's heading and one line with the count of steps. */
export const undrawnTrainPageExporter: TrainPageExporter = {
  ...trainHtmlExporter,
  render: (input) => `<!doctype html>\n<h1>triplet-bench train</h1>\n<p>${UNDRAWN_LINE} (${input.records.length} steps)</p>\n`,
};

/** train's page, the stand-in in the real one's place. */
export const UNDRAWN_TRAIN_PAGES: readonly TrainPageExporter[] = [undrawnTrainPageExporter];
