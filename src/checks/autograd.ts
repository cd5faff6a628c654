/**
 * An independent check of the float64 reference: the loss written the way most users
 * write it (three embeddings, relu, reduce) and differentiated by tfjs-core's autograd
 * (through the @tensorflow/tfjs package) on its pure-JS cpu backend, which installs offline everywhere.
 */
// The union package: tfjs-core's bundle alone registers no gradients, this one does.
// Imported on first use (it takes 0.4 s), not by every command line that mentions verify.
import type * as TfjsUnion from '@tensorflow/tfjs';
import type { LossAndGradient, Reduction, TripletProblem } from '../triplet/problem.js';

let backendReady: Promise<boolean> | undefined;

async function cpuBackend(): Promise<typeof TfjsUnion> {
  const tf = await import('@tensorflow/tfjs');
  // PROD silences the "install the node backend" banner: the slow backend is the point here.
  tf.env().set('PROD', true);
  backendReady ??= tf.setBackend('cpu');
  if (!(await backendReady)) throw new Error('tfjs-core could not start its cpu backend');
  return tf;
}

/** J and dJ/dW by tf.grad of the three-embedding loss, in float32. */
export async function autogradLossAndGradient(problem: TripletProblem, reduction: Reduction = 'mean'): Promise<LossAndGradient> {
  const tf = await cpuBackend();
  const { batch, dIn, dOut } = problem.shape;
  return tf.tidy(() => {
    const anchors = tf.tensor2d(problem.anchors, [batch, dIn]);
    const positives = tf.tensor2d(problem.positives, [batch, dIn]);
    const negatives = tf.tensor2d(problem.negatives, [batch, dIn]);
    const weights = tf.tensor2d(problem.weights, [dOut, dIn]);

    const hinge = (w: TfjsUnion.Tensor2D): TfjsUnion.Tensor1D => {
      const embed = (x: TfjsUnion.Tensor2D) => tf.matMul(x, w, false, true);
      const ea = embed(anchors);
      const dP = tf.sum(tf.square(tf.sub(ea, embed(positives))), 1);
      const dN = tf.sum(tf.square(tf.sub(ea, embed(negatives))), 1);
      return tf.add(tf.sub(dP, dN), problem.margin) as TfjsUnion.Tensor1D;
    };
    // The active count K is piecewise constant in W: computed once, outside the gradient.
    const activeCount = tf.sum(tf.cast(tf.greater(hinge(weights), 0), 'int32')).dataSync()[0]!;
    const scale = reduction === 'mean' ? 1 / batch : reduction === 'sum' ? 1 : activeCount === 0 ? 0 : 1 / activeCount;
    const loss = (w: TfjsUnion.Tensor2D) => tf.mul(tf.sum(tf.relu(hinge(w))), scale) as TfjsUnion.Scalar;
    const { value, grad } = tf.valueAndGrad(loss)(weights);
    return { loss: value.dataSync()[0]!, activeCount, gradient: grad.dataSync() as Float32Array };
  });
}
