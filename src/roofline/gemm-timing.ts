/**
 * Times the workload's two GEMM shapes with tfjs-node's matMul: the forward
 * [B, D_in] x [D_in, D_out] (P = U W^T) and the backward's transpose
 * [D_out, B] x [B, D_in] (P^T U), alternately, for about `windowMs`.
 */
import { performance } from 'node:perf_hooks';
import type * as tfType from '@tensorflow/tfjs-core';
import type { Shape } from '../triplet/problem.js';

/**
 * The fastest run of each GEMM, ms, and the GFLOP/s of one of each. A roofline is a peak:
 * no run can beat the hardware, while other processes only slow runs down, so the best
 * run is the estimate that noise does not bias (a median here fell below the 1-thread
 * figure at T = 2 while six builds shared two cores).
 */
export interface GemmTiming {
  readonly forwardMs: number;
  readonly backwardMs: number;
  readonly gflops: number;
}

/** Untimed runs of each GEMM first (allocator, kernel selection). */
const WARM_RUNS = 2;

/** Both GEMMs of `shape`, alternating, for `windowMs` (at least 3 of each). */
export function timeGemms(tf: typeof tfType, shape: Shape, windowMs: number): GemmTiming {
  const { batch, dIn, dOut } = shape;
  const u = tf.randomNormal([batch, dIn]) as tfType.Tensor2D;
  const w = tf.randomNormal([dOut, dIn]) as tfType.Tensor2D;
  const p = tf.randomNormal([batch, dOut]) as tfType.Tensor2D;
  // tfjs-node runs an op to completion before returning its tensor: timing the call times the GEMM.
  const forward = () => tf.matMul(u, w, false, true).dispose();
  const backward = () => tf.matMul(p, u, true, false).dispose();
  try {
    for (let i = 0; i < WARM_RUNS; i++) {
      forward();
      backward();
    }
    const forwardMs: number[] = [];
    const backwardMs: number[] = [];
    const end = performance.now() + windowMs;
    while (forwardMs.length < 3 || performance.now() < end) {
      let start = performance.now();
      forward();
      forwardMs.push(performance.now() - start);
      start = performance.now();
      backward();
      backwardMs.push(performance.now() - start);
    }
    const f = Math.min(...forwardMs);
    const b = Math.min(...backwardMs);
    return { forwardMs: f, backwardMs: b, gflops: (4 * batch * dIn * dOut) / ((f + b) * 1e6) };
  } finally {
    tf.dispose([u, w, p]);
  }
}
