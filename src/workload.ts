/**
 * A workload: one problem (batch, W, margin), its float64 reference and, made on first
 * use, its shared arena. Every configuration of a sweep on that problem shares them.
 */
import { createArena, type ArenaViews } from './thread-boundary/arena.js';
import type { KernelName } from './domain.js';
import { ALL_KERNELS } from './thread-boundary/kernel-footprints.js';
import type { Reduction, TripletProblem } from './triplet/problem.js';
import { perturbedWeights } from './triplet/perturbed.js';
import { referenceLossAndGradient, type ReferenceResult } from './triplet/reference.js';

/** The closing check's W (src/triplet/perturbed.ts) and its own float64 reference. */
export interface PerturbedCheck {
  readonly weights: Float32Array;
  readonly reference: ReferenceResult;
}

export class Workload {
  private arenaViews: ArenaViews | undefined;
  /**
   * `slots`: the most threads any configuration on this workload will use; `reference`,
   * where already computed; `kernels`: the worker kernels that will run on its arena,
   * which is sized for them (every one by default).
   */
  constructor(
    readonly problem: TripletProblem,
    readonly slots: number,
    readonly reduction: Reduction = 'mean',
    private referenceResult?: ReferenceResult,
    private perturbedCheck?: PerturbedCheck,
    readonly kernels: readonly KernelName[] = ALL_KERNELS,
  ) {}

  /** The arena holding this problem, written once. */
  arena(): ArenaViews {
    this.arenaViews ??= createArena(this.problem, this.slots, this.kernels);
    return this.arenaViews;
  }

  /** The float64 reference loss and gradient, computed once. */
  reference(): ReferenceResult {
    this.referenceResult ??= referenceLossAndGradient(this.problem, this.reduction);
    return this.referenceResult;
  }

  /** The perturbed W of the closing check and its reference, computed once. */
  perturbed(): PerturbedCheck {
    this.perturbedCheck ??= perturbedCheckOf(this.problem, this.reference(), this.reduction);
    return this.perturbedCheck;
  }

  /** Measured share of active triplets at the starting W. */
  activeFraction(): number {
    return this.reference().activeCount / this.problem.shape.batch;
  }
}

/** The perturbed W for `problem` (from its reference's hinge values) and that W's own reference. */
export function perturbedCheckOf(problem: TripletProblem, reference: ReferenceResult, reduction: Reduction): PerturbedCheck {
  const weights = perturbedWeights(problem, reference.hinge);
  return { weights, reference: referenceLossAndGradient({ ...problem, weights }, reduction) };
}
