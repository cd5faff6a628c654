/**
 * The float64 reference computed off the main thread. It takes seconds on a default batch
 * (2.4 s for B = 4096, 512x128) and minutes on the largest; computed inline it would hold
 * the event loop, and with it Ctrl-C, for that long.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { Reduction } from './problem.js';
import { referenceLossAndGradient, type ReferenceInput, type ReferenceResult } from './reference.js';

interface Job {
  readonly problem: ReferenceInput;
  readonly reduction: Reduction;
}

/** The reference of `problem`, computed in a thread of its own; aborting ends the thread. */
export function referenceInThread(problem: ReferenceInput, reduction: Reduction, signal?: AbortSignal): Promise<ReferenceResult> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error('aborted'));
      return;
    }
    // The batch is copied into the thread (structured clone): tens of MB, milliseconds.
    const worker = new Worker(new URL(import.meta.url), { workerData: { problem, reduction } satisfies Job });
    const onAbort = () => {
      void worker.terminate();
      reject(new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (result: ReferenceResult) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      signal?.removeEventListener('abort', onAbort);
      reject(new Error(`reference thread exited with code ${code} before answering`));
    });
  });
}

if (!isMainThread && parentPort) {
  const job = workerData as Job;
  parentPort.postMessage(referenceLossAndGradient(job.problem, job.reduction));
}
