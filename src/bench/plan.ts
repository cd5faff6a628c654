/**
 * Expands a selection into workloads (batch x dims x margin choice) and engine
 * configurations (engine x kernel x formulation x strategy x threads).
 */
import { threadCountsOf, type EngineConfig } from '../engines/engine.js';
import type { EngineRegistry } from '../engines/index.js';
import type { Selection } from '../selection.js';
import type { Shape } from '../triplet/problem.js';
import type { MarginChoice } from '../triplet/synthetic.js';

/** What a workload is made from. */
export interface WorkloadSpec {
  readonly shape: Shape;
  readonly choice: MarginChoice;
  /**
   * Weak scaling: the one thread count this workload runs at, its batch being that many
   * times --batch (the triplets per thread). Undefined for strong scaling, where every
   * thread count shares the batch.
   */
  readonly weakThreads?: number;
}

/** Strong scaling keeps the batch and adds threads; weak keeps the triplets per thread (Gustafson). */
export type Scaling = 'strong' | 'weak' | 'both';
export const SCALINGS: readonly Scaling[] = ['strong', 'weak', 'both'];

/**
 * The default: both on a machine with more than 8 physical cores, where the default batch
 * split over every thread leaves each too few triplets to measure the gradient rather than
 * the barrier; strong alone elsewhere.
 */
export function defaultScaling(physicalCores: number): Scaling {
  return physicalCores > 8 ? 'both' : 'strong';
}

/** A configuration and whether it computes a gradient or only times the harness. */
export interface PlannedConfig extends EngineConfig {
  readonly role: 'gradient' | 'overhead';
}

/**
 * Every batch size x dims x (active fraction | margin) of the selection. Weak scaling adds,
 * for each thread count T, a workload of T x --batch triplets run at T threads only; with
 * both, the strong workloads' one-thread rows are the weak ones' too (the same work).
 */
export function workloadSpecs(selection: Selection, scaling: Scaling = 'strong'): WorkloadSpec[] {
  const choices: MarginChoice[] = selection.margins
    ? selection.margins.map((margin) => ({ margin }))
    : (selection.activeFractions ?? []).map((activeFraction) => ({ activeFraction }));
  const strong = scaling === 'weak' ? [] : selection.batches.flatMap((batch) =>
    selection.dims.flatMap(({ dIn, dOut }) => choices.map((choice) => ({ shape: { batch, dIn, dOut }, choice }))),
  );
  const weakThreads = scaling === 'strong' ? [] : selection.threads.filter((threads) => scaling === 'weak' || threads > 1);
  const weak = weakThreads.flatMap((threads) => selection.batches.flatMap((perThread) =>
    selection.dims.flatMap(({ dIn, dOut }) => choices.map((choice) => ({ shape: { batch: threads * perThread, dIn, dOut }, choice, weakThreads: threads }))),
  ));
  return [...strong, ...weak];
}

/** Whether a configuration runs on a workload: a weak-scaling workload at its own thread count only. */
export function runsOn(config: EngineConfig, spec: WorkloadSpec): boolean {
  return spec.weakThreads === undefined || config.threads === spec.weakThreads;
}

/**
 * Every engine configuration of the selection, as `engines` describe themselves. With
 * `overhead`, each engine's overhead kernel joins at every thread count (once: it has no
 * strategy to vary).
 */
export function engineConfigs(selection: Selection, engines: EngineRegistry, options: { overhead: boolean }): PlannedConfig[] {
  const configs: PlannedConfig[] = [];
  for (const name of selection.engines) {
    const engine = engines[name];
    const kernels = engine.kernels.filter((k) => selection.kernels?.includes(k) ?? true);
    const formulations = engine.formulations.filter((f) => selection.formulations?.includes(f) ?? true);
    for (const kernel of kernels) {
      for (const formulation of formulations) {
        for (const strategy of selection.strategies) {
          for (const threads of threadCountsOf(engine, selection.threads)) {
            configs.push({ engine: name, kernel, formulation, strategy, threads, role: 'gradient' });
          }
        }
      }
    }
    const overheadKernel = engine.overheadKernel;
    const overheadAsked = selection.kernels === undefined ? options.overhead : overheadKernel !== undefined && selection.kernels.includes(overheadKernel);
    if (overheadKernel && overheadAsked && formulations.length > 0) {
      for (const threads of selection.threads) {
        configs.push({ engine: name, kernel: overheadKernel, formulation: formulations[0]!, strategy: 'dense', threads, role: 'overhead' });
      }
    }
  }
  return configs;
}
