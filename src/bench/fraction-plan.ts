/**
 * Which configurations a profile runs at which active fraction. The break-even between
 * dense and compact (src/report/breakeven.ts) needs several fractions of every worker
 * kernel and of tfjs-node's fused formulation: its subjects. The autograd formulation,
 * the single-thread reference engines (tfjs-wasm, tfjs-cpu) and the harness-only kernel
 * answer their own questions at one fraction. The reference engines' steps are the quick
 * profile's largest costs (autograd 12 to 15 s a step on 2 busy cores; tfjs-cpu's fused
 * compact 18 s a row, dense 17 s), so it runs them fused and dense only: the scale of
 * tfjs's other backends, against which every other row is read.
 */
import type { Formulation, Strategy } from '../domain.js';
import type { EngineRegistry } from '../engines/index.js';
import type { PlannedConfig, WorkloadSpec } from './plan.js';

/** How a profile trims the cross product of workloads and configurations. */
export interface ProfileTrim {
  /** The one active fraction every configuration runs at; the others run the break-even subjects only. */
  readonly everyConfigurationAt: number;
  /** The formulations the single-thread reference engines run. */
  readonly singleThreadFormulations: readonly Formulation[];
  /** The strategies the single-thread reference engines run. */
  readonly singleThreadStrategies: readonly Strategy[];
}

/** What the command line set itself: the profile does not trim what the user asked for. */
export interface AskedFor {
  readonly fractions: boolean;
  readonly formulations: boolean;
  readonly strategies: boolean;
}

/** Which configurations a workload runs. */
export type ConfigFilter = (config: PlannedConfig, spec: WorkloadSpec) => boolean;

/** An engine that runs one thread whatever is asked: a reference row, not a scaling subject. */
function singleThread(config: PlannedConfig, engines: EngineRegistry): boolean {
  return !engines[config.engine].parallel;
}

/** Whether a configuration is one whose break-even a run measures at every fraction. */
export function tracksBreakEven(config: PlannedConfig, engines: EngineRegistry): boolean {
  return config.role === 'gradient' && config.formulation === 'fused' && !singleThread(config, engines);
}

/**
 * The profile's filter, or undefined where it trims nothing (no trim, or the user chose
 * both axes); which engines are single-thread references, `engines` say.
 */
export function trimFilter(trim: ProfileTrim | undefined, asked: AskedFor, engines: EngineRegistry): ConfigFilter | undefined {
  if (!trim || (asked.fractions && asked.formulations && asked.strategies)) return undefined;
  return (config, spec) => {
    if (!asked.formulations && singleThread(config, engines) && !trim.singleThreadFormulations.includes(config.formulation)) return false;
    if (!asked.strategies && singleThread(config, engines) && !trim.singleThreadStrategies.includes(config.strategy)) return false;
    if (asked.fractions || !('activeFraction' in spec.choice)) return true;
    return spec.choice.activeFraction === trim.everyConfigurationAt || tracksBreakEven(config, engines);
  };
}

/** Configurations x workloads the sweep visits once filtered: one round's length. */
export function plannedCount(specs: readonly WorkloadSpec[], configs: readonly PlannedConfig[], filter: ConfigFilter | undefined): number {
  return specs.reduce((sum, spec) => sum + (filter ? configs.filter((config) => filter(config, spec)).length : configs.length), 0);
}
