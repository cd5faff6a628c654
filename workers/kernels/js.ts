/**
 * The `js` kernel: the fused difference formulation in plain TypeScript.
 *
 *   forward   P_i = W u_i, Q_i = W v_i  (u_i = a_i - p_i, v_i = a_i - n_i), h_i, m_i
 *   backward  partial += c_i (P_i u_i^T - Q_i v_i^T)
 *
 * dense runs the backward over every row with c_i = m_i (the mask multiplies, the work
 * stays); compact gathers the active rows first and runs it over those only, c_i = 1.
 *
 * Why it is shaped like this (V8 does not vectorise, so it is about loads per flop):
 * - triplets go in blocks of ROWS = 4, so each W element loaded in the forward feeds
 *   8 multiply-adds (4 u and 4 v rows), and each partial element loaded and stored in
 *   the backward takes 8;
 * - u and v rows are formed once per block into a float64 scratch (exact differences
 *   of float32 inputs), sized once per worker: no allocation inside a step;
 * - inner loops run over D_in, contiguous in W, in the inputs and in the partial.
 */
import type { ArenaViews } from '../../src/arena.js';
import type { ShardKernel } from './kernel.js';

/** Triplets per register block. */
const ROWS = 4;

/** Per-worker scratch: ROWS u rows and ROWS v rows of D_in float64, plus the block's rows. */
interface Scratch {
  dIn: number;
  u: Float64Array[];
  v: Float64Array[];
  rows: Int32Array;
  coefficients: Float64Array;
}

let scratch: Scratch | undefined;

function scratchFor(dIn: number): Scratch {
  if (scratch?.dIn !== dIn) {
    const block = new Float64Array(2 * ROWS * dIn);
    const row = (j: number) => block.subarray(j * dIn, (j + 1) * dIn);
    scratch = {
      dIn,
      u: [row(0), row(1), row(2), row(3)],
      v: [row(4), row(5), row(6), row(7)],
      rows: new Int32Array(ROWS),
      coefficients: new Float64Array(ROWS),
    };
  }
  return scratch;
}

/** Forms u_j = a - p and v_j = a - n for the block's rows; padding rows become zero. */
function loadDifferences(views: ArenaViews, s: Scratch, count: number): void {
  const { anchors, positives, negatives } = views;
  const dIn = s.dIn;
  for (let j = 0; j < ROWS; j++) {
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

/**
 * Forward for `count` consecutive rows from `first`: stores P, Q and h, returns nothing;
 * the caller reads h back from the arena.
 */
function forwardBlock(views: ArenaViews, s: Scratch, first: number, count: number, margin: number): void {
  const { weights, projectionsP, projectionsQ, hinge } = views;
  const { dIn, dOut } = views.layout.shape;
  const [u0, u1, u2, u3] = s.u as [Float64Array, Float64Array, Float64Array, Float64Array];
  const [v0, v1, v2, v3] = s.v as [Float64Array, Float64Array, Float64Array, Float64Array];
  let dP0 = 0, dP1 = 0, dP2 = 0, dP3 = 0;
  let dN0 = 0, dN1 = 0, dN2 = 0, dN3 = 0;
  for (let o = 0; o < dOut; o++) {
    const w0 = o * dIn;
    let p0 = 0, p1 = 0, p2 = 0, p3 = 0;
    let q0 = 0, q1 = 0, q2 = 0, q3 = 0;
    for (let k = 0; k < dIn; k++) {
      const w = weights[w0 + k]!;
      p0 += w * u0[k]!;
      p1 += w * u1[k]!;
      p2 += w * u2[k]!;
      p3 += w * u3[k]!;
      q0 += w * v0[k]!;
      q1 += w * v1[k]!;
      q2 += w * v2[k]!;
      q3 += w * v3[k]!;
    }
    dP0 += p0 * p0; dP1 += p1 * p1; dP2 += p2 * p2; dP3 += p3 * p3;
    dN0 += q0 * q0; dN1 += q1 * q1; dN2 += q2 * q2; dN3 += q3 * q3;
    const at = first * dOut + o;
    projectionsP[at] = p0;
    projectionsQ[at] = q0;
    if (count > 1) { projectionsP[at + dOut] = p1; projectionsQ[at + dOut] = q1; }
    if (count > 2) { projectionsP[at + 2 * dOut] = p2; projectionsQ[at + 2 * dOut] = q2; }
    if (count > 3) { projectionsP[at + 3 * dOut] = p3; projectionsQ[at + 3 * dOut] = q3; }
  }
  hinge[first] = dP0 - dN0 + margin;
  if (count > 1) hinge[first + 1] = dP1 - dN1 + margin;
  if (count > 2) hinge[first + 2] = dP2 - dN2 + margin;
  if (count > 3) hinge[first + 3] = dP3 - dN3 + margin;
}

/** partial[o, :] += sum_j c_j (P_j[o] u_j - Q_j[o] v_j) for the block's rows. */
function backwardBlock(views: ArenaViews, s: Scratch, partial: Float64Array): void {
  const { projectionsP, projectionsQ } = views;
  const { dIn, dOut } = views.layout.shape;
  const [u0, u1, u2, u3] = s.u as [Float64Array, Float64Array, Float64Array, Float64Array];
  const [v0, v1, v2, v3] = s.v as [Float64Array, Float64Array, Float64Array, Float64Array];
  const r0 = s.rows[0]! * dOut, r1 = s.rows[1]! * dOut, r2 = s.rows[2]! * dOut, r3 = s.rows[3]! * dOut;
  const c0 = s.coefficients[0]!, c1 = s.coefficients[1]!, c2 = s.coefficients[2]!, c3 = s.coefficients[3]!;
  for (let o = 0; o < dOut; o++) {
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

/** Compact backward: the `count` active rows listed from `from`, ROWS at a time, c = 1. */
function backwardActiveRows(
  views: ArenaViews,
  s: Scratch,
  partial: Float64Array,
  rowList: Int32Array,
  from: number,
  count: number,
): void {
  for (let b = 0; b < count; b += ROWS) {
    const inBlock = Math.min(ROWS, count - b);
    for (let j = 0; j < ROWS; j++) {
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
  for (let first = start; first < end; first += ROWS) {
    const count = Math.min(ROWS, end - first);
    for (let j = 0; j < ROWS; j++) {
      s.rows[j] = first + Math.min(j, count - 1);
      s.coefficients[j] = j < count && hinge[first + j]! > 0 ? 1 : 0;
    }
    loadDifferences(views, s, count);
    backwardBlock(views, s, partial);
  }
}

export const jsKernel: ShardKernel = (views, partial, start, end, strategy) => {
  const { dIn } = views.layout.shape;
  const s = scratchFor(dIn);
  const margin = views.margin[0]!;
  const { hinge, activeRows } = views;
  partial.fill(0);

  for (let first = start; first < end; first += ROWS) {
    const count = Math.min(ROWS, end - first);
    for (let j = 0; j < ROWS; j++) s.rows[j] = first + Math.min(j, count - 1);
    loadDifferences(views, s, count);
    forwardBlock(views, s, first, count, margin);
  }

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

  if (strategy === 'compact') backwardActiveRows(views, s, partial, activeRows, start, activeCount);
  else backwardAllRows(views, s, partial, start, end);
  return { lossSum, activeCount };
};

