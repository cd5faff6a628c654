/**
 * Measures the roofline before a sweep: for each workload shape and thread count T, the
 * better of tfjs-node's matMul on T intra-op threads (a child process per T, since
 * TensorFlow reads TF_NUM_INTRAOP_THREADS once) and T concurrent single-thread matMuls
 * (worker threads of the one-thread child). The children load tfjs-node together and
 * measure one after another. Without tfjs-node it says why there is none.
 *
 * No thread count above the CPUs is measured: there T threads take turns on the cores,
 * each concurrent timer keeps its fastest run, one it had a core to itself for, and their
 * sum counted cores that do not exist (T=8 122, T=256 2209 GFLOP/s on 2 cores). Above
 * the CPUs the roofline is the machine's: the best figure at up to all of them.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { trackChild } from '../child-processes.js';
import { errorMessage } from '../errors.js';
import { ROOFLINE_CHILD_FILE } from '../layout.js';
import { nativeAvailability } from '../native/probe.js';
import { tensorflowChildOptions } from '../native/tf-environment.js';
import { reasonLines } from '../native/tensorflow-chatter.js';
import type { Shape } from '../triplet/problem.js';
import type { GemmReply, GemmRequest } from './gemm-child.js';
import type { Roofline, RooflinePoint } from './types.js';

const CHILD_FILE = ROOFLINE_CHILD_FILE;
/** Timing window of each method, shape and thread count: a few hundred ms in all per T. */
export const ROOFLINE_WINDOW_MS = 120;

type Done = Extract<GemmReply, { type: 'done' }>;

/** A started child: `ready` once tfjs-node is loaded, `measure` for the figures. */
function startChild(threads: number, workers: number): { ready: Promise<void>; measure(request: GemmRequest): Promise<Done>; end(): void } {
  // Registered: none outlives the command (src/child-processes.ts).
  const child: ChildProcess = trackChild(fork(CHILD_FILE, [String(workers)], {
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    ...tensorflowChildOptions(threads),
  }));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-1000)));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) => reject(new Error(`GEMM child exited (${signal ?? `code ${code}`}) ${reasonLines(stderr).pop() ?? ''}`))),
  );
  exited.catch(() => undefined);
  const next = () =>
    Promise.race([
      exited,
      new Promise<GemmReply>((resolve) => child.once('message', resolve)).then((reply) => {
        if (reply.type === 'error') throw new Error(reply.message);
        return reply;
      }),
    ]);
  const ready = next().then(() => undefined);
  return {
    ready,
    measure: async (request) => {
      const reply = next();
      child.send(request);
      return (await reply) as Done;
    },
    end: () => void child.kill(),
  };
}

/** The thread counts to measure for `threadCounts` on `cpus` CPUs: each capped at the CPUs, once each, in order. */
export function measuredThreadCounts(threadCounts: readonly number[], cpus: number): number[] {
  return [...new Set(threadCounts.map((t) => Math.min(t, Math.max(1, cpus))))].sort((a, b) => a - b);
}

/**
 * The roofline of `workloadShapes` at `threadCounts` on `cpus` CPUs (this process's, unless
 * a test says otherwise), or why it was not measured.
 */
export async function measureRoofline(
  workloadShapes: readonly Shape[],
  threadCounts: readonly number[],
  windowMs = ROOFLINE_WINDOW_MS,
  cpus = availableParallelism(),
): Promise<Roofline> {
  // Workloads of several active fractions share a shape: measure each shape once.
  const shapes = [...new Map(workloadShapes.map((s) => [`${s.batch}x${s.dIn}x${s.dOut}`, s])).values()];
  const availability = nativeAvailability();
  if (!availability.available) return { measured: false, reason: `tfjs-node is not available (${availability.reason}): no native GEMM to measure` };
  const counts = [...new Set(threadCounts)].sort((a, b) => a - b);
  const cap = Math.max(1, cpus);
  const measured = measuredThreadCounts(counts, cap);
  const concurrent = measured.filter((t) => t > 1);
  const children = new Map([1, ...concurrent].map((t) => [t, startChild(t, t === 1 ? Math.max(0, ...concurrent) : 0)]));
  try {
    await Promise.all([...children.values()].map((child) => child.ready));
    const single = await children.get(1)!.measure({ shapes, concurrent, windowMs });
    const byThreads = new Map<number, RooflinePoint[]>();
    for (const t of measured) {
      const own = t === 1 ? single : await children.get(t)!.measure({ shapes, concurrent: [], windowMs });
      byThreads.set(t, shapes.map((shape, s) => {
        const intraOp = own.shapes[s]!.intraOp.gflops;
        const together = t === 1 ? intraOp : single.shapes[s]!.concurrent[t]!;
        return {
          batch: shape.batch,
          d_in: shape.dIn,
          d_out: shape.dOut,
          threads: t,
          gflops: Math.max(intraOp, together),
          method: together > intraOp ? 'concurrent' : 'intra-op',
          intra_op_gflops: intraOp,
          concurrent_gflops: together,
          measured_threads: t,
        };
      }));
    }
    // A thread count above the CPUs gets the machine's roofline: the best figure measured on
    // each shape at up to all of them (on a busy machine T=2 measured below T=1 here).
    const machine = shapes.map((_, s) => measured.map((t) => byThreads.get(t)![s]!).reduce((best, p) => (p.gflops > best.gflops ? p : best)));
    const points = counts.flatMap((t) => (t <= cap ? byThreads.get(t)! : machine.map((p) => ({ ...p, threads: t }))));
    return {
      measured: true,
      library: 'tfjs-node (libtensorflow) matMul',
      gemm: '[B, D_in] x [D_in, D_out] (forward) and [D_out, B] x [B, D_in] (backward), 2 B D_in D_out FLOPs each, the fastest of alternating runs',
      cpus: cap,
      points,
    };
  } catch (error) {
    return { measured: false, reason: `the GEMM measurement failed: ${errorMessage(error)}` };
  } finally {
    for (const child of children.values()) child.end();
  }
}
