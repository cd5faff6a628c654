/**
 * Issue 25, item 1: the byte model against hand counts, op by op, for each formulation and
 * strategy, at a shape where every term is told apart (B 10, K 3, D_in 7, D_out 5).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { operationalIntensity, stepBytes } from '../src/model/bytes.js';
import { stepFlops } from '../src/model/flops.js';

const B = 10;
const K = 3;
const DIN = 7;
const DOUT = 5;
const W = DIN * DOUT;
const shape = { batch: B, dIn: DIN, dOut: DOUT };
const floats = (...terms: number[]) => 4 * terms.reduce((a, b) => a + b, 0);

describe('the byte model', () => {
  it('counts fused dense op by op', () => {
    const expected = floats(
      3 * B * DIN, 2 * B * DIN, // u, v from a, p, n
      2 * B * DIN, W, 2 * B * DOUT, // P, Q
      2 * B * DOUT, B, // h
      B, 2 * B * DOUT, 2 * B * DOUT, // masked P, Q
      2 * B * DOUT, 2 * B * DIN, W, // dW
    );
    assert.equal(stepBytes('fused', 'dense', shape, K), expected);
  });

  it('counts fused compact op by op', () => {
    const expected = floats(
      3 * B * DIN, 2 * B * DIN,
      2 * B * DIN, W, 2 * B * DOUT,
      2 * B * DOUT, B,
      B, K, // the active list
      2 * (2 * K * DIN + 2 * K * DOUT), // u, v, P, Q gathered over K
      2 * K * DOUT, 2 * K * DIN, W, // dW over K
    );
    assert.equal(stepBytes('fused', 'compact', shape, K), expected);
  });

  it('counts autograd dense and compact op by op', () => {
    const dense = (rows: number) => [
      3 * rows * DIN, W, 3 * rows * DOUT, // three embeddings
      3 * rows * DOUT, 3 * rows, 3 * rows, // distances and hinge
      3 * rows * DOUT, 3 * rows * DOUT, 3 * rows * DIN, W, // embeddings' gradients, dW
    ];
    assert.equal(stepBytes('autograd', 'dense', shape, K), floats(...dense(B)));
    const findActive = [3 * B * DIN, W, 3 * B * DOUT, 3 * B * DOUT, 3 * B, 3 * B];
    assert.equal(stepBytes('autograd', 'compact', shape, K), floats(...findActive, 2 * 3 * K * DIN, ...dense(K)));
  });

  it('gives the intensity as FLOPs over bytes; compact moves less per FLOP saved than dense', () => {
    const big = { batch: 4096, dIn: 512, dOut: 128 };
    const dense = operationalIntensity('fused', 'dense', big, 1229);
    assert.equal(dense, stepFlops('fused', 'dense', big, 1229) / stepBytes('fused', 'dense', big, 1229));
    // 8 B D_in D_out FLOPs over about 4 (9 D_in + 10 D_out) B bytes: about 22 FLOP/byte at 512x128.
    assert.ok(dense > 21 && dense < 23, `${dense}`);
    assert.ok(operationalIntensity('fused', 'compact', big, 1229) < dense);
  });
});
