/**
 * Synthetic triplet batches shaped like real embedding data: identities each with a
 * centre and their own spread; anchor and positive drawn from one identity, the negative
 * from another. Deterministic in the seed.
 */
import type { Shape, TripletProblem } from './problem.js';
import { SeededRandom } from './random.js';
import { marginForFraction } from './margin.js';
import { tripletSlacks } from './reference.js';

/** Inputs and the initial embedding, before a margin is chosen. */
export interface TripletBatch {
  readonly shape: Shape;
  readonly anchors: Float32Array;
  readonly positives: Float32Array;
  readonly negatives: Float32Array;
  readonly weights: Float32Array;
}

/** How the margin is chosen: a target active fraction, or the value itself. */
export type MarginChoice = { readonly activeFraction: number } | { readonly margin: number };

/** Identities in a batch: enough that negatives vary, few enough that identities repeat. */
function identityCount(batch: number): number {
  return Math.max(2, Math.min(1024, Math.ceil(batch / 4)));
}

/** A deterministic batch of B triplets and a Glorot-scaled initial W. */
export function syntheticBatch(shape: Shape, seed: number): TripletBatch {
  const { batch, dIn, dOut } = shape;
  const random = new SeededRandom(seed);
  const identities = identityCount(batch);
  const centres = new Float32Array(identities * dIn);
  for (let i = 0; i < centres.length; i++) centres[i] = random.gaussian();
  // Each identity has its own spread, so some triplets are hard and some easy.
  const spreads = Float32Array.from({ length: identities }, () => 0.4 + 0.8 * random.uniform());

  const anchors = new Float32Array(batch * dIn);
  const positives = new Float32Array(batch * dIn);
  const negatives = new Float32Array(batch * dIn);
  const sample = (target: Float32Array, row: number, identity: number) => {
    const spread = spreads[identity]!;
    for (let k = 0; k < dIn; k++) {
      target[row * dIn + k] = centres[identity * dIn + k]! + spread * random.gaussian();
    }
  };
  for (let i = 0; i < batch; i++) {
    const same = random.integer(identities);
    const other = (same + 1 + random.integer(identities - 1)) % identities;
    sample(anchors, i, same);
    sample(positives, i, same);
    sample(negatives, i, other);
  }

  const weights = new Float32Array(dOut * dIn);
  const scale = Math.sqrt(2 / (dIn + dOut));
  for (let i = 0; i < weights.length; i++) weights[i] = scale * random.gaussian();
  return { shape, anchors, positives, negatives, weights };
}

/** Completes a batch into a problem with the margin given or chosen for a fraction. */
export function withMargin(batch: TripletBatch, choice: MarginChoice): TripletProblem {
  const margin =
    'margin' in choice ? choice.margin : marginForFraction(tripletSlacks({ ...batch, margin: 0 }), choice.activeFraction);
  return { ...batch, margin };
}
