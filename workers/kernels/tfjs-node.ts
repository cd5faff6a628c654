/**
 * tfjs-node inside a worker thread, loaded once on first use. The main thread sets
 * TF_NUM_INTRAOP_THREADS=1 before the pool starts (src/engines/workers.ts), so each worker's
 * TensorFlow runs its ops on one thread and the parallelism is the pool's.
 */
import { createRequire } from 'node:module';
import type * as tfType from '@tensorflow/tfjs-core';
import { applyNodeUtilShim } from '../../src/compat/node-util-shim.js';
import { bindingPath } from '../../src/native/paths.js';
import { bindingThreadSafe } from '../../src/native/thread-safety.js';

const require = createRequire(import.meta.url);

let tf: typeof tfType | undefined;

/** tfjs-node in this thread (the `util` shim applied first, PROD: no debug checks). */
export function workerTfjsNode(): typeof tfType {
  if (tf === undefined) {
    process.env['TF_CPP_MIN_LOG_LEVEL'] ??= '2';
    applyNodeUtilShim();
    tf = require('@tensorflow/tfjs-node') as typeof tfType;
    tf.env().set('PROD', true);
  }
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
