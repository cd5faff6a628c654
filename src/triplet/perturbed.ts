/**
 * The perturbed W of the closing check (src/bench/closing-check.ts): a W that every
 * element of differs from the workload's, with a different active set, whose own float64
 * reference a session's step must then match. A kernel that memoises its first result, a
 * worker that reads a stale W or a stale active list fails it, where the first-step check
 * cannot see them.
 *
 * W' = c S W: S rotates the rows by one (row o moves to o + 1) and negates every other
 * one, which leaves every |W u|^2 as it was; c scales every distance by c^2, so triplet i
 * is active at W' iff its slack s_i = dN_i - dP_i is below alpha / c^2. c is chosen so
 * that alpha / c^2 falls halfway across the widest gap between two sorted slacks near the
 * workload's own active count, but not at it: the active set changes, and no h_i sits
 * within float32 rounding of the tie at 0, as with the workload's own margin
 * (src/triplet/margin.ts).
 */
import type { TripletProblem } from './problem.js';

/** How far from the workload's active count the perturbed one may be, as a share of B. */
const MAX_ACTIVE_SHIFT = 0.1;
/** Bounds of c^2: the perturbed distances stay within a factor 4 of the workload's. */
const MIN_SCALE_SQUARED = 0.25;
const MAX_SCALE_SQUARED = 4;

/**
 * c^2 for the perturbed W, from the workload's hinge values h_i = alpha - s_i: 1 (no
 * change of the active set) only where no gap qualifies (alpha = 0, or B = 1).
 */
export function perturbationScaleSquared(hinge: ArrayLike<number>, margin: number): number {
  const batch = hinge.length;
  const slacks = Float64Array.from(hinge, (h) => margin - h).sort();
  let active = 0;
  for (let i = 0; i < batch; i++) if (hinge[i]! > 0) active++;
  const reach = Math.max(1, Math.round(MAX_ACTIVE_SHIFT * batch));
  let best: { gap: number; scaleSquared: number } | undefined;
  for (let k = Math.max(1, active - reach); k <= Math.min(batch - 1, active + reach); k++) {
    if (k === active) continue;
    // 0-based: k triplets active at m, halfway between s_(k) and s_(k+1).
    const m = (slacks[k - 1]! + slacks[k]!) / 2;
    const scaleSquared = margin / m;
    if (!(scaleSquared >= MIN_SCALE_SQUARED && scaleSquared <= MAX_SCALE_SQUARED)) continue;
    const gap = slacks[k]! - slacks[k - 1]!;
    if (!best || gap > best.gap) best = { gap, scaleSquared };
  }
  return best?.scaleSquared ?? 1;
}

/** W' = c S W (row-major D_out x D_in) for the workload's problem and its reference's hinge values. */
export function perturbedWeights(problem: Pick<TripletProblem, 'shape' | 'weights' | 'margin'>, hinge: ArrayLike<number>): Float32Array {
  const { dIn, dOut } = problem.shape;
  const c = Math.sqrt(perturbationScaleSquared(hinge, problem.margin));
  const out = new Float32Array(dOut * dIn);
  for (let o = 0; o < dOut; o++) {
    const to = ((o + 1) % dOut) * dIn;
    const factor = o % 2 === 0 ? -c : c;
    for (let k = 0; k < dIn; k++) out[to + k] = factor * problem.weights[o * dIn + k]!;
  }
  return out;
}
