/** Baseline: tf.valueAndGrad of the loss written on three embeddings, every triplet. */
import type { BaselineInputs, BaselineProgram, Tf } from './program.js';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';

/** The autograd dense step on resident tensors. */
export function autogradDense(tf: Tf, x: BaselineInputs): BaselineProgram {
  const a = tf.tensor2d(x.anchors, [x.batch, x.dIn]);
  const p = tf.tensor2d(x.positives, [x.batch, x.dIn]);
  const n = tf.tensor2d(x.negatives, [x.batch, x.dIn]);
  const w = tf.tensor2d(x.weights, [x.dOut, x.dIn]);
  return {
    step() {
      let count: Tensor | undefined;
      const [grad, loss] = tf.tidy(() => {
        const { value, grad } = tf.valueAndGrad((weights: Tensor) => {
          const embed = (rows: Tensor2D) => tf.matMul(rows, weights as Tensor2D, false, true);
          const ea = embed(a);
          const h = tf.add(tf.sub(tf.sum(tf.squaredDifference(ea, embed(p)), 1), tf.sum(tf.squaredDifference(ea, embed(n)), 1)), x.margin);
          // The active count comes out of the forward pass, kept past the gradient's tidy.
          count = tf.keep(tf.sum(tf.cast(tf.greater(h, 0), 'float32')));
          return tf.mean(tf.relu(h));
        })(w);
        return [grad, value];
      });
      const out = { gradient: grad.dataSync() as Float32Array, loss: loss.dataSync()[0]!, activeCount: count!.dataSync()[0]! };
      tf.dispose([grad, loss, count!]);
      return out;
    },
    dispose: () => tf.dispose([a, p, n, w]),
  };
}
