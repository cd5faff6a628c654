/**
 * The step a tfjs host times: the batch made resident tensors once, then one
 * `tfjsGradient` per step with options fixed at open. The host and the `baseline` command
 * both step through this, so the baseline is timed beside exactly what the engine times.
 */
import type * as tfType from '@tensorflow/tfjs-core';
import type { Formulation, Strategy } from '../../domain.js';
import type { Reduction } from '../../triplet/problem.js';
import { tfjsGradient, type TfjsStepOptions, type TripletTensors } from './gradient.js';
import type { BatchPayload } from './protocol.js';
import { PhaseClock, type PhaseSample } from '../../phases.js';

/** What a host is opened with: the configuration and the batch. */
export interface StepperRequest extends BatchPayload {
  readonly formulation: Formulation;
  readonly strategy: Strategy;
  readonly reduction: Reduction;
}

/** A step's read-out, as a host sends it. */
export interface StepResult {
  readonly loss: number;
  readonly activeCount: number;
  readonly gradient: Float32Array;
}

/** An opened configuration: resident tensors and a step over them. */
export interface TfjsStepper {
  step(): StepResult;
  /** One step as `step` runs it, its phases timed between ops (src/phases.ts). */
  profiledStep(): PhaseSample;
  /** Replaces the W tensor (the closing check's perturbed W, src/bench/closing-check.ts). */
  setWeights(weights: Float32Array): void;
  dispose(): void;
}

/** Makes the batch and W tensors (once) and returns the step over them. */
export function openTfjsStepper(tf: typeof tfType, request: StepperRequest): TfjsStepper {
  const { batch, dIn, dOut } = request.shape;
  let tensors: TripletTensors = {
    anchors: tf.tensor2d(request.anchors, [batch, dIn]),
    positives: tf.tensor2d(request.positives, [batch, dIn]),
    negatives: tf.tensor2d(request.negatives, [batch, dIn]),
    weights: tf.tensor2d(request.weights, [dOut, dIn]),
  };
  const options: TfjsStepOptions = {
    margin: request.margin,
    formulation: request.formulation,
    strategy: request.strategy,
    reduction: request.reduction,
    batch,
  };
  return {
    step: () => {
      const { loss, activeCount, gradient } = tfjsGradient(tf, tensors, options);
      return { loss, activeCount, gradient };
    },
    profiledStep: () => {
      const began = performance.now();
      const phases = new PhaseClock();
      tfjsGradient(tf, tensors, options, phases);
      return { stepMs: performance.now() - began, phases: phases.ms };
    },
    setWeights: (weights) => {
      const previous = tensors.weights;
      tensors = { ...tensors, weights: tf.tensor2d(weights, [dOut, dIn]) };
      previous.dispose();
    },
    dispose: () => tf.dispose(Object.values(tensors)),
  };
}
