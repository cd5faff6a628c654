/**
 * The run folder: results.csv and run.json, both rewritten atomically after every
 * configuration, so an interrupted or crashed run leaves valid files holding everything
 * measured so far; report.html is drawn from the same rows once the sweep ends or stops.
 */
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { deriveScaling, type ResultRow } from '../bench/rows.js';
import type { Measurement } from '../bench/sweep.js';
import { applyRoofline } from '../roofline/columns.js';
import { applyBound } from '../roofline/bound.js';
import type { MemoryRoof } from '../roofline/memory-roof.js';
import type { Roofline } from '../roofline/types.js';
import { UsageError } from '../errors.js';
import { danglingLinkOn } from '../files/dangling-link.js';
import { RUN_OUTPUTS } from '../files/manifest.js';
import { recordFailure, writeFileAtomic, writeStatusFile } from '../files/atomic.js';
import { resultsCsv } from './csv.js';
import type { Environment } from '../environment/environment.js';
import type { ReportSource } from './html/sources.js';
import { RUN_SCHEMA_VERSION } from './run-schema.js';

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

/**
 * mkdir -p, one level at a time: Node's own recursive mkdirSync never returns on a path
 * under /proc (it retries ENOENT forever, seen on Node 20 and 24).
 */
function makeFolders(path: string): void {
  const missing: string[] = [];
  for (let at = path; !existsSync(at); at = dirname(at)) {
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  for (const folder of missing) mkdirSync(folder);
}

/** Checks that `dir` can hold the reports, creating it; a UsageError naming it otherwise. */
export function prepareOutputDir(dir: string): string {
  // resolve('') is the working directory: never write a run there by accident.
  if (dir.trim() === '') throw new UsageError('--out expects a folder path, got an empty string');
  const path = resolve(dir);
  if (existsSync(path) && !statSync(path).isDirectory()) throw new UsageError(`--out ${dir}: exists and is not a folder`);
  // The link's target is not created for it: a link to a disk not mounted now would have the run written onto the mount point.
  const dangling = danglingLinkOn(path);
  if (dangling) {
    const where = dangling.link === path ? 'is' : `goes through ${dangling.link}, which is`;
    throw new UsageError(`--out ${dir}: ${where} a symbolic link to ${dangling.target}, ${dangling.why}; create the folder it points to, or give another --out`);
  }
  try {
    makeFolders(path);
  } catch (error) {
    throw new UsageError(`--out ${dir}: cannot create the folder (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    accessSync(path, constants.W_OK);
  } catch {
    throw new UsageError(`--out ${dir}: folder is not writable`);
  }
  return path;
}

/** Writes the run's two files; call `save` after each configuration. */
export class RunReport {
  readonly csvPath: string;
  readonly jsonPath: string;
  private warnings: string[] = [];
  private roofline: Roofline | undefined;
  private memoryRoof: MemoryRoof | undefined;

  constructor(
    readonly dir: string,
    private readonly metadata: RunMetadata,
  ) {
    this.csvPath = join(dir, 'results.csv');
    this.jsonPath = join(dir, 'run.json');
  }

  /** Records a warning for run.json. */
  warn(message: string): void {
    this.warnings.push(message);
  }

  /** Records the roofline measured before the sweep: run.json keeps it, rows get its columns. */
  setRoofline(roofline: Roofline): void {
    this.roofline = roofline;
  }

  /** Records the memory roof measured before the sweep: run.json keeps it, rows get their bound. */
  setMemoryRoof(roof: MemoryRoof): void {
    this.memoryRoof = roof;
  }

  /** Derives the scaling and roofline columns and rewrites both files. Returns the rows as written. */
  save(measurements: readonly Measurement[], status: RunStatus): ResultRow[] {
    const rows = this.rowsOf(measurements);
    writeFileAtomic(this.csvPath, resultsCsv(rows));
    this.writeJson(rows, measurements, status);
    return rows;
  }

  /**
   * Marks the run `failed` with the reason and its end, as far as the disk allows (a full
   * disk may take only run.json, or nothing: then a line on `log` says so). Returns the
   * rows for the page.
   */
  saveFailed(measurements: readonly Measurement[], error: unknown, log: (line: string) => void): ResultRow[] {
    const rows = this.rowsOf(measurements);
    const reason = error instanceof Error ? error.message : String(error);
    recordFailure(
      () => {
        writeFileAtomic(this.csvPath, resultsCsv(rows));
        this.writeJson(rows, measurements, 'failed', reason);
      },
      () => writeStatusFile(this.jsonPath, this.jsonDocument(rows, measurements, 'failed', reason)),
      this.jsonPath,
      log,
    );
    return rows;
  }

  /** The rows as `save` would write them: copies with the scaling and roofline columns derived. */
  rowsOf(measurements: readonly Measurement[]): ResultRow[] {
    const rows = measurements.map((m) => ({ ...m.row }));
    deriveScaling(rows, measurements.map((m) => m.evidence));
    applyRoofline(rows, this.roofline);
    applyBound(rows, this.memoryRoof);
    return rows;
  }

  private writeJson(rows: readonly ResultRow[], measurements: readonly Measurement[], status: RunStatus, failure?: string): void {
    writeFileAtomic(this.jsonPath, `${JSON.stringify(this.jsonDocument(rows, measurements, status, failure), null, 2)}\n`);
  }

  private jsonDocument(rows: readonly ResultRow[], measurements: readonly Measurement[], status: RunStatus, failure?: string): object {
    return {
      schema_version: RUN_SCHEMA_VERSION,
      ...this.metadata,
      // The manifest: every file a run writes in its folder, what --force may remove when a later run takes it (src/files/claim-out.ts).
      files: RUN_OUTPUTS,
      status,
      ...(failure === undefined ? {} : { failure }),
      ended_at: status === 'running' ? null : new Date().toISOString(),
      updated_at: new Date().toISOString(),
      warnings: this.warnings,
      roofline: this.roofline ?? null,
      memory_roof: this.memoryRoof ?? null,
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

  /** The rows as saved, with this run's environment and warnings: what report.html shows; `measurements` are the rows' own (their windows). */
  source(rows: readonly ResultRow[], status: RunStatus, measurements: readonly Measurement[] = []): ReportSource {
    return {
      ...(measurements.length === rows.length ? { unitMediansMs: measurements.map((m) => m.evidence.unitMediansMs) } : {}),
      ...(measurements.length === rows.length ? { phasesMs: measurements.map((m) => m.phases?.phases_ms ?? null) } : {}),
      command: this.metadata.command,
      label: this.csvPath,
      runId: this.metadata.run_id,
      status,
      environment: this.metadata.environment as unknown as Record<string, unknown>,
      warnings: [...this.warnings],
      rows,
      ...(this.memoryRoof ? { memoryRoof: this.memoryRoof } : {}),
    };
  }
}
