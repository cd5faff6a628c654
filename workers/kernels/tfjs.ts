/**
 * The `tfjs` kernel: each worker runs its shard with tfjs-node's native ops on one
 * TensorFlow thread: data parallelism over single-threaded native kernels, against
 * TensorFlow's own intra-op parallelism. The math is the fused formulation
 * (docs/design.md, "The math"):
 *   U = A - P, V = A - N; P = U W^T, Q = V W^T; h = |P|^2 - |Q|^2 + alpha;
 *   partial = P^T diag(m) U - Q^T diag(m) V       (dense: every row, times its mask)
 *           = P_K^T U_K - Q_K^T V_K                (compact: the active rows K gathered)
 *
 * What TensorFlow copies, and when. tf.tensor2d over a Float32Array hands the array itself
 * to tfjs-node, which wraps its memory in a TF_Tensor on the first op that reads it
 * (TF_NewTensor, in the binding's tfjs_backend.cc). TensorFlow shares that memory when its
 * address is 64-byte aligned and copies it otherwise. The arena's regions start on 64-byte
 * lines and shards start on multiples of 16 rows (src/engines/workers/shards.ts), so every shard's view of
 * A, P and N, and W, is aligned whatever D_in is: TensorFlow reads the arena in place.
 * The tensors over the arena are made and disposed within each step (making one over
 * aligned memory costs microseconds, no copy): a TF_Tensor that points into the arena
 * must not outlive the step, since nothing disposes it when Piscina ends the worker,
 * and a kept tensor over a copy would go stale when train rewrites the arena
 * (test/tfjs-kernel.test.ts changes it between steps).
 *
 * tfjs-node 4.22's binding shares one set of attribute names between threads, so two
 * workers running ops at once can end the process (double free, SIGSEGV, or a NodeDef
 * naming another op's attribute: about one short run in four at T >= 2). setup-native
 * builds the binding with that set per thread (src/native/thread-safety.ts); with such a
 * binding the shards run in parallel. With any other binding one worker at a time runs
 * TensorFlow, under a lock word in the arena, and its T >= 2 rows measure that
 * serialisation (README). Per step, TensorFlow allocates U, V, P, Q
 * and the backward's products (its own memory), and two results leave it: the hinge
 * (one float per row, for the mask and the active list) and the D_out x D_in gradient,
 * which one loop widens into the slot's float64 partial (the reduction's input).
 */
import type * as tfType from '@tensorflow/tfjs-core';
import type { ArenaViews } from '../../src/thread-boundary/arena.js';
import type { Strategy } from '../../src/domain.js';
import type { ShardKernel, ShardSums } from './kernel.js';
import { tfjsNodeThreadSafe, workerTfjsNode } from './tfjs-node.js';
import type { PhaseClock } from '../../src/phases.js';

type Tf = typeof tfType;
type Tensor2D = tfType.Tensor2D;

/** TensorFlow shares a buffer's memory only from this alignment (EIGEN_MAX_ALIGN_BYTES). */
const TF_SHARED_ALIGN_BYTES = 64;

/** A shard's rows and W as tensors over the arena. */
interface ShardTensors {
  readonly anchors: Tensor2D;
  readonly positives: Tensor2D;
  readonly negatives: Tensor2D;
  readonly weights: Tensor2D;
}

/** Whether TensorFlow will read this view in place rather than copy it. */
export function sharedInPlace(view: Float32Array): boolean {
  return view.byteOffset % TF_SHARED_ALIGN_BYTES === 0;
}

/** Tensors over rows [start, end) of the arena's batch and over its W. */
function tensorsOver(tf: Tf, views: ArenaViews, start: number, end: number): ShardTensors {
  const { dIn, dOut } = views.layout.shape;
  const rows = (matrix: Float32Array) => tf.tensor2d(matrix.subarray(start * dIn, end * dIn), [end - start, dIn]);
  return {
    anchors: rows(views.anchors),
    positives: rows(views.positives),
    negatives: rows(views.negatives),
    weights: tf.tensor2d(views.weights, [dOut, dIn]),
  };
}

function disposeAll(tf: Tf, t: ShardTensors): void {
  tf.dispose([t.anchors, t.positives, t.negatives, t.weights]);
}

/** The forward's tensors, kept for the backward. */
interface Forward {
  readonly u: Tensor2D;
  readonly v: Tensor2D;
  readonly p: tfType.Tensor;
  readonly q: tfType.Tensor;
  readonly h: tfType.Tensor1D;
}

// tfjs-node runs each op to its end before returning (eager, synchronous), so a phase mark
// between ops times the ops before it: no read-out is forced for the marks.
function forward(tf: Tf, t: ShardTensors, margin: number, phases?: PhaseClock): Forward {
  return tf.tidy(() => {
    const u = tf.sub<Tensor2D>(t.anchors, t.positives);
    const v = tf.sub<Tensor2D>(t.anchors, t.negatives);
    const p = tf.matMul(u, t.weights, false, true);
    const q = tf.matMul(v, t.weights, false, true);
    phases?.mark('forward');
    const h = tf.add<tfType.Tensor1D>(tf.sub(tf.sum(tf.square(p), 1), tf.sum(tf.square(q), 1)), margin);
    phases?.mark('hinge');
    return { u, v, p, q, h };
  });
}

