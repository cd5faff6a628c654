/** Starts a baseline timing child with `threads` intra-op threads and waits for its answer. */
import { fork } from 'node:child_process';
import { endChild, trackChild } from '../child-processes.js';
import { BASELINE_CHILD_FILE } from '../layout.js';
import { tensorflowChildOptions } from '../native/tf-environment.js';
import { reasonLines } from '../native/tensorflow-chatter.js';
import type { BaselineReply, BaselineRequest, PairTiming } from './protocol.js';

const CHILD_FILE = BASELINE_CHILD_FILE;

/**
 * Times `request`'s pairs in a fresh process whose TensorFlow has `threads` intra-op
 * threads. An abort of `signal` ends the child (SIGKILL after a grace period) and rejects
 * once it has exited: a stopped `baseline` leaves no child running (issue 23, item 4).
 */
export function timeInChild(threads: number, request: BaselineRequest, signal?: AbortSignal): Promise<readonly PairTiming[]> {
  // The environment every TensorFlow of this tool gets, the engine's hosts too (src/native/tf-environment.ts).
  const child = trackChild(fork(CHILD_FILE, [], {
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    ...tensorflowChildOptions(threads),
  }));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  return new Promise((resolve, reject) => {
    const onAbort = () => void endChild(child).then(() => reject(new Error(`baseline child (${threads} threads) stopped by ${String(signal?.reason ?? 'a signal')}`)));
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    child.once('exit', () => signal?.removeEventListener('abort', onAbort));
    child.once('message', (reply: BaselineReply) => {
      child.kill();
      if (reply.type === 'done') resolve(reply.pairs);
      else reject(new Error(`baseline child (${threads} threads): ${reply.message}`));
    });
    child.once('exit', (code, exitSignal) => reject(new Error(`baseline child (${threads} threads) exited (${exitSignal ?? `code ${code}`}): ${reasonLines(stderr).slice(-3).join(' | ')}`)));
    child.send(request);
  });
}
