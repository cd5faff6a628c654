/** Starts a baseline timing child with `threads` intra-op threads and waits for its answer. */
import { fork } from 'node:child_process';
import { BASELINE_CHILD_FILE } from '../layout.js';
import { tensorflowChildOptions } from '../native/tf-environment.js';
import { reasonLines } from '../native/tensorflow-chatter.js';
import type { BaselineReply, BaselineRequest, PairTiming } from './protocol.js';

const CHILD_FILE = BASELINE_CHILD_FILE;

/** Times `request`'s pairs in a fresh process whose TensorFlow has `threads` intra-op threads. */
export function timeInChild(threads: number, request: BaselineRequest): Promise<readonly PairTiming[]> {
  // The environment every TensorFlow of this tool gets, the engine's hosts too (src/native/tf-environment.ts).
  const child = fork(CHILD_FILE, [], {
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    ...tensorflowChildOptions(threads),
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  return new Promise((resolve, reject) => {
    child.once('message', (reply: BaselineReply) => {
      child.kill();
      if (reply.type === 'done') resolve(reply.pairs);
      else reject(new Error(`baseline child (${threads} threads): ${reply.message}`));
    });
    child.once('exit', (code, signal) => reject(new Error(`baseline child (${threads} threads) exited (${signal ?? `code ${code}`}): ${reasonLines(stderr).slice(-3).join(' | ')}`)));
    child.send(request);
  });
}
