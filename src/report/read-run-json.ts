/**
 * Reading run.json back: the environment, warnings and status of a run, and each
 * configuration's retained samples (run-report.ts writes them as `samples_ms`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { printable, UsageError } from '../errors.js';
import type { ResultRow } from '../bench/rows.js';
import { recordedSchemaVersion } from './run-schema.js';
import type { MemoryRoof } from '../roofline/memory-roof.js';
import type { Roofline } from '../roofline/types.js';

/** What `report` and `compare` use of a run.json. */
export interface RunJson {
  /** Layout and meaning of the figures (src/report/run-schema.ts): 1 for runs recorded before the field. */
  readonly schema_version: number;
  readonly run_id: string | null;
  readonly status: string | null;
  readonly environment: Record<string, unknown> | null;
  readonly warnings: readonly string[];
  /** The command's arguments after the program, as `run` recorded them; null when absent. */
  readonly command: readonly string[] | null;
  /** Each configuration's row (as in results.csv) with its step samples in ms. */
  /** The memory roof measured before the sweep (src/roofline/memory-roof.ts); null when absent or not of that shape. */
  readonly memory_roof: MemoryRoof | null;
  /** The GEMM roofline measured before the sweep (src/roofline/measure.ts); null when absent or not of that shape. */
  readonly roofline: Roofline | null;
  readonly configurations: readonly (ResultRow & { readonly samples_ms: readonly number[]; readonly unit_medians_ms?: readonly number[] })[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses run.json text; `file` names the source in every error. */
export function parseRunJson(text: string, file: string): RunJson {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`${file}: not JSON; expected the run.json that triplet-bench run writes`);
  }
  if (!isRecord(data) || !Array.isArray(data['configurations'])) {
    throw new UsageError(`${file}: no configurations list; expected the run.json that triplet-bench run writes`);
  }
  const configurations = data['configurations'].map((entry: unknown, index) => {
    if (!isRecord(entry) || !Array.isArray(entry['samples_ms']) || !entry['samples_ms'].every((s) => typeof s === 'number' && Number.isFinite(s))) {
      throw new UsageError(`${file}: configuration ${index} has no samples_ms list of numbers; expected retained samples for every configuration`);
    }
    const units = entry['unit_medians_ms'];
    if (units !== undefined && !(Array.isArray(units) && units.every((s) => typeof s === 'number' && Number.isFinite(s) && s > 0))) {
      throw new UsageError(`${file}: configuration ${index} has a unit_medians_ms that is not a list of positive numbers`);
    }
    return entry as unknown as RunJson['configurations'][number];
  });
  const schemaVersion = recordedSchemaVersion(data['schema_version']);
  if (schemaVersion === undefined) {
    throw new UsageError(`${file}: schema_version is ${printable(JSON.stringify(data['schema_version']))}; expected a positive integer, as triplet-bench run writes`);
  }
  const warnings = Array.isArray(data['warnings']) ? data['warnings'].filter((w): w is string => typeof w === 'string') : [];
  return {
    schema_version: schemaVersion,
    run_id: typeof data['run_id'] === 'string' ? data['run_id'] : null,
    status: typeof data['status'] === 'string' ? data['status'] : null,
    environment: isRecord(data['environment']) ? data['environment'] : null,
    warnings,
    command: Array.isArray(data['command']) && data['command'].every((a) => typeof a === 'string') ? (data['command'] as string[]) : null,
    memory_roof: memoryRoofOf(data['memory_roof']),
    roofline: rooflineOf(data['roofline']),
    configurations,
  };
}

/** Reads run.json at `file`; a UsageError naming it when missing or malformed. */
export function readRunJson(file: string): RunJson {
  if (!existsSync(file)) throw new UsageError(`${file}: no such file; expected the run.json that triplet-bench run writes`);
  return parseRunJson(readFileSync(file, 'utf8'), file);
}

const isBandwidthList = (value: unknown) =>
  Array.isArray(value) && value.length > 0 && value.every((p) => isRecord(p) && typeof p['threads'] === 'number' && typeof p['gbps'] === 'number' && Number.isFinite(p['gbps']) && typeof p['array_bytes'] === 'number');

/** run.json's roofline when it has the shape run writes; anything else is dropped, not trusted. */
function rooflineOf(value: unknown): Roofline | null {
  if (!isRecord(value)) return null;
  if (value['measured'] === false && typeof value['reason'] === 'string') return value as unknown as Roofline;
  const points = value['points'];
  const valid = Array.isArray(points) && points.every((p) => isRecord(p) && ['batch', 'd_in', 'd_out', 'threads', 'gflops'].every((k) => typeof p[k] === 'number' && Number.isFinite(p[k])));
  return value['measured'] === true && valid ? (value as unknown as Roofline) : null;
}

/** run.json's memory_roof when it has the shape run writes; anything else is dropped, not trusted (the page then draws the arena roof from the rows). */
function memoryRoofOf(value: unknown): MemoryRoof | null {
  if (!isRecord(value)) return null;
  if (value['measured'] === false && typeof value['reason'] === 'string') return value as unknown as MemoryRoof;
  return value['measured'] === true && isBandwidthList(value['arena']) && isBandwidthList(value['dram']) ? (value as unknown as MemoryRoof) : null;
}
