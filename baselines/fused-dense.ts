/** Baseline: the fused (difference) gradient over every triplet, times its mask. */
import type { BaselineInputs, BaselineProgram, Tf } from './program.js';

/** The fused dense step on resident tensors. */
export function fusedDense(tf: Tf, x: BaselineInputs): BaselineProgram {
  const a = tf.tensor2d(x.anchors, [x.batch, x.dIn]);
  const p = tf.tensor2d(x.positives, [x.batch, x.dIn]);
  const n = tf.tensor2d(x.negatives, [x.batch, x.dIn]);
  const w = tf.tensor2d(x.weights, [x.dOut, x.dIn]);
  return {
    step() {
      const [grad, loss, count] = tf.tidy(() => {
        const u = tf.sub(a, p);
        const v = tf.sub(a, n);
        const pu = tf.matMul(u, w, false, true);
        const qv = tf.matMul(v, w, false, true);
        const h = tf.add(tf.sub(tf.sum(tf.square(pu), 1), tf.sum(tf.square(qv), 1)), x.margin);
        const mask = tf.expandDims(tf.cast(tf.greater(h, 0), 'float32'), 1);
        // dJ/dW = 2/B (P^T diag(m) U - Q^T diag(m) V)
        const g = tf.mul(tf.sub(tf.matMul(tf.mul(pu, mask), u, true, false), tf.matMul(tf.mul(qv, mask), v, true, false)), 2 / x.batch);
        return [g, tf.mean(tf.relu(h)), tf.sum(mask)];
      });
      const out = { gradient: grad.dataSync() as Float32Array, loss: loss.dataSync()[0]!, activeCount: count.dataSync()[0]! };
      tf.dispose([grad, loss, count]);
      return out;
    },
    dispose: () => tf.dispose([a, p, n, w]),
  };
}
