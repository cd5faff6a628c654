/** The interface every in-worker kernel implements. */
import type { ArenaViews } from '../../src/arena.js';
import type { Strategy } from '../../src/domain.js';

/** Sums over one shard: the loss sum of max(h_i, 0) and the active count. */
export interface ShardSums {
  lossSum: number;
  activeCount: number;
}

/**
 * Computes, for rows [start, end), sum_i m_i (P_i u_i^T - Q_i v_i^T) into `partial`
 * (overwriting it), the hinge values into the arena, and returns the shard's sums.
 */
export type ShardKernel = (
  views: ArenaViews,
  partial: Float64Array,
  start: number,
  end: number,
  strategy: Strategy,
) => ShardSums;
