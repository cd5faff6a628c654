/**
 * run.json: the run's status file and its full record, rewritten with results.csv after
 * every configuration (src/report/run-report.ts): every sample behind every row, the
 * environment, the options, the roofs measured before the sweep, the warnings, and
 * `files`, the manifest of everything the run writes in its folder.
 */
import type { ResultRow } from '../bench/rows.js';
import type { Measurement } from '../bench/sweep.js';
import type { Environment } from '../environment/environment.js';
import type { MemoryRoof } from '../roofline/memory-roof.js';
import type { Roofline } from '../roofline/types.js';
import type { Exporter } from './exporter.js';
import { RUN_SCHEMA_VERSION } from './run-schema.js';

/** The status file's name in a run folder. */
export const RUN_JSON_FILE = 'run.json';

/** How a run ended, as run.json tells it. */
export type RunStatus = 'running' | 'completed' | 'interrupted' | 'failed';

/** Everything run.json records besides the rows. */
export interface RunMetadata {
  readonly run_id: string;
  readonly command: readonly string[];
  readonly options: unknown;
  readonly environment: Environment;
  readonly started_at: string;
}

/** One save of a run: what results.csv and run.json are rendered from. */
export interface RunRecord {
  readonly metadata: RunMetadata;
  /** The manifest: every file a run writes in its folder (src/files/manifest.ts). */
  readonly files: readonly string[];
  /** The rows with their derived columns, one per measurement. */
  readonly rows: readonly ResultRow[];
  readonly measurements: readonly Measurement[];
  readonly status: RunStatus;
  /** Why the run failed, where it did. */
  readonly failure?: string;
  readonly warnings: readonly string[];
  readonly roofline: Roofline | undefined;
  readonly memoryRoof: MemoryRoof | undefined;
  /** When this save was made (the run's wall clock, src/harness.ts): run.json's updated_at, and its ended_at once the run has ended. */
  readonly savedAt: string;
}

/** run.json's document; it was updated, and ended where the run has, at the save's time. */
export function runJsonDocument(record: RunRecord): object {
  const { rows, measurements, status, failure } = record;
  return {
    schema_version: RUN_SCHEMA_VERSION,
    ...record.metadata,
    // The manifest: every file a run writes in its folder, what --force may remove when a later run takes it (src/files/claim-out.ts).
    files: record.files,
    status,
    ...(failure === undefined ? {} : { failure }),
    ended_at: status === 'running' ? null : record.savedAt,
    updated_at: record.savedAt,
    warnings: record.warnings,
    roofline: record.roofline ?? null,
    memory_roof: record.memoryRoof ?? null,
    // Each visit's median (the unit every interval is over: src/bench/unit-interval.ts) beside the pooled samples
    // and what other work took of the machine while it ran (src/environment/interference.ts).
    configurations: rows.map((row, i) => ({
      ...row,
      samples_ms: measurements[i]!.samplesMs,
      unit_medians_ms: measurements[i]!.evidence.unitMediansMs,
      // Each window's median, which open it came from, and each open's warm-up to steady state (src/bench/steady-state.ts).
      window_medians_ms: measurements[i]!.windowMediansMs,
      window_visits: measurements[i]!.windowVisits,
      visits: measurements[i]!.visits,
      interference_windows: measurements[i]!.windows,
      // Where the step's time goes, ms (src/phases.ts): medians over untimed steps after the windows; null where not profiled.
      phases_ms: measurements[i]!.phases?.phases_ms ?? null,
      phase_steps: measurements[i]!.phases?.steps ?? null,
      phase_step_ms: measurements[i]!.phases?.step_ms ?? null,
    })),
  };
}

/** run.json, indented: the document that a full disk may have written without indentation instead (src/files/atomic.ts, writeStatusFile). */
export const runJsonExporter: Exporter<RunRecord, string> = {
  file: RUN_JSON_FILE,
  label: 'run',
  render: (record) => `${JSON.stringify(runJsonDocument(record), null, 2)}\n`,
};
