/**
 * Engine `workers`: the Piscina pool over the shared arena, running an in-worker kernel.
 * This folder is the engine's main-thread side (the engine, its kernel registry, the
 * coordinator and the shard bounds); the threads run workers/, and what both sides
 * import (arena layout, footprints, messages, the wasm runtime check) is src/thread-boundary/.
 */
import { ShardedGradient, type PoolOptions } from './coordinator.js';
import type { KernelName } from '../../domain.js';
import type { ArenaViews } from '../../thread-boundary/arena.js';
import type { Workload } from '../../workload.js';
import type { Engine, EngineConfig, EngineSession } from '../engine.js';
import { POOL_THREAD_BYTES } from '../../memory.js';
import type { EngineKernel } from '../../domain.js';
import { isWorkerKernel, selectedWorkerKernels, WORKER_KERNELS, workerKernelsOf } from './kernels.js';
import { ENGINE_DESCRIPTIONS } from '../../engine-labels.js';

const { label, overheadKernel } = ENGINE_DESCRIPTIONS.workers;

/** The worker kernel a configuration names; an error for a kernel of another engine. */
function workerKernel(config: EngineConfig): KernelName {
  if (!isWorkerKernel(config.kernel)) throw new Error(`engine workers has no kernel ${config.kernel}`);
  return config.kernel;
}

/**
 * A pool thread holds the most any of its selected kernels needs; a thread holds at least
 * its isolate, even where no selected kernel is one of this engine's. Only a kernel that
 * loads more than that is asked whether it runs here (wasm's answer compiles a module).
 */
function poolThreadBytes(kernels: readonly EngineKernel[] | undefined): number {
  const loading = selectedWorkerKernels(kernels).map((name) => WORKER_KERNELS[name]).filter((kernel) => kernel.threadBytes > POOL_THREAD_BYTES);
  return Math.max(POOL_THREAD_BYTES, ...loading.filter((kernel) => kernel.availability().available).map((kernel) => kernel.threadBytes));
}

/** The workers engine: kernels and availability from its kernel registry (./kernels.ts), its label and overhead kernel from src/engine-labels.ts. */
export const workersEngine: Engine = {
  name: 'workers',
  runsIn: 'pool',
  parallel: true,
  label,
  kernels: workerKernelsOf('gradient'),
  ...(overheadKernel ? { overheadKernel } : {}),
  formulations: ['fused'],
  availability: (kernel) =>
    isWorkerKernel(kernel) ? WORKER_KERNELS[kernel].availability() : { available: false, reason: `engine workers has no kernel ${kernel}`, fix: 'pick one of --kernels\'s workers kernels' },
  poolThreadBytes,
  async open(workload: Workload, config: EngineConfig): Promise<EngineSession> {
    const kernel = workerKernel(config);
    const sharded = await openShardedGradient(workload.arena(), kernel, config.threads);
    const options = { kernel, strategy: config.strategy, reduction: workload.reduction };
    const arena = workload.arena();
    return {
      step: () => sharded.step(options),
      // The workers read W from the arena afresh in every task, and no task is in flight between steps.
      setWeights: async (weights) => void arena.weights.set(weights),
      profilePhases: async (steps) => {
        const samples = [];
        for (let i = 0; i < steps; i++) samples.push((await sharded.profiledStep(options)).sample);
        return samples;
      },
      close: () => sharded.close(),
    };
  },
};

/**
 * The warm pool of the workers engine for a kernel, on an arena laid out for it
 * (src/thread-boundary/kernel-footprints.ts), with what that kernel needs of the process (its registry
 * entry's `prepare`).
 */
export async function openShardedGradient(arena: ArenaViews, kernel: KernelName, threads: number, poolOptions: PoolOptions = {}): Promise<ShardedGradient> {
  if (!arena.layout.kernels.includes(kernel)) {
    throw new Error(`kernel ${kernel}: this arena was laid out for ${arena.layout.kernels.join(', ')} only, without its scratch and control words`);
  }
  WORKER_KERNELS[kernel].prepare?.(arena);
  return ShardedGradient.open(arena, threads, poolOptions);
}
