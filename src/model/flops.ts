/**
 * The FLOP model, written once (docs/design.md, "The math and its FLOPs"). Every count is
 * a multiple of D_in D_out: one row through W is D_in D_out multiply-adds, 2 D_in D_out FLOPs.
 *
 * - fused (the difference formulation): the forward projects u = x_a - x_p and
 *   v = x_a - x_n, 2 x 2 B D_in D_out; the backward accumulates u and v against the
 *   projections, 2 x 2 per triplet it covers. dense covers all B: 8 B D_in D_out; compact
 *   covers the K active ones: 4 B D_in D_out + 4 K D_in D_out.
 * - autograd (three embeddings differentiated by tfjs): forward 3 x 2 B D_in D_out and
 *   backward as much again, 12 B D_in D_out dense; compact runs a forward over all B to
 *   find the active ones, then forward and backward over those: 6 B + 12 K.
 *
 * The effective GFLOP/s of results.csv is on one scale for every configuration, the fused
 * dense count 8 B D_in D_out, so that it compares wall times and not bookkeeping.
 */
import type { Formulation, Strategy } from '../domain.js';

/** Shape of one step: B triplets through a D_out x D_in matrix. */
export interface FlopShape {
  readonly batch: number;
  readonly dIn: number;
  readonly dOut: number;
}

/** FLOPs in units of D_in D_out: `perRow` for each of the B triplets, `perActive` more for each active one. */
interface Coefficients {
  readonly perRow: number;
  readonly perActive: number;
}

const MODEL: Record<Formulation, Record<Strategy, Coefficients>> = {
  fused: { dense: { perRow: 8, perActive: 0 }, compact: { perRow: 4, perActive: 4 } },
  autograd: { dense: { perRow: 12, perActive: 0 }, compact: { perRow: 6, perActive: 12 } },
};

/**
 * FLOPs one gradient step of `formulation` and `strategy` performs on `shape` with
 * `activeCount` active triplets: what the configuration actually computes.
 */
export function stepFlops(formulation: Formulation, strategy: Strategy, shape: FlopShape, activeCount: number): number {
  const { perRow, perActive } = MODEL[formulation][strategy];
  return (perRow * shape.batch + perActive * activeCount) * shape.dIn * shape.dOut;
}

/** FLOPs on the effective scale every engine shares: 8 B D_in D_out per step (the fused dense count). */
export function effectiveFlops(shape: FlopShape): number {
  return stepFlops('fused', 'dense', shape, 0);
}

/** Effective GFLOP/s of a step of `stepMs` milliseconds: effectiveFlops over the time. */
export function effectiveGflops(batch: number, dIn: number, dOut: number, stepMs: number): number {
  return effectiveFlops({ batch, dIn, dOut }) / (stepMs * 1e6);
}

/**
 * FLOPs of the fused backward over `rows` triplets: 4 rows D_in D_out (two rank-1 updates
 * of W per triplet). Training reports it for all B (dense) and for the K active (compact).
 */
export function backwardFlops(rows: number, dIn: number, dOut: number): number {
  return 4 * rows * dIn * dOut;
}

/**
 * Dense FLOPs over compact FLOPs at active fraction `active`: what the mask would save if
 * time followed FLOPs. fused 8 / (4 + 4a); autograd 12 / (6 + 12a). `formulation` is a
 * results.csv cell: one this build does not know counts as fused.
 */
export function flopRatio(formulation: string, active: number): number {
  const { dense, compact } = MODEL[formulation === 'autograd' ? 'autograd' : 'fused'];
  return (dense.perRow + dense.perActive * active) / (compact.perRow + compact.perActive * active);
}
