/**
 * A workload: one problem (batch, W, margin), its float64 reference and, made on first
 * use, its shared arena. Every configuration of a sweep on that problem shares them.
 */
import { createArena, type ArenaViews } from './arena.js';
import type { Reduction, TripletProblem } from './triplet/problem.js';
import { referenceLossAndGradient, type ReferenceResult } from './triplet/reference.js';

export class Workload {
  private arenaViews: ArenaViews | undefined;
  /** `slots`: the most threads any configuration on this workload will use; `reference`, where already computed. */
  constructor(
    readonly problem: TripletProblem,
    readonly slots: number,
    readonly reduction: Reduction = 'mean',
    private referenceResult?: ReferenceResult,
  ) {}

  /** The arena holding this problem, written once. */
  arena(): ArenaViews {
    this.arenaViews ??= createArena(this.problem, this.slots);
    return this.arenaViews;
  }

  /** The float64 reference loss and gradient, computed once. */
  reference(): ReferenceResult {
    this.referenceResult ??= referenceLossAndGradient(this.problem, this.reduction);
    return this.referenceResult;
  }

  /** Measured share of active triplets at the starting W. */
  activeFraction(): number {
    return this.reference().activeCount / this.problem.shape.batch;
  }
}
