/**
 * One of T bandwidth timers (src/roofline/bandwidth.ts): a worker thread given its slice of
 * three shared float32 arrays; on each request it waits for the start word, then times
 * `windowMs` of passes of the kind asked and posts what it moved.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { timeStream, type StreamKind } from './stream.js';

interface Slice {
  readonly buffers: readonly [SharedArrayBuffer, SharedArrayBuffer, SharedArrayBuffer];
  readonly start: SharedArrayBuffer;
  readonly from: number;
  readonly to: number;
}

const slice = workerData as Slice;
const views = slice.buffers.map((buffer) => new Float32Array(buffer, slice.from * 4, slice.to - slice.from)) as [Float32Array, Float32Array, Float32Array];
const start = new Int32Array(slice.start);

parentPort!.on('message', ({ kind, windowMs, generation }: { kind: StreamKind; windowMs: number; generation: number }) => {
  // All T begin together: each waits until the coordinator bumps the start word to this generation.
  while (Atomics.load(start, 0) < generation) Atomics.wait(start, 0, generation - 1, 50);
  parentPort!.postMessage(timeStream(kind, views, windowMs, () => performance.now()));
});
parentPort!.postMessage('ready');
