/** The parent's side of a tfjs host: fork it, open the workload in it, step and time it. */
import { fork, type ChildProcess } from 'node:child_process';
import { endChild, trackChild } from '../../child-processes.js';
import { TFJS_HOST_FILE } from '../../layout.js';
import { tensorflowChildOptions } from '../../native/tf-environment.js';
import { reasonLines } from '../../native/tensorflow-chatter.js';
import type { Workload } from '../../workload.js';
import type { EngineConfig, EngineSession } from '../engine.js';
import type { TfjsBackend } from '../../domain.js';
import type { HostReply, HostRequest } from './protocol.js';
import type { StepperRequest } from './stepper.js';

/** The host module a child runs (src/layout.ts). */
export const HOST_FILE = TFJS_HOST_FILE;
/** Lines of a dead host's stderr kept for the row's note. */
const STDERR_LINES = 3;

class HostClient {
  private pending: { resolve: (reply: HostReply) => void; reject: (error: Error) => void } | undefined;
  private stderr: string[] = [];
  private exited: Error | undefined;

  constructor(private readonly child: ChildProcess) {
    child.stderr?.on('data', (chunk: Buffer) => {
      // TensorFlow's start-up lines and INFO/WARNING logs are not a reason for anything: kept out of a row's note.
      this.stderr.push(...reasonLines(chunk.toString()));
      this.stderr = this.stderr.slice(-STDERR_LINES);
    });
    child.on('message', (reply: HostReply) => {
      const pending = this.pending;
      this.pending = undefined;
      pending?.resolve(reply);
    });
    child.on('exit', (code, signal) => {
      this.exited = new Error(`tfjs host exited (${signal ?? `code ${code}`})${this.stderr.length ? `: ${this.stderr.join(' | ')}` : ''}`);
      this.pending?.reject(this.exited);
      this.pending = undefined;
    });
  }

  async request<T extends HostReply['type']>(message: HostRequest, expect: T): Promise<Extract<HostReply, { type: T }>> {
    if (this.exited) throw this.exited;
    const reply = await new Promise<HostReply>((resolve, reject) => {
      this.pending = { resolve, reject };
      this.child.send(message);
    });
    if (reply.type === 'error') throw new Error(reply.message);
    if (reply.type !== expect) throw new Error(`tfjs host answered ${reply.type} to ${message.type}`);
    return reply as Extract<HostReply, { type: T }>;
  }

  async close(): Promise<void> {
    if (this.exited) return;
    // SIGTERM, with SIGCONT for a stopped host; SIGKILL after a grace period.
    await endChild(this.child);
  }
}

/** What a tfjs stepper (src/engines/tfjs/stepper.ts) is opened with for `config` on `workload`'s batch: the host's open request, less its backend. */
export function stepperRequestOf(workload: Workload, config: EngineConfig): StepperRequest {
  const { problem } = workload;
  return {
    formulation: config.formulation,
    strategy: config.strategy,
    reduction: workload.reduction,
    shape: problem.shape,
    margin: problem.margin,
    anchors: problem.anchors,
    positives: problem.positives,
    negatives: problem.negatives,
    weights: problem.weights,
  };
}

/**
 * Opens a configuration in a fresh host with `threads` intra-op threads. `hostFile`: the
 * module the child runs, the product's host unless a test substitutes one (test/inject/).
 */
export async function openHost(backend: TfjsBackend, workload: Workload, config: EngineConfig, hostFile = HOST_FILE): Promise<EngineSession> {
  // Registered: a host that never answers is still ended before the command exits (src/child-processes.ts).
  const child = trackChild(fork(hostFile, [], {
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    ...tensorflowChildOptions(config.threads),
  }));
  const host = new HostClient(child);
  try {
    await host.request({ type: 'open', backend, ...stepperRequestOf(workload, config) }, 'opened');
  } catch (error) {
    await host.close();
    throw error;
  }
  return {
    step: async () => {
      const { loss, activeCount, gradient } = await host.request({ type: 'step' }, 'stepped');
      return { loss, activeCount, gradient };
    },
    time: async ({ budgetMs, stepMs, minSamples, signal }) => {
      // An abort ends the host: its window is dropped anyway.
      const onAbort = () => void host.close();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const { samplesMs, stragglerRatios, lastOutcome } = await host.request({ type: 'time', budgetMs, stepMs, minSamples }, 'timed');
        return { samplesMs, stragglerRatios, lastOutcome };
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    },
    setWeights: async (weights) => void (await host.request({ type: 'weights', weights }, 'weightsSet')),
    profilePhases: async (steps) => (await host.request({ type: 'phases', steps }, 'profiled')).samples,
    close: () => host.close(),
  };
}
