/**
 * The triplet gradient in tfjs ops, for every tfjs backend (tensorflow, wasm, cpu). Two
 * formulations:
 *   fused     U = A - P, V = A - N; P = U W^T, Q = V W^T; G = 2s (P^T diag(m) U - Q^T diag(m) V)
 *   autograd  tf.valueAndGrad of the loss written on three embeddings (what most users write)
 * and two strategies: dense (every triplet, times its mask) and compact (the active rows
 * gathered first, backward products on those only).
 *
 * Every tf.tidy here returns tensors and every read (dataSync) happens outside it: tidy
 * walks each element of a returned container looking for tensors, so a returned
 * Float32Array of the 65,536-element gradient cost ~15 ms a step (41.2 against 26.6 ms at
 * B=4096, 512x128, one intra-op thread). A step reads the gradient, the loss and the active
 * count; compact also reads h mid-graph, because the active rows are picked in JS from it.
 * Dense reads nothing mid-graph: mask, loss and count stay tensors until the end.
 *
 * A profiled step (src/phases.ts) passes a PhaseClock and marks each phase's end between
 * ops. No read-out is forced for that: every backend the hosts run (tensorflow, wasm, cpu)
 * runs an op to its end before returning it, so the ops before a mark are done at the
 * mark. tfjs-node's first read-out of a tensor is then a copy, not a wait.
 */
import type * as tfType from '@tensorflow/tfjs-core';
import { reductionScale, type Reduction } from '../../triplet/problem.js';
import type { Formulation, Strategy } from '../../domain.js';
import type { PhaseClock } from '../../phases.js';

type Tf = typeof tfType;
type Tensor = tfType.Tensor;
type Tensor2D = tfType.Tensor2D;

/** The batch rows (or a shard of them) and W, as tensors. */
export interface TripletTensors {
  readonly anchors: Tensor2D;
  readonly positives: Tensor2D;
  readonly negatives: Tensor2D;
  readonly weights: Tensor2D;
}

/** What a step computes and how it scales; with reduction 'none', the plain sums. */
export interface TfjsStepOptions {
  readonly margin: number;
  readonly formulation: Formulation;
  readonly strategy: Strategy;
  readonly reduction: Reduction | 'none';
  /** The whole batch's B. */
  readonly batch: number;
}

/** One step's read-out: what a training step needs. */
export interface TfjsReadout {
  /** J for the reduction; with reduction 'none', sum_i L_i. */
  readonly loss: number;
  readonly activeCount: number;
  /** dJ/dW, scale of the reduction included; with reduction 'none', d(sum_i L_i)/dW. */
  readonly gradient: Float32Array;
  /** h_i of each row, where compaction read it (dense reads none). */
  readonly hinge?: Float32Array;
}

/** J = scale x sum_i L_i for a reduction, K active of `batch`. */
function scaleOf(reduction: Reduction | 'none', batch: number, active: number): number {
  return reduction === 'none' ? 1 : reductionScale(reduction, batch, active);
}

/** The reduction's scale as a tensor, from the active count tensor (mean-active needs K). */
function scaleTensor(tf: Tf, reduction: Reduction | 'none', batch: number, count: Tensor): Tensor | number {
  if (reduction === 'mean-active') return tf.div(1, tf.maximum(count, 1));
  return scaleOf(reduction, batch, 0);
}

/** Rows where h > 0 (tie inactive), and the sum of those h, in one pass over the read h. */
function activeRows(hinge: Float32Array): { rows: Int32Array; hingeSum: number } {
  const rows = new Int32Array(hinge.length);
  let count = 0;
  let hingeSum = 0;
  for (let i = 0; i < hinge.length; i++) {
    const h = hinge[i]!;
    if (h > 0) {
      rows[count++] = i;
      hingeSum += h;
    }
  }
  return { rows: rows.subarray(0, count), hingeSum };
}

