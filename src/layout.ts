/**
 * Where the files that run in other threads and processes live. Two layouts exist:
 *
 * - the built checkout (or an installed package): tsc's dist/ tree, this module at
 *   dist/src/layout.js, the worker at dist/workers/worker.js, the wasm kernel beside its
 *   loader in dist/workers/kernels/;
 * - the self-contained bundle of `npm run bundle` (scripts/bundle.mjs): every entry one
 *   file in one folder, the wasm builds beside them.
 *
 * The bundler defines TRIPLET_BENCH_BUNDLED as true; tsc's output leaves it undeclared.
 * Every path below is computed from this module's own URL, which in the bundle is the URL
 * of whichever entry file inlined it: all of them sit in the same folder.
 */
import { fileURLToPath } from 'node:url';

declare const TRIPLET_BENCH_BUNDLED: boolean | undefined;

/** Whether this code runs from the bundle folder rather than from dist/. */
export const BUNDLED = typeof TRIPLET_BENCH_BUNDLED !== 'undefined' && TRIPLET_BENCH_BUNDLED;

/** The files each layout has, relative to this module. */
const FILES = BUNDLED
  ? {
      root: './',
      shardWorker: './shard-worker.js',
      tfjsHost: './tfjs-host.js',
      workloadThread: './workload-thread.js',
      nativeProbe: './native-probe.js',
      rooflineChild: './roofline-child.js',
      gemmWorker: './gemm-worker.js',
      bandwidthWorker: './bandwidth-worker.js',
      baselineChild: './baseline-child.js',
      wasmDir: './',
    }
  : {
      root: '../../',
      shardWorker: '../workers/worker.js',
      tfjsHost: './engines/tfjs/host.js',
      workloadThread: './bench/workload-thread.js',
      nativeProbe: './native/probe-child.js',
      rooflineChild: './roofline/gemm-child.js',
      gemmWorker: './roofline/gemm-worker.js',
      bandwidthWorker: './roofline/bandwidth-worker.js',
      baselineChild: './baseline/child.js',
      wasmDir: '../workers/kernels/',
    };

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/** The folder with package.json: the project root, or the bundle folder (whose package.json the bundler writes). */
export const PACKAGE_ROOT = here(FILES.root);
/** The Piscina task file of the workers engine: warmUp, compute, reduce. */
export const SHARD_WORKER_FILE = here(FILES.shardWorker);
/** The child process that runs one tfjs configuration. */
export const TFJS_HOST_FILE = here(FILES.tfjsHost);
/** The thread that builds a workload and its reference off the main thread. */
export const WORKLOAD_THREAD_FILE = here(FILES.workloadThread);
/** The child that proves tfjs-node loads and computes. */
export const NATIVE_PROBE_FILE = here(FILES.nativeProbe);
/** The roofline's child process (tfjs-node matMul at T intra-op threads). */
export const ROOFLINE_CHILD_FILE = here(FILES.rooflineChild);
/** The roofline child's worker thread (single-thread matMuls at once). */
export const GEMM_WORKER_FILE = here(FILES.gemmWorker);
/** One of the memory roof's T STREAM threads (src/roofline/bandwidth.ts). */
export const BANDWIDTH_WORKER_FILE = here(FILES.bandwidthWorker);
/** The tfjs-node baseline's timing child. */
export const BASELINE_CHILD_FILE = here(FILES.baselineChild);
/** A wasm kernel build by file name (wasm-kernel.wasm, wasm-kernel-relaxed.wasm). */
export function wasmFile(name: string): string {
  return here(FILES.wasmDir + name);
}
