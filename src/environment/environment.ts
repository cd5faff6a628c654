/**
 * The environment a run measured on, for run.json and the CSV's host columns: enough
 * to tell two servers, two containers or two Node versions apart.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, freemem, hostname, totalmem, type as osType, release, arch } from 'node:os';
import { dirname, join } from 'node:path';
import { helpersShimmedOnThisNode } from '../compat/node-util-shim.js';
import { readTopology, type Topology } from './topology.js';
import { machineCpuCounts, type CpuCounts } from '../bench/thread-ladder.js';
import type { NativeLibrary } from './native-library.js';
import { readTextIfExists } from '../files/read-text.js';
import { nativeAvailability, probedNativeLibrary } from '../native/probe.js';
import { PACKAGE_ROOT } from '../layout.js';
import { relaxedSimdSupported, wasmKernelUnavailable, wasmSimdPath, type WasmSimdPath } from '../thread-boundary/wasm-runtime.js';

/**
 * Our package.json: the project's, or the one `npm run bundle` writes beside the bundle,
 * whose `bundledVersions` names the version of every package inlined into it.
 */
const OWN_MANIFEST = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
  version?: string;
  bundledVersions?: Record<string, string>;
};

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

/**
 * The first node_modules/<path> from our package root up, as Node's resolution finds
 * it: in a checkout the project's own, in an installed package the one npm hoisted it to.
 */
function inNodeModules(path: string): string | undefined {
  for (let dir = PACKAGE_ROOT; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', path);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Version of a package as run: inlined into the bundle, or installed; null when neither. */
export function packageVersion(name: string): string | null {
  const bundled = OWN_MANIFEST.bundledVersions?.[name];
  if (bundled) return bundled;
  const file = inNodeModules(join(name, 'package.json'));
  if (!file) return null;
  return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? null;
}

/** Versions of the packages whose code is measured or does the measuring. */
export function measuredPackages(): Record<string, string | null> {
  const names = ['piscina', 'tinybench', '@json2csv/plainjs'];
  const tfjsDir = inNodeModules('@tensorflow');
  if (tfjsDir) names.push(...readdirSync(tfjsDir).sort().map((name) => `@tensorflow/${name}`));
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
  /** Sockets, NUMA nodes, cores and SMT siblings, caches, vector extensions, governor, boost. */
  topology: Topology;
  /** The thread counts that mark the ladder: physical cores and logical CPUs this process may use. */
  cpu_counts: CpuCounts;
  /** The TensorFlow library behind tfjs-node as it reports itself; null where tfjs-node does not load. */
  native_library: NativeLibrary | null;
  /**
   * Why tfjs-node does not load here and what fixes it (the probe's own words, as the skipped
   * rows' notes say them); null where it loads. A fleet's page shows it per node.
   */
  native_unavailable: { reason: string; fix: string } | null;
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

/**
 * Names the host rows are merged by (README "A fleet of servers"). In a Kubernetes pod
 * the hostname is the pod's, new on every run: TRIPLET_BENCH_HOST (set from the node's
 * name) keeps one server's runs under one name.
 */
export const HOST_ENV = 'TRIPLET_BENCH_HOST';

/** The host name runs record: TRIPLET_BENCH_HOST where set, else the hostname. */
export function recordedHost(): string {
  return process.env[HOST_ENV]?.trim() || hostname();
}

/** Reads the environment now. */
export function readEnvironment(): Environment {
  const cpuList = cpus();
  return {
    host: recordedHost(),
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
    triplet_bench_version: OWN_MANIFEST.version ?? null,
    packages: measuredPackages(),
    runtime_paths: readRuntimePaths(),
    topology: readTopology(),
    cpu_counts: machineCpuCounts(),
    // The probe (once per process, in a child) is what any tfjs engine or kernel runs first anyway.
    native_library: nativeAvailability().available ? (probedNativeLibrary() ?? null) : null,
    native_unavailable: nativeUnavailable(),
  };
}

/** run.json's native_unavailable: the native probe's reason and fix, or null where it loads. */
function nativeUnavailable(): { reason: string; fix: string } | null {
  const availability = nativeAvailability();
  return availability.available ? null : { reason: availability.reason, fix: availability.fix };
}
