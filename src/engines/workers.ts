/** Engine `workers`: the Piscina pool over the shared arena, running an in-worker kernel. */
import { ShardedGradient } from '../coordinator.js';
import type { KernelName } from '../messages.js';
import type { Workload } from '../workload.js';
import type { Engine, EngineConfig, EngineSession } from './engine.js';

export const workersEngine: Engine = {
  name: 'workers',
  kernels: ['js'],
  overheadKernel: 'empty',
  formulations: ['fused'],
  availability: () => ({ available: true }),
  async open(workload: Workload, config: EngineConfig): Promise<EngineSession> {
    const sharded = await ShardedGradient.open(workload.arena(), config.threads);
    const options = { kernel: config.kernel as KernelName, strategy: config.strategy, reduction: workload.reduction };
    return {
      step: () => sharded.step(options),
      close: () => sharded.close(),
    };
  },
};
