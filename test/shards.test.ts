import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shardBounds } from '../src/engines/workers/shards.js';

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

describe('shardBounds in granules', () => {
  for (const [n, parts, granule] of [[4096, 2, 16], [4096, 3, 16], [37, 3, 16], [37, 4, 16], [3, 4, 16], [0, 2, 16], [1000, 7, 16]] as const) {
    it(`covers [0, ${n}) in ${parts} shards starting on multiples of ${granule}, sizes within one granule`, () => {
      const shards = shardBounds(n, parts, granule);
      assert.equal(shards.length, parts);
      assert.equal(shards[0]!.start, 0);
      assert.equal(shards.at(-1)!.end, n);
      for (let t = 1; t < parts; t++) assert.equal(shards[t]!.start, shards[t - 1]!.end);
      for (const shard of shards) assert.ok(shard.start % granule === 0 || shard.start === n, `start ${shard.start}`);
      const full = shards.filter((s) => s.end < n).map((s) => s.end - s.start);
      if (full.length > 0) assert.ok(Math.max(...full) - Math.min(...full) <= granule);
    });
  }

  it('leaves the shards past the last granule empty (more threads than granules)', () => {
    assert.deepEqual(shardBounds(20, 4, 16), [{ start: 0, end: 16 }, { start: 16, end: 20 }, { start: 20, end: 20 }, { start: 20, end: 20 }]);
  });

  it('rejects a granule that is not a positive integer', () => {
    assert.throws(() => shardBounds(10, 2, 0));
    assert.throws(() => shardBounds(10, 2, 2.5));
  });
});
