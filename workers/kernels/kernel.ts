/** The interface every in-worker kernel implements. */
import type { ArenaViews } from '../../src/thread-boundary/arena.js';
import type { Strategy } from '../../src/domain.js';
import type { Shape } from '../../src/triplet/problem.js';
import type { PhaseClock } from '../../src/phases.js';

/** Sums over one shard: the loss sum of max(h_i, 0) and the active count. */
export interface ShardSums {
  lossSum: number;
  activeCount: number;
}

/** Everything one kernel call works on, handed over explicitly. */
export interface ShardCall {
  readonly views: ArenaViews;
  /** The slot this call owns for the step: its partial, its scratch, its statistics. */
  readonly slot: number;
  /** The slot's partial gradient (D_out x D_in float64), to be overwritten. */
  readonly partial: Float64Array;
  /**
   * The slot's private stretch of the arena's kernel scratch, `scratchBytes(shape)` long
   * at least (the worker checks before the call). Kernels whose working space lives
   * elsewhere (the JS heap, TensorFlow) ignore it.
   */
  readonly scratch: Uint8Array;
  /** Rows [start, end) of the batch; the shard may be empty. */
  readonly start: number;
  readonly end: number;
  readonly strategy: Strategy;
  /** On a profiled step only: the kernel marks the end of each of its phases (src/phases.ts). */
  readonly phases?: PhaseClock;
}

/**
 * A kernel: computes, for rows [start, end), sum_i m_i (P_i u_i^T - Q_i v_i^T) into the
 * partial (overwriting it) and returns the shard's sums. It may use the arena's per-row
 * regions (projections, hinge, active list) of its own rows as working space.
 */
export interface ShardKernel {
  /** Bytes of arena scratch per slot this kernel needs for a shape (0: none). */
  scratchBytes(shape: Shape): number;
  run(call: ShardCall): ShardSums;
}
