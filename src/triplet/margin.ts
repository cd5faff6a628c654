/**
 * The margin that makes a chosen fraction of triplets active (docs/design.md, "The math and its FLOPs").
 * Triplet i is active iff alpha > s_i, s_i = dN_i - dP_i. With s sorted ascending and
 * k = round(f B), alpha halfway between s_(k) and s_(k+1) makes exactly k active and
 * keeps every h_i = alpha - s_i away from the tie at 0.
 */

/** Number of active triplets a fraction asks for. */
export function activeCountForFraction(batch: number, fraction: number): number {
  return Math.round(fraction * batch);
}

/** The margin that leaves exactly round(fraction * B) triplets active, given the slacks. */
export function marginForFraction(slacks: ArrayLike<number>, fraction: number): number {
  const batch = slacks.length;
  if (batch === 0) throw new RangeError('no triplets to choose a margin for');
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`active fraction must be in [0, 1], got ${fraction}`);
  const sorted = Float64Array.from(slacks).sort();
  const lowest = sorted[0]!;
  const highest = sorted[batch - 1]!;
  // Step used past either end: half the spread, or a unit when all slacks are equal.
  const pad = highest > lowest ? (highest - lowest) / 2 : Math.max(1, Math.abs(highest));
  const k = activeCountForFraction(batch, fraction);
  if (k === 0) return lowest - pad;
  if (k === batch) return highest + pad;
  // 0-based: s_(k) is sorted[k - 1], s_(k+1) is sorted[k].
  return (sorted[k - 1]! + sorted[k]!) / 2;
}
