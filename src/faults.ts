/**
 * Fault injection, for the tests that prove a sweep survives its failures (a kernel that
 * throws, a worker that exits or runs out of memory, a native child killed by a signal).
 * Reached through `run --inject-fault KIND[@MATCH]`, hidden from --help: it exists to be
 * tested, not used.
 */
import type { EngineConfig } from './engines/engine.js';

export const FAULT_KINDS = ['worker-throw', 'worker-exit', 'worker-oom', 'child-kill'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

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

/** The fault that strikes `config`, if any. */
export function faultFor(config: EngineConfig, injection: FaultInjection | undefined): FaultKind | undefined {
  if (!injection || !configKey(config).includes(injection.match)) return undefined;
  const inWorkers = injection.kind !== 'child-kill';
  return inWorkers === (config.engine === 'workers') ? injection.kind : undefined;
}
