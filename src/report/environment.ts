/**
 * The environment a run measured on, for run.json and the CSV's host columns: enough
 * to tell two servers, two containers or two Node versions apart.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, freemem, hostname, totalmem, type as osType, release, arch } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { helpersShimmedOnThisNode } from '../compat/node-util-shim.js';
import { readTextIfExists } from '../files.js';
import { relaxedSimdSupported, wasmKernelUnavailable, wasmSimdPath, type WasmSimdPath } from '../wasm-runtime.js';

const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** CPU quota of this process's cgroup, in CPUs, or null when unlimited or unknown. */
export function cgroupCpuQuota(readText: (path: string) => string | undefined = readTextIfExists): number | null {
  // cgroup v2: "max 100000" or "200000 100000".
  const v2 = readText('/sys/fs/cgroup/cpu.max')?.trim().split(/\s+/);
  if (v2 && v2.length === 2) return v2[0] === 'max' ? null : Number(v2[0]) / Number(v2[1]);
  // cgroup v1: quota -1 means unlimited.
  const quota = Number(readText('/sys/fs/cgroup/cpu/cpu.cfs_quota_us'));
  const period = Number(readText('/sys/fs/cgroup/cpu/cpu.cfs_period_us'));
  return quota > 0 && period > 0 ? quota / period : null;
}

/** Installed version of a package, or null when it is not installed. */
export function packageVersion(name: string): string | null {
  const file = join(PROJECT_ROOT, 'node_modules', name, 'package.json');
  if (!existsSync(file)) return null;
  return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? null;
}

/** Versions of the packages whose code is measured or does the measuring. */
export function measuredPackages(): Record<string, string | null> {
  const names = ['piscina', 'tinybench', '@json2csv/plainjs'];
  const tfjsDir = join(PROJECT_ROOT, 'node_modules', '@tensorflow');
  if (existsSync(tfjsDir)) names.push(...readdirSync(tfjsDir).sort().map((name) => `@tensorflow/${name}`));
  return Object.fromEntries(names.map((name) => [name, packageVersion(name)]));
}

/** What run.json records of the machine and runtime. */
export interface Environment {
  host: string;
  cpu_model: string;
  logical_cpus: number;
  available_parallelism: number;
  cgroup_cpu_quota: number | null;
  memory_total_bytes: number;
  memory_free_bytes: number;
  os: string;
  arch: string;
  node_version: string;
  v8_version: string;
  triplet_bench_version: string | null;
  packages: Record<string, string | null>;
  /** Code paths that depend on the Node version. */
  runtime_paths: RuntimePaths;
}

/** What this Node version changes in the code that runs. */
export interface RuntimePaths {
  /** The wasm kernel's build: relaxed SIMD (FMA) or plain SIMD128; null when it cannot run. */
  wasm_simd: WasmSimdPath | null;
  relaxed_simd_supported: boolean;
  /** util helpers defined for tfjs-node because this Node removed them (empty: shim not needed). */
  tfjs_node_util_shim: string[];
}

/** The version-dependent paths taken in this process (and in its workers, which share its env). */
export function readRuntimePaths(): RuntimePaths {
  return {
    wasm_simd: wasmKernelUnavailable() ? null : wasmSimdPath(),
    relaxed_simd_supported: relaxedSimdSupported(),
    tfjs_node_util_shim: helpersShimmedOnThisNode(),
  };
}

/** Reads the environment now. */
export function readEnvironment(): Environment {
  const cpuList = cpus();
  const own = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version?: string };
  return {
    host: hostname(),
    cpu_model: cpuList[0]?.model.trim() ?? 'unknown',
    logical_cpus: cpuList.length,
    available_parallelism: availableParallelism(),
    cgroup_cpu_quota: cgroupCpuQuota(),
    memory_total_bytes: totalmem(),
    memory_free_bytes: freemem(),
    os: `${osType()} ${release()}`,
    arch: arch(),
    node_version: process.version,
    v8_version: process.versions.v8,
    triplet_bench_version: own.version ?? null,
    packages: measuredPackages(),
    runtime_paths: readRuntimePaths(),
  };
}
