import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backwardFlops, effectiveFlops, effectiveGflops, flopRatio, stepFlops } from '../src/model/flops.js';

const SHAPE = { batch: 4096, dIn: 512, dOut: 128 };
const UNIT = SHAPE.dIn * SHAPE.dOut;

describe('the FLOP model', () => {
  it('counts what each formulation and strategy performs per step', () => {
    const k = 1000;
    assert.equal(stepFlops('fused', 'dense', SHAPE, k), 8 * SHAPE.batch * UNIT);
    assert.equal(stepFlops('fused', 'compact', SHAPE, k), 4 * SHAPE.batch * UNIT + 4 * k * UNIT);
    assert.equal(stepFlops('autograd', 'dense', SHAPE, k), 12 * SHAPE.batch * UNIT);
    assert.equal(stepFlops('autograd', 'compact', SHAPE, k), 6 * SHAPE.batch * UNIT + 12 * k * UNIT);
  });

  it('puts every configuration on the fused dense scale for effective GFLOP/s', () => {
    assert.equal(effectiveFlops(SHAPE), 8 * SHAPE.batch * UNIT);
    assert.equal(effectiveGflops(SHAPE.batch, SHAPE.dIn, SHAPE.dOut, 1000), (8 * SHAPE.batch * UNIT) / 1e9);
  });

  it('counts the backward of train over the rows it covers', () => {
    assert.equal(backwardFlops(24, 8, 4), 4 * 24 * 8 * 4);
    assert.equal(backwardFlops(0, 8, 4), 0);
  });

  it('gives the dense over compact ratio of the same counts', () => {
    for (const formulation of ['fused', 'autograd'] as const) {
      for (const a of [0, 0.3, 1]) {
        const k = a * SHAPE.batch;
        const expected = stepFlops(formulation, 'dense', SHAPE, k) / stepFlops(formulation, 'compact', SHAPE, k);
        assert.ok(Math.abs(flopRatio(formulation, a) - expected) < 1e-12, `${formulation} at ${a}`);
      }
    }
    assert.ok(Math.abs(flopRatio('fused', 0.3) - 8 / (4 + 4 * 0.3)) < 1e-12);
    assert.ok(Math.abs(flopRatio('autograd', 0.3) - 12 / (6 + 12 * 0.3)) < 1e-12);
  });
});
