/**
 * The tfjs engines (tfjs-node, tfjs-wasm, tfjs-cpu) equal the reference (the workers
 * engine's tfjs kernel: tfjs-kernel.test.ts, at T = 1, 4 and 5, on odd dims and ragged
 * batches, where its pools of 1 and 3 here loaded tfjs-node in four workers for nothing
 * those lack). Every formulation and strategy, and the no-active and all-active
 * edges, are checked on each backend through the host's own step (src/engines/tfjs/stepper.ts:
 * a host's 'open' loads the backend and opens that stepper, its 'step' steps it), here in
 * this process: a host per configuration loads tfjs-node again (about 0.8 CPU-s each, 28
 * of them). Each engine is still opened as a sweep opens it, in a host child of its own
 * (fork, IPC, the backend loaded there), and tfjs-node at 1 and at 2 intra-op threads, a
 * count its host reads as it starts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engineNamed } from '../src/engines/index.js';
import type { EngineConfig } from '../src/engines/engine.js';
import { openTfjsStepper } from '../src/engines/tfjs/stepper.js';
import { loadTfjs } from '../src/native/load-tfjs.js';
import { nativeAvailability } from '../src/native/probe.js';
import { maxRelativeError } from '../src/triplet/problem.js';
import { Workload } from '../src/workload.js';
import { problemOf } from './helpers.js';
import { STRATEGIES, type Formulation, type Strategy, type TfjsBackend } from '../src/domain.js';

const TOLERANCE = 1e-4;
// B = 37 and odd dims: no shard or block size divides them.
const workload = new Workload(problemOf({ batch: 37, dIn: 19, dOut: 7 }), 3);

function assertMatchesReference(outcome: { loss: number; activeCount: number; gradient: ArrayLike<number> }, on: Workload): void {
  const reference = on.reference();
  assert.equal(outcome.activeCount, reference.activeCount);
  const error = maxRelativeError(outcome.gradient, reference.gradient);
  assert.ok(error <= TOLERANCE, `gradient relative error ${error}`);
  assert.ok(Math.abs(outcome.loss - reference.loss) <= TOLERANCE * Math.max(reference.loss, 1e-30), `loss ${outcome.loss} vs ${reference.loss}`);
}

/** One configuration opened as a sweep opens it (a tfjs engine: in a host child), stepped once. */
async function checkEngine(config: EngineConfig, on = workload): Promise<void> {
  const engine = engineNamed(config.engine)!;
  const session = await engine.open(on, config);
  try {
    assertMatchesReference(await session.step(), on);
  } finally {
    await session.close();
  }
}

/** One step of what a host opened with this configuration steps, on `backend` loaded in this process. */
async function checkStepper(backend: TfjsBackend, formulation: Formulation, strategy: Strategy, on = workload): Promise<void> {
  const tf = await loadTfjs(backend);
  assert.equal(tf.getBackend(), backend);
  const { problem } = on;
  const stepper = openTfjsStepper(tf, { formulation, strategy, reduction: on.reduction, shape: problem.shape, margin: problem.margin, anchors: problem.anchors, positives: problem.positives, negatives: problem.negatives, weights: problem.weights });
  try {
    assertMatchesReference(stepper.step(), on);
  } finally {
    stepper.dispose();
  }
}

describe('the native backend is available here', () => {
  it('loads: CI must not skip the native tests', () => {
    const availability = nativeAvailability();
    assert.ok(availability.available, availability.available ? '' : `${availability.reason}; fix: ${availability.fix}`);
  });
});

const FORMULATIONS: readonly Formulation[] = ['fused', 'autograd'];
/** Each engine's backend, and the configurations opened in a host child: tfjs-node at both of its thread counts. */
const ENGINES = [
  ['tfjs-node', 'tensorflow', [{ formulation: 'fused', strategy: 'dense', threads: 1 }, { formulation: 'autograd', strategy: 'compact', threads: 2 }]],
  ['tfjs-wasm', 'wasm', [{ formulation: 'autograd', strategy: 'dense', threads: 1 }]],
  ['tfjs-cpu', 'cpu', [{ formulation: 'fused', strategy: 'compact', threads: 1 }]],
] as const;

for (const [engine, kernel, hosted] of ENGINES) {
  describe(`engine ${engine}`, () => {
    it(`${FORMULATIONS.join(' and ')}, ${STRATEGIES.join(' and ')}: the host's step on the ${kernel} backend equals the reference`, async () => {
      for (const formulation of FORMULATIONS) {
        for (const strategy of STRATEGIES) await checkStepper(kernel, formulation, strategy);
      }
    });

    for (const { formulation, strategy, threads } of hosted) {
      it(`${formulation} ${strategy} at ${threads} thread(s), opened in its host child, equals the reference`, async () => {
        await checkEngine({ engine, kernel, formulation, strategy, threads });
      });
    }

    it('returns a zero gradient with no active triplet and the reference with all active', async () => {
      for (const activeFraction of [0, 1]) {
        const edge = new Workload(problemOf({ batch: 21, dIn: 9, dOut: 5 }, { activeFraction }), 1);
        for (const strategy of STRATEGIES) await checkStepper(kernel, 'fused', strategy, edge);
      }
    });
  });
}
