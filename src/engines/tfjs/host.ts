/**
 * A tfjs host: the child process that runs one tfjs configuration. tfjs-node reads its
 * intra-op thread count at start-up, so each count needs a process of its own; the other
 * backends run here too, so a native crash ends a child, never the sweep.
 */
import type * as tfType from '@tensorflow/tfjs-core';
import { timeSession } from '../../bench/timing.js';
import { errorMessage } from '../../errors.js';
import { reductionScale } from '../../triplet/problem.js';
import { tfjsStep, type TripletTensors } from './gradient.js';
import { loadTfjs } from './load.js';
import type { HostReply, HostRequest } from './protocol.js';

type Open = Extract<HostRequest, { type: 'open' }>;

let state: { tf: typeof tfType; tensors: TripletTensors; request: Open } | undefined;

function reply(message: HostReply): void {
  process.send?.(message);
}

function step(): { loss: number; activeCount: number; gradient: Float32Array } {
  if (!state) throw new Error('host not opened');
  const { tf, tensors, request } = state;
  const result = tfjsStep(tf, tensors, { ...request, batch: request.shape.batch });
  const scale = reductionScale(request.reduction, request.shape.batch, result.activeCount);
  return { loss: scale * result.lossSum, activeCount: result.activeCount, gradient: result.gradient };
}

async function handle(request: HostRequest): Promise<HostReply> {
  switch (request.type) {
    case 'open': {
      const tf = await loadTfjs(request.backend);
      const { batch, dIn, dOut } = request.shape;
      const tensors: TripletTensors = {
        anchors: tf.tensor2d(request.anchors, [batch, dIn]),
        positives: tf.tensor2d(request.positives, [batch, dIn]),
        negatives: tf.tensor2d(request.negatives, [batch, dIn]),
        weights: tf.tensor2d(request.weights, [dOut, dIn]),
      };
      state = { tf, tensors, request };
      return { type: 'opened', backend: tf.getBackend() };
    }
    case 'step':
      return { type: 'stepped', ...step() };
    case 'time': {
      const window = await timeSession({ step: async () => ({ ...step(), gradient: [] }), close: async () => {} }, request);
      return { type: 'timed', ...window };
    }
  }
}

process.on('message', (request: HostRequest) => {
  handle(request).then(reply, (error: unknown) => reply({ type: 'error', message: errorMessage(error) }));
});
// The parent going away (Ctrl-C, crash) ends the host too.
process.on('disconnect', () => process.exit(0));
