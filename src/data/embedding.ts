/** The embedding e = W x of chosen samples, in float64 on the main thread (mining, held-out checks). */
import type { LabelledData } from './dataset.js';

/** n x D_out embeddings of the samples, row-major. */
export function embed(data: LabelledData, samples: ArrayLike<number>, weights: ArrayLike<number>, dOut: number): Float64Array {
  const { dIn, features } = data;
  const out = new Float64Array(samples.length * dOut);
  for (let s = 0; s < samples.length; s++) {
    const x = samples[s]! * dIn;
    for (let o = 0; o < dOut; o++) {
      let sum = 0;
      const w = o * dIn;
      for (let k = 0; k < dIn; k++) sum += weights[w + k]! * features[x + k]!;
      out[s * dOut + o] = sum;
    }
  }
  return out;
}

/** Squared distance between rows i and j of two embedding matrices of width dOut. */
export function squaredDistance(a: Float64Array, i: number, b: Float64Array, j: number, dOut: number): number {
  let sum = 0;
  for (let o = 0; o < dOut; o++) {
    const d = a[i * dOut + o]! - b[j * dOut + o]!;
    sum += d * d;
  }
  return sum;
}
