/**
 * The shapes and containers shared by the math, the data sources and the engines.
 * Inputs are float32 (what every engine reads); the reference does float64 math on them.
 */

/** Batch shape: B triplets of D_in inputs, embedded by a D_out x D_in matrix W. */
export interface Shape {
  readonly batch: number;
  readonly dIn: number;
  readonly dOut: number;
}

/** One gradient problem: a batch of triplets, the embedding W and the margin alpha. */
export interface TripletProblem {
  readonly shape: Shape;
  /** B x D_in, row-major, one row per triplet. */
  readonly anchors: Float32Array;
  readonly positives: Float32Array;
  readonly negatives: Float32Array;
  /** D_out x D_in, row-major. */
  readonly weights: Float32Array;
  readonly margin: number;
}

/** How the per-triplet hinge terms are reduced to J. */
export type Reduction = 'mean' | 'sum' | 'mean-active';
export const REDUCTIONS: readonly Reduction[] = ['mean', 'sum', 'mean-active'];

/** Result of one loss-and-gradient evaluation, whatever computed it. */
export interface LossAndGradient {
  readonly loss: number;
  readonly activeCount: number;
  /** dJ/dW, D_out x D_in, row-major. */
  readonly gradient: Float64Array | Float32Array;
}

/** Multiplier applied to sums over triplets for a reduction (K = active count). */
export function reductionScale(reduction: Reduction, batch: number, activeCount: number): number {
  switch (reduction) {
    case 'mean':
      return 1 / batch;
    case 'sum':
      return 1;
    case 'mean-active':
      // No active triplet: J = 0 and dJ/dW = 0, not 0/0.
      return activeCount === 0 ? 0 : 1 / activeCount;
  }
}

/** Thrown when numbers that must be finite are not (NaN, Infinity reaching the math). */
export class NonFiniteInputError extends Error {
  constructor(what: string, index: number, value: number) {
    super(`${what} holds a non-finite value (${value}) at element ${index}`);
    this.name = 'NonFiniteInputError';
  }
}

/** Rejects NaN and infinities before they reach a kernel, naming the array and element. */
export function assertFinite(what: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (!Number.isFinite(x)) throw new NonFiniteInputError(what, i, x);
  }
}

/** Checks array lengths against the shape and every value for finiteness. */
export function validateProblem(problem: TripletProblem): void {
  const { batch, dIn, dOut } = problem.shape;
  const expect = (what: string, arr: Float32Array, n: number) => {
    if (arr.length !== n) throw new RangeError(`${what} has ${arr.length} elements, expected ${n}`);
    assertFinite(what, arr);
  };
  expect('anchors', problem.anchors, batch * dIn);
  expect('positives', problem.positives, batch * dIn);
  expect('negatives', problem.negatives, batch * dIn);
  expect('weights', problem.weights, dOut * dIn);
  if (!Number.isFinite(problem.margin)) throw new NonFiniteInputError('margin', 0, problem.margin);
}

/** Relative error used everywhere: max |G - G_ref| / max |G_ref| (absolute when G_ref = 0). */
export function maxRelativeError(actual: ArrayLike<number>, reference: ArrayLike<number>): number {
  if (actual.length !== reference.length) {
    throw new RangeError(`gradient has ${actual.length} elements, reference ${reference.length}`);
  }
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < reference.length; i++) {
    const diff = Math.abs(actual[i]! - reference[i]!);
    // NaN must not hide behind a comparison that is always false.
    if (Number.isNaN(diff)) return Number.NaN;
    if (diff > maxDiff) maxDiff = diff;
    const r = Math.abs(reference[i]!);
    if (r > maxRef) maxRef = r;
  }
  return maxRef === 0 ? maxDiff : maxDiff / maxRef;
}
