import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type * as tfType from '@tensorflow/tfjs-core';
import { BASELINES } from '../baselines/index.js';
import { tfjsGradient, type TripletTensors } from '../src/engines/tfjs/gradient.js';
import { loadTfjs } from '../src/native/load-tfjs.js';
import { FORMULATIONS, STRATEGIES } from '../src/domain.js';
import { maxRelativeError, REDUCTIONS, type TripletProblem } from '../src/triplet/problem.js';
import { referenceLossAndGradient } from '../src/triplet/reference.js';
import { problemOf } from './helpers.js';

const TOLERANCE = 1e-4;
// Odd sizes: nothing divides them.
const problem = problemOf({ batch: 53, dIn: 23, dOut: 9 });

let tf: typeof tfType;
before(async () => {
  tf = await loadTfjs('tensorflow');
});

function inputsOf(p: TripletProblem) {
  return { ...p.shape, margin: p.margin, anchors: p.anchors, positives: p.positives, negatives: p.negatives, weights: p.weights };
}

function tensorsOf(p: TripletProblem): TripletTensors {
  const { batch, dIn, dOut } = p.shape;
  return {
    anchors: tf.tensor2d(p.anchors, [batch, dIn]),
    positives: tf.tensor2d(p.positives, [batch, dIn]),
    negatives: tf.tensor2d(p.negatives, [batch, dIn]),
    weights: tf.tensor2d(p.weights, [dOut, dIn]),
  };
}

function assertClose(actual: { loss: number; activeCount: number; gradient: ArrayLike<number> }, expected: { loss: number; activeCount: number; gradient: ArrayLike<number> }, what: string): void {
  assert.equal(actual.activeCount, expected.activeCount, `${what}: active count`);
  const error = maxRelativeError(actual.gradient, expected.gradient);
  assert.ok(error <= TOLERANCE, `${what}: gradient relative error ${error}`);
  const lossError = Math.abs(actual.loss - expected.loss) / Math.max(Math.abs(expected.loss), 1e-30);
  assert.ok(lossError <= TOLERANCE, `${what}: loss ${actual.loss} vs ${expected.loss}`);
}

describe('baseline programs (baselines/) compute what the engine and the float64 reference do', () => {
  for (const formulation of FORMULATIONS) {
    for (const strategy of STRATEGIES) {
      it(`${formulation} ${strategy}`, () => {
        const reference = referenceLossAndGradient(problem, 'mean');
        const program = BASELINES[`${formulation}/${strategy}`]!(tf, inputsOf(problem));
        const tensors = tensorsOf(problem);
        try {
          const fromBaseline = program.step();
          assertClose(fromBaseline, reference, 'baseline vs reference');
          const fromEngine = tfjsGradient(tf, tensors, { margin: problem.margin, formulation, strategy, reduction: 'mean', batch: problem.shape.batch });
          assertClose(fromEngine, fromBaseline, 'engine vs baseline');
          // A second step on the same resident tensors gives the same answer (nothing consumed).
          assertClose(program.step(), reference, 'baseline, second step');
        } finally {
          program.dispose();
          tf.dispose(Object.values(tensors));
        }
      });
    }
  }

  it('with no active triplet and with all active', () => {
    for (const activeFraction of [0, 1]) {
      const edge = problemOf({ batch: 17, dIn: 7, dOut: 3 }, { activeFraction });
      const reference = referenceLossAndGradient(edge, 'mean');
      for (const [name, open] of Object.entries(BASELINES)) {
        const program = open(tf, inputsOf(edge));
        try {
          assertClose(program.step(), reference, `${name} at active ${activeFraction}`);
        } finally {
          program.dispose();
        }
      }
    }
  });

  it('leaves no tensor behind per step, engine or baseline', () => {
    const tensors = tensorsOf(problem);
    const programs = Object.values(BASELINES).map((open) => open(tf, inputsOf(problem)));
    try {
      const steps = [
        ...programs.map((program) => () => program.step()),
        ...FORMULATIONS.flatMap((formulation) =>
          STRATEGIES.map((strategy) => () => tfjsGradient(tf, tensors, { margin: problem.margin, formulation, strategy, reduction: 'mean', batch: problem.shape.batch })),
        ),
      ];
      for (const step of steps) {
        step();
        const held = tf.memory().numTensors;
        step();
        assert.equal(tf.memory().numTensors, held);
      }
    } finally {
      programs.forEach((program) => program.dispose());
      tf.dispose(Object.values(tensors));
    }
  });
});

describe('the engine step (tfjsGradient) for every reduction', () => {
  for (const reduction of REDUCTIONS) {
    for (const formulation of FORMULATIONS) {
      for (const strategy of STRATEGIES) {
        it(`${reduction} ${formulation} ${strategy} equals the reference, h read only where compaction needs it`, () => {
          const reference = referenceLossAndGradient(problem, reduction);
          const tensors = tensorsOf(problem);
          try {
            const result = tfjsGradient(tf, tensors, { margin: problem.margin, formulation, strategy, reduction, batch: problem.shape.batch });
            assertClose(result, reference, reduction);
            // Dense reads no h; compact reads it to pick its rows.
            if (strategy === 'dense') assert.equal(result.hinge, undefined);
            else assert.ok(maxRelativeError(result.hinge!, reference.hinge) <= TOLERANCE);
          } finally {
            tf.dispose(Object.values(tensors));
          }
        });
      }
    }
  }
});