/** P^T diag(m) U - Q^T diag(m) V over every row: the mask multiplies, the work stays. */
function denseBackward(tf: Tf, f: Forward, phases?: PhaseClock): tfType.Tensor {
  return tf.tidy(() => {
    const m = tf.expandDims(tf.cast(tf.greater(f.h, 0), 'float32'), 1);
    // The ops run in the order of the unprofiled step; a phase's marks add up (PhaseClock).
    const pm = tf.mul(f.p, m);
    phases?.mark('mask');
    const gp = tf.matMul(pm, f.u, true, false);
    phases?.mark('backward');
    const qm = tf.mul(f.q, m);
    phases?.mark('mask');
    return tf.sub(gp, tf.matMul(qm, f.v, true, false));
  });
}

/** P_K^T U_K - Q_K^T V_K over the active rows K only. */
function compactBackward(tf: Tf, f: Forward, active: Int32Array, phases?: PhaseClock): tfType.Tensor {
  return tf.tidy(() => {
    const index = tf.tensor1d(active, 'int32');
    const pick = (x: tfType.Tensor) => {
      const picked = tf.gather(x, index);
      phases?.mark('mask');
      return picked;
    };
    // In the order of the unprofiled step: gather two, multiply, gather two, multiply.
    const gp = tf.matMul(pick(f.p), pick(f.u), true, false);
    phases?.mark('backward');
    return tf.sub(gp, tf.matMul(pick(f.q), pick(f.v), true, false));
  });
}

/** Reusable list of active row indices (shard-relative), grown to the largest shard seen. */
let activeScratch = new Int32Array(0);

/**
 * Runs `body` while no other worker of the arena runs tfjs-node ops: the lock is this
 * kernel's control word (src/thread-boundary/kernel-footprints.ts), 1 while a worker holds it.
 */
function withTfjsLock<T>(views: ArenaViews, body: () => T): T {
  const { control } = views;
  const lock = views.layout.kernelControl.tfjs;
  if (lock === undefined) throw new Error('kernel tfjs: this arena was laid out without it, so it has no lock word');
  while (Atomics.compareExchange(control, lock, 0, 1) !== 0) Atomics.wait(control, lock, 1, 100);
  try {
    return body();
  } finally {
    Atomics.store(control, lock, 0);
    Atomics.notify(control, lock, 1);
  }
}

function tfjsShard(views: ArenaViews, partial: Float64Array, start: number, end: number, strategy: Strategy, phases?: PhaseClock): ShardSums {
  if (end === start) {
    partial.fill(0);
    return { lossSum: 0, activeCount: 0 };
  }
  if (tfjsNodeThreadSafe()) return tfjsShardOnce(views, partial, start, end, strategy, phases);
  return withTfjsLock(views, () => tfjsShardOnce(views, partial, start, end, strategy, phases));
}

function tfjsShardOnce(views: ArenaViews, partial: Float64Array, start: number, end: number, strategy: Strategy, phases?: PhaseClock): ShardSums {
  const tf = workerTfjsNode();
  const t = tensorsOver(tf, views, start, end);
  const f = forward(tf, t, views.margin[0]!, phases);
  let gradient: tfType.Tensor | undefined;
  try {
    // The hinge leaves TensorFlow once: the loss, the count and (compact) the active rows.
    const hinge = f.h.dataSync() as Float32Array;
    if (activeScratch.length < hinge.length) activeScratch = new Int32Array(hinge.length);
    let lossSum = 0;
    let activeCount = 0;
    for (let i = 0; i < hinge.length; i++) {
      const h = hinge[i]!;
      if (h > 0) {
        lossSum += h;
        activeScratch[activeCount++] = i;
      }
    }
    phases?.mark('mask');
    if (strategy === 'dense') gradient = denseBackward(tf, f, phases);
    else if (activeCount > 0) gradient = compactBackward(tf, f, activeScratch.subarray(0, activeCount), phases);
    phases?.mark('backward');
    if (gradient === undefined) partial.fill(0);
    else partial.set(gradient.dataSync() as Float32Array);
    return { lossSum, activeCount };
  } finally {
    tf.dispose([f.u, f.v, f.p, f.q, f.h]);
    gradient?.dispose();
    disposeAll(tf, t);
    phases?.mark('readout');
  }
}

export const tfjsKernel: ShardKernel = {
  // Its working space is TensorFlow's own memory.
  scratchBytes: () => 0,
  run: ({ views, partial, start, end, strategy, phases }) => tfjsShard(views, partial, start, end, strategy, phases),
};
