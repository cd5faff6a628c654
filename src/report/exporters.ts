/**
 * The files of a run folder, by their exporters (src/report/exporter.ts), in the order
 * they are written: a new output is one module and one line here. `run` rewrites the
 * record after every configuration and draws the report once at the end; `report` draws
 * the report from any results.csv; the manifest (src/files/manifest.ts) is their files.
 */
import { breakEvenCsvExporter } from './breakeven-csv.js';
import { resultsCsvExporter } from './csv.js';
import { writeExport, type Exporter, type ReportExporter } from './exporter.js';
import { reportHtmlExporter } from './html/report-html.js';
import type { ReportInput } from './html/page.js';
import { runJsonExporter, type RunRecord } from './run-json.js';
import { summaryMdExporter } from './summary-md.js';

/**
 * The run's record, rewritten after every configuration, so an interrupted or crashed run
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

/** Every file a run writes into its folder, in the order above: the manifest run.json lists. */
export const RUN_FILES: readonly string[] = [...RECORD_EXPORTERS, ...REPORT_EXPORTERS].map((exporter) => exporter.file);

/** A file written: its exporter and its path. */
export interface Written {
  readonly exporter: ReportExporter;
  readonly path: string;
}

/**
 * Writes the report's files into `dir`, in the list's order, each atomically. The first
 * that cannot be written stops the rest, and its error is thrown; with `bestEffort` (the
 * files of a run that failed, maybe on a full disk) each is tried and one that cannot be
 * written is left out, the run's own error being the one to tell.
 */
export async function writeReports(dir: string, input: ReportInput, options: { bestEffort?: boolean } = {}): Promise<Written[]> {
  const written: Written[] = [];
  for (const exporter of REPORT_EXPORTERS) {
    try {
      written.push({ exporter, path: await writeExport(dir, exporter, input) });
    } catch (error) {
      if (!options.bestEffort) throw error;
    }
  }
  return written;
}
