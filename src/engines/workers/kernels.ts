/**
 * The kernels of the `workers` engine, registered once by the names of KernelName
 * (src/domain.ts): their role, whether they run here and what the process must set up
 * before a pool of them starts. Their code lives in workers/kernels/, registered by the
 * same names in workers/kernels/index.ts, whose type makes the compiler refuse a kernel
 * registered on one side only.
 */
import type { ArenaViews } from '../../thread-boundary/arena.js';
import type { KernelName } from '../../domain.js';
import { POOL_THREAD_BYTES, TF_POOL_THREAD_BYTES } from '../../memory.js';
import { nativeAvailability } from '../../native/probe.js';
import { tensorflowEnvironment } from '../../native/tf-environment.js';
import { wasmKernelUnavailable } from '../../thread-boundary/wasm-runtime.js';
import type { Availability } from '../engine.js';

/** What the main thread knows of a worker kernel. */
export interface WorkerKernel {
  /** gradient: computes one (verified, timed, charted); overhead: the pool's machinery and no arithmetic, timed for the harness overhead. */
  readonly role: 'gradient' | 'overhead';
  /** Whether it runs here; if not, why and the fix. */
  availability(): Availability;
  /** Memory of each pool thread running it: the thread's isolate, heap and stack, and what the kernel loads into it (src/memory.ts). */
  readonly threadBytes: number;
  /** Sets up the process before a pool of this kernel starts; throws when `arena` cannot serve it. */
  prepare?(arena: ArenaViews): void;
}

const AVAILABLE: Availability = { available: true };

const REGISTRY = {
  js: { role: 'gradient', threadBytes: POOL_THREAD_BYTES, availability: () => AVAILABLE },
  wasm: {
    role: 'gradient',
    threadBytes: POOL_THREAD_BYTES,
    availability: () => {
      const unavailable = wasmKernelUnavailable();
      return unavailable ? { available: false, ...unavailable } : AVAILABLE;
    },
    prepare: (arena) => {
      if (arena.memory === undefined) {
        throw new Error(`kernel wasm needs the arena in a shared WebAssembly.Memory; this one (${arena.layout.byteLength} bytes) is beyond wasm32's 4 GiB`);
      }
    },
  },
  tfjs: {
    role: 'gradient',
    // Each thread loads tfjs-node of its own.
    threadBytes: TF_POOL_THREAD_BYTES,
    availability: nativeAvailability,
    prepare: () => {
      // libtensorflow reads these from the process environment when a worker loads it:
      // one intra-op thread per worker, so the parallelism is the pool's.
      Object.assign(process.env, tensorflowEnvironment(1));
    },
  },
  empty: { role: 'overhead', threadBytes: POOL_THREAD_BYTES, availability: () => AVAILABLE },
} satisfies Record<KernelName, WorkerKernel>;

/** Every worker kernel, in the order help, doctor and the sweep list them. */
export const WORKER_KERNELS: Readonly<Record<KernelName, WorkerKernel>> = REGISTRY;

const ALL = Object.keys(WORKER_KERNELS) as KernelName[];

/** The kernels of a role, in registry order. */
export function workerKernelsOf(role: WorkerKernel['role']): KernelName[] {
  return ALL.filter((name) => WORKER_KERNELS[name].role === role);
}

/** Whether `name` is a worker kernel. */
export function isWorkerKernel(name: string): name is KernelName {
  return Object.hasOwn(WORKER_KERNELS, name);
}

/**
 * The gradient kernels that need no native library, fastest first (wasm's SIMD over js's
 * scalar loops, docs/design.md): a default for commands that pick a kernel themselves.
 */
export function workerKernelsFastestFirst(): KernelName[] {
  const order: readonly KernelName[] = ['wasm', 'js'];
  return [...order];
}

/** The worker kernels of a selection's --kernels (every one where it names none): those an arena must serve. */
export function selectedWorkerKernels(kernels: readonly string[] | undefined): KernelName[] {
  return kernels === undefined ? [...ALL] : kernels.filter(isWorkerKernel);
}
