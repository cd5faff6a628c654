/** Contiguous shards of [0, n) over T parts, sizes differing by at most one. */

/** Half-open range [start, end). */
export interface Range {
  readonly start: number;
  readonly end: number;
}

/** Splits [0, n) into `parts` contiguous ranges; the first n mod parts get one more. */
export function shardBounds(n: number, parts: number): Range[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`cannot shard ${n} items`);
  if (!Number.isInteger(parts) || parts < 1) throw new RangeError(`cannot shard into ${parts} parts`);
  const base = Math.floor(n / parts);
  const extra = n % parts;
  const ranges: Range[] = [];
  let start = 0;
  for (let t = 0; t < parts; t++) {
    const end = start + base + (t < extra ? 1 : 0);
    ranges.push({ start, end });
    start = end;
  }
  return ranges;
}
