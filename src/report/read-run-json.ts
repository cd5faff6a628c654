/**
 * Reading run.json back: the environment, warnings and status of a run, and each
 * configuration's retained samples (run-report.ts writes them as `samples_ms`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import type { ResultRow } from '../bench/rows.js';

/** What `report` and `compare` use of a run.json. */
export interface RunJson {
  readonly run_id: string | null;
  readonly status: string | null;
  readonly environment: Record<string, unknown> | null;
  readonly warnings: readonly string[];
  /** The command's arguments after the program, as `run` recorded them; null when absent. */
  readonly command: readonly string[] | null;
  /** Each configuration's row (as in results.csv) with its step samples in ms. */
  readonly configurations: readonly (ResultRow & { readonly samples_ms: readonly number[] })[];
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
    return entry as unknown as RunJson['configurations'][number];
  });
  const warnings = Array.isArray(data['warnings']) ? data['warnings'].filter((w): w is string => typeof w === 'string') : [];
  return {
    run_id: typeof data['run_id'] === 'string' ? data['run_id'] : null,
    status: typeof data['status'] === 'string' ? data['status'] : null,
    environment: isRecord(data['environment']) ? data['environment'] : null,
    warnings,
    command: Array.isArray(data['command']) && data['command'].every((a) => typeof a === 'string') ? (data['command'] as string[]) : null,
    configurations,
  };
}

/** Reads run.json at `file`; a UsageError naming it when missing or malformed. */
export function readRunJson(file: string): RunJson {
  if (!existsSync(file)) throw new UsageError(`${file}: no such file; expected the run.json that triplet-bench run writes`);
  return parseRunJson(readFileSync(file, 'utf8'), file);
}
