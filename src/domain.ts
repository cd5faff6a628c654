/**
 * The names of the benchmark's axes: what a configuration is made of. Every layer speaks
 * them (the CLI, the sweep, the engines, the worker threads, the reports), so they live
 * here, above all of them; the engine and kernel registries give each name its behaviour.
 */
import type { WORKER_KERNELS } from './engines/worker-kernels.js';

/** Every engine name the CSV contract knows (docs/design.md, "The engines"). */
export type EngineName = 'workers' | 'tfjs-node' | 'tfjs-wasm' | 'tfjs-cpu';

/** Kernels the `workers` engine runs inside its threads: the keys of its registry (src/engines/worker-kernels.ts). */
export type KernelName = keyof typeof WORKER_KERNELS;

/** Kernels of the tfjs engines: the tfjs backend each runs in its host child. */
export type TfjsBackend = 'tensorflow' | 'wasm' | 'cpu';

/** A kernel of any engine, as a configuration names it. */
export type EngineKernel = KernelName | TfjsBackend;

/**
 * fused: the difference formulation (one projection per difference); autograd: three
 * embeddings differentiated by tfjs. Their FLOPs: src/flops.ts.
 */
export type Formulation = 'fused' | 'autograd';
export const FORMULATIONS: readonly Formulation[] = ['fused', 'autograd'];

/** dense: every triplet's backward work multiplied by its mask; compact: active ones only. */
export type Strategy = 'dense' | 'compact';
export const STRATEGIES: readonly Strategy[] = ['dense', 'compact'];