/** Reads a tidy's tensors out and frees them: the gradient, then [loss, count]. */
function readOut(gradient: Tensor, stats: Tensor, phases?: PhaseClock): TfjsReadout {
  const values = gradient.dataSync() as Float32Array;
  const [loss, count] = stats.dataSync();
  gradient.dispose();
  stats.dispose();
  phases?.mark('readout');
  return { loss: loss!, activeCount: count!, gradient: values };
}

/** h_i = |p_i|^2 - |q_i|^2 + alpha of the fused formulation. */
function fusedHinge(tf: Tf, t: TripletTensors, margin: number, phases?: PhaseClock): { u: Tensor2D; v: Tensor2D; p: Tensor2D; q: Tensor2D; h: tfType.Tensor1D } {
  const u = tf.sub(t.anchors, t.positives) as Tensor2D;
  const v = tf.sub(t.anchors, t.negatives) as Tensor2D;
  const p = tf.matMul(u, t.weights, false, true) as Tensor2D;
  const q = tf.matMul(v, t.weights, false, true) as Tensor2D;
  phases?.mark('forward');
  const h = tf.add(tf.sub(tf.sum(tf.square(p), 1), tf.sum(tf.square(q), 1)), margin) as tfType.Tensor1D;
  phases?.mark('hinge');
  return { u, v, p, q, h };
}

function fusedDense(tf: Tf, t: TripletTensors, o: TfjsStepOptions, phases?: PhaseClock): TfjsReadout {
  const [gradient, stats] = tf.tidy(() => {
    const { u, v, p, q, h } = fusedHinge(tf, t, o.margin, phases);
    const active = tf.cast(tf.greater(h, 0), 'float32');
    const count = tf.sum(active);
    const scale = scaleTensor(tf, o.reduction, o.batch, count);
    // The mask carries 2 x the reduction's scale, so the gradient needs no pass of its own.
    const m = tf.expandDims(tf.mul(active, typeof scale === 'number' ? 2 * scale : tf.mul(scale, 2)), 1);
    // The ops run in the order of the unprofiled step; a phase's marks add up (PhaseClock).
    const pm = tf.mul(p, m);
    phases?.mark('mask');
    const gp = tf.matMul(pm, u, true, false);
    phases?.mark('backward');
    const qm = tf.mul(q, m);
    phases?.mark('mask');
    const g = tf.sub(gp, tf.matMul(qm, v, true, false));
    phases?.mark('backward');
    const loss = tf.mul(tf.sum(tf.relu(h)), scale);
    phases?.mark('hinge');
    return [g, tf.stack([loss, count])] as const;
  });
  return readOut(gradient, stats, phases);
}

function fusedCompact(tf: Tf, t: TripletTensors, o: TfjsStepOptions, phases?: PhaseClock): TfjsReadout {
  const forward = tf.tidy(() => fusedHinge(tf, t, o.margin, phases));
  try {
    const hinge = forward.h.dataSync() as Float32Array;
    const { rows, hingeSum } = activeRows(hinge);
    const scale = scaleOf(o.reduction, o.batch, rows.length);
    const gradient = tf.tidy(() => {
      if (rows.length === 0) return tf.zeros(t.weights.shape);
      const index = tf.tensor1d(rows, 'int32');
      const pick = (x: Tensor) => {
        const picked = tf.gather(x, index) as Tensor2D;
        phases?.mark('mask');
        return picked;
      };
      // In the order of the unprofiled step: gather two, multiply, gather two, multiply.
      const gp = tf.matMul(pick(forward.p), pick(forward.u), true, false);
      phases?.mark('backward');
      const gq = tf.matMul(pick(forward.q), pick(forward.v), true, false);
      phases?.mark('backward');
      return tf.mul(tf.sub(gp, gq), 2 * scale);
    });
    phases?.mark('backward');
    const values = gradient.dataSync() as Float32Array;
    gradient.dispose();
    return { loss: scale * hingeSum, activeCount: rows.length, gradient: values, hinge };
  } finally {
    tf.dispose(Object.values(forward));
    phases?.mark('readout');
  }
}

