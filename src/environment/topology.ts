/**
 * What a multicore server is, read from Linux's /sys and /proc: sockets, NUMA nodes and
 * their CPUs, physical cores and their SMT siblings, cache sizes, the vector extensions
 * the kernels can use, the frequency governor and boost. Every figure is null where the
 * file is not there or not readable (another OS, a locked-down container): unknown, never
 * guessed. `root` lets tests read a fixture tree instead of the machine's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One NUMA node and the CPUs the kernel lists for it. */
export interface NumaNode {
  readonly node: number;
  /** CPU list as the kernel writes it: "0-15,32-47". */
  readonly cpus: string;
}

/** A physical core and the logical CPUs (SMT siblings) that share it. */
export interface CoreSiblings {
  readonly socket: number;
  readonly core: number;
  readonly cpus: readonly number[];
}

/** The machine's topology as run.json records it. */
export interface Topology {
  /** Logical CPUs the kernel has online. */
  readonly online_cpus: number | null;
  readonly sockets: number | null;
  readonly physical_cores: number | null;
  /** Logical CPUs per physical core (2 with SMT/Hyper-Threading on), the largest seen. */
  readonly threads_per_core: number | null;
  readonly numa_nodes: readonly NumaNode[];
  /** SMT sibling groups, one per physical core, in CPU order. */
  readonly cores: readonly CoreSiblings[];
  /** Per-core (L1d, L2) or per-instance (L3) cache sizes in bytes, as cpu0 sees them. */
  readonly cache_bytes: { readonly l1d: number | null; readonly l2: number | null; readonly l3: number | null };
  /** Of the extensions that matter to the kernels (VECTOR_FLAGS), those the CPU has. */
  readonly vector_extensions: readonly string[];
  /** Distinct cpufreq governors across CPUs ("performance", "powersave"); empty when unreadable. */
  readonly governors: readonly string[];
  readonly frequency_driver: string | null;
  /** Turbo/boost on, off, or null where the kernel does not say. */
  readonly boost: boolean | null;
}

/** x86 and Arm flags, as /proc/cpuinfo spells them, that decide how fast the kernels can go. */
export const VECTOR_FLAGS = ['sse4_2', 'avx', 'avx2', 'fma', 'avx512f', 'avx512bw', 'avx512vl', 'avx512_vnni', 'avx512_bf16', 'amx_tile', 'asimd', 'sve', 'sve2'] as const;

/** Parses a kernel CPU list ("0-3,8,10-11") into CPU numbers; [] for an empty or malformed one. */
export function parseCpuList(text: string): number[] {
  const cpus: number[] = [];
  for (const part of text.trim().split(',')) {
    if (part === '') continue;
    const match = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!match) return [];
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    for (let cpu = first; cpu <= last; cpu++) cpus.push(cpu);
  }
  return cpus;
}

/** Parses a sysfs cache size ("32K", "1024K", "32M") into bytes. */
export function parseCacheSize(text: string): number | null {
  const match = /^(\d+)\s*([KMG]?)$/i.exec(text.trim());
  if (!match) return null;
  const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[match[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'];
  return Number(match[1]) * unit;
}

/** Reads the topology under `root` ('/' for this machine). */
export function readTopology(root = '/'): Topology {
  const read = (...path: string[]): string | undefined => {
    try {
      return readFileSync(join(root, ...path), 'utf8').trim();
    } catch {
      return undefined;
    }
  };
  const list = (...path: string[]): string[] => {
    try {
      return readdirSync(join(root, ...path));
    } catch {
      return [];
    }
  };
  const cpuDir = ['sys', 'devices', 'system', 'cpu'];
  const onlineText = read(...cpuDir, 'online');
  const online = onlineText === undefined ? [] : parseCpuList(onlineText);

  const cores = new Map<string, CoreSiblings & { cpus: number[] }>();
  for (const cpu of online) {
    const socket = Number(read(...cpuDir, `cpu${cpu}`, 'topology', 'physical_package_id'));
    const core = Number(read(...cpuDir, `cpu${cpu}`, 'topology', 'core_id'));
    if (!Number.isInteger(socket) || !Number.isInteger(core)) continue;
    const key = `${socket}:${core}`;
    const entry = cores.get(key) ?? { socket, core, cpus: [] };
    entry.cpus.push(cpu);
    cores.set(key, entry);
  }
  const known = cores.size > 0;
  const coreList = [...cores.values()].sort((a, b) => a.cpus[0]! - b.cpus[0]!);

  const numa = list('sys', 'devices', 'system', 'node')
    .map((name) => /^node(\d+)$/.exec(name))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ node: Number(match[1]), cpus: read('sys', 'devices', 'system', 'node', match[0], 'cpulist') ?? '' }))
    .sort((a, b) => a.node - b.node);

  const cache = { l1d: null as number | null, l2: null as number | null, l3: null as number | null };
  for (const index of list(...cpuDir, 'cpu0', 'cache').filter((name) => /^index\d+$/.test(name))) {
    const level = read(...cpuDir, 'cpu0', 'cache', index, 'level');
    const type = read(...cpuDir, 'cpu0', 'cache', index, 'type');
    const size = read(...cpuDir, 'cpu0', 'cache', index, 'size');
    const bytes = size === undefined ? null : parseCacheSize(size);
    if (level === '1' && type === 'Data') cache.l1d = bytes;
    else if (level === '2' && type !== 'Instruction') cache.l2 = bytes;
    else if (level === '3' && type !== 'Instruction') cache.l3 = bytes;
  }

  // x86 names its flags "flags", Arm "Features"; the first processor speaks for all.
  const cpuinfo = read('proc', 'cpuinfo') ?? '';
  const flagLine = /^(?:flags|Features)\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? '';
  const flags = new Set(flagLine.split(/\s+/));

  const governors = [...new Set(online.map((cpu) => read(...cpuDir, `cpu${cpu}`, 'cpufreq', 'scaling_governor')).filter((g): g is string => !!g))].sort();
  const noTurbo = read(...cpuDir, 'intel_pstate', 'no_turbo');
  const boostText = read(...cpuDir, 'cpufreq', 'boost');
  const boost = boostText !== undefined ? boostText === '1' : noTurbo !== undefined ? noTurbo === '0' : null;

  return {
    online_cpus: online.length > 0 ? online.length : null,
    sockets: known ? new Set(coreList.map((c) => c.socket)).size : null,
    physical_cores: known ? coreList.length : null,
    threads_per_core: known ? Math.max(...coreList.map((c) => c.cpus.length)) : null,
    numa_nodes: numa,
    cores: coreList,
    cache_bytes: cache,
    vector_extensions: VECTOR_FLAGS.filter((flag) => flags.has(flag)),
    governors,
    frequency_driver: read(...cpuDir, 'cpu0', 'cpufreq', 'scaling_driver') ?? null,
    boost,
  };
}
