/**
 * The coordinator: a warm Piscina pool of exactly T threads over one arena. A step is
 * two rounds of T small tasks: every worker computes its shard's partial gradient
 * (phase 1), then every worker reduces one slice of the gradient's elements across all
 * partials (phase 2). Awaiting all of phase 1 is the barrier between them.
 */
import { Piscina } from 'piscina';
import { Control, SHARD_ROW_GRANULE, SlotStat, writeProblem, type ArenaViews } from '../../thread-boundary/arena.js';
import { SHARD_WORKER_FILE } from '../../layout.js';
import { WorkerEntry, type ComputeTask, type ReduceTask, type ShardTiming, type WarmUpTask, type WorkerBootData } from '../../thread-boundary/messages.js';
import type { KernelPhase, PhaseSample } from '../../phases.js';
import { shardBounds, type Range } from './shards.js';
import { reductionScale, type Reduction, type TripletProblem } from '../../triplet/problem.js';
import type { KernelName, Strategy } from '../../domain.js';
import { tfWorkerExecArgv } from '../../compat/profiler-flags.js';

/** The worker module every pool runs: the only file of workers/ that src/ names (src/layout.ts). */
const WORKER_FILE = SHARD_WORKER_FILE;

/** How long the warm-up rendezvous waits for every thread to start. */
const WARM_UP_TIMEOUT_MS = 60_000;

/** What one sharded step returns. The gradient is a view into the arena: copy it to keep it. */
export interface StepResult {
  readonly loss: number;
  readonly activeCount: number;
  readonly gradient: Float64Array;
  /** Slowest shard's compute time over the mean of the non-empty shards' (1 = balanced). */
  readonly stragglerRatio: number;
}

/** Options for one step. */
export interface StepOptions {
  readonly kernel: KernelName;
  readonly strategy: Strategy;
  readonly reduction?: Reduction;
}

/** How a pool is started. */
export interface PoolOptions {
  /** V8 heap limits of each worker (a worker beyond them ends, and its task fails). */
  readonly resourceLimits?: { readonly maxOldGenerationSizeMb: number };
  /**
   * The worker module, when not the product's: a module with the same three exports
   * (warmUp, compute, reduce). Tests pass one that fails on purpose (test/inject/).
   */
  readonly workerFile?: string;
}

/** A pool of T threads bound to one arena, warmed before first use. */
export class ShardedGradient {
  private readonly shards: Range[];
  private readonly slices: Range[];

  private constructor(
    private readonly pool: Piscina,
    readonly arena: ArenaViews,
    readonly threads: number,
  ) {
    // Aligned shard starts let the tfjs kernel's TensorFlow read the arena in place.
    this.shards = shardBounds(arena.layout.shape.batch, threads, SHARD_ROW_GRANULE);
    const { dIn, dOut } = arena.layout.shape;
    this.slices = shardBounds(dIn * dOut, threads);
  }

  /** Starts T threads on the arena and returns once every one of them ran a task. */
  static async open(arena: ArenaViews, threads: number, options: PoolOptions = {}): Promise<ShardedGradient> {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
    if (threads > arena.layout.slots) {
      throw new RangeError(`arena has ${arena.layout.slots} slots, ${threads} threads asked for`);
    }
    const workerData: WorkerBootData = { buffer: arena.buffer, memory: arena.memory };
    // The tfjs kernel runs TensorFlow in these threads: not under the CPU profiler (src/compat/profiler-flags.ts).
    const execArgv = tfWorkerExecArgv();
    const pool = new Piscina({
      filename: options.workerFile ?? WORKER_FILE,
      minThreads: threads,
      maxThreads: threads,
      concurrentTasksPerWorker: 1,
      idleTimeout: Number.POSITIVE_INFINITY,
      workerData,
      ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
      ...(execArgv ? { execArgv } : {}),
    });
    const sharded = new ShardedGradient(pool, arena, threads);
    try {
      await sharded.rendezvous();
    } catch (error) {
      await pool.destroy();
      throw error;
    }
    return sharded;
  }

  /** T tasks that each wait for all T to arrive: proof that every thread is up and ran one. */
  private async rendezvous(): Promise<void> {
    Atomics.store(this.arena.control, Control.warmUpArrivals, 0);
    const task: WarmUpTask = { participants: this.threads, timeoutMs: WARM_UP_TIMEOUT_MS };
    const ids = await Promise.all(
      Array.from({ length: this.threads }, () => this.pool.run(task, { name: WorkerEntry.warmUp }) as Promise<number>),
    );
    if (new Set(ids).size !== this.threads) {
      throw new Error(`warm-up reached ${new Set(ids).size} distinct threads, expected ${this.threads}`);
    }
  }

