/**
 * What `verify` says on stderr while it works: a line as each workload starts, and a
 * line every so often while one step of it (building the batch and reference, or one
 * check) runs long. A 100,000-column CSV at the default sizes once ran 75 s without a word
 * (issue 23, item 10); stdout keeps only the table or the JSON.
 */

/** A step running longer than this gets its first "still" line; then one every STILL_EVERY_MS. */
export const STILL_AFTER_MS = 5000;
export const STILL_EVERY_MS = 30_000;

/** Runs `work`, printing "still <what>, N s so far" while it takes longer than STILL_AFTER_MS. */
export async function sayingWhileSlow<T>(
  what: string,
  print: (line: string) => void,
  work: () => Promise<T>,
  timing: { readonly afterMs: number; readonly everyMs: number } = { afterMs: STILL_AFTER_MS, everyMs: STILL_EVERY_MS },
): Promise<T> {
  const began = Date.now();
  const say = () => print(`verify: still ${what}, ${Math.round((Date.now() - began) / 1000)} s so far`);
  let timer = setTimeout(function again() {
    say();
    timer = setTimeout(again, timing.everyMs);
  }, timing.afterMs);
  try {
    return await work();
  } finally {
    clearTimeout(timer);
  }
}
