/**
 * The held-out split: a seeded share of each label's samples kept out of training, so
 * that "meets the margin" can be measured on triplets the gradient never saw.
 */
import { SeededRandom } from '../triplet/random.js';
import { samplesByLabel, type LabelledData } from './dataset.js';

/** Sample indices of each side of the split, ascending. */
export interface Split {
  readonly train: readonly number[];
  readonly heldOut: readonly number[];
}

/**
 * Holds out round(share * n) samples of each label, but never so many that a label keeps
 * fewer than two training samples (training needs a positive for every anchor).
 */
export function splitHeldOut(data: LabelledData, share: number, seed: number): Split {
  const random = new SeededRandom(seed ^ 0x5b1e_7000);
  const train: number[] = [];
  const heldOut: number[] = [];
  for (const group of samplesByLabel(data.labels, data.labelNames.length)) {
    const shuffled = random.shuffle([...group]);
    const keep = Math.min(Math.round(share * group.length), group.length - 2);
    heldOut.push(...shuffled.slice(0, Math.max(0, keep)));
    train.push(...shuffled.slice(Math.max(0, keep)));
  }
  return { train: train.sort((a, b) => a - b), heldOut: heldOut.sort((a, b) => a - b) };
}
