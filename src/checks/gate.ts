/**
 * The correctness gate: one step's gradient, loss and active count against the float64
 * reference. `run` (before and after each timing window, src/bench/closing-check.ts) and
 * `verify` both judge a step with `checkOutcome`, so they cannot disagree on what passes.
 */
import { maxRelativeError } from '../triplet/problem.js';

/** Gradient and loss further than this (relative) from the reference fail the gate. */
export const GATE_TOLERANCE = 1e-4;

/** What the gate reads of a step, and of the reference. */
export interface GatedValues {
  readonly loss: number;
  readonly activeCount: number;
  readonly gradient: ArrayLike<number>;
}

/** The gate's verdict on one step. */
export interface GateResult {
  readonly ok: boolean;
  /** max |G - G_ref| / max |G_ref| (absolute when G_ref = 0); NaN when G holds a NaN. */
  readonly maxRelErr: number;
  /** |L - L_ref| / |L_ref| (absolute when L_ref = 0). */
  readonly lossRelErr: number;
  /** Active count less the reference's. */
  readonly activeDiff: number;
  /** Empty when ok; otherwise every check that failed, and by how much. */
  readonly reason: string;
}

/** Relative error of a scalar, absolute when the reference is 0 (as maxRelativeError). */
export function scalarRelativeError(actual: number, reference: number): number {
  const diff = Math.abs(actual - reference);
  return reference === 0 ? diff : diff / Math.abs(reference);
}

/**
 * Judges `outcome` against `reference`. The active count must match exactly: margins are
 * chosen halfway between two triplets' slacks (src/triplet/margin.ts, and the perturbed W
 * of src/triplet/perturbed.ts), so no h_i sits within float32 rounding of the hinge's
 * tie, and a triplet that did flip would move the gradient by its whole contribution,
 * far above 1e-4 of it, failing the gradient check anyway.
 */
export function checkOutcome(outcome: GatedValues, reference: GatedValues, tolerance = GATE_TOLERANCE): GateResult {
  const maxRelErr = maxRelativeError(outcome.gradient, reference.gradient);
  const lossRelErr = scalarRelativeError(outcome.loss, reference.loss);
  const activeDiff = outcome.activeCount - reference.activeCount;
  const failures: string[] = [];
  // `!(x <= t)`: a NaN must fail, and every comparison with NaN is false.
  if (!(maxRelErr <= tolerance)) failures.push(`gradient off by ${formatError(maxRelErr)} relative`);
  if (!(lossRelErr <= tolerance)) failures.push(`loss ${outcome.loss} vs ${reference.loss} (${formatError(lossRelErr)} relative)`);
  if (activeDiff !== 0) failures.push(`active count ${outcome.activeCount} vs ${reference.activeCount}`);
  const reason = failures.length === 0 ? '' : `${failures.join(', ')} (tolerance ${tolerance})`;
  return { ok: failures.length === 0, maxRelErr, lossRelErr, activeDiff, reason };
}

function formatError(x: number): string {
  return Number.isFinite(x) ? x.toExponential(2) : String(x);
}
