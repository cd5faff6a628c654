/**
 * The held-out check: a fixed, seeded set of triplets from the held-out samples, and the
 * share of them that meet the margin, d(a, n) >= d(a, p) + alpha (hinge 0: no loss).
 */
import type { LabelledData } from '../data/dataset.js';
import { embed, squaredDistance } from '../data/embedding.js';
import { TripletSampler, type TripletIndices } from '../data/sampler.js';

/** One triplet per held-out sample that has a positive among the held-out; undefined when none has. */
export function heldOutTriplets(data: LabelledData, heldOut: readonly number[], seed: number): TripletIndices | undefined {
  const sampler = new TripletSampler(data, heldOut, seed ^ 0x4e1d_0000);
  return sampler.usable ? sampler.tripletsFor(sampler.anchorPool) : undefined;
}

/** Share of the triplets that meet the margin under W. */
export function marginRate(data: LabelledData, triplets: TripletIndices, weights: ArrayLike<number>, dOut: number, margin: number): number {
  const samples = [...new Set([...triplets.anchors, ...triplets.positives, ...triplets.negatives])];
  const row = new Map(samples.map((sample, i) => [sample, i]));
  const e = embed(data, samples, weights, dOut);
  let met = 0;
  for (let i = 0; i < triplets.anchors.length; i++) {
    const a = row.get(triplets.anchors[i]!)!;
    const dP = squaredDistance(e, a, e, row.get(triplets.positives[i]!)!, dOut);
    const dN = squaredDistance(e, a, e, row.get(triplets.negatives[i]!)!, dOut);
    if (!(dP - dN + margin > 0)) met++;
  }
  return met / triplets.anchors.length;
}
