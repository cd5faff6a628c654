/**
 * Result rows and run folders made in memory: deterministic inputs for the report and
 * compare tests, shaped exactly as `run` writes them (results.csv via resultsCsv).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CSV_COLUMNS, deriveScaling, type ResultRow } from '../src/bench/rows.js';
import { median } from '../src/bench/statistics.js';
import { effectiveGflops } from '../src/model/flops.js';
import { resultsCsv } from '../src/report/csv.js';
import { RUN_SCHEMA_VERSION } from '../src/report/run-schema.js';
import { applyBound } from '../src/roofline/bound.js';
import type { MemoryRoof } from '../src/roofline/memory-roof.js';

/** What distinguishes one fixture configuration. */
export interface FixtureConfig {
  engine?: string;
  kernel: string;
  formulation?: string;
  strategy: 'dense' | 'compact';
  threads: number;
  activeFraction?: number;
  /** Median step, ms. */
  stepMs: number;
  host?: string;
}

const BATCH = 256;
const D_IN = 64;
const D_OUT = 32;

/** A complete row for one configuration; figures follow from stepMs as in bench/rows.ts. */
export function fixtureRow(config: FixtureConfig): ResultRow {
  const row = Object.fromEntries(CSV_COLUMNS.map((c) => [c, null])) as unknown as ResultRow;
  const active = config.activeFraction ?? 0.3;
  Object.assign(row, {
    run_id: 'fixture-run', engine: config.engine ?? 'workers', kernel: config.kernel, formulation: config.formulation ?? 'fused',
    strategy: config.strategy, threads: config.threads, batch: BATCH, d_in: D_IN, d_out: D_OUT, margin: 1.5 + active,
    active_fraction: active, samples: 30, mean_ms: config.stepMs, p50_ms: config.stepMs, p99_ms: config.stepMs * 1.1,
    sd_ms: config.stepMs * 0.02, rme_pct: 1, triplets_per_s: (BATCH * 1000) / config.stepMs,
    gflops: config.kernel === 'empty' ? null : effectiveGflops(BATCH, D_IN, D_OUT, config.stepMs),
    max_rel_err: config.kernel === 'empty' ? null : 1e-8, status: 'ok', note: '', host: config.host ?? 'fixture-host',
    cpu_model: 'Fixture CPU', logical_cpus: 2, node_version: 'v20.20.2',
    straggler_ratio: config.engine === undefined || config.engine === 'workers' ? (config.threads === 1 ? 1 : 1.1) : null,
    target_active: active, data: 'synthetic', seed: 42,
  });
  return row;
}

/** A small sweep: js dense/compact and the empty kernel at 1 and 2 threads, two active fractions, and tfjs-node. */
export function fixtureRows(host = 'fixture-host'): ResultRow[] {
  const rows: ResultRow[] = [];
  for (const activeFraction of [0.3, 1]) {
    for (const threads of [1, 2]) {
      const scale = threads === 1 ? 1 : 0.6;
      rows.push(fixtureRow({ kernel: 'js', strategy: 'dense', threads, activeFraction, stepMs: 4 * scale, host }));
      rows.push(fixtureRow({ kernel: 'js', strategy: 'compact', threads, activeFraction, stepMs: (2 + 2 * activeFraction) * scale, host }));
      rows.push(fixtureRow({ kernel: 'empty', strategy: 'dense', threads, activeFraction, stepMs: 0.05 * threads, host }));
      rows.push(fixtureRow({ engine: 'tfjs-node', kernel: 'tensorflow', strategy: 'dense', threads, activeFraction, stepMs: 3 * scale, host }));
    }
  }
  deriveScaling(rows);
  // Intensity and the arena roof, so that the page draws its roofline chart.
  applyBound(rows, FIXTURE_MEMORY_ROOF);
  return rows;
}

/**
 * fixtureRows with --scaling both's weak rows added: js dense and compact at 2 threads on
 * twice the batch (the 1-thread rows are the weak ones' too), scaling 1.8x.
 */
