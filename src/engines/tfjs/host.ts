/**
 * A tfjs host: the child process that runs one tfjs configuration. tfjs-node reads its
 * intra-op thread count at start-up, so each count needs a process of its own; the other
 * backends run here too, so a native crash ends a child, never the sweep.
 */
import { timeSession } from '../../bench/timing.js';
import { errorMessage } from '../../errors.js';
import { loadTfjs } from '../../native/load-tfjs.js';
import type { HostReply, HostRequest } from './protocol.js';
import { openTfjsStepper, type StepResult, type TfjsStepper } from './stepper.js';

let stepper: TfjsStepper | undefined;

function reply(message: HostReply): void {
  process.send?.(message);
}

function step(): StepResult {
  if (!stepper) throw new Error('host not opened');
  return stepper.step();
}

/** The timed step: no copy, no message; the gradient is read out and dropped. */
async function timedStep(): Promise<{ loss: number; activeCount: number; gradient: ArrayLike<number> }> {
  return step();
}

async function handle(request: HostRequest): Promise<HostReply> {
  switch (request.type) {
    case 'open': {
      const tf = await loadTfjs(request.backend);
      stepper = openTfjsStepper(tf, request);
      return { type: 'opened', backend: tf.getBackend() };
    }
    case 'step':
      return { type: 'stepped', ...step() };
    case 'weights':
      if (!stepper) throw new Error('host not opened');
      stepper.setWeights(request.weights);
      return { type: 'weightsSet' };
    case 'phases': {
      if (!stepper) throw new Error('host not opened');
      const samples = [];
      for (let i = 0; i < request.steps; i++) samples.push(stepper.profiledStep());
      return { type: 'profiled', samples };
    }
    case 'time': {
      const window = await timeSession({ step: timedStep, setWeights: async () => {}, close: async () => {} }, request);
      return { type: 'timed', ...window };
    }
  }
}

process.on('message', (request: HostRequest) => {
  handle(request).then(reply, (error: unknown) => reply({ type: 'error', message: errorMessage(error) }));
});
// The parent going away (Ctrl-C, crash) ends the host too.
process.on('disconnect', () => process.exit(0));
