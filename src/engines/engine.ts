/**
 * One interface for every engine: the workers pool and, later, tfjs backends. A
 * configuration names an engine, one of its kernels, a formulation, a strategy and a
 * thread count; an engine opens a session for it on a workload and steps it.
 */
import type { EngineKernel, EngineName, Formulation, Strategy } from '../domain.js';
import type { Shape } from '../triplet/problem.js';
import type { Workload } from '../workload.js';
import type { PhaseSample } from '../phases.js';

/** One point of a sweep, less the workload. */
export interface EngineConfig {
  readonly engine: EngineName;
  readonly kernel: EngineKernel;
  readonly formulation: Formulation;
  readonly strategy: Strategy;
  readonly threads: number;
}

/** Whether an engine (or one of its kernels) can run here, and if not, why and how to fix it. */
export type Availability = { readonly available: true } | { readonly available: false; readonly reason: string; readonly fix: string };

/** What one step reports; the gradient may be a view that the next step overwrites. */
export interface StepOutcome {
  readonly loss: number;
  readonly activeCount: number;
  readonly gradient: ArrayLike<number>;
  /** Slowest shard over mean shard compute time, where the engine shards. */
  readonly stragglerRatio?: number;
}

/** What one timing window collected: by src/bench/timing.ts here, or by an engine's own child. */
export interface TimingWindow {
  /** Step latencies, ms. */
  readonly samplesMs: readonly number[];
  /** Each step's straggler ratio, where the engine reports one. */
  readonly stragglerRatios: readonly number[];
  /** The window's last step, its gradient copied: the closing check judges it (src/bench/closing-check.ts). */
  readonly lastOutcome: StepOutcome;
}

/** An opened configuration: warm, ready to step. */
export interface EngineSession {
  step(): Promise<StepOutcome>;
  /** Times a window where the steps run, when that is not this process (a child's own tinybench). */
  time?(options: { budgetMs: number; stepMs: number; minSamples: number; signal?: AbortSignal }): Promise<TimingWindow>;
  /**
   * Replaces W (D_out x D_in, row-major) for the steps that follow: the closing check's
   * perturbed W (src/bench/closing-check.ts), and the workload's own again after it.
   */
  setWeights(weights: Float32Array): Promise<void>;
  /**
   * Steps `steps` more times with each step's phases timed (src/phases.ts), where the
   * engine can: untimed steps after the windows (src/bench/phase-profile.ts).
   */
  profilePhases?(steps: number): Promise<readonly PhaseSample[]>;
  close(): Promise<void>;
}

/**
 * Where an engine's steps run: a pool of worker threads in this process (opening one
 * starts the threads), a child process of its own per configuration (opening one starts
 * the process), or the thread that calls `step`.
 */
export type RunsIn = 'pool' | 'child' | 'main';

/** An engine: where it runs, its kernels and formulations, whether it runs here, and how to open it. */
export interface Engine {
  readonly name: EngineName;
  readonly runsIn: RunsIn;
  /** Whether it spreads a step over threads; one that does not runs at one thread whatever is asked. */
  readonly parallel: boolean;
  /** What reports call one of its kernels: `workers/js`; a tfjs engine, whose one kernel is its backend, by its own name. */
  label(kernel: string): string;
  /** Kernels that compute a gradient. */
  readonly kernels: readonly EngineKernel[];
  /** A kernel with the same machinery and no arithmetic, timed for the harness overhead. */
  readonly overheadKernel?: EngineKernel;
  readonly formulations: readonly Formulation[];
  availability(kernel: EngineKernel): Availability;
  /** Bytes a configuration of this engine holds in a child process of its own, beyond the sweep's; none when absent. */
  hostMemory?(shape: Shape): number;
  /**
   * Bytes each thread of its pool holds when a selection asks for `kernels` (undefined:
   * all of them), from the kernels that run here; absent where it starts no thread in this
   * process.
   */
  poolThreadBytes?(kernels: readonly EngineKernel[] | undefined): number;
  open(workload: Workload, config: EngineConfig): Promise<EngineSession>;
}

/** The thread counts an engine runs of those asked for: all of them, or [1] where it does not parallelise. */
export function threadCountsOf(engine: Engine, requested: readonly number[]): number[] {
  return engine.parallel ? [...requested] : [1];
}
