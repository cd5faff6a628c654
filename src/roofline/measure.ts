/**
 * Measures the roofline before a sweep: for each workload shape and thread count T, the
 * better of tfjs-node's matMul on T intra-op threads (a child process per T, since
 * TensorFlow reads TF_NUM_INTRAOP_THREADS once) and T concurrent single-thread matMuls
 * (worker threads of the one-thread child). The children load tfjs-node together and
 * measure one after another. Without tfjs-node it says why there is none.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { trackChild } from '../child-processes.js';
import { errorMessage } from '../errors.js';
import { ROOFLINE_CHILD_FILE } from '../layout.js';
import { nativeAvailability } from '../native/probe.js';
import { tensorflowChildOptions } from '../native/tf-environment.js';
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
    child.once('exit', (code, signal) => reject(new Error(`GEMM child exited (${signal ?? `code ${code}`}) ${stderr.trim().split('\n').pop() ?? ''}`))),
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

/** The roofline of `workloadShapes` at `threadCounts`, or why it was not measured. */
export async function measureRoofline(workloadShapes: readonly Shape[], threadCounts: readonly number[], windowMs = ROOFLINE_WINDOW_MS): Promise<Roofline> {
  // Workloads of several active fractions share a shape: measure each shape once.
  const shapes = [...new Map(workloadShapes.map((s) => [`${s.batch}x${s.dIn}x${s.dOut}`, s])).values()];
  const availability = nativeAvailability();
  if (!availability.available) return { measured: false, reason: `tfjs-node is not available (${availability.reason}): no native GEMM to measure` };
  const counts = [...new Set(threadCounts)].sort((a, b) => a - b);
  const concurrent = counts.filter((t) => t > 1);
  const children = new Map([1, ...concurrent].map((t) => [t, startChild(t, t === 1 ? Math.max(0, ...concurrent) : 0)]));
  try {
    await Promise.all([...children.values()].map((child) => child.ready));
    const single = await children.get(1)!.measure({ shapes, concurrent, windowMs });
    const points: RooflinePoint[] = [];
    for (const t of counts) {
      const own = t === 1 ? single : await children.get(t)!.measure({ shapes, concurrent: [], windowMs });
      shapes.forEach((shape, s) => {
        const intraOp = own.shapes[s]!.intraOp.gflops;
        const together = t === 1 ? intraOp : single.shapes[s]!.concurrent[t]!;
        points.push({
          batch: shape.batch,
          d_in: shape.dIn,
          d_out: shape.dOut,
          threads: t,
          gflops: Math.max(intraOp, together),
          method: together > intraOp ? 'concurrent' : 'intra-op',
          intra_op_gflops: intraOp,
          concurrent_gflops: together,
        });
      });
    }
    return {
      measured: true,
      library: 'tfjs-node (libtensorflow) matMul',
      gemm: '[B, D_in] x [D_in, D_out] (forward) and [D_out, B] x [B, D_in] (backward), 2 B D_in D_out FLOPs each, the fastest of alternating runs',
      points,
    };
  } catch (error) {
    return { measured: false, reason: `the GEMM measurement failed: ${errorMessage(error)}` };
  } finally {
    for (const child of children.values()) child.end();
  }
}