export function fixtureRowsWithWeak(host = 'fixture-host'): ResultRow[] {
  const rows = fixtureRows(host);
  for (const strategy of ['dense', 'compact'] as const) {
    const one = rows.find((r) => r.kernel === 'js' && r.strategy === strategy && r.threads === 1 && r.target_active === 0.3)!;
    const stepMs = (2 * (one.p50_ms as number)) / 1.8;
    rows.push({ ...fixtureRow({ kernel: 'js', strategy, threads: 2, stepMs, host }), batch: 2 * one.batch, triplets_per_s: (2 * one.batch * 1000) / stepMs, scaling: 'weak' });
  }
  deriveScaling(rows);
  applyBound(rows, FIXTURE_MEMORY_ROOF);
  return rows;
}

const bandwidth = (threads: number, arrayBytes: number, gbps: number) => ({ threads, array_bytes: arrayBytes, copy_gbps: gbps, triad_gbps: gbps * 0.8, gbps });

/** A memory roof as run.json records it: the arena's arrays in cache, faster than memory-sized ones. */
export const FIXTURE_MEMORY_ROOF: MemoryRoof = {
  measured: true,
  method: 'fixture',
  last_level_cache_bytes: 32 * 1024 * 1024,
  arena_fits_cache: true,
  arena: [bandwidth(1, 1 << 17, 40), bandwidth(2, 1 << 17, 70)],
  dram: [bandwidth(1, 1 << 27, 12), bandwidth(2, 1 << 27, 18)],
};

/** Samples around `stepMs`: a fixed wobble of +-3 %, different per configuration. */
export function fixtureSamples(stepMs: number, index: number, count = 30): number[] {
  return Array.from({ length: count }, (_, k) => stepMs * (1 + 0.03 * Math.sin(1.7 * k + index)));
}

/** The samples cut into windows of five steps (the last may be shorter), each window's median: run.json's units. */
export function windowMedians(samplesMs: readonly number[]): number[] {
  const windows: number[] = [];
  for (let at = 0; at < samplesMs.length; at += 5) windows.push(median(samplesMs.slice(at, at + 5)));
  return windows;
}

/** Writes results.csv and run.json as `run` would, samples from fixtureSamples unless given. */
export function writeRunFolder(dir: string, rows: readonly ResultRow[], samples?: readonly (readonly number[])[]): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'results.csv'), resultsCsv(rows));
  const first = rows[0];
  const runJson = {
    schema_version: RUN_SCHEMA_VERSION,
    run_id: first?.run_id ?? 'fixture-run',
    status: 'completed',
    environment: { host: first?.host, cpu_model: first?.cpu_model, logical_cpus: first?.logical_cpus, node_version: first?.node_version },
    warnings: [],
    configurations: rows.map((row, i) => {
      const samplesMs = samples?.[i] ?? fixtureSamples(row.p50_ms as number, i);
      return { ...row, samples_ms: samplesMs, unit_medians_ms: windowMedians(samplesMs) };
    }),
  };
  writeFileSync(join(dir, 'run.json'), `${JSON.stringify(runJson, null, 2)}\n`);
  return dir;
}

/** One timed row with plain round figures, `fields` on top: for tests of the derived columns and flags. */
export function plainRow(fields: Partial<ResultRow>): ResultRow {
  return {
    run_id: 'r', engine: 'workers', kernel: 'js', formulation: 'fused', strategy: 'dense', threads: 1, batch: 100, d_in: 8, d_out: 4,
    margin: 1, active_fraction: 0.3, samples: 5, mean_ms: 10, p50_ms: 10, p99_ms: 12, sd_ms: 1, rme_pct: 1, triplets_per_s: 10_000,
    gflops: 1, speedup: null, efficiency: null, max_rel_err: 1e-8, status: 'ok', note: '', host: 'h', cpu_model: 'c', logical_cpus: 2,
    node_version: 'v20', karp_flatt: null, harness_overhead_ms: null, harness_overhead_pct: null, straggler_ratio: 1, target_active: 0.3,
    data: 'synthetic', seed: 1, roofline_gflops: null, roofline_pct: null,
    speedup_ci_low: null, speedup_ci_high: null, karp_flatt_ci_low: null, karp_flatt_ci_high: null, windows: 2,
    interference_cores: null, interference_limit: null, throttled_periods: null,
    p50_ci_low_ms: 9.8, p50_ci_high_ms: 10.2, precision_target_pct: 3, precision_met: 'yes',
    intensity_flop_per_byte: null, memory_roof_gbps: null, bound: null, bound_pct: null, scaling: 'strong', ...fields,
  };
}
