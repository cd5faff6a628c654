/**
 * The messages that cross the thread boundary, imported by the coordinator and the
 * worker alike. They carry only bounds and small fields: the data lives in the arena.
 */
import type { KernelName, Strategy } from '../domain.js';
import type { KernelPhase } from '../phases.js';

/** What a worker receives when the pool starts (`workerData`). */
export interface WorkerBootData {
  readonly buffer: SharedArrayBuffer;
  /** The shared wasm memory behind `buffer`, where the arena has one. */
  readonly memory: WebAssembly.Memory | undefined;
}

/** Phase 1: compute the partial gradient and partial loss of rows [start, end) into `slot`. */
export interface ComputeTask {
  readonly slot: number;
  readonly start: number;
  readonly end: number;
  readonly kernel: KernelName;
  readonly strategy: Strategy;
  /** Time the kernel's phases and answer a ShardTiming (src/phases.ts): profiled steps only. */
  readonly profile?: boolean;
}

/** What a profiled compute task answers: when it ran, on the shared epoch clock, and its kernel's phases. */
export interface ShardTiming {
  /** performance.timeOrigin + performance.now() at the task's start and end, ms: comparable across threads. */
  readonly beganAt: number;
  readonly endedAt: number;
  readonly phases: Partial<Record<KernelPhase, number>>;
}

/** Phase 2: gradient[e] = scale * sum over slots < slotCount of partial[slot][e], e in [start, end). */
export interface ReduceTask {
  readonly start: number;
  readonly end: number;
  readonly slotCount: number;
  readonly scale: number;
}

/** Warm-up rendezvous: each worker checks in and waits until `participants` have. */
export interface WarmUpTask {
  readonly participants: number;
  readonly timeoutMs: number;
}

/** Names of the worker module's exports, passed to Piscina's `name` option. */
export const WorkerEntry = {
  compute: 'compute',
  reduce: 'reduce',
  warmUp: 'warmUp',
} as const;
