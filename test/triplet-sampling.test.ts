import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LabelledData } from '../src/data/dataset.js';
import { mineSemihard } from '../src/data/mining.js';
import { TripletSampler } from '../src/data/sampler.js';
import { splitHeldOut } from '../src/data/split.js';

/** One feature per sample: x = position on a line; W = [1] embeds it as itself. */
function lineData(xs: number[], labels: number[]): LabelledData {
  return {
    source: 'line', count: xs.length, dIn: 1, features: Float32Array.from(xs), labels: Int32Array.from(labels),
    labelNames: [...new Set(labels)].map(String),
  };
}

describe('triplets from labels', () => {
  const data = lineData(Array.from({ length: 40 }, (_, i) => i), Array.from({ length: 40 }, (_, i) => i % 4));

  it('anchor and positive share a label and differ; the negative has another', () => {
    const sampler = new TripletSampler(data, Array.from({ length: 40 }, (_, i) => i), 1);
    const t = sampler.tripletsFor(sampler.epochOrder());
    for (let i = 0; i < 40; i++) {
      assert.equal(data.labels[t.anchors[i]!], data.labels[t.positives[i]!]);
      assert.notEqual(t.anchors[i], t.positives[i]);
      assert.notEqual(data.labels[t.anchors[i]!], data.labels[t.negatives[i]!]);
    }
  });

  it('is the same for the same seed', () => {
    const draw = (seed: number) => {
      const sampler = new TripletSampler(data, Array.from({ length: 40 }, (_, i) => i), seed);
      return sampler.tripletsFor(sampler.randomAnchors(25));
    };
    assert.deepEqual(draw(9), draw(9));
    assert.notDeepEqual(draw(9), draw(10));
  });

  it('holds out a share of each label and keeps two of each for training', () => {
    const split = splitHeldOut(data, 0.2, 5);
    assert.equal(split.heldOut.length, 4 * 2);
    assert.equal(split.train.length + split.heldOut.length, 40);
    const tiny = splitHeldOut(lineData([0, 1, 2, 3], [0, 0, 1, 1]), 0.5, 5);
    assert.deepEqual(tiny.heldOut, []);
  });
});

describe('semi-hard mining (FaceNet)', () => {
  // Anchor 0 at 0, its positive at 2 (d = 4). Negatives at 1 (d 1: harder than the
  // positive), 2.5 (d 6.25: semi-hard), 3 (d 9) and 10.
  const data = lineData([0, 2, 1, 2.5, 3, 10], [0, 0, 1, 1, 1, 1]);
  const triplets = { anchors: Int32Array.from([0]), positives: Int32Array.from([1]), negatives: Int32Array.from([5]) };
  const mined = (negatives: number[]) => mineSemihard(data, { ...triplets, negatives: Int32Array.from(negatives) }, [1], 1).negatives[0];

  it('takes the nearest negative farther than the positive', () => {
    // Candidates are the batch's samples: anchor, positive and every negative given.
    const batch = { anchors: Int32Array.from([0, 0, 0, 0]), positives: Int32Array.from([1, 1, 1, 1]), negatives: Int32Array.from([2, 3, 4, 5]) };
    assert.deepEqual([...mineSemihard(data, batch, [1], 1).negatives], [3, 3, 3, 3]);
  });

  it('falls back to the farthest negative when none is farther than the positive', () => {
    assert.equal(mined([2]), 2);
  });

  it('takes a negative beyond the margin when that is the nearest farther one', () => {
    assert.equal(mined([5]), 5);
  });
});