/** h of the three-embedding formulation, differentiable in w. */
function threeEmbeddingHinge(tf: Tf, a: Tensor2D, p: Tensor2D, n: Tensor2D, w: Tensor2D, margin: number): tfType.Tensor1D {
  const ea = tf.matMul(a, w, false, true);
  const dP = tf.sum(tf.squaredDifference(ea, tf.matMul(p, w, false, true)), 1);
  const dN = tf.sum(tf.squaredDifference(ea, tf.matMul(n, w, false, true)), 1);
  return tf.add(tf.sub(dP, dN), margin) as tfType.Tensor1D;
}

/** Profiled, its one tf.valueAndGrad (forward and backward together) counts as the backward. */
function autogradDense(tf: Tf, t: TripletTensors, o: TfjsStepOptions, phases?: PhaseClock): TfjsReadout {
  // The count comes out of the loss function kept (tf.keep), so the forward runs once.
  let count: Tensor | undefined;
  try {
    const [gradient, stats] = tf.tidy(() => {
      const { value, grad } = tf.valueAndGrad((w: Tensor) => {
        const h = threeEmbeddingHinge(tf, t.anchors, t.positives, t.negatives, w as Tensor2D, o.margin);
        count = tf.keep(tf.sum(tf.cast(tf.greater(h, 0), 'float32')));
        return tf.sum(tf.relu(h));
      })(t.weights);
      const scale = scaleTensor(tf, o.reduction, o.batch, count!);
      return [tf.mul(grad, scale), tf.stack([tf.mul(value, scale), count!])] as const;
    });
    phases?.mark('backward');
    return readOut(gradient, stats, phases);
  } finally {
    count?.dispose();
  }
}

/** Profiled: the first pass (embeddings and h) is the forward; the gradient over the active rows, which embeds them again, the backward. */
function autogradCompact(tf: Tf, t: TripletTensors, o: TfjsStepOptions, phases?: PhaseClock): TfjsReadout {
  // A forward pass finds the active rows; the gradient runs on those alone.
  const h = tf.tidy(() => threeEmbeddingHinge(tf, t.anchors, t.positives, t.negatives, t.weights, o.margin));
  phases?.mark('forward');
  const hinge = h.dataSync() as Float32Array;
  h.dispose();
  const { rows, hingeSum } = activeRows(hinge);
  const scale = scaleOf(o.reduction, o.batch, rows.length);
  const gradient = tf.tidy(() => {
    if (rows.length === 0) return tf.zeros(t.weights.shape);
    const index = tf.tensor1d(rows, 'int32');
    const [a, p, n] = [t.anchors, t.positives, t.negatives].map((x) => tf.gather(x, index) as Tensor2D) as [Tensor2D, Tensor2D, Tensor2D];
    phases?.mark('mask');
    return tf.grad((w: Tensor) => tf.mul(tf.sum(tf.relu(threeEmbeddingHinge(tf, a, p, n, w as Tensor2D, o.margin))), scale))(t.weights);
  });
  phases?.mark('backward');
  const values = gradient.dataSync() as Float32Array;
  gradient.dispose();
  phases?.mark('readout');
  return { loss: scale * hingeSum, activeCount: rows.length, gradient: values, hinge };
}

/** One gradient step in tfjs, read out: gradient, loss and active count (and h where read). */
export function tfjsGradient(tf: Tf, tensors: TripletTensors, options: TfjsStepOptions, phases?: PhaseClock): TfjsReadout {
  if (options.formulation === 'fused') return options.strategy === 'dense' ? fusedDense(tf, tensors, options, phases) : fusedCompact(tf, tensors, options, phases);
  return options.strategy === 'dense' ? autogradDense(tf, tensors, options, phases) : autogradCompact(tf, tensors, options, phases);
}
