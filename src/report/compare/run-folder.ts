/**
 * A run folder as `compare` reads it: results.csv for the rows (the contract) and
 * run.json for each configuration's retained step samples and the environment.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ResultRow } from '../../bench/rows.js';
import { UsageError } from '../../errors.js';
import { readResultsCsv } from '../read-results.js';
import { readRunJson } from '../read-run-json.js';
import { COMPARABLE_SCHEMA_VERSION, RUN_SCHEMA_VERSION } from '../run-schema.js';
import { pairingKey } from './pairing.js';
import type { MemoryRoof } from '../../roofline/memory-roof.js';
import type { Roofline } from '../../roofline/types.js';

/** What compare knows of one run. */
export interface RunFolder {
  readonly dir: string;
  readonly runId: string | null;
  /** run.json's status: `completed`, or `interrupted`, `failed`, `running` (killed); null where it has none. */
  readonly status: string | null;
  readonly rows: readonly ResultRow[];
  /** Step samples in ms by pairing key; a configuration without samples is absent. */
  readonly samples: ReadonlyMap<string, readonly number[]>;
  /** The median step of each visit by pairing key: compare's units of evidence (src/bench/unit-interval.ts). */
  readonly units: ReadonlyMap<string, readonly number[]>;
  /** host, cpu_model, logical_cpus, node_version: from run.json, else from the rows. */
  readonly machine: Readonly<Record<'host' | 'cpu_model' | 'logical_cpus' | 'node_version', string>>;
  /** The roofs measured before the run's sweep, independent of the code it timed: how fast the machine itself was (machine-drift.ts). */
  readonly roofs: { readonly gemm: Roofline | null; readonly memory: MemoryRoof | null };
  /** run.json's environment as written (topology, native library, ...); {} when it has none. */
  readonly environment: Readonly<Record<string, unknown>>;
}

/** The folder a BASE or CURRENT argument names: the folder itself, or its results.csv. */
function folderOf(argument: string, role: string): string {
  if (!existsSync(argument)) throw new UsageError(`${role} ${argument}: no such folder; expected a run folder with results.csv and run.json`);
  if (statSync(argument).isDirectory()) return argument;
  if (basename(argument) === 'results.csv') return dirname(argument);
  throw new UsageError(`${role} ${argument}: not a folder; expected a run folder with results.csv and run.json`);
}

/** Reads a run folder; a UsageError naming the file for anything missing or malformed. */
export function readRunFolder(argument: string, role: 'BASE' | 'CURRENT'): RunFolder {
  const dir = folderOf(argument, role);
  const csvPath = join(dir, 'results.csv');
  const jsonPath = join(dir, 'run.json');
  for (const path of [csvPath, jsonPath]) {
    if (!existsSync(path)) throw new UsageError(`${role} ${path}: no such file; expected a run folder with results.csv and run.json`);
  }
  const rows = readResultsCsv(csvPath);
  const runJson = readRunJson(jsonPath);
  if (runJson.schema_version < COMPARABLE_SCHEMA_VERSION) {
    // Its rme_pct and the figures compare would judge it by meant something else then (CHANGELOG.md).
    throw new UsageError(
      `${role} ${dir}: recorded by an earlier triplet-bench (run.json schema_version ${runJson.schema_version}, now ${RUN_SCHEMA_VERSION}); rme_pct and compare's verdicts have changed meaning since (CHANGELOG.md): re-record it with this version`,
    );
  }
  const csvRunIds = [...new Set(rows.map((row) => row.run_id).filter((id): id is string => typeof id === 'string'))];
  const foreign = runJson.run_id === null ? undefined : csvRunIds.find((id) => id !== runJson.run_id);
  if (foreign !== undefined) {
    throw new UsageError(`${role} ${dir}: results.csv holds run ${foreign} but run.json is of run ${runJson.run_id}; the folder mixes two runs' files`);
  }
  const samples = new Map(runJson.configurations.map((c) => [pairingKey(c), c.samples_ms] as const));
  const units = new Map(runJson.configurations.map((c) => [pairingKey(c), c.unit_medians_ms ?? []] as const));
  const environment = runJson.environment ?? {};
  const first = rows[0];
  const fact = (name: 'host' | 'cpu_model' | 'logical_cpus' | 'node_version') => String(environment[name] ?? first?.[name] ?? 'unknown');
  return {
    dir,
    runId: runJson.run_id ?? (typeof first?.run_id === 'string' ? first.run_id : null),
    status: runJson.status,
    rows,
    samples,
    units,
    machine: { host: fact('host'), cpu_model: fact('cpu_model'), logical_cpus: fact('logical_cpus'), node_version: fact('node_version') },
    environment,
    roofs: { gemm: runJson.roofline, memory: runJson.memory_roof },
  };
}
