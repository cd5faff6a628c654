/**
 * The product's engines with one fault injected: the configurations it strikes open a
 * session that fails the way a worker thread or a tfjs host really fails (a pool on the
 * fault worker, a host that is killed); every other configuration runs as in the product.
 */
import { fileURLToPath } from 'node:url';
import { openShardedGradient } from '../../src/engines/workers.js';
import { isWorkerKernel } from '../../src/engines/worker-kernels.js';
import { ENGINES_BY_NAME, type EngineRegistry } from '../../src/engines/index.js';
import type { Engine, EngineSession } from '../../src/engines/engine.js';
import { openHost } from '../../src/engines/tfjs/host-client.js';
import type { ShardedGradient } from '../../src/coordinator.js';
import { FAULT_AT_STEP, FAULT_OOM_HEAP_MB, isWorkerFault, strikes, WORKER_FAULT_ENV, type FaultInjection, type WorkerFault } from './faults.js';

const FAULT_WORKER = fileURLToPath(new URL('./worker.js', import.meta.url));
const FAULT_HOST = fileURLToPath(new URL('./host.js', import.meta.url));

/**
 * The workers engine, where struck: steps before FAULT_AT_STEP run on the product's pool;
 * that step runs on a second pool over the same arena whose worker commits the fault.
 */
function faultyWorkers(injection: FaultInjection, fault: WorkerFault): Engine {
  const product = ENGINES_BY_NAME.workers;
  return {
    ...product,
    async open(workload, config): Promise<EngineSession> {
      const session = await product.open(workload, config);
      const kernel = config.kernel;
      if (!strikes(injection, config) || !isWorkerKernel(kernel)) return session;
      let steps = 0;
      let faulty: ShardedGradient | undefined;
      return {
        step: async () => {
          if (++steps < FAULT_AT_STEP) return session.step();
          process.env[WORKER_FAULT_ENV] = fault;
          const limits = fault === 'worker-oom' ? { resourceLimits: { maxOldGenerationSizeMb: FAULT_OOM_HEAP_MB } } : {};
          faulty ??= await openShardedGradient(workload.arena(), kernel, config.threads, { workerFile: FAULT_WORKER, ...limits });
          return faulty.step({ kernel, strategy: config.strategy, reduction: workload.reduction });
        },
        close: async () => {
          await session.close();
          await faulty?.close();
        },
      };
    },
  };
}

/** The tfjs-node engine, where struck: its host is the test host, killed inside its window. */
function killedTfjsNode(injection: FaultInjection): Engine {
  const product = ENGINES_BY_NAME['tfjs-node'];
  return {
    ...product,
    open: (workload, config) => (strikes(injection, config) ? openHost('tensorflow', workload, config, FAULT_HOST) : product.open(workload, config)),
  };
}

/** The product's registry with `injection` applied. */
export function faultyEngines(injection: FaultInjection): EngineRegistry {
  const kind = injection.kind;
  return isWorkerFault(kind)
    ? { ...ENGINES_BY_NAME, workers: faultyWorkers(injection, kind) }
    : { ...ENGINES_BY_NAME, 'tfjs-node': killedTfjsNode(injection) };
}
