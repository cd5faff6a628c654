/**
 * A training that diverged ends: every later step would be NaN, zero or ever larger, and
 * the held-out rate of a W of zeros looks perfect. Diverged means either of
 *
 * - the loss or an entry of W after the update is not finite (`--lr 1e30` overflows in a
 *   few steps);
 * - the loss is above DIVERGED_GROWTH times the first positive loss of the run: `--lr 1`
 *   on a small CSV took it from 5.3 to 1.5e37 in 40 steps without overflowing, and such a
 *   run ended `completed`, exit 0. SGD on a hinge loss that is converging never grows a
 *   millionfold; a run that does is no longer training.
 */

/** How many times its first positive loss a step's loss may reach before the run counts as diverged. */
export const DIVERGED_GROWTH = 1e6;

/** Training diverged at `step`; the command exits 1 naming it. */
export class TrainingDiverged extends Error {
  override readonly name = 'TrainingDiverged';
  constructor(
    readonly step: number,
    what: string,
    lr: number,
  ) {
    super(`step ${step}: ${what}; training diverged (--lr ${lr}): lower --lr`);
  }
}

/** Throws TrainingDiverged when the loss of `step` or any entry of W after it is not finite. */
export function assertFiniteStep(step: number, loss: number, weights: ArrayLike<number>, lr: number): void {
  if (!Number.isFinite(loss)) throw new TrainingDiverged(step, `the loss is ${loss}`, lr);
  for (let i = 0; i < weights.length; i++) {
    if (!Number.isFinite(weights[i]!)) throw new TrainingDiverged(step, `W[${i}] is ${weights[i]} after the update (float32)`, lr);
  }
}

/**
 * Watches one run's losses step by step: throws TrainingDiverged at the first step whose
 * loss or W is not finite, or whose loss passed DIVERGED_GROWTH times the first positive
 * loss (a first batch with no active triplet has loss 0: growth is measured from the
 * first that had one).
 */
export class DivergenceWatch {
  private firstPositive: { readonly step: number; readonly loss: number } | undefined;

  constructor(private readonly lr: number) {}

  check(step: number, loss: number, weights: ArrayLike<number>): void {
    assertFiniteStep(step, loss, weights, this.lr);
    if (this.firstPositive === undefined) {
      if (loss > 0) this.firstPositive = { step, loss };
      return;
    }
    const first = this.firstPositive;
    if (loss > DIVERGED_GROWTH * first.loss) {
      const growth = `the loss ${loss.toPrecision(3)} is more than ${DIVERGED_GROWTH.toExponential(0)} times step ${first.step}'s ${first.loss.toPrecision(3)}`;
      throw new TrainingDiverged(step, growth, this.lr);
    }
  }
}
