/**
 * Building a workload off the main thread: generating or sampling the batch, choosing the
 * margin and the float64 references (the workload's W and the closing check's perturbed W,
 * src/workload.ts) take seconds on a default batch (B = 4096, 512x128: batch and margin
 * 1.4 s, each reference 2.4 s here) and minutes on the largest. Done inline they would hold the event
 * loop, and with it Ctrl-C, for that long: signals that arrive meanwhile are merged into
 * one and handled only at the end.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { LabelledData } from '../data/dataset.js';
import { WORKLOAD_THREAD_FILE } from '../layout.js';
import { selectedWorkerKernels } from '../engines/workers/kernels.js';
import type { Selection } from '../selection.js';
import { NonFiniteInputError, type TripletProblem } from '../triplet/problem.js';
import { referenceLossAndGradient, type ReferenceResult } from '../triplet/reference.js';
import { perturbedCheckOf, Workload, type PerturbedCheck } from '../workload.js';
import type { WorkloadSpec } from './plan.js';
import { buildWorkload } from './workloads.js';

interface Job {
  readonly spec: WorkloadSpec;
  readonly selection: Selection;
  readonly data: LabelledData | undefined;
}

type Answer =
  | { readonly problem: TripletProblem; readonly reference: ReferenceResult; readonly perturbed: PerturbedCheck }
  | { readonly error: { readonly name: string; readonly message: string } };

/** The workload of `spec` with its reference, built in a thread of its own; aborting ends the thread. */
export function buildWorkloadInThread(spec: WorkloadSpec, selection: Selection, data: LabelledData | undefined, signal?: AbortSignal): Promise<Workload> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error('aborted'));
      return;
    }
    // The data is copied into the thread (structured clone): tens of MB, milliseconds.
    const worker = new Worker(WORKLOAD_THREAD_FILE, { workerData: { spec, selection, data } satisfies Job });
    const onAbort = () => {
      void worker.terminate();
      reject(new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (answer: Answer) => {
      if ('error' in answer) {
        const { name, message } = answer.error;
        reject(name === 'NonFiniteInputError' ? Object.assign(new NonFiniteInputError('', 0, 0), { message }) : new Error(message));
        return;
      }
      resolve(new Workload(answer.problem, Math.max(...selection.threads), selection.reduction, answer.reference, answer.perturbed, selectedWorkerKernels(selection.kernels)));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      signal?.removeEventListener('abort', onAbort);
      reject(new Error(`workload thread exited with code ${code} before answering`));
    });
  });
}

if (!isMainThread && parentPort) {
  const { spec, selection, data } = workerData as Job;
  let answer: Answer;
  try {
    const { problem } = buildWorkload(spec, selection, data);
    const reference = referenceLossAndGradient(problem, selection.reduction);
    // The closing check's W and reference (src/triplet/perturbed.ts): a second reference, here off the main thread too.
    answer = { problem, reference, perturbed: perturbedCheckOf(problem, reference, selection.reduction) };
  } catch (error) {
    answer = { error: { name: (error as Error).name ?? 'Error', message: (error as Error).message ?? String(error) } };
  }
  // Handed over, not copied: a copy would hold the batch three times at the peak.
  const buffers = 'error' in answer ? [] : [answer.problem.anchors, answer.problem.positives, answer.problem.negatives, answer.problem.weights, answer.reference.gradient, answer.reference.hinge, answer.perturbed.weights, answer.perturbed.reference.gradient, answer.perturbed.reference.hinge].map((array) => array.buffer);
  parentPort.postMessage(answer, [...new Set(buffers)] as ArrayBuffer[]);
}
