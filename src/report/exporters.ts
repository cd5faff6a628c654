/**
 * The files of a run folder, by their exporters (src/report/exporter.ts), in the order
 * they are written: a new output is one module and one line here. `run` rewrites its
 * record after every configuration and draws its report once at the end; `report` draws
 * the report from any results.csv; `train` rewrites its record as it goes and draws its
 * page at the end. The manifests (src/files/manifest.ts) are their files.
 */
import { breakEvenCsvExporter } from './breakeven-csv.js';
import { resultsCsvExporter } from './csv.js';
import { writeExports, type Exporter, type ReportExporter, type Written } from './exporter.js';
import { reportHtmlExporter } from './html/report-html.js';
import type { ReportInput } from './html/page.js';
import { trainHtmlExporter } from './html/train-page.js';
import { runJsonExporter, type RunRecord } from './run-json.js';
import { summaryMdExporter } from './summary-md.js';
import { trainCsvExporter, trainJsonExporter, type TrainRecord } from './train-records.js';

/**
 * `run`'s record, rewritten after every configuration, so an interrupted or crashed run
 * leaves valid files holding everything measured so far. run.json comes last: its status
 * is what says how the run ended. Synchronous, since the save on a second signal runs
 * just before the process exits (src/commands/lifecycle.ts).
 */
export const RECORD_EXPORTERS: readonly Exporter<RunRecord, string>[] = [resultsCsvExporter, runJsonExporter];

/**
 * The report of the rows as saved: drawn once, after the sweep ends or stops (rendering
 * after every configuration would steal CPU from the timing windows), and by `report`.
 */
export const REPORT_EXPORTERS: readonly ReportExporter[] = [reportHtmlExporter, breakEvenCsvExporter, summaryMdExporter];

/** Every file `run` writes into its folder, in the order above: the manifest run.json lists. */
export const RUN_FILES: readonly string[] = [...RECORD_EXPORTERS, ...REPORT_EXPORTERS].map((exporter) => exporter.file);

/** `train`'s record, rewritten as it goes (at most once a second): train.csv, then train.json, its status file; synchronous. */
export const TRAIN_RECORD_EXPORTERS: readonly Exporter<TrainRecord, string>[] = [trainCsvExporter, trainJsonExporter];

/** A page of a training run (train.html): drawn from its steps, the page's title and summary. */
export type TrainPageExporter = typeof trainHtmlExporter;

/** `train`'s page, drawn once the training ends. */
export const TRAIN_PAGE_EXPORTERS: readonly TrainPageExporter[] = [trainHtmlExporter];

/** Every file `train` writes into its folder, in the order above: the manifest train.json lists. */
export const TRAIN_FILES: readonly string[] = [...TRAIN_RECORD_EXPORTERS, ...TRAIN_PAGE_EXPORTERS].map((exporter) => exporter.file);

/**
 * Writes the report's files into `dir`: `exporters` (the harness's, src/harness.ts; these
 * unless a test draws a stand-in page), in order (writeExports: the first failure stops
 * the rest unless `bestEffort`).
 */
export function writeReports(dir: string, exporters: readonly ReportExporter[], input: ReportInput, options: { bestEffort?: boolean } = {}): Promise<Written<ReportExporter>[]> {
  return writeExports(dir, exporters, input, options);
}
