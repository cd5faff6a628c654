/**
 * Expands a selection into workloads (batch x dims x margin choice) and engine
 * configurations (engine x kernel x formulation x strategy x threads).
 */
import type { EngineConfig } from '../engines/engine.js';
import { ENGINES_BY_NAME } from '../engines/index.js';
import type { Selection } from '../options.js';
import type { Shape } from '../triplet/problem.js';
import type { MarginChoice } from '../triplet/synthetic.js';

/** What a workload is made from. */
export interface WorkloadSpec {
  readonly shape: Shape;
  readonly choice: MarginChoice;
}

/** A configuration and whether it computes a gradient or only times the harness. */
export interface PlannedConfig extends EngineConfig {
  readonly role: 'gradient' | 'overhead';
}

/** Every batch size x dims x (active fraction | margin) of the selection. */
export function workloadSpecs(selection: Selection): WorkloadSpec[] {
  const choices: MarginChoice[] = selection.margins
    ? selection.margins.map((margin) => ({ margin }))
    : (selection.activeFractions ?? []).map((activeFraction) => ({ activeFraction }));
  return selection.batches.flatMap((batch) =>
    selection.dims.flatMap(({ dIn, dOut }) => choices.map((choice) => ({ shape: { batch, dIn, dOut }, choice }))),
  );
}

/**
 * Every engine configuration of the selection. With `overhead`, each engine's overhead
 * kernel joins at every thread count (once: it has no strategy to vary).
 */
export function engineConfigs(selection: Selection, options: { overhead: boolean }): PlannedConfig[] {
  const configs: PlannedConfig[] = [];
  for (const name of selection.engines) {
    const engine = ENGINES_BY_NAME[name];
    const kernels = engine.kernels.filter((k) => selection.kernels?.includes(k) ?? true);
    const formulations = engine.formulations.filter((f) => selection.formulations?.includes(f) ?? true);
    for (const kernel of kernels) {
      for (const formulation of formulations) {
        for (const strategy of selection.strategies) {
          for (const threads of engine.threadCounts?.(selection.threads) ?? selection.threads) {
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
