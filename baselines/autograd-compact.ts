/** Baseline: tf.grad of the three-embedding loss over the active triplets, found by a forward pass. */
import type { BaselineInputs, BaselineProgram, Tf } from './program.js';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';

/** The autograd compact step on resident tensors. */
export function autogradCompact(tf: Tf, x: BaselineInputs): BaselineProgram {
  const a = tf.tensor2d(x.anchors, [x.batch, x.dIn]);
  const p = tf.tensor2d(x.positives, [x.batch, x.dIn]);
  const n = tf.tensor2d(x.negatives, [x.batch, x.dIn]);
  const w = tf.tensor2d(x.weights, [x.dOut, x.dIn]);
  const hingeOf = (ra: Tensor2D, rp: Tensor2D, rn: Tensor2D, weights: Tensor2D) => {
    const ea = tf.matMul(ra, weights, false, true);
    const dP = tf.sum(tf.squaredDifference(ea, tf.matMul(rp, weights, false, true)), 1);
    const dN = tf.sum(tf.squaredDifference(ea, tf.matMul(rn, weights, false, true)), 1);
    return tf.add(tf.sub(dP, dN), x.margin);
  };
  return {
    step() {
      const h = tf.tidy(() => hingeOf(a, p, n, w));
      const hinge = h.dataSync() as Float32Array;
      h.dispose();
      const active: number[] = [];
      let sum = 0;
      hinge.forEach((value, i) => {
        if (value > 0) {
          active.push(i);
          sum += value;
        }
      });
      const grad = tf.tidy(() => {
        if (active.length === 0) return tf.zerosLike(w);
        const rows = tf.tensor1d(active, 'int32');
        const [ra, rp, rn] = [a, p, n].map((m) => tf.gather(m, rows)) as [Tensor2D, Tensor2D, Tensor2D];
        return tf.grad((weights: Tensor) => tf.div(tf.sum(tf.relu(hingeOf(ra, rp, rn, weights as Tensor2D))), x.batch))(w);
      });
      const gradient = grad.dataSync() as Float32Array;
      grad.dispose();
      return { gradient, loss: sum / x.batch, activeCount: active.length };
    },
    dispose: () => tf.dispose([a, p, n, w]),
  };
}
