/**
 * Online negative mining within a batch (FaceNet, Schroff et al. 2015, section 3.2).
 * `semihard`: for each anchor-positive pair, among the batch's samples of other labels,
 * the negative closest to the anchor that is still farther than the positive,
 * d(a, n) > d(a, p); inside the margin that is the hardest semi-hard negative, and where
 * none is inside the margin it is the nearest one beyond (an inactive triplet). When no
 * negative is farther than the positive, the farthest (easiest) negative: FaceNet avoids
 * the hardest ones, which collapse the embedding early. This is TensorFlow Addons'
 * `triplet_semihard_loss` rule.
 */
import type { LabelledData } from './dataset.js';
import { embed, squaredDistance } from './embedding.js';
import type { TripletIndices } from './sampler.js';

export type Mining = 'random' | 'semihard';
export const MININGS: readonly Mining[] = ['random', 'semihard'];

/**
 * Replaces each triplet's negative by the semi-hard choice among every sample of the batch
 * (anchors, positives and the random negatives). Ties go to the first candidate, so the
 * choice is deterministic.
 */
export function mineSemihard(data: LabelledData, triplets: TripletIndices, weights: ArrayLike<number>, dOut: number): TripletIndices {
  const candidates = [...new Set([...triplets.anchors, ...triplets.positives, ...triplets.negatives])].sort((a, b) => a - b);
  const position = new Map(candidates.map((sample, i) => [sample, i]));
  const e = embed(data, candidates, weights, dOut);
  const negatives = new Int32Array(triplets.anchors.length);
  for (let i = 0; i < triplets.anchors.length; i++) {
    const a = position.get(triplets.anchors[i]!)!;
    const label = data.labels[triplets.anchors[i]!]!;
    const dAP = squaredDistance(e, a, e, position.get(triplets.positives[i]!)!, dOut);
    let nearestBeyond = -1;
    let nearestBeyondD = Number.POSITIVE_INFINITY;
    let farthest = -1;
    let farthestD = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < candidates.length; c++) {
      if (data.labels[candidates[c]!] === label) continue;
      const d = squaredDistance(e, a, e, c, dOut);
      if (d > dAP && d < nearestBeyondD) {
        nearestBeyondD = d;
        nearestBeyond = c;
      }
      if (d > farthestD) {
        farthestD = d;
        farthest = c;
      }
    }
    negatives[i] = candidates[nearestBeyond >= 0 ? nearestBeyond : farthest]!;
  }
  return { anchors: triplets.anchors, positives: triplets.positives, negatives };
}
