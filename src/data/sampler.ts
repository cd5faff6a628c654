/**
 * Triplets drawn from labels: the anchor and the positive share a label, the negative
 * has another. Indices only; `gatherTriplets` copies the samples into a batch. Seeded, so
 * a seed names one sequence of batches.
 */
import { SeededRandom } from '../triplet/random.js';
import type { LabelledData } from './dataset.js';

/** Sample indices of B triplets. */
export interface TripletIndices {
  readonly anchors: Int32Array;
  readonly positives: Int32Array;
  readonly negatives: Int32Array;
}

/** Draws triplets from a subset of a data set's samples (a split). */
export class TripletSampler {
  private readonly random: SeededRandom;
  private readonly members = new Map<number, number[]>();
  /** Samples whose label has a second sample in the subset: those can be anchors. */
  readonly anchorPool: readonly number[];

  constructor(
    private readonly data: LabelledData,
    private readonly subset: readonly number[],
    seed: number,
  ) {
    this.random = new SeededRandom(seed);
    for (const sample of subset) {
      const label = data.labels[sample]!;
      const group = this.members.get(label);
      if (group) group.push(sample);
      else this.members.set(label, [sample]);
    }
    this.anchorPool = this.members.size < 2 ? [] : subset.filter((sample) => this.members.get(data.labels[sample]!)!.length >= 2);
  }

  /** Whether the subset can make a triplet at all. */
  get usable(): boolean {
    return this.anchorPool.length > 0;
  }

  /** The anchor pool in a fresh seeded order: one pass (epoch) over it. */
  epochOrder(): number[] {
    return this.random.shuffle([...this.anchorPool]);
  }

  /** B anchors drawn with replacement. */
  randomAnchors(batch: number): number[] {
    return Array.from({ length: batch }, () => this.anchorPool[this.random.integer(this.anchorPool.length)]!);
  }

  /** A triplet for each anchor: a random other sample of its label, a random sample of another label. */
  tripletsFor(anchors: ArrayLike<number>): TripletIndices {
    const n = anchors.length;
    const result = { anchors: Int32Array.from(anchors), positives: new Int32Array(n), negatives: new Int32Array(n) };
    for (let i = 0; i < n; i++) {
      const anchor = anchors[i]!;
      const label = this.data.labels[anchor]!;
      const group = this.members.get(label)!;
      // One draw among the group less the anchor: skip over it.
      let j = this.random.integer(group.length - 1);
      if (group[j] === anchor) j = group.length - 1;
      result.positives[i] = group[j]!;
      // Rejection: terminates as long as another label exists (checked by the loaders).
      let negative: number;
      do negative = this.subset[this.random.integer(this.subset.length)]!;
      while (this.data.labels[negative] === label);
      result.negatives[i] = negative;
    }
    return result;
  }
}

/** Copies the samples of B triplets into the float32 arrays of a batch. */
export function gatherTriplets(data: LabelledData, triplets: TripletIndices): { anchors: Float32Array; positives: Float32Array; negatives: Float32Array } {
  const { dIn, features } = data;
  const copy = (indices: Int32Array) => {
    const out = new Float32Array(indices.length * dIn);
    indices.forEach((sample, row) => out.set(features.subarray(sample * dIn, (sample + 1) * dIn), row * dIn));
    return out;
  };
  return { anchors: copy(triplets.anchors), positives: copy(triplets.positives), negatives: copy(triplets.negatives) };
}

/** A Glorot-scaled D_out x D_in embedding, the same initial W whatever the data. */
export function glorotWeights(dIn: number, dOut: number, seed: number): Float32Array {
  const random = new SeededRandom(seed ^ 0x0057_0000);
  const scale = Math.sqrt(2 / (dIn + dOut));
  return Float32Array.from({ length: dIn * dOut }, () => scale * random.gaussian());
}

