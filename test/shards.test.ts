import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shardBounds } from '../src/shards.js';

describe('shardBounds', () => {
  for (const [n, parts] of [[10, 3], [4096, 2], [2, 5], [0, 3], [7, 7], [1000, 64]] as const) {
    it(`covers [0, ${n}) in ${parts} contiguous shards differing by at most one`, () => {
      const shards = shardBounds(n, parts);
      assert.equal(shards.length, parts);
      assert.equal(shards[0]!.start, 0);
      assert.equal(shards.at(-1)!.end, n);
      for (let t = 1; t < parts; t++) assert.equal(shards[t]!.start, shards[t - 1]!.end);
      const sizes = shards.map((s) => s.end - s.start);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1);
    });
  }

  it('rejects zero parts and fractional counts', () => {
    assert.throws(() => shardBounds(10, 0));
    assert.throws(() => shardBounds(10, 1.5));
    assert.throws(() => shardBounds(-1, 2));
  });
});
