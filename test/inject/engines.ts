/**
 * The product's engines with one fault injected: the configurations it strikes open a
 * session that fails the way a worker thread or a tfjs host really fails (a pool on the
 * fault worker, a host that is killed); every other configuration runs as in the product.
 */
import { fileURLToPath } from 'node:url';
import { openShardedGradient } from '../../src/engines/workers/engine.js';
import { isWorkerKernel } from '../../src/engines/workers/kernels.js';
import { ENGINES_BY_NAME, type EngineRegistry } from '../../src/engines/index.js';
import type { Engine, EngineSession, StepOutcome } from '../../src/engines/engine.js';
import { openHost } from '../../src/engines/tfjs/host-client.js';
import type { ShardedGradient } from '../../src/engines/workers/coordinator.js';
import { FAULT_AT_STEP, FAULT_OOM_HEAP_MB, HOST_FAULT_ENV, isSessionFault, isWorkerFault, strikes, WORKER_FAULT_ENV, type FaultInjection, type HostFault, type SessionFault, type WorkerFault } from './faults.js';
import type { EngineName, TfjsBackend } from '../../src/domain.js';

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
        setWeights: (weights) => session.setWeights(weights),
        close: async () => {
          await session.close();
          await faulty?.close();
        },
      };
    },
  };
}

/** A tfjs engine, where struck: its host is the test host, killed inside its window or stopped as it opens. */
function faultyHost(engine: 'tfjs-node' | 'tfjs-cpu' | 'tfjs-wasm', injection: FaultInjection, fault: HostFault): Engine {
  const product = ENGINES_BY_NAME[engine];
  const backend = product.kernels[0] as TfjsBackend;
  // Inherited by the hosts forked from here on (src/native/tf-environment.ts passes the environment).
  process.env[HOST_FAULT_ENV] = fault;
  return {
    ...product,
    open: (workload, config) => (strikes(injection, config) ? openHost(backend, workload, config, FAULT_HOST) : product.open(workload, config)),
  };
}

/** What each session fault makes of a step's true outcome; `first` is the session's first. */
const SESSION_FAULT_ACTS: Record<SessionFault, (outcome: StepOutcome, first: StepOutcome) => StepOutcome> = {
  memoise: (_, first) => first,
  'loss-off': (outcome) => ({ ...outcome, loss: outcome.loss * 1.01 }),
};

/**
 * An engine whose struck sessions step for real (the timing is the product's) and then
 * answer wrongly, as SESSION_FAULT_ACTS says; setWeights, time and close pass through.
 */
function wrongAnswers(engine: Engine, injection: FaultInjection, fault: SessionFault): Engine {
  return {
    ...engine,
    async open(workload, config): Promise<EngineSession> {
      const session = await engine.open(workload, config);
      if (!strikes(injection, config)) return session;
      let first: StepOutcome | undefined;
      const step = async () => {
        const outcome = await session.step();
        // A copy: the gradient may be a view the next step overwrites.
        first ??= { loss: outcome.loss, activeCount: outcome.activeCount, gradient: Float64Array.from(outcome.gradient) };
        return SESSION_FAULT_ACTS[fault](outcome, first);
      };
      // Timed here, by the product's timing, whatever the engine's own (a host child's window would bypass the wrapper).
      return { step, setWeights: (weights) => session.setWeights(weights), close: () => session.close() };
    },
  };
}

/** The product's registry with `injection` applied. */
export function faultyEngines(injection: FaultInjection): EngineRegistry {
  const kind = injection.kind;
  if (isSessionFault(kind)) {
    const names = Object.keys(ENGINES_BY_NAME) as EngineName[];
    return Object.fromEntries(names.map((name) => [name, wrongAnswers(ENGINES_BY_NAME[name], injection, kind)])) as EngineRegistry;
  }
  return isWorkerFault(kind)
    ? { ...ENGINES_BY_NAME, workers: faultyWorkers(injection, kind) }
    : { ...ENGINES_BY_NAME, 'tfjs-node': faultyHost('tfjs-node', injection, kind) };
}

/**
 * The product's registry with `injection`'s host fault on the hosts of `engine`, a tfjs
 * engine other than tfjs-node (whose hosts faultyEngines strikes): the host child, its
 * client and a sweep's handling of its end are every tfjs engine's, and tfjs-cpu's host
 * loads tfjs (about 0.4 CPU-s), not the native addon (about 1.4).
 */
export function faultyHostEngines(engine: 'tfjs-cpu' | 'tfjs-wasm', injection: FaultInjection, fault: HostFault): EngineRegistry {
  return { ...ENGINES_BY_NAME, [engine]: faultyHost(engine, injection, fault) };
}
