#!/usr/bin/env node
/**
 * Can the fused compact step come closer to the GEMM roof by arranging its tfjs ops
 * differently? Issue 25, item 4. Times, in plain tfjs-node (the way its users write it, one
 * process, TensorFlow's own threads), alternated step by step so a busy machine slows all
 * alike, for each active fraction:
 *   today    U = A - P, V = A - N; two forward GEMMs; h; four gathers; two backward GEMMs
 *            (src/engines/tfjs/gradient.ts, workers/kernels/tfjs.ts)
 *   stacked  [U; V] = [A; A] - [P; N] in one broadcast subtraction, one forward GEMM of 2B
 *            rows, and one backward GEMM of 2K rows ([P_K; -Q_K]^T [U_K; V_K])
 *   halves   the stacked forward, then today's two backward GEMMs
 * every variant checked against today's gradient first (1e-4 relative). Then it times each
 * op of today's step alone, which says where the time goes beyond the GEMMs. Prints medians.
 * docs/kernels.md, "Closer to the roof".
 *
 *   npm run build && node scripts/compact-variants.mjs [--batch 4096] [--dims 512x128] [--active 0.1,0.3,0.7] [--steps 30]
 */
import { parseArgs } from 'node:util';
import { requireTfjsNode } from '../dist/src/native/load-tfjs.js';

const { values } = parseArgs({
  options: {
    batch: { type: 'string', default: '4096' },
    dims: { type: 'string', default: '512x128' },
    active: { type: 'string', default: '0.1,0.3,0.7' },
    steps: { type: 'string', default: '30' },
  },
});
const B = Number(values.batch);
const [dIn, dOut] = values.dims.split('x').map(Number);
const fractions = values.active.split(',').map(Number);
const steps = Number(values.steps);
const tf = requireTfjsNode();

const random = (n, scale = 1) => Float32Array.from({ length: n }, () => scale * (Math.random() * 2 - 1));
const anchorsData = random(B * dIn);
// Positives then negatives, contiguous: the stacked variant reads them as one [2, B, dIn] tensor.
const others = random(2 * B * dIn);
const a = tf.tensor2d(anchorsData, [B, dIn]);
const pn = tf.tensor3d(others, [2, B, dIn]);
const p = tf.tensor2d(others.subarray(0, B * dIn), [B, dIn]);
const n = tf.tensor2d(others.subarray(B * dIn), [B, dIn]);
const w = tf.tensor2d(random(dOut * dIn, 0.1), [dOut, dIn]);

function activeRows(h) {
  const rows = new Int32Array(h.length);
  let k = 0;
  for (let i = 0; i < h.length; i++) if (h[i] > 0) rows[k++] = i;
  return rows.subarray(0, k);
}

function today(margin) {
  const f = tf.tidy(() => {
    const u = tf.sub(a, p);
    const v = tf.sub(a, n);
    const P = tf.matMul(u, w, false, true);
    const Q = tf.matMul(v, w, false, true);
    return { u, v, P, Q, h: tf.add(tf.sub(tf.sum(tf.square(P), 1), tf.sum(tf.square(Q), 1)), margin) };
  });
  const rows = activeRows(f.h.dataSync());
  const g = tf.tidy(() => {
    const i = tf.tensor1d(rows, 'int32');
    return tf.sub(tf.matMul(tf.gather(f.P, i), tf.gather(f.u, i), true, false), tf.matMul(tf.gather(f.Q, i), tf.gather(f.v, i), true, false));
  });
  const gradient = g.dataSync();
  tf.dispose([...Object.values(f), g]);
  return { gradient, active: rows.length };
}

function stackedForward(margin) {
  return tf.tidy(() => {
    const uv = tf.reshape(tf.sub(tf.expandDims(a, 0), pn), [2 * B, dIn]);
    const PQ = tf.matMul(uv, w, false, true);
    const [sp, sq] = tf.unstack(tf.reshape(tf.sum(tf.square(PQ), 1), [2, B]));
    return { uv, PQ, h: tf.add(tf.sub(sp, sq), margin) };
  });
}

function stacked(margin) {
  const f = stackedForward(margin);
  const rows = activeRows(f.h.dataSync());
  const g = tf.tidy(() => {
    const both = new Int32Array(2 * rows.length);
    both.set(rows);
    for (let j = 0; j < rows.length; j++) both[rows.length + j] = rows[j] + B;
    const i = tf.tensor1d(both, 'int32');
    const sign = tf.concat([tf.ones([rows.length, 1]), tf.fill([rows.length, 1], -1)]);
    return tf.matMul(tf.mul(tf.gather(f.PQ, i), sign), tf.gather(f.uv, i), true, false);
  });
  const gradient = g.dataSync();
  tf.dispose([...Object.values(f), g]);
  return { gradient, active: rows.length };
}

