/** Contiguous shards of [0, n) over T parts, balanced in whole granules. */

/** Half-open range [start, end). */
export interface Range {
  readonly start: number;
  readonly end: number;
}

/**
 * Splits [0, n) into `parts` contiguous ranges, each starting on a multiple of `granule`
 * (the last range takes the ragged tail). Whole granules are dealt out as evenly as
 * possible, the first ranges taking one more, so sizes differ by at most one granule
 * (plus the tail); ranges past the last granule are empty. The batch is sharded in
 * granules of 16 rows so that every shard's rows start on a 64-byte line for any D_in
 * (see SHARD_ROW_GRANULE in src/thread-boundary/arena.ts); with granule 1 sizes differ by at most one.
 */
export function shardBounds(n: number, parts: number, granule = 1): Range[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`cannot shard ${n} items`);
  if (!Number.isInteger(parts) || parts < 1) throw new RangeError(`cannot shard into ${parts} parts`);
  if (!Number.isInteger(granule) || granule < 1) throw new RangeError(`cannot shard in granules of ${granule}`);
  const granules = Math.ceil(n / granule);
  const base = Math.floor(granules / parts);
  const extra = granules % parts;
  const ranges: Range[] = [];
  let start = 0;
  for (let t = 0; t < parts; t++) {
    const end = Math.min(n, start + (base + (t < extra ? 1 : 0)) * granule);
    ranges.push({ start, end });
    start = end;
  }
  return ranges;
}
