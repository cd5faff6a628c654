/**
 * Where a page's rows come from: a finished (or stopped) run in memory, or results.csv
 * files, each with the run.json beside it when there is one (environment, warnings).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ResultRow } from '../../bench/rows.js';
import type { WindowMediansOf } from '../best-ratio.js';
import { readResultsCsv } from '../read-results.js';
import { readRunJson } from '../read-run-json.js';
import { errorMessage } from '../../errors.js';
import { configurationLabel, hostLabel } from './labels.js';
import { PHASES, type Phase } from '../../phases.js';
import type { PhasesOf } from './charts/phases.js';
import type { MemoryRoof } from '../../roofline/memory-roof.js';

/** One run's contribution to the page. */
export interface ReportSource {
  /** How the page names it: the CSV's path, or the run folder. */
  readonly label: string;
  readonly runId: string | null;
  /** completed, interrupted, ... as run.json says; null when unknown. */
  readonly status: string | null;
  /** The environment run.json recorded; null for a CSV on its own. */
  readonly environment: Readonly<Record<string, unknown>> | null;
  readonly warnings: readonly string[];
  readonly rows: readonly ResultRow[];
  /** Why the run.json beside a CSV was not used (unreadable, another run's); also among `warnings`. */
  readonly problems?: readonly string[];
  /**
   * Each row's visit medians, ms, in the order of `rows` (null where unknown): what
   * the page's intervals over visits rest on (src/report/best-ratio.ts). Absent for a CSV alone.
   */
  readonly unitMediansMs?: readonly (readonly number[] | null)[];
  /** Each row's phases, ms (run.json `phases_ms`, src/phases.ts), in the order of `rows`; null where not profiled. */
  readonly phasesMs?: readonly (Readonly<Record<Phase, number>> | null)[];
  /** The memory roof run.json recorded (src/roofline/memory-roof.ts); absent when unknown. */
  readonly memoryRoof?: MemoryRoof;
  /** The command line that made the run (run.json's `command`, arguments after the program); absent when unknown. */
  readonly command?: readonly string[];
}

/** Each row's visit medians across sources, for the intervals over visits (src/report/best-ratio.ts). */
export function unitMediansLookup(sources: readonly Pick<ReportSource, 'rows' | 'unitMediansMs'>[]): WindowMediansOf {
  const windows = new Map<ResultRow, readonly number[]>();
  for (const source of sources) {
    source.rows.forEach((row, i) => {
      const medians = source.unitMediansMs?.[i];
      if (medians) windows.set(row, medians);
    });
  }
  return (row) => windows.get(row);
}

/** Each row's phases across sources, for the phases chart (charts/phases.ts). */
export function phasesLookup(sources: readonly Pick<ReportSource, 'rows' | 'phasesMs'>[]): PhasesOf {
  const phases = new Map<ResultRow, Readonly<Record<Phase, number>>>();
  for (const source of sources) {
    source.rows.forEach((row, i) => {
      const ms = source.phasesMs?.[i];
      if (ms) phases.set(row, ms);
    });
  }
  return (row) => phases.get(row);
}

/** A row's identity within one run: how a run.json configuration finds its CSV row. */
const rowKey = (row: ResultRow) => `${hostLabel(row)}|${configurationLabel(row)}|${row.data ?? ''}|${row.seed ?? ''}`;

/** Each row's units (one median per visit) from run.json's configurations (unit_medians_ms), matched by configuration. */
function unitMediansFrom(rows: readonly ResultRow[], configurations: readonly Record<string, unknown>[]): (readonly number[] | null)[] {
  const byKey = new Map<string, readonly number[]>();
  for (const entry of configurations) {
    const medians = entry['unit_medians_ms'];
    if (Array.isArray(medians) && medians.every((m) => typeof m === 'number' && Number.isFinite(m))) byKey.set(rowKey(entry as unknown as ResultRow), medians as number[]);
  }
  return rows.map((row) => byKey.get(rowKey(row)) ?? null);
}

/** Each row's phases from run.json's configurations (phases_ms), matched by configuration; null where absent or malformed. */
function phasesFrom(rows: readonly ResultRow[], configurations: readonly Record<string, unknown>[]): (Record<Phase, number> | null)[] {
  const byKey = new Map<string, Record<Phase, number>>();
  for (const entry of configurations) {
    const phases = entry['phases_ms'] as Record<string, unknown> | null | undefined;
    if (phases && typeof phases === 'object' && PHASES.every((p) => typeof phases[p] === 'number' && Number.isFinite(phases[p]))) {
      byKey.set(rowKey(entry as unknown as ResultRow), phases as Record<Phase, number>);
    }
  }
  return rows.map((row) => byKey.get(rowKey(row)) ?? null);
}

/** A results.csv, with what its neighbouring run.json adds when it holds the same run. */
export function sourceFromCsv(file: string): ReportSource {
  const rows = readResultsCsv(file);
  const runIds = [...new Set(rows.map((r) => r.run_id).filter((id): id is string => typeof id === 'string'))];
  const runJsonPath = join(dirname(file), 'run.json');
  let runJson = null;
  const problems: string[] = [];
  if (existsSync(runJsonPath)) {
    try {
      runJson = readRunJson(runJsonPath);
    } catch (error) {
      // A damaged run.json costs the page its environment table, not the charts; it is said.
      problems.push(`${errorMessage(error)}: not used, so the page has no environment, status or warnings of ${file}`);
      runJson = null;
    }
  }
  // A run.json of another run (a CSV copied beside it) would describe the wrong machine.
  const matches = runJson !== null && (runIds.length === 0 || (runIds.length === 1 && runIds[0] === runJson.run_id));
  if (runJson !== null && !matches) problems.push(`${runJsonPath} is of run ${runJson.run_id}, not of ${file} (${runIds.join(', ')}): not used`);
  return {
    label: file,
    runId: runIds.length === 1 ? runIds[0]! : runIds.length === 0 ? null : runIds.join(', '),
    status: matches ? runJson!.status : null,
    environment: matches ? runJson!.environment : null,
    warnings: [...problems, ...(matches ? runJson!.warnings : [])],
    rows,
    problems,
    ...(matches ? { unitMediansMs: unitMediansFrom(rows, runJson!.configurations as unknown as Record<string, unknown>[]) } : {}),
    ...(matches ? { phasesMs: phasesFrom(rows, runJson!.configurations as unknown as Record<string, unknown>[]) } : {}),
    ...(matches && runJson!.command ? { command: runJson!.command } : {}),
    ...(matches && runJson!.memory_roof ? { memoryRoof: runJson!.memory_roof } : {}),
  };
}

/** Each host's memory roof, from the first source of that host that recorded one. */
export function memoryRoofLookup(sources: readonly Pick<ReportSource, 'rows' | 'memoryRoof'>[]): (host: string) => MemoryRoof | undefined {
  const roofs = new Map<string, MemoryRoof>();
  for (const source of sources) {
    if (!source.memoryRoof) continue;
    for (const host of new Set(source.rows.map(hostLabel))) if (!roofs.has(host)) roofs.set(host, source.memoryRoof);
  }
  return (host) => roofs.get(host);
}
