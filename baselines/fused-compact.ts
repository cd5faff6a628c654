/** Baseline: the fused (difference) gradient over the active triplets only, gathered first. */
import type { BaselineInputs, BaselineProgram, Tf } from './program.js';

/** The fused compact step on resident tensors. */
export function fusedCompact(tf: Tf, x: BaselineInputs): BaselineProgram {
  const a = tf.tensor2d(x.anchors, [x.batch, x.dIn]);
  const p = tf.tensor2d(x.positives, [x.batch, x.dIn]);
  const n = tf.tensor2d(x.negatives, [x.batch, x.dIn]);
  const w = tf.tensor2d(x.weights, [x.dOut, x.dIn]);
  return {
    step() {
      const [u, v, pu, qv, h] = tf.tidy(() => {
        const u = tf.sub(a, p);
        const v = tf.sub(a, n);
        const pu = tf.matMul(u, w, false, true);
        const qv = tf.matMul(v, w, false, true);
        return [u, v, pu, qv, tf.add(tf.sub(tf.sum(tf.square(pu), 1), tf.sum(tf.square(qv), 1)), x.margin)];
      });
      // The active rows are picked from h: the one read compaction needs.
      const hinge = h.dataSync() as Float32Array;
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
        const g = tf.sub(
          tf.matMul(tf.gather(pu, rows), tf.gather(u, rows), true, false),
          tf.matMul(tf.gather(qv, rows), tf.gather(v, rows), true, false),
        );
        return tf.mul(g, 2 / x.batch);
      });
      const gradient = grad.dataSync() as Float32Array;
      tf.dispose([u, v, pu, qv, h, grad]);
      return { gradient, loss: sum / x.batch, activeCount: active.length };
    },
    dispose: () => tf.dispose([a, p, n, w]),
  };
}
