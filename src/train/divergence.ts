/**
 * A step whose loss or W is no longer finite (`--lr 1e30` overflows in a few steps) ends
 * the training: every later step would be NaN or zero, and the held-out rate of a W of
 * zeros looks perfect.
 */

/** Training went non-finite at `step`; the command exits 1 naming it. */
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
