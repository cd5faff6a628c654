import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LabelledData } from '../src/data/dataset.js';
import { embed } from '../src/data/embedding.js';
import { SeededRandom } from '../src/triplet/random.js';

function dataOf(count: number, dIn: number, seed: number): LabelledData {
  const random = new SeededRandom(seed);
  const features = Float32Array.from({ length: count * dIn }, () => random.uniform() * 2 - 1);
  return { source: 'test', count, dIn, features, labels: new Int32Array(count), labelNames: ['0'] };
}

describe('embed: e = W x of chosen samples, float64', () => {
  // Every D_out remainder of the four-output blocks, and a sample chosen twice.
  for (const dOut of [1, 3, 4, 7, 8, 13]) {
    it(`equals a plain dot product per output, bit for bit, for D_out = ${dOut}`, () => {
      const dIn = 11;
      const data = dataOf(9, dIn, dOut);
      const random = new SeededRandom(100 + dOut);
      const weights = Float32Array.from({ length: dOut * dIn }, () => random.uniform() - 0.5);
      const samples = [8, 0, 3, 3];
      const got = embed(data, samples, weights, dOut);
      assert.equal(got.length, samples.length * dOut);
      samples.forEach((sample, s) => {
        for (let o = 0; o < dOut; o++) {
          let sum = 0;
          for (let k = 0; k < dIn; k++) sum += weights[o * dIn + k]! * data.features[sample * dIn + k]!;
          assert.equal(got[s * dOut + o], sum, `sample ${sample}, output ${o}`);
        }
      });
    });
  }
});
