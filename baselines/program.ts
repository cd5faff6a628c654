/**
 * What every baseline program takes and gives. The baselines are plain tfjs programs of
 * the triplet gradient, written the way tfjs's own examples are (tensors resident, one
 * tf.tidy per step returning tensors, reads outside it), importing nothing of the project:
 * the `baseline` command times them beside the tfjs engines to show those add nothing.
 * Loss is the mean over the batch: J = mean_i max(|W(a_i - p_i)|^2 - |W(a_i - n_i)|^2 + margin, 0).
 */
import type * as tfType from '@tensorflow/tfjs-core';

/** tfjs, with whatever backend the caller loaded. */
export type Tf = typeof tfType;

/** One batch of B triplets (row-major [B, dIn]) and W ([dOut, dIn]). */
export interface BaselineInputs {
  readonly batch: number;
  readonly dIn: number;
  readonly dOut: number;
  readonly margin: number;
  readonly anchors: Float32Array;
  readonly positives: Float32Array;
  readonly negatives: Float32Array;
  readonly weights: Float32Array;
}

/** What a training step needs from one step. */
export interface BaselineReadout {
  readonly gradient: Float32Array;
  readonly loss: number;
  readonly activeCount: number;
}

/** A baseline with its tensors resident: step it, then dispose it. */
export interface BaselineProgram {
  step(): BaselineReadout;
  dispose(): void;
}
