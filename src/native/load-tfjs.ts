/**
 * Loading tfjs with one backend, in whatever process or thread asks. The packages are
 * CommonJS, so they are required; tfjs-node brings @tensorflow/tfjs with it. It sits
 * outside src/engines/ because the roofline, the baseline, the native probe and the workers'
 * own threads (workers/kernels/tfjs-node.ts) load tfjs too, and no thread-side file imports an engine.
 */
import { createRequire } from 'node:module';
import type * as tfType from '@tensorflow/tfjs-core';
import { applyNodeUtilShim } from '../compat/node-util-shim.js';
import type { TfjsBackend } from '../domain.js';
import { TF_QUIET_LOG_LEVEL } from './tf-environment.js';

const require = createRequire(import.meta.url);

/** What loading each backend takes: the package that brings tfjs with it, and what to set up after. */
const BACKENDS: Readonly<Record<TfjsBackend, { readonly tfjsPackage: string; setUp?(tf: typeof tfType): void }>> = {
  tensorflow: { tfjsPackage: '@tensorflow/tfjs-node' },
  wasm: {
    tfjsPackage: '@tensorflow/tfjs',
    setUp: (tf) => {
      require('@tensorflow/tfjs-backend-wasm');
      // Node has no Web Workers for the threaded wasm build: one thread, SIMD where there.
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    },
  },
  cpu: { tfjsPackage: '@tensorflow/tfjs' },
};

/** tfjs with `backend` active. tfjs-node reads TF_NUM_INTRAOP_THREADS when it loads. */
export async function loadTfjs(backend: TfjsBackend): Promise<typeof tfType> {
  process.env['TF_CPP_MIN_LOG_LEVEL'] ??= TF_QUIET_LOG_LEVEL;
  applyNodeUtilShim();
  const tf = require(BACKENDS[backend].tfjsPackage) as typeof tfType;
  // PROD: no "install the node backend" banner, no debug checks in timed code.
  tf.env().set('PROD', true);
  BACKENDS[backend].setUp?.(tf);
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs could not start its ${backend} backend`);
  await tf.ready();
  return tf;
}

/**
 * tfjs-node, synchronously (the util shim applied first, PROD: no debug checks): for the
 * workers' tfjs kernel, the roofline's GEMM workers and the native probe.
 */
export function requireTfjsNode(): typeof tfType {
  process.env['TF_CPP_MIN_LOG_LEVEL'] ??= TF_QUIET_LOG_LEVEL;
  applyNodeUtilShim();
  const tf = require('@tensorflow/tfjs-node') as typeof tfType;
  tf.env().set('PROD', true);
  return tf;
}
