/**
 * The environment table: one column per run, one line per fact. A run.json gives the
 * whole environment; a CSV alone gives what its host columns hold.
 */
import { SERVER_FACTS } from '../server-facts.js';
import type { ReportSource } from './sources.js';

const GIB = 1024 ** 3;

/** The facts shown, in order, and how each is read from a run.json environment. */
const FACTS: readonly (readonly [string, (env: Readonly<Record<string, unknown>>) => unknown])[] = [
  ['host', (env) => env['host']],
  ['CPU model', (env) => env['cpu_model']],
  ['logical CPUs', (env) => env['logical_cpus']],
  ['available parallelism', (env) => env['available_parallelism']],
  ...SERVER_FACTS,
  ['cgroup CPU quota', (env) => env['cgroup_cpu_quota'] ?? 'none'],
  ['memory', (env) => (typeof env['memory_total_bytes'] === 'number' ? `${(env['memory_total_bytes'] / GIB).toFixed(1)} GiB` : undefined)],
  ['OS', (env) => [env['os'], env['arch']].filter(Boolean).join(' ')],
  ['Node.js', (env) => env['node_version']],
  ['V8', (env) => env['v8_version']],
  ['triplet-bench', (env) => env['triplet_bench_version']],
  ['packages', (env) => packagesText(env['packages'])],
];

/** The same facts as far as results.csv has them. */
const CSV_FACTS: readonly [string, string][] = [['host', 'host'], ['CPU model', 'cpu_model'], ['logical CPUs', 'logical_cpus'], ['Node.js', 'node_version']];

function packagesText(packages: unknown): string | undefined {
  if (typeof packages !== 'object' || packages === null) return undefined;
  return Object.entries(packages as Record<string, unknown>).map(([name, version]) => `${name} ${version ?? 'not installed'}`).join(', ');
}

function distinct(source: ReportSource, column: string): string {
  return [...new Set(source.rows.map((row) => row[column as keyof typeof row]).filter((v) => v !== null && v !== undefined).map(String))].join(', ');
}

/** Lines of the table: a fact's name, then its value for each source ('' when unknown). */
export function environmentLines(sources: readonly ReportSource[]): string[][] {
  const names = [...FACTS.map(([name]) => name), 'run status', 'results'];
  return names.map((name) => [
    name,
    ...sources.map((source) => {
      if (name === 'results') return source.label;
      if (name === 'run status') return source.status ?? 'unknown (no run.json)';
      if (source.environment) {
        const value = FACTS.find(([fact]) => fact === name)![1](source.environment);
        return value === undefined || value === null ? '' : String(value);
      }
      const column = CSV_FACTS.find(([fact]) => fact === name)?.[1];
      return column ? distinct(source, column) : '';
    }),
  ]);
}
