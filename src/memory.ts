/**
 * Memory a workload needs, counted before anything is allocated, and what this machine
 * (or --max-memory) allows: a batch that would not fit is refused with the size it needed,
 * instead of dying in the allocator (or the OOM killer) minutes into a sweep.
 */
import { totalmem } from 'node:os';
import { arenaLayout } from './thread-boundary/arena.js';
import { readTextIfExists } from './files/read-text.js';
import type { Shape } from './triplet/problem.js';

/** Share of the machine's memory a run may plan to use; the rest is the OS's, Node's and V8's. */
const MACHINE_SHARE = 0.9;

/** Bytes one workload holds at once, by part. */
export interface MemoryNeed {
  /** The batch and W in float32, as generated or loaded. */
  readonly batch: number;
  /** The shared arena: a copy of the batch plus projections, partials and kernel scratch. */
  readonly arena: number;
  /** The float64 references (the workload's W and the closing check's perturbed W): gradient and per-triplet slacks each, and the perturbed W. */
  readonly reference: number;
  /** A host child's copy of the batch and its intermediate tensors (the tfjs engines run in one). */
  readonly tfjsHost: number;
  /** The copy of a real data set the workload's thread samples from (0 for synthetic data). */
  readonly data: number;
  /** The pool's threads themselves: each an isolate with its heap and stack (THREAD_BYTES). */
  readonly threads: number;
  /** What this process already holds when the need is counted: Node, the modules, a loaded data set. */
  readonly process: number;
  readonly total: number;
}

/**
 * Memory of one pool thread of the workers engine, its V8 isolate, heap and stack:
 * measured 9.3 MiB a thread on Node 20 (x64), the peak RSS of `verify` on 32 threads
 * less that on one, over 31; at 256 threads that is 2.5 GiB the need did not count.
 */
export const POOL_THREAD_BYTES = 10 * 2 ** 20;
/** A pool thread that loads tfjs-node (the workers/tfjs kernel): about 40 MiB, measured in the same way. */
export const TF_POOL_THREAD_BYTES = 40 * 2 ** 20;

/**
 * A process that loads tfjs-node (a tfjs host, a roofline child) before it holds any
 * tensor: libtensorflow and the modules, measured 378 MiB peak RSS for the roofline's
 * one-thread child (Linux x64, tfjs-node 4).
 */
export const TF_PROCESS_BYTES = 380 * 2 ** 20;

/**
 * What the roofline's children hold at once (src/roofline/measure.ts): one process per
 * thread count, each loading tfjs-node, and in the one-thread child a worker thread per
 * concurrent matMul up to the largest count, each loading it again; `processBytes`: this
 * process's own. At --threads 256 that was 9.9 GB that no need counted.
 */
export function rooflineMemory(threadCounts: readonly number[], processBytes: number): number {
  const counts = new Set([1, ...threadCounts]);
  const widest = Math.max(...counts);
  return counts.size * TF_PROCESS_BYTES + (widest > 1 ? widest * TF_POOL_THREAD_BYTES : 0) + processBytes;
}

/** What a need counts besides the workload: its pool's threads and the process itself. */
export interface NeedContext {
  /** Memory of each pool thread (POOL_THREAD_BYTES or TF_POOL_THREAD_BYTES); 0 when no pool runs. */
  readonly threadBytes?: number;
  /** This process's resident memory now (process.memoryUsage.rss()). */
  readonly processBytes?: number;
}

/** The batch and W in float32: 3 B D_in + D_out D_in values. */
function batchBytes({ batch, dIn, dOut }: Shape): number {
  return 4 * (3 * batch * dIn + dOut * dIn);
}

/** A tfjs host: the process (TF_PROCESS_BYTES), its copy of the batch, then u and v (B x D_in) and four B x D_out projections, in float32. */
export function tfjsHostBytes(shape: Shape): number {
  const { batch: b, dIn, dOut } = shape;
  return TF_PROCESS_BYTES + batchBytes(shape) + 4 * (2 * b * dIn + 4 * b * dOut);
}

/**
 * What a workload of `shape` on up to `slots` threads needs; `hostBytes`: the most any
 * selected engine's host child holds (Engine.hostMemory), 0 when none runs in a child.
 */
export function workloadMemory(shape: Shape, slots: number, hostBytes: number, dataBytes = 0, context: NeedContext = {}): MemoryNeed {
  const { batch: b, dIn, dOut } = shape;
  const batch = batchBytes(shape);
  const arena = arenaLayout(shape, slots).byteLength;
  const reference = 2 * 8 * (dOut * dIn + 4 * b) + 4 * dOut * dIn;
  const tfjsHost = hostBytes;
  const threads = slots * (context.threadBytes ?? 0);
  const own = context.processBytes ?? 0;
  return { batch, arena, reference, tfjsHost, data: dataBytes, threads, process: own, total: batch + arena + reference + tfjsHost + dataBytes + threads + own };
}

/** The memory a run may use and where that figure comes from. */
export interface MemoryAllowance {
  readonly bytes: number;
  readonly source: string;
}

/** Memory limit of this process's cgroup (v2 memory.max or v1 limit_in_bytes), or null. */
export function cgroupMemoryLimit(readText: (path: string) => string | undefined = readTextIfExists): number | null {
  for (const path of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    const text = readText(path)?.trim();
    if (text === undefined || text === 'max') continue;
    const bytes = Number(text);
    // cgroup v1 writes "no limit" as a huge number near 2^63.
    if (Number.isFinite(bytes) && bytes > 0 && bytes < 2 ** 60) return bytes;
  }
  return null;
}

/** 90 % of the machine's memory, or of the cgroup's limit where that is lower. */
export function machineAllowance(total = totalmem(), cgroup = cgroupMemoryLimit()): MemoryAllowance {
  const limited = cgroup !== null && cgroup < total;
  const base = limited ? cgroup : total;
  return {
    bytes: Math.floor(MACHINE_SHARE * base),
    source: `${Math.round(MACHINE_SHARE * 100)} % of ${limited ? "this container's limit of" : "this machine's"} ${formatBytes(base)}`,
  };
}

/** 1536 -> "1.5 KiB": binary units, three significant figures. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toPrecision(3)} ${units[unit]}`;
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 2 ** 10, kb: 2 ** 10, kib: 2 ** 10, m: 2 ** 20, mb: 2 ** 20, mib: 2 ** 20, g: 2 ** 30, gb: 2 ** 30, gib: 2 ** 30, t: 2 ** 40, tb: 2 ** 40, tib: 2 ** 40 };

/** "512M", "8G", "1.5GiB", "1048576" -> bytes (binary units); undefined when not a size. */
export function parseSize(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  if (!match) return undefined;
  const unit = SIZE_UNITS[match[2]!.toLowerCase()];
  const bytes = unit === undefined ? Number.NaN : Number(match[1]) * unit;
  return Number.isFinite(bytes) && bytes >= 1 ? Math.floor(bytes) : undefined;
}

/** The part list of a need, for the one-line refusal: "batch 1.5 GiB + arena 1.6 GiB + ...". */
export function describeNeed(need: MemoryNeed): string {
  const parts: [string, number][] = [['batch', need.batch], ['arena', need.arena], ['reference', need.reference], ['tfjs host', need.tfjsHost], ['data copy', need.data], ['threads', need.threads], ['this process', need.process]];
  return parts.filter(([, bytes]) => bytes > 0).map(([name, bytes]) => `${name} ${formatBytes(bytes)}`).join(' + ');
}
