/**
 * tfjs-node inside a worker thread, loaded once on first use. Before the pool starts, the
 * kernel's `prepare` (src/engines/workers/kernels.ts) puts src/native/tf-environment.ts's
 * variables in the process environment: TF_NUM_INTRAOP_THREADS=1, so each worker's
 * TensorFlow runs its ops on one thread and the parallelism is the pool's, and the BFC
 * allocator.
 */
import type * as tfType from '@tensorflow/tfjs-core';
import { requireTfjsNode } from '../../src/native/load-tfjs.js';
import { bindingPath } from '../../src/native/paths.js';
import { bindingThreadSafe } from '../../src/native/thread-safety.js';

let tf: typeof tfType | undefined;

/** tfjs-node in this thread (the `util` shim applied first, PROD: no debug checks). */
export function workerTfjsNode(): typeof tfType {
  tf ??= requireTfjsNode();
  return tf;
}

let threadSafe: boolean | undefined;

/**
 * Whether this process's tfjs-node binding may run ops on several threads at once: built by
 * setup-native from the patched source (src/native/thread-safety.ts). Read once per worker.
 */
export function tfjsNodeThreadSafe(): boolean {
  threadSafe ??= bindingThreadSafe(bindingPath());
  return threadSafe;
}
