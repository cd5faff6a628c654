/**
 * The names of the benchmark's axes: what a configuration is made of. Every layer speaks
 * them (the CLI, the sweep, the engines, the worker threads, the reports), so they live
 * here, above all of them; the engine and kernel registries give each name its behaviour.
 */
/** Every engine name the CSV contract knows (docs/design.md, "The engines"). */
export type EngineName = 'workers' | 'tfjs-node' | 'tfjs-wasm' | 'tfjs-cpu';

/**
 * Kernels the `workers` engine runs inside its threads. Both of its registries are typed
 * by this union (src/engines/workers/kernels.ts, workers/kernels/index.ts), so the compiler
 * refuses a name without its kernel on either side, or a kernel without its name.
 */
export type KernelName = 'js' | 'wasm' | 'tfjs' | 'empty';

/** Kernels of the tfjs engines: the tfjs backend each runs in its host child. */
export type TfjsBackend = 'tensorflow' | 'wasm' | 'cpu';

/** A kernel of any engine, as a configuration names it. */
export type EngineKernel = KernelName | TfjsBackend;

/**
 * fused: the difference formulation (one projection per difference); autograd: three
 * embeddings differentiated by tfjs. Their FLOPs: src/model/flops.ts.
 */
export type Formulation = 'fused' | 'autograd';
/** Every formulation, in the order options and reports list them. */
export const FORMULATIONS: readonly Formulation[] = ['fused', 'autograd'];

/** dense: every triplet's backward work multiplied by its mask; compact: active ones only. */
export type Strategy = 'dense' | 'compact';
/** Every strategy, in the order options and reports list them. */
export const STRATEGIES: readonly Strategy[] = ['dense', 'compact'];
