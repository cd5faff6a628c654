/**
 * The roofline's child process, started with TF_NUM_INTRAOP_THREADS = T: it loads
 * tfjs-node (and, in the one-thread child, the worker threads for the concurrent
 * measurement) and says so; then, asked, times tfjs-node's matMul on each shape with its
 * T threads and, where asked, t single-thread matMuls at once in t worker threads for each
 * t of `concurrent`. Loading happens in all children at once; measuring, one at a time.
 */
import { Worker } from 'node:worker_threads';
import { errorMessage } from '../errors.js';
import { GEMM_WORKER_FILE } from '../layout.js';
import { tfWorkerExecArgv } from '../compat/profiler-flags.js';
import { loadTfjs } from '../native/load-tfjs.js';
import type { Shape } from '../triplet/problem.js';
import { timeGemms, type GemmTiming } from './gemm-timing.js';

/** What the parent asks once the child is ready. */
export interface GemmRequest {
  readonly shapes: readonly Shape[];
  readonly concurrent: readonly number[];
  readonly windowMs: number;
}

/** What the child says: ready to measure, the measurement, or why it failed. */
export type GemmReply =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly shapes: readonly { intraOp: GemmTiming; concurrent: Record<number, number> }[] }
  | { readonly type: 'error'; readonly message: string };

const WORKER_FILE = GEMM_WORKER_FILE;
/** Worker threads to start for the concurrent measurement (argv[2]: the largest T). */
const workerCount = Number(process.argv[2] ?? 0);

function answer<T>(worker: Worker): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

/** Sum of t single-thread GEMM rates, all t timed at once. */
async function concurrentGflops(workers: readonly Worker[], shape: Shape, windowMs: number): Promise<number> {
  const timings = workers.map((worker) => answer<GemmTiming>(worker));
  for (const worker of workers) worker.postMessage({ shape, windowMs });
  return (await Promise.all(timings)).reduce((sum, t) => sum + t.gflops, 0);
}

async function start(): Promise<{ tf: Awaited<ReturnType<typeof loadTfjs>>; workers: Worker[] }> {
  const execArgv = tfWorkerExecArgv();
  const workers = Array.from({ length: workerCount }, () => new Worker(WORKER_FILE, execArgv ? { execArgv } : {}));
  const ready = Promise.all(workers.map((worker) => answer<string>(worker)));
  const tf = await loadTfjs('tensorflow');
  await ready;
  return { tf, workers };
}

async function measure(started: Awaited<ReturnType<typeof start>>, request: GemmRequest): Promise<GemmReply> {
  const shapes = [];
  for (const shape of request.shapes) {
    const intraOp = timeGemms(started.tf, shape, request.windowMs);
    const concurrent: Record<number, number> = {};
    for (const t of request.concurrent) concurrent[t] = await concurrentGflops(started.workers.slice(0, t), shape, request.windowMs);
    shapes.push({ intraOp, concurrent });
  }
  return { type: 'done', shapes };
}

const fail = (error: unknown) => process.send?.({ type: 'error', message: errorMessage(error) } satisfies GemmReply);
start().then((started) => {
  process.once('message', (request: GemmRequest) => {
    measure(started, request).then((reply) => process.send?.(reply), fail);
  });
  process.send?.({ type: 'ready' } satisfies GemmReply);
}, fail);
process.on('disconnect', () => process.exit(0));