function halves(margin) {
  const f = stackedForward(margin);
  const rows = activeRows(f.h.dataSync());
  const g = tf.tidy(() => {
    const i = tf.tensor1d(rows, 'int32');
    const j = tf.tensor1d(rows.map((r) => r + B), 'int32');
    return tf.sub(tf.matMul(tf.gather(f.PQ, i), tf.gather(f.uv, i), true, false), tf.matMul(tf.gather(f.PQ, j), tf.gather(f.uv, j), true, false));
  });
  const gradient = g.dataSync();
  tf.dispose([...Object.values(f), g]);
  return { gradient, active: rows.length };
}

const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
const variants = { today, stacked, halves };

// The margin that leaves `fraction` of the rows active: between two neighbours of h at margin 0.
const h0 = tf.tidy(() => tf.sub(tf.sum(tf.square(tf.matMul(tf.sub(a, p), w, false, true)), 1), tf.sum(tf.square(tf.matMul(tf.sub(a, n), w, false, true)), 1))).dataSync();
const descending = [...h0].sort((x, y) => y - x);

console.log(`fused compact step, B=${B} ${dIn}x${dOut}, plain tfjs-node ${tf.version.tfjs}, ${steps} alternations, medians (ratio to today)`);
for (const fraction of fractions) {
  const k = Math.max(1, Math.floor(fraction * B));
  const margin = -(descending[k] + descending[k - 1]) / 2;
  const reference = today(margin);
  let peak = 0;
  for (const x of reference.gradient) peak = Math.max(peak, Math.abs(x));
  for (const [name, variant] of Object.entries(variants)) {
    const { gradient, active } = variant(margin);
    let worst = 0;
    for (let i = 0; i < gradient.length; i++) worst = Math.max(worst, Math.abs(gradient[i] - reference.gradient[i]));
    if (active !== reference.active || worst / peak > 1e-4) throw new Error(`${name} disagrees with today: ${active} active of ${reference.active}, error ${worst / peak}`);
  }
  for (let i = 0; i < 5; i++) for (const variant of Object.values(variants)) variant(margin);
  const times = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
  for (let s = 0; s < steps; s++) {
    for (const [name, variant] of Object.entries(variants)) {
      const began = performance.now();
      variant(margin);
      times[name].push(performance.now() - began);
    }
  }
  const base = median(times.today);
  console.log(`  active ${fraction} (K=${reference.active}): ` + Object.entries(times).map(([name, t]) => `${name} ${median(t).toFixed(2)} ms (${(median(t) / base).toFixed(3)})`).join(', '));
}

// Today's ops one at a time, at the middle fraction: where the step's time goes.
const fraction = fractions[Math.floor(fractions.length / 2)];
const u = tf.sub(a, p);
const P = tf.matMul(u, w, false, true);
const K = tf.tensor1d(Int32Array.from({ length: Math.round(fraction * B) }, (_, i) => Math.floor(i / fraction)), 'int32');
const PK = tf.gather(P, K);
const UK = tf.gather(u, K);
const ops = [
  ['subtraction A - P (x2 a step)', () => tf.sub(a, p), 2],
  ['forward GEMM U W^T (x2)', () => tf.matMul(u, w, false, true), 2],
  ['row norms |P|^2 (x2)', () => tf.sum(tf.square(P), 1), 2],
  ['h read out', () => {
    const h = tf.sum(P, 1);
    h.dataSync();
    return h;
  }, 1],
  [`gather ${K.shape[0]} rows of P (x2)`, () => tf.gather(P, K), 2],
  [`gather ${K.shape[0]} rows of U (x2)`, () => tf.gather(u, K), 2],
  ['backward GEMM P_K^T U_K (x2)', () => tf.matMul(PK, UK, true, false), 2],
];
console.log(`today's ops alone at active ${fraction}, medians of 40:`);
let gemms = 0;
let rest = 0;
for (const [name, op, count] of ops) {
  // In a tidy, as the step runs them: an intermediate left alive makes the next op fault in
  // fresh memory (2.8 ms more for the row norms, measured).
  for (let i = 0; i < 5; i++) tf.dispose(tf.tidy(op));
  const t = [];
  for (let i = 0; i < 40; i++) {
    const began = performance.now();
    const out = tf.tidy(op);
    t.push(performance.now() - began);
    tf.dispose(out);
  }
  const ms = median(t);
  if (name.includes('GEMM')) gemms += count * ms;
  else rest += count * ms;
  console.log(`  ${name.padEnd(34)} ${ms.toFixed(3)} ms`);
}
console.log(`  a step's GEMMs ${gemms.toFixed(2)} ms, its other ops ${rest.toFixed(2)} ms (the sum of the ops, each timed alone)`);
