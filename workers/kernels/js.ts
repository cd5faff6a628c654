/**
 * The `js` kernel: the fused difference formulation in plain TypeScript.
 *
 *   forward   P_i = W u_i, Q_i = W v_i  (u_i = a_i - p_i, v_i = a_i - n_i), h_i, m_i
 *   backward  partial += c_i (P_i u_i^T - Q_i v_i^T)
 *
 * dense runs the backward over every row with c_i = m_i (the mask multiplies, the work
 * stays); compact gathers the active rows first and runs it over those only, c_i = 1.
 *
 * Why it is shaped like this (V8 does not vectorise, so it is about loads per flop and
 * about how often the partial gradient and W stream through the caches):
 * - triplets go in blocks of UNROLLED_ROWS = 4; their u and v rows are formed once per block into
 *   a float64 scratch (exact differences of float32 inputs), sized once per worker: no
 *   allocation inside a step;
 * - the forward takes 2 rows x 2 output rows at a time: 6 loads feed 16 flops in 8
 *   accumulators (4 rows x 1 output needed 9 loads; 4 x 2 spills registers);
 * - the backward updates 2 partial rows per pass over a block: the 8 u/v loads feed 32
 *   flops and the partial streams through the cache half as often;
 * - inner loops run over D_in, contiguous in W, in the inputs and in the partial.
 * Measured side by side, steps interleaved in one pool (B = 4096, 512x128, 30 % active,
 * 1 thread, medians of 6): 1 x 4 forward and 1-row backward 1104 ms dense / 678 ms
 * compact; this shape 704 / 444 ms.
 */
import type { ArenaViews } from '../../src/thread-boundary/arena.js';
import type { Strategy } from '../../src/domain.js';
import type { ShardKernel, ShardSums } from './kernel.js';
import type { PhaseClock } from '../../src/phases.js';

/**
 * Triplets per block: fixed at four, because backwardBlock is written out for exactly four
 * rows (u0..u3, v0..v3 in registers); changing it means rewriting that loop, not this line.
 */
const UNROLLED_ROWS = 4;

/** Per-worker scratch: UNROLLED_ROWS u rows and UNROLLED_ROWS v rows of D_in float64, plus the block's rows. */
interface Scratch {
  dIn: number;
  u: Float64Array[];
  v: Float64Array[];
  rows: Int32Array;
  coefficients: Float64Array;
  pairOut: Float64Array;
  dP: Float64Array;
  dN: Float64Array;
}

let scratch: Scratch | undefined;

function scratchFor(dIn: number): Scratch {
  if (scratch?.dIn !== dIn) {
    const block = new Float64Array(2 * UNROLLED_ROWS * dIn);
    const row = (j: number) => block.subarray(j * dIn, (j + 1) * dIn);
    scratch = {
      dIn,
      u: [row(0), row(1), row(2), row(3)],
      v: [row(4), row(5), row(6), row(7)],
      rows: new Int32Array(UNROLLED_ROWS),
      coefficients: new Float64Array(UNROLLED_ROWS),
      pairOut: new Float64Array(8),
      dP: new Float64Array(UNROLLED_ROWS),
      dN: new Float64Array(UNROLLED_ROWS),
    };
  }
  return scratch;
}

/** Forms u_j = a - p and v_j = a - n for the block's rows; padding rows become zero. */
function loadDifferences(views: ArenaViews, s: Scratch, count: number): void {
  const { anchors, positives, negatives } = views;
  const dIn = s.dIn;
  for (let j = 0; j < UNROLLED_ROWS; j++) {
    const u = s.u[j]!;
    const v = s.v[j]!;
    if (j >= count) {
      u.fill(0);
      v.fill(0);
      continue;
    }
    const base = s.rows[j]! * dIn;
    for (let k = 0; k < dIn; k++) {
      const a = anchors[base + k]!;
      u[k] = a - positives[base + k]!;
      v[k] = a - negatives[base + k]!;
    }
  }
}

