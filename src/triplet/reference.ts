/**
 * The float64 reference: the triplet loss and its gradient written as plainly as the
 * math in docs/design.md, so tests and `verify` can trust it. Not fast, not meant to be.
 */
import { reductionScale, type Reduction, type TripletProblem } from './problem.js';

/** What the reference reads: a problem, or one held in float64 (finite differences need it). */
export type ReferenceInput = Pick<TripletProblem, 'shape' | 'margin'> & {
  readonly [K in 'anchors' | 'positives' | 'negatives' | 'weights']: ArrayLike<number>;
};

/** Per-triplet distances: dP_i = |W(a - p)|^2 and dN_i = |W(a - n)|^2, in float64. */
export function tripletDistances(problem: ReferenceInput): { dP: Float64Array; dN: Float64Array } {
  const { batch, dIn, dOut } = problem.shape;
  const { anchors, positives, negatives, weights } = problem;
  const dP = new Float64Array(batch);
  const dN = new Float64Array(batch);
  const u = new Float64Array(dIn);
  const v = new Float64Array(dIn);
  for (let i = 0; i < batch; i++) {
    const row = i * dIn;
    for (let k = 0; k < dIn; k++) {
      u[k] = anchors[row + k]! - positives[row + k]!;
      v[k] = anchors[row + k]! - negatives[row + k]!;
    }
    let sumP = 0;
    let sumN = 0;
    for (let o = 0; o < dOut; o++) {
      let p = 0;
      let q = 0;
      for (let k = 0; k < dIn; k++) {
        const w = weights[o * dIn + k]!;
        p += w * u[k]!;
        q += w * v[k]!;
      }
      sumP += p * p;
      sumN += q * q;
    }
    dP[i] = sumP;
    dN[i] = sumN;
  }
  return { dP, dN };
}

/** The slack s_i = dN_i - dP_i: triplet i is active iff margin > s_i. */
export function tripletSlacks(problem: ReferenceInput): Float64Array {
  const { dP, dN } = tripletDistances(problem);
  return dN.map((n, i) => n - dP[i]!);
}

/** Result of the reference, with the per-triplet hinge values h_i kept for tests. */
export interface ReferenceResult {
  readonly loss: number;
  readonly activeCount: number;
  readonly gradient: Float64Array;
  readonly hinge: Float64Array;
}

/**
 * J = reduce_i max(h_i, 0), h_i = dP_i - dN_i + alpha, and
 * dJ/dW = 2 * scale * sum_i m_i (P_i u_i^T - Q_i v_i^T), with m_i = 1 iff h_i > 0
 * (a tie h_i = 0 is inactive, as relu's derivative at 0).
 */
export function referenceLossAndGradient(problem: ReferenceInput, reduction: Reduction = 'mean'): ReferenceResult {
  const { batch, dIn, dOut } = problem.shape;
  const { anchors, positives, negatives, weights, margin } = problem;
  const sum = new Float64Array(dOut * dIn);
  const hinge = new Float64Array(batch);
  const u = new Float64Array(dIn);
  const v = new Float64Array(dIn);
  const P = new Float64Array(dOut);
  const Q = new Float64Array(dOut);
  let lossSum = 0;
  let activeCount = 0;
  for (let i = 0; i < batch; i++) {
    const row = i * dIn;
    for (let k = 0; k < dIn; k++) {
      u[k] = anchors[row + k]! - positives[row + k]!;
      v[k] = anchors[row + k]! - negatives[row + k]!;
    }
    let dP = 0;
    let dN = 0;
    for (let o = 0; o < dOut; o++) {
      let p = 0;
      let q = 0;
      for (let k = 0; k < dIn; k++) {
        p += weights[o * dIn + k]! * u[k]!;
        q += weights[o * dIn + k]! * v[k]!;
      }
      P[o] = p;
      Q[o] = q;
      dP += p * p;
      dN += q * q;
    }
    const h = dP - dN + margin;
    hinge[i] = h;
    if (!(h > 0)) continue;
    lossSum += h;
    activeCount++;
    for (let o = 0; o < dOut; o++) {
      for (let k = 0; k < dIn; k++) sum[o * dIn + k]! += P[o]! * u[k]! - Q[o]! * v[k]!;
    }
  }
  const scale = reductionScale(reduction, batch, activeCount);
  const gradient = sum.map((g) => 2 * scale * g);
  return { loss: scale * lossSum, activeCount, gradient, hinge };
}
