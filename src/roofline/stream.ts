/**
 * STREAM's copy and triad (McCalpin) over float32 views: the passes each bandwidth worker
 * times, and the arithmetic that turns passes into GB/s. Bytes counted as STREAM counts
 * them: copy reads one array and writes one (8 bytes an element in float32), triad reads two
 * and writes one (12). No write-allocate traffic is added, as STREAM adds none.
 */

export type StreamKind = 'copy' | 'triad';

/** Bytes one pass moves per element. */
export const STREAM_BYTES_PER_ELEMENT: Record<StreamKind, number> = { copy: 8, triad: 12 };

/** One pass: copy b = a, or triad a = b + s c. */
export function streamPass(kind: StreamKind, a: Float32Array, b: Float32Array, c: Float32Array): void {
  const n = a.length;
  if (kind === 'copy') {
    b.set(a); // a memcpy: the fastest copy JavaScript has
  } else {
    for (let i = 0; i < n; i++) a[i] = b[i]! + 3 * c[i]!;
  }
}

/** What one thread's window of passes moved. */
export interface StreamWindow {
  readonly bytes: number;
  readonly ms: number;
  /** The fastest single pass, GB/s: STREAM reports the best of its repetitions. */
  readonly bestGBps: number;
}

/** GB/s of `bytes` moved in `ms`. */
export function gigabytesPerSecond(bytes: number, ms: number): number {
  return ms > 0 ? bytes / (ms * 1e6) : Number.NaN;
}

/** Passes over the views until `windowMs` has passed (at least `minPasses`), on clock `now`. */
export function timeStream(kind: StreamKind, views: readonly [Float32Array, Float32Array, Float32Array], windowMs: number, now: () => number, minPasses = 3): StreamWindow {
  const passBytes = STREAM_BYTES_PER_ELEMENT[kind] * views[0].length;
  streamPass(kind, ...views); // untimed: pages faulted in, the JIT warm
  let passes = 0;
  let best = Number.POSITIVE_INFINITY;
  const began = now();
  let elapsed = 0;
  while (passes < minPasses || elapsed < windowMs) {
    const at = now();
    streamPass(kind, ...views);
    const end = now();
    best = Math.min(best, end - at);
    passes++;
    elapsed = end - began;
  }
  return { bytes: passes * passBytes, ms: elapsed, bestGBps: gigabytesPerSecond(passBytes, best) };
}

/**
 * The sustained bandwidth of T threads that ran at once: what all of them moved over the
 * longest window, the machine's wall-clock rate. Not the sum of per-thread rates, which
 * would count a thread's rate as if the others had not slowed it (and, above the cores,
 * count cores that do not exist).
 */
export function concurrentGBps(windows: readonly StreamWindow[]): number {
  if (windows.length === 0) return Number.NaN;
  return gigabytesPerSecond(windows.reduce((sum, w) => sum + w.bytes, 0), Math.max(...windows.map((w) => w.ms)));
}