/** P and Q of two rows (a, b) for two output rows (oFirst, oSecond), into out[0..8). */
function forwardPair(
  weights: Float32Array, dIn: number, oFirst: number, oSecond: number,
  ua: Float64Array, ub: Float64Array, va: Float64Array, vb: Float64Array,
  out: Float64Array,
): void {
  const w0 = oFirst * dIn;
  const w1 = oSecond * dIn;
  let pa0 = 0, pb0 = 0, qa0 = 0, qb0 = 0;
  let pa1 = 0, pb1 = 0, qa1 = 0, qb1 = 0;
  for (let k = 0; k < dIn; k++) {
    const x = weights[w0 + k]!;
    const y = weights[w1 + k]!;
    const a = ua[k]!, b = ub[k]!, c = va[k]!, d = vb[k]!;
    pa0 += x * a; pb0 += x * b; qa0 += x * c; qb0 += x * d;
    pa1 += y * a; pb1 += y * b; qa1 += y * c; qb1 += y * d;
  }
  out[0] = pa0; out[1] = pb0; out[2] = qa0; out[3] = qb0;
  out[4] = pa1; out[5] = pb1; out[6] = qa1; out[7] = qb1;
}

/** Forward for `count` consecutive rows from `first`: stores P, Q and h. */
function forwardBlock(views: ArenaViews, s: Scratch, first: number, count: number, margin: number): void {
  const { weights, projectionsP, projectionsQ, hinge } = views;
  const { dIn, dOut } = views.layout.shape;
  const out = s.pairOut;
  const dP = s.dP.fill(0);
  const dN = s.dN.fill(0);
  // The last output row of an odd D_out pairs with itself; its twin is discarded.
  for (let o = 0; o < dOut; o += 2) {
    const twin = o + 1 < dOut;
    for (let j = 0; j < UNROLLED_ROWS; j += 2) {
      forwardPair(weights, dIn, o, twin ? o + 1 : o, s.u[j]!, s.u[j + 1]!, s.v[j]!, s.v[j + 1]!, out);
      for (let half = 0; half < (twin ? 2 : 1); half++) {
        const at = half * 4;
        const oo = o + half;
        for (let t = 0; t < 2; t++) {
          const row = j + t;
          if (row >= count) continue;
          const p = out[at + t]!;
          const q = out[at + 2 + t]!;
          dP[row] = dP[row]! + p * p;
          dN[row] = dN[row]! + q * q;
          projectionsP[(first + row) * dOut + oo] = p;
          projectionsQ[(first + row) * dOut + oo] = q;
        }
      }
    }
  }
  for (let row = 0; row < count; row++) hinge[first + row] = dP[row]! - dN[row]! + margin;
}

/** partial[o, :] += sum_j c_j (P_j[o] u_j - Q_j[o] v_j), two output rows at a time. */
function backwardBlock(views: ArenaViews, s: Scratch, partial: Float64Array): void {
  const { projectionsP, projectionsQ } = views;
  const { dIn, dOut } = views.layout.shape;
  const [u0, u1, u2, u3] = s.u as [Float64Array, Float64Array, Float64Array, Float64Array];
  const [v0, v1, v2, v3] = s.v as [Float64Array, Float64Array, Float64Array, Float64Array];
  const r0 = s.rows[0]! * dOut, r1 = s.rows[1]! * dOut, r2 = s.rows[2]! * dOut, r3 = s.rows[3]! * dOut;
  const c0 = s.coefficients[0]!, c1 = s.coefficients[1]!, c2 = s.coefficients[2]!, c3 = s.coefficients[3]!;
  let o = 0;
  for (; o + 1 < dOut; o += 2) {
    const a0 = c0 * projectionsP[r0 + o]!, a1 = c1 * projectionsP[r1 + o]!;
    const a2 = c2 * projectionsP[r2 + o]!, a3 = c3 * projectionsP[r3 + o]!;
    const b0 = c0 * projectionsQ[r0 + o]!, b1 = c1 * projectionsQ[r1 + o]!;
    const b2 = c2 * projectionsQ[r2 + o]!, b3 = c3 * projectionsQ[r3 + o]!;
    const e0 = c0 * projectionsP[r0 + o + 1]!, e1 = c1 * projectionsP[r1 + o + 1]!;
    const e2 = c2 * projectionsP[r2 + o + 1]!, e3 = c3 * projectionsP[r3 + o + 1]!;
    const f0 = c0 * projectionsQ[r0 + o + 1]!, f1 = c1 * projectionsQ[r1 + o + 1]!;
    const f2 = c2 * projectionsQ[r2 + o + 1]!, f3 = c3 * projectionsQ[r3 + o + 1]!;
    const g0 = o * dIn;
    const g1 = g0 + dIn;
    for (let k = 0; k < dIn; k++) {
      const x0 = u0[k]!, x1 = u1[k]!, x2 = u2[k]!, x3 = u3[k]!;
      const y0 = v0[k]!, y1 = v1[k]!, y2 = v2[k]!, y3 = v3[k]!;
      partial[g0 + k] = partial[g0 + k]! + (a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3) - (b0 * y0 + b1 * y1 + b2 * y2 + b3 * y3);
      partial[g1 + k] = partial[g1 + k]! + (e0 * x0 + e1 * x1 + e2 * x2 + e3 * x3) - (f0 * y0 + f1 * y1 + f2 * y2 + f3 * y3);
    }
  }
  for (; o < dOut; o++) {
    const a0 = c0 * projectionsP[r0 + o]!, a1 = c1 * projectionsP[r1 + o]!;
    const a2 = c2 * projectionsP[r2 + o]!, a3 = c3 * projectionsP[r3 + o]!;
    const b0 = c0 * projectionsQ[r0 + o]!, b1 = c1 * projectionsQ[r1 + o]!;
    const b2 = c2 * projectionsQ[r2 + o]!, b3 = c3 * projectionsQ[r3 + o]!;
    const g0 = o * dIn;
    for (let k = 0; k < dIn; k++) {
      partial[g0 + k] = partial[g0 + k]!
        + (a0 * u0[k]! + a1 * u1[k]! + a2 * u2[k]! + a3 * u3[k]!)
        - (b0 * v0[k]! + b1 * v1[k]! + b2 * v2[k]! + b3 * v3[k]!);
    }
  }
}

