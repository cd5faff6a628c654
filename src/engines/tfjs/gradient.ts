/**
 * The triplet gradient in tfjs ops, for every tfjs backend (tensorflow, wasm, cpu) and for
 * the `tfjs` kernel in the workers. Two formulations:
 *   fused     U = A - P, V = A - N; P = U W^T, Q = V W^T; G = 2s (P^T diag(m) U - Q^T diag(m) V)
 *   autograd  tf.grad of the loss written on three embeddings (what most users write)
 * and two strategies: dense (every triplet, times its mask) and compact (the active rows
 * gathered first, backward products on those only).
 */
import type * as tfType from '@tensorflow/tfjs-core';
import { reductionScale, type Reduction } from '../../triplet/problem.js';
import type { Formulation, Strategy } from '../../domain.js';

type Tf = typeof tfType;
type Tensor2D = tfType.Tensor2D;

/** The batch rows (or a shard of them) and W, as tensors. */
export interface TripletTensors {
  readonly anchors: Tensor2D;
  readonly positives: Tensor2D;
  readonly negatives: Tensor2D;
  readonly weights: Tensor2D;
}

/** One step's result: sums, and the gradient of J for the reduction. */
export interface TfjsStep {
  readonly lossSum: number;
  readonly activeCount: number;
  /** dJ/dW, scale of the reduction included; with reduction 'none', d(sum_i L_i)/dW. */
  readonly gradient: Float32Array;
  /** h_i of each row. */
  readonly hinge: Float32Array;
}

/** Row indices where h > 0 (tie inactive), from the hinge values. */
function activeIndices(hinge: Float32Array): Int32Array {
  const rows: number[] = [];
  for (let i = 0; i < hinge.length; i++) if (hinge[i]! > 0) rows.push(i);
  return Int32Array.from(rows);
}

function fused(tf: Tf, t: TripletTensors, margin: number, strategy: Strategy, scaleFor: (active: number) => number): TfjsStep {
  return tf.tidy(() => {
    const u = tf.sub(t.anchors, t.positives) as Tensor2D;
    const v = tf.sub(t.anchors, t.negatives) as Tensor2D;
    const p = tf.matMul(u, t.weights, false, true);
    const q = tf.matMul(v, t.weights, false, true);
    const h = tf.add(tf.sub(tf.sum(tf.square(p), 1), tf.sum(tf.square(q), 1)), margin);
    const hinge = h.dataSync() as Float32Array;
    const rows = activeIndices(hinge);
    // d(sum L_i)/dW is twice the fused sum; the reduction scales that.
    const scale = 2 * scaleFor(rows.length);
    let gradient: tfType.Tensor;
    if (strategy === 'dense') {
      // The mask multiplies; every triplet's backward products are still computed.
      const m = tf.expandDims(tf.cast(tf.greater(h, 0), 'float32'), 1);
      gradient = tf.sub(tf.matMul(tf.mul(p, m), u, true, false), tf.matMul(tf.mul(q, m), v, true, false));
    } else if (rows.length === 0) {
      gradient = tf.zeros(t.weights.shape);
    } else {
      const index = tf.tensor1d(rows, 'int32');
      const pick = (x: tfType.Tensor) => tf.gather(x, index);
      gradient = tf.sub(tf.matMul(pick(p), pick(u), true, false), tf.matMul(pick(q), pick(v), true, false));
    }
    return {
      lossSum: hingeSum(hinge),
      activeCount: rows.length,
      gradient: tf.mul(gradient, scale).dataSync() as Float32Array,
      hinge,
    };
  });
}

function hingeSum(hinge: Float32Array): number {
  let sum = 0;
  for (const h of hinge) if (h > 0) sum += h;
  return sum;
}

/** h of the three-embedding formulation, differentiable in w. */
function threeEmbeddingHinge(tf: Tf, a: Tensor2D, p: Tensor2D, n: Tensor2D, w: Tensor2D, margin: number): tfType.Tensor1D {
  const ea = tf.matMul(a, w, false, true);
  const dP = tf.sum(tf.square(tf.sub(ea, tf.matMul(p, w, false, true))), 1);
  const dN = tf.sum(tf.square(tf.sub(ea, tf.matMul(n, w, false, true))), 1);
  return tf.add(tf.sub(dP, dN), margin) as tfType.Tensor1D;
}

function autograd(tf: Tf, t: TripletTensors, margin: number, strategy: Strategy, scaleFor: (active: number) => number): TfjsStep {
  return tf.tidy(() => {
    if (strategy === 'dense') {
      // tf.grad sees relu and differentiates through every triplet.
      let hinge: Float32Array = new Float32Array(0);
      const grad = tf.grad((w: tfType.Tensor) => {
        const h = threeEmbeddingHinge(tf, t.anchors, t.positives, t.negatives, w as Tensor2D, margin);
        hinge = h.dataSync() as Float32Array;
        return tf.sum(tf.relu(h));
      })(t.weights);
      const rows = activeIndices(hinge);
      return { lossSum: hingeSum(hinge), activeCount: rows.length, gradient: tf.mul(grad, scaleFor(rows.length)).dataSync() as Float32Array, hinge };
    }
    // Compact: a forward pass finds the active rows; the gradient runs on those alone.
    const hinge = threeEmbeddingHinge(tf, t.anchors, t.positives, t.negatives, t.weights, margin).dataSync() as Float32Array;
    const rows = activeIndices(hinge);
    if (rows.length === 0) return { lossSum: 0, activeCount: 0, gradient: new Float32Array(t.weights.size), hinge };
    const index = tf.tensor1d(rows, 'int32');
    const [a, p, n] = [t.anchors, t.positives, t.negatives].map((x) => tf.gather(x, index) as Tensor2D) as [Tensor2D, Tensor2D, Tensor2D];
    const grad = tf.grad((w: tfType.Tensor) => tf.sum(tf.relu(threeEmbeddingHinge(tf, a, p, n, w as Tensor2D, margin))))(t.weights);
    return { lossSum: hingeSum(hinge), activeCount: rows.length, gradient: tf.mul(grad, scaleFor(rows.length)).dataSync() as Float32Array, hinge };
  });
}

/** One gradient step in tfjs. `batch` is the whole batch's B (shards scale by it too). */
export function tfjsStep(
  tf: Tf,
  tensors: TripletTensors,
  options: { margin: number; formulation: Formulation; strategy: Strategy; reduction: Reduction | 'none'; batch: number },
): TfjsStep {
  const { reduction, batch } = options;
  const scaleFor = (active: number) => (reduction === 'none' ? 1 : reductionScale(reduction, batch, active));
  const run = options.formulation === 'fused' ? fused : autograd;
  return run(tf, tensors, options.margin, options.strategy, scaleFor);
}
