/**
 * The byte model, beside the FLOP model (src/model/flops.ts): the bytes one gradient step moves
 * to and from memory when each formulation materialises its tensors as tfjs and TensorFlow
 * do (every op reads its inputs and writes its output, float32). Its quotient with the FLOPs
 * is a step's operational intensity, which places it under the memory roof or the compute
 * roof of the roofline (Williams, Waterman, Patterson 2009). A kernel that keeps its
 * intermediates in cache (the wasm kernel's blocks) moves fewer bytes than this; the model
 * is the formulation's, not a kernel's, so every engine is placed on one scale.
 *
 * Counts in float32 elements (x 4 bytes), B triplets, K active, W of D_out x D_in:
 *
 * fused, dense                                   reads + writes
 *   u = a - p, v = a - n                         3 B D_in + 2 B D_in
 *   P = W u, Q = W v                             2 B D_in + W + 2 B D_out
 *   h = |P|^2 - |Q|^2 + alpha                    2 B D_out + B
 *   P, Q times the mask of h                     B + 2 B D_out + 2 B D_out
 *   dW = P^T u - Q^T v                           2 B D_out + 2 B D_in + W
 *   total: 9 B D_in + 10 B D_out + 2 B + 2 W
 * fused, compact: the same subtraction, forward and hinge; the active list (B read, K
 *   written); u, v, P, Q gathered over K (2 K D_in + 2 K D_out read and written); the
 *   backward over K (2 K D_out + 2 K D_in + W):
 *   total: 7 B D_in + 4 B D_out + 2 B + W  +  6 K D_in + 6 K D_out + K  +  W
 * autograd, dense: three embeddings (3 B D_in + W read, 3 B D_out written), the two
 *   distances and the hinge (3 B D_out read, 3 B written and read), the embeddings'
 *   gradients (3 B D_out written, then read with the inputs 3 B D_in for dW, W written):
 *   total: 6 B D_in + 12 B D_out + 6 B + 2 W
 * autograd, compact: the forward over all B to find the active rows (3 B D_in + W + 6 B D_out
 *   + 6 B), their inputs gathered (3 K D_in read and written), then autograd dense over K:
 *   total: 3 B D_in + 6 B D_out + 6 B + W  +  12 K D_in + 12 K D_out + 6 K  +  2 W
 */
import type { Formulation, Strategy } from '../domain.js';
import type { FlopShape } from './flops.js';
import { stepFlops } from './flops.js';

/** Bytes of one float32 element. */
const FLOAT_BYTES = 4;

/** Elements per triplet (row) and per active triplet, by the dimension they scale with, and whole copies of W. */
interface ByteCoefficients {
  readonly rowDIn: number;
  readonly rowDOut: number;
  readonly row: number;
  readonly activeDIn: number;
  readonly activeDOut: number;
  readonly active: number;
  readonly weights: number;
}

const MODEL: Record<Formulation, Record<Strategy, ByteCoefficients>> = {
  fused: {
    dense: { rowDIn: 9, rowDOut: 10, row: 2, activeDIn: 0, activeDOut: 0, active: 0, weights: 2 },
    compact: { rowDIn: 7, rowDOut: 4, row: 2, activeDIn: 6, activeDOut: 6, active: 1, weights: 2 },
  },
  autograd: {
    dense: { rowDIn: 6, rowDOut: 12, row: 6, activeDIn: 0, activeDOut: 0, active: 0, weights: 2 },
    compact: { rowDIn: 3, rowDOut: 6, row: 6, activeDIn: 12, activeDOut: 12, active: 6, weights: 3 },
  },
};

/** Bytes one step of `formulation` and `strategy` moves on `shape` with `activeCount` active triplets. */
export function stepBytes(formulation: Formulation, strategy: Strategy, shape: FlopShape, activeCount: number): number {
  const c = MODEL[formulation][strategy];
  const { batch, dIn, dOut } = shape;
  const elements =
    batch * (c.rowDIn * dIn + c.rowDOut * dOut + c.row) + activeCount * (c.activeDIn * dIn + c.activeDOut * dOut + c.active) + c.weights * dIn * dOut;
  return FLOAT_BYTES * elements;
}

/** FLOPs per byte of one step: where it sits on the roofline's horizontal axis. */
export function operationalIntensity(formulation: Formulation, strategy: Strategy, shape: FlopShape, activeCount: number): number {
  return stepFlops(formulation, strategy, shape, activeCount) / stepBytes(formulation, strategy, shape, activeCount);
}

/** Bytes of a batch's inputs, anchors, positives and negatives in float32: the bulk of a workload's arena. */
export function arenaInputBytes(shape: FlopShape): number {
  return FLOAT_BYTES * 3 * shape.batch * shape.dIn;
}
