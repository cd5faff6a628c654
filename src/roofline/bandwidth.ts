/**
 * The memory roof: sustained bandwidth at each thread count, STREAM copy and triad run by
 * T worker threads at once over SharedArrayBuffer views (each its own slice), the better of
 * the two kinds being the roof. Measured on buffers larger than the last-level cache (DRAM)
 * and on buffers the size of the workload's arena (which may fit in it: then the figure is
 * the cache's, and says so).
 */
import { Worker } from 'node:worker_threads';
import { BANDWIDTH_WORKER_FILE } from '../layout.js';
import { concurrentGBps, type StreamKind, type StreamWindow } from './stream.js';

// Beside this module in dist/, an entry of its own in the bundle (src/layout.ts).
const WORKER_FILE = BANDWIDTH_WORKER_FILE;
const KINDS: readonly StreamKind[] = ['copy', 'triad'];

/** One buffer size at one thread count. */
export interface BandwidthPoint {
  readonly threads: number;
  /** Bytes of each of the three arrays. */
  readonly array_bytes: number;
  readonly copy_gbps: number;
  readonly triad_gbps: number;
  /** The better of the two: the roof. */
  readonly gbps: number;
}

/** Times `threads` workers over three arrays of `arrayBytes` each, `windowMs` per kind. */
export async function measureBandwidthAt(threads: number, arrayBytes: number, windowMs: number): Promise<BandwidthPoint> {
  const elements = Math.floor(arrayBytes / 4 / threads / 16) * 16 * threads;
  const buffers = [0, 1, 2].map(() => new SharedArrayBuffer(elements * 4)) as [SharedArrayBuffer, SharedArrayBuffer, SharedArrayBuffer];
  const start = new SharedArrayBuffer(4);
  const per = elements / threads;
  const workers = Array.from({ length: threads }, (_, i) => new Worker(WORKER_FILE, { workerData: { buffers, start, from: i * per, to: (i + 1) * per } }));
  try {
    await Promise.all(workers.map((w) => new Promise((resolve, reject) => w.once('message', resolve).once('error', reject))));
    const figures: Partial<Record<StreamKind, number>> = {};
    for (const [index, kind] of KINDS.entries()) {
      const generation = index + 1;
      const windows = workers.map((w) => new Promise<StreamWindow>((resolve, reject) => w.once('message', resolve).once('error', reject)));
      for (const w of workers) w.postMessage({ kind, windowMs, generation });
      Atomics.store(new Int32Array(start), 0, generation);
      Atomics.notify(new Int32Array(start), 0);
      figures[kind] = concurrentGBps(await Promise.all(windows));
    }
    const copy = figures.copy!;
    const triad = figures.triad!;
    return { threads, array_bytes: elements * 4, copy_gbps: copy, triad_gbps: triad, gbps: Math.max(copy, triad) };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