/** Compact backward: the `count` active rows listed from `from`, UNROLLED_ROWS at a time, c = 1. */
function backwardActiveRows(
  views: ArenaViews,
  s: Scratch,
  partial: Float64Array,
  rowList: Int32Array,
  from: number,
  count: number,
): void {
  for (let b = 0; b < count; b += UNROLLED_ROWS) {
    const inBlock = Math.min(UNROLLED_ROWS, count - b);
    for (let j = 0; j < UNROLLED_ROWS; j++) {
      // Padding rows repeat the block's first row with coefficient 0: they add nothing.
      s.rows[j] = rowList[from + b + (j < inBlock ? j : 0)]!;
      s.coefficients[j] = j < inBlock ? 1 : 0;
    }
    loadDifferences(views, s, inBlock);
    backwardBlock(views, s, partial);
  }
}

/** Dense backward: every row of [start, end), its contribution multiplied by its mask. */
function backwardAllRows(views: ArenaViews, s: Scratch, partial: Float64Array, start: number, end: number): void {
  const hinge = views.hinge;
  for (let first = start; first < end; first += UNROLLED_ROWS) {
    const count = Math.min(UNROLLED_ROWS, end - first);
    for (let j = 0; j < UNROLLED_ROWS; j++) {
      s.rows[j] = first + Math.min(j, count - 1);
      s.coefficients[j] = j < count && hinge[first + j]! > 0 ? 1 : 0;
    }
    loadDifferences(views, s, count);
    backwardBlock(views, s, partial);
  }
}

export const jsKernel: ShardKernel = {
  // Its scratch is a few float64 rows on the worker's own heap.
  scratchBytes: () => 0,
  run: ({ views, partial, start, end, strategy, phases }) => jsShard(views, partial, start, end, strategy, phases),
};

function jsShard(views: ArenaViews, partial: Float64Array, start: number, end: number, strategy: Strategy, phases?: PhaseClock): ShardSums {
  const { dIn } = views.layout.shape;
  const s = scratchFor(dIn);
  const margin = views.margin[0]!;
  const { hinge, activeRows } = views;
  partial.fill(0);

  for (let first = start; first < end; first += UNROLLED_ROWS) {
    const count = Math.min(UNROLLED_ROWS, end - first);
    for (let j = 0; j < UNROLLED_ROWS; j++) s.rows[j] = first + Math.min(j, count - 1);
    loadDifferences(views, s, count);
    forwardBlock(views, s, first, count, margin);
  }
  // h is formed block by block inside the forward: its time is the forward's.
  phases?.mark('forward');

  // Gather the active rows into this shard's own stretch of the active list.
  let lossSum = 0;
  let activeCount = 0;
  for (let i = start; i < end; i++) {
    const h = hinge[i]!;
    if (h > 0) {
      lossSum += h;
      activeRows[start + activeCount] = i;
      activeCount++;
    }
  }
  phases?.mark('mask');

  if (strategy === 'compact') backwardActiveRows(views, s, partial, activeRows, start, activeCount);
  else backwardAllRows(views, s, partial, start, end);
  phases?.mark('backward');
  return { lossSum, activeCount };
}

