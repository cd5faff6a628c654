/**
 * The run folder: results.csv and run.json, both rewritten atomically after every
 * configuration, so an interrupted or crashed run leaves valid files holding everything
 * measured so far; report.html is drawn from the same rows once the sweep ends or stops.
 */
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { deriveScaling, type ResultRow } from '../bench/rows.js';
import type { Measurement } from '../bench/sweep.js';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from './atomic.js';
import { resultsCsv } from './csv.js';
import type { Environment } from './environment.js';
import type { ReportSource } from './html/sources.js';

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

/** A sortable, file-name-safe id: 2026-11-28T16-05-09Z. */
export function timestampId(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
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

  /** Derives the scaling columns and rewrites both files. Returns the rows as written. */
  save(measurements: readonly Measurement[], status: RunStatus): ResultRow[] {
    const rows = measurements.map((m) => ({ ...m.row }));
    deriveScaling(rows);
    writeFileAtomic(this.csvPath, resultsCsv(rows));
    const runJson = {
      ...this.metadata,
      status,
      ended_at: status === 'running' ? null : new Date().toISOString(),
      updated_at: new Date().toISOString(),
      warnings: this.warnings,
      configurations: rows.map((row, i) => ({ ...row, samples_ms: measurements[i]!.samplesMs })),
    };
    writeFileAtomic(this.jsonPath, `${JSON.stringify(runJson, null, 2)}\n`);
    return rows;
  }

  /** The rows as saved, with this run's environment and warnings: what report.html shows. */
  source(rows: readonly ResultRow[], status: RunStatus): ReportSource {
    return {
      label: this.csvPath,
      runId: this.metadata.run_id,
      status,
      environment: this.metadata.environment as unknown as Record<string, unknown>,
      warnings: [...this.warnings],
      rows,
    };
  }
}
