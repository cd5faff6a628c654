/**
 * A worker module for tests: the product's worker (workers/worker.ts), except that slot
 * 0's compute commits the fault named in WORKER_FAULT_ENV, the way a real failure would
 * end the task. engines.ts opens a pool on it only for the step the fault strikes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compute as productCompute } from '../../workers/worker.js';
import type { ComputeTask } from '../../src/thread-boundary/messages.js';
import { WORKER_FAULT_ENV, WORKER_FAULTS, type WorkerFault } from './faults.js';

export { reduce, warmUp } from '../../workers/worker.js';

/** What each fault does to the task (and the thread). */
const FAULT_ACTS: Record<WorkerFault, () => void> = {
  'worker-throw': () => {
    throw new Error('injected fault: the kernel threw');
  },
  'worker-exit': () => process.exit(70),
  // A kernel that never returns, in JS: terminate() interrupts it (the watchdog's case).
  'kernel-hang': () => {
    for (;;) {
      // spin
    }
  },
  // Stuck in native code: opening a named pipe that no one writes blocks in open(2), where
  // terminate() cannot reach the thread, as a native op that never returns would.
  'kernel-native-hang': () => {
    const fifo = join(mkdtempSync(join(tmpdir(), 'tb-hang-')), 'never');
    execFileSync('mkfifo', [fifo]);
    readFileSync(fifo);
  },
  'worker-oom': () => {
    // Grows the heap until the pool's resourceLimits end this thread.
    const hoard: number[][] = [];
    for (;;) hoard.push(Array.from({ length: 1 << 16 }, (_, i) => i + hoard.length));
  },
};

const fault = process.env[WORKER_FAULT_ENV] as WorkerFault | undefined;
if (fault === undefined || !WORKER_FAULTS.includes(fault)) throw new Error(`${WORKER_FAULT_ENV} must name one of ${WORKER_FAULTS.join(', ')}`);

/** Phase 1, failing in slot 0. */
export function compute(task: ComputeTask): void {
  if (task.slot === 0) FAULT_ACTS[fault!]();
  productCompute(task);
}
