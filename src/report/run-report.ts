/**
 * The run folder: its record (results.csv and run.json, src/report/exporters.ts), rewritten
 * atomically after every configuration, so an interrupted or crashed run leaves valid
 * files holding everything measured so far; the report (report.html, breakeven.csv, the
 * Markdown summary) is drawn from the same rows once the sweep ends or stops.
 */
import { join } from 'node:path';
import { deriveScaling, type ResultRow } from '../bench/rows.js';
import type { Measurement } from '../bench/sweep.js';
import { applyRoofline } from '../roofline/columns.js';
import { applyBound } from '../roofline/bound.js';
import type { MemoryRoof } from '../roofline/memory-roof.js';
import type { Roofline } from '../roofline/types.js';
import { RUN_OUTPUTS } from '../files/manifest.js';
import { recordFailure, writeStatusFile } from '../files/atomic.js';
import { resultsCsvExporter } from './csv.js';
import { writeExportsSync } from './exporter.js';
import { RECORD_EXPORTERS } from './exporters.js';
import type { ReportSource } from './html/sources.js';
import { runJsonDocument, runJsonExporter, type RunMetadata, type RunRecord, type RunStatus } from './run-json.js';

/** Writes the run's record (RECORD_EXPORTERS); call `save` after each configuration. */
export class RunReport {
  readonly csvPath: string;
  readonly jsonPath: string;
  private warnings: string[] = [];
  private roofline: Roofline | undefined;
  private memoryRoof: MemoryRoof | undefined;

  /** `date`: the run's wall clock (the harness's), read at each save. */
  constructor(
    readonly dir: string,
    private readonly metadata: RunMetadata,
    private readonly date: () => Date,
  ) {
    this.csvPath = join(dir, resultsCsvExporter.file);
    this.jsonPath = join(dir, runJsonExporter.file);
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

  /** Derives the scaling and roofline columns and rewrites the record's files. Returns the rows as written. */
  save(measurements: readonly Measurement[], status: RunStatus): ResultRow[] {
    const rows = this.rowsOf(measurements);
    this.writeRecord(this.record(rows, measurements, status));
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
    const failed = () => this.record(rows, measurements, 'failed', reason);
    recordFailure(
      () => this.writeRecord(failed()),
      () => writeStatusFile(this.jsonPath, runJsonDocument(failed())),
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

  /** Each file of the record, in RECORD_EXPORTERS' order; the first that cannot be written stops the rest. */
  private writeRecord(record: RunRecord): void {
    writeExportsSync(this.dir, RECORD_EXPORTERS, record);
  }

  private record(rows: readonly ResultRow[], measurements: readonly Measurement[], status: RunStatus, failure?: string): RunRecord {
    return {
      metadata: this.metadata,
      files: RUN_OUTPUTS,
      rows,
      measurements,
      status,
      ...(failure === undefined ? {} : { failure }),
      warnings: this.warnings,
      roofline: this.roofline,
      memoryRoof: this.memoryRoof,
      savedAt: this.date().toISOString(),
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
