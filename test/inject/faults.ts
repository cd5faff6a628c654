/**
 * The faults the test entry (cli.ts) can inject, and the configurations they strike.
 * Shared by the entry, its engines and the tests that drive it; nothing here is in the
 * product.
 */
import type { EngineConfig } from '../../src/engines/engine.js';

/**
 * Faults committed inside a worker thread (by worker.ts): the kernel throws, the thread
 * exits, or it exhausts its heap. A new one (say a kernel that never returns, for a step
 * watchdog) is one more name here and its act in worker.ts's FAULT_ACTS.
 */
export const WORKER_FAULTS = ['worker-throw', 'worker-exit', 'worker-oom', 'kernel-hang', 'kernel-native-hang'] as const;
/** One of WORKER_FAULTS. */
export type WorkerFault = (typeof WORKER_FAULTS)[number];

/**
 * Faults of a tfjs host child (host.ts): `child-kill`, killed by a signal inside its timing
 * window; `host-stop`, stopped by SIGSTOP as it opens the configuration (its warm-up), as a
 * user's `kill -STOP` of the host does (issue 23, item 4).
 */
export const HOST_FAULTS = ['child-kill', 'host-stop'] as const;
/** One of HOST_FAULTS. */
export type HostFault = (typeof HOST_FAULTS)[number];

/**
 * Wrong answers, not crashes, committed by a wrapper around any engine's session
 * (engines.ts): `memoise` runs every step but returns the first step's result forever (a
 * kernel that memoises, a stale-state bug: the opening check passes it, the closing check
 * at a perturbed W must not); `loss-off` reports a loss 1 % off with a right gradient
 * (a gradient-only check passes it).
 */
export const SESSION_FAULTS = ['memoise', 'loss-off'] as const;
/** One of SESSION_FAULTS. */
export type SessionFault = (typeof SESSION_FAULTS)[number];

/** Every fault `--inject-fault` knows. */
export const FAULT_KINDS = [...WORKER_FAULTS, ...HOST_FAULTS, ...SESSION_FAULTS] as const;
/** One of FAULT_KINDS. */
export type FaultKind = WorkerFault | HostFault | SessionFault;

/** The environment variable that tells the fault worker which fault to commit. */
export const WORKER_FAULT_ENV = 'TRIPLET_BENCH_TEST_WORKER_FAULT';
/** The line the test entry's --hold-after-work prints as its hold begins (cli.ts). */
export const HOLD_LINE = 'test entry: holding after the work, before the final save';

/** The environment variable that tells the fault host which fault to commit. */
export const HOST_FAULT_ENV = 'TRIPLET_BENCH_TEST_HOST_FAULT';

/** Which step of a session the fault strikes: after the check step (and a re-step), inside timing. */
export const FAULT_AT_STEP = 3;

/** Old-generation heap of a worker pool that will be made to run out of memory, MB. */
export const FAULT_OOM_HEAP_MB = 32;

/** A fault and the configurations it strikes. */
export interface FaultInjection {
  readonly kind: FaultKind;
  /** Strikes configurations whose key (engine/kernel/formulation/strategy/T<threads>) contains it; every one when empty. */
  readonly match: string;
}

/** The key a fault's MATCH is looked up in: workers/js/fused/dense/T2. */
export function configKey(config: EngineConfig): string {
  return `${config.engine}/${config.kernel}/${config.formulation}/${config.strategy}/T${config.threads}`;
}

/** Parses KIND[@MATCH]; throws a message naming the option on anything else. */
export function parseFault(raw: string): FaultInjection {
  const at = raw.indexOf('@');
  const kind = at < 0 ? raw : raw.slice(0, at);
  const match = at < 0 ? '' : raw.slice(at + 1);
  if (!(FAULT_KINDS as readonly string[]).includes(kind)) {
    throw new Error(`--inject-fault expects KIND[@MATCH] with KIND one of ${FAULT_KINDS.join(', ')}, got '${raw}'`);
  }
  return { kind: kind as FaultKind, match };
}

/** Whether `injection` strikes `config`. */
export function strikes(injection: FaultInjection, config: EngineConfig): boolean {
  return configKey(config).includes(injection.match);
}

/** Whether a fault is committed by a session wrapper in the sweep's process. */
export function isSessionFault(kind: FaultKind): kind is SessionFault {
  return (SESSION_FAULTS as readonly string[]).includes(kind);
}

/** Whether a fault is committed in a worker thread (else in a tfjs host child or a session wrapper). */
export function isWorkerFault(kind: FaultKind): kind is WorkerFault {
  return (WORKER_FAULTS as readonly string[]).includes(kind);
}
