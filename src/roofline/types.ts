/**
 * The roofline of a run: this machine's GEMM speed on the workload's own shapes, measured
 * before the sweep at each thread count, as run.json records it.
 */
import type { Shape } from '../triplet/problem.js';

/** How the T-thread GEMM figure was reached. */
export type RooflineMethod = 'intra-op' | 'concurrent';

/** One shape at one thread count. */
export interface RooflinePoint {
  readonly batch: number;
  readonly d_in: number;
  readonly d_out: number;
  readonly threads: number;
  /** The better of the two methods, GFLOP/s. */
  readonly gflops: number;
  readonly method: RooflineMethod;
  /** tfjs-node's matMul with T intra-op threads in one process. */
  readonly intra_op_gflops: number;
  /** T single-thread matMuls at once, one per worker thread; equal to intra-op at T = 1. */
  readonly concurrent_gflops: number;
  /**
   * The thread count the figures were measured at: T, or where T is above the CPUs, the
   * count up to them that measured best (the machine's roofline). T threads on fewer cores share them: the machine's GEMM speed is the
   * roofline there, not T times a core's (measured, the concurrent figure counted cores
   * that do not exist: T=256 2209 GFLOP/s on 2 cores; src/roofline/measure.ts).
   */
  readonly measured_threads: number;
}

/** The roofline, or why there is none. */
export type Roofline =
  | {
      readonly measured: true;
      readonly library: string;
      /** What was timed, in words. */
      readonly gemm: string;
      /** CPUs this process may run on (os.availableParallelism): no thread count is measured above it. */
      readonly cpus: number;
      readonly points: readonly RooflinePoint[];
    }
  | { readonly measured: false; readonly reason: string };

/** A shape and thread count, as a key. */
export function rooflineKey(shape: Shape, threads: number): string {
  return `${shape.batch}|${shape.dIn}|${shape.dOut}|${threads}`;
}

/** What `method` means, for run.json readers and the page. */
export const METHOD_WORDS: Record<RooflineMethod, string> = {
  'intra-op': "tfjs-node's matMul on T TensorFlow intra-op threads",
  concurrent: 'T single-thread tfjs-node matMuls at once, one per worker thread',
};