  /**
   * Writes a new batch, W and margin into the arena, for the next step (training). The
   * workers read the arena afresh in every task, and no task is in flight between steps,
   * so the pool and its threads stay as they are.
   */
  load(problem: TripletProblem): void {
    writeProblem(this.arena, problem);
  }

  /** One whole gradient step: dispatch, compute, barrier, parallel reduction. */
  async step(options: StepOptions): Promise<StepResult> {
    return (await this.run(options, false)).result;
  }

  /**
   * One step as `step` runs it, its phases timed (src/phases.ts): the workers mark their
   * kernel's phases and say when their shard began and ended, on the epoch clock
   * (performance.timeOrigin + now) that every thread of the process shares.
   */
  async profiledStep(options: StepOptions): Promise<{ result: StepResult; sample: PhaseSample }> {
    const { result, sample } = await this.run(options, true);
    return { result, sample: sample! };
  }

  private async run(options: StepOptions, profile: boolean): Promise<{ result: StepResult; sample?: PhaseSample }> {
    const { kernel, strategy, reduction = 'mean' } = options;
    const { arena, pool } = this;
    const began = profile ? performance.now() : 0;
    const timings = await Promise.all(
      this.shards.map((shard, slot) => {
        const task: ComputeTask = { slot, start: shard.start, end: shard.end, kernel, strategy, ...(profile ? { profile } : {}) };
        return pool.run(task, { name: WorkerEntry.compute }) as Promise<ShardTiming | undefined>;
      }),
    );
    const computed = profile ? performance.now() : 0;

    let lossSum = 0;
    let activeCount = 0;
    let slowestMs = 0;
    let totalMs = 0;
    let busySlots = 0;
    for (let slot = 0; slot < this.threads; slot++) {
      const at = slot * SlotStat.count;
      lossSum += arena.slotStats[at + SlotStat.lossSum]!;
      activeCount += arena.slotStats[at + SlotStat.activeCount]!;
      if (arena.slotStats[at + SlotStat.rows]! > 0) {
        const ms = arena.slotStats[at + SlotStat.computeMs]!;
        slowestMs = Math.max(slowestMs, ms);
        totalMs += ms;
        busySlots++;
      }
    }

    const scale = reductionScale(reduction, arena.layout.shape.batch, activeCount);
    await Promise.all(
      this.slices.map((slice) => {
        const task: ReduceTask = { start: slice.start, end: slice.end, slotCount: this.threads, scale: 2 * scale };
        return pool.run(task, { name: WorkerEntry.reduce });
      }),
    );

    const meanMs = busySlots > 0 ? totalMs / busySlots : 0;
    const result = {
      loss: scale * lossSum,
      activeCount,
      gradient: arena.gradient,
      stragglerRatio: meanMs > 0 ? slowestMs / meanMs : 1,
    };
    if (!profile) return { result };
    const ended = performance.now();
    const busy = timings.filter((t, slot): t is ShardTiming => t !== undefined && this.shards[slot]!.end > this.shards[slot]!.start);
    return { result, sample: phaseSample(busy, performance.timeOrigin + began, computed - began, ended - computed) };
  }

  /** Ends every thread of the pool. */
  async close(): Promise<void> {
    await this.pool.destroy();
  }
}

/**
 * A profiled step's phases from its busy shards' timings: the mean shard's dispatch and
 * kernel phases, the barrier as what phase 1 took beyond them (the wait for the slowest
 * shard and the messages back), and the reduction; so they sum to the step.
 */
function phaseSample(shards: readonly ShardTiming[], beganAt: number, computeMs: number, reductionMs: number): PhaseSample {
  const n = Math.max(1, shards.length);
  const mean = (f: (t: ShardTiming) => number) => shards.reduce((sum, t) => sum + f(t), 0) / n;
  const dispatch = mean((t) => t.beganAt - beganAt);
  const shardMs = mean((t) => t.endedAt - t.beganAt);
  const phases: PhaseSample['phases'] & Record<string, number> = { dispatch, barrier: computeMs - dispatch - shardMs, reduction: reductionMs };
  let marked = 0;
  for (const phase of ['forward', 'hinge', 'mask', 'backward', 'readout'] as const satisfies readonly KernelPhase[]) {
    const ms = mean((t) => t.phases[phase] ?? 0);
    if (ms > 0) phases[phase] = ms;
    marked += ms;
  }
  phases['kernel'] = shardMs - marked;
  return { stepMs: computeMs + reductionMs, phases };
}
