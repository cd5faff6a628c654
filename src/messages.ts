/**
 * The messages that cross the thread boundary, imported by the coordinator and the
 * worker alike. They carry only bounds and small fields: the data lives in the arena.
 */
import type { KernelName, Strategy } from './domain.js';

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
