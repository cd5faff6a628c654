/** Engine `workers`: the Piscina pool over the shared arena, running an in-worker kernel. */
import { wasmKernelUnavailable } from '../../workers/kernels/wasm-module.js';
import { ShardedGradient, type PoolOptions } from '../coordinator.js';
import { nativeAvailability } from '../native/probe.js';
import type { ArenaViews } from '../arena.js';
import type { Workload } from '../workload.js';
import type { Availability, Engine, EngineConfig, EngineSession } from './engine.js';
import type { KernelName } from '../domain.js';

/** Whether a kernel of this engine runs here: `tfjs` needs the native library; `wasm` needs SIMD, shared wasm memory and its built module. */
function kernelAvailability(kernel: string): Availability {
  if (kernel === 'tfjs') return nativeAvailability();
  if (kernel !== 'wasm') return { available: true };
  const unavailable = wasmKernelUnavailable();
  return unavailable ? { available: false, ...unavailable } : { available: true };
}

export const workersEngine: Engine = {
  name: 'workers',
  kernels: ['js', 'wasm', 'tfjs'],
  overheadKernel: 'empty',
  formulations: ['fused'],
  availability: kernelAvailability,
  async open(workload: Workload, config: EngineConfig): Promise<EngineSession> {
    const sharded = await openShardedGradient(workload.arena(), config.kernel, config.threads);
    const options = { kernel: config.kernel as KernelName, strategy: config.strategy, reduction: workload.reduction };
    return {
      step: () => sharded.step(options),
      close: () => sharded.close(),
    };
  },
};

/**
 * The warm pool of the workers engine for a kernel, with what that kernel needs of the
 * process: the arena in shared wasm memory (wasm), one TensorFlow thread per worker (tfjs).
 */
export async function openShardedGradient(arena: ArenaViews, kernel: string, threads: number, poolOptions: PoolOptions = {}): Promise<ShardedGradient> {
  if (kernel === 'wasm' && arena.memory === undefined) {
    throw new Error(`kernel wasm needs the arena in a shared WebAssembly.Memory; this one (${arena.layout.byteLength} bytes) is beyond wasm32's 4 GiB`);
  }
  if (kernel === 'tfjs') {
    // libtensorflow reads these from the process environment when a worker loads it:
    // one intra-op thread per worker, so the parallelism is the pool's.
    process.env['TF_NUM_INTRAOP_THREADS'] = '1';
    process.env['TF_NUM_INTEROP_THREADS'] = '1';
    process.env['TF_CPP_MIN_LOG_LEVEL'] ??= '2';
  }
  return ShardedGradient.open(arena, threads, poolOptions);
}
