// AssemblyScript: the `wasm` shard kernel (see workers/kernels/wasm.ts for the contract and
// the measurements behind the blocking). Raw loads and stores only: no allocation, no
// strings, no data segments, so instantiating it on the shared arena memory writes nothing.

/** Bytes of one f32 / one f32x4 lane group. */
const F32: usize = 4;
const VEC: usize = 16;
/** Forward register block: 4 rows of X times 8 output columns (two f32x4). */
const PANEL: i32 = 8;

// Layout of one call, set by `shard` and read by the block routines (module globals are
// per instance, and every worker has its own instance).
let dIn: i32 = 0;
let dOut: i32 = 0;
let dInPad: i32 = 0; // D_in rounded up to 8: the row stride of G, the width of the X panels
let dOutPad: i32 = 0; // D_out rounded up to 8: the width of the coefficient panels
let blockRows: i32 = 0; // rows of X per block: 2 per triplet (u_j, v_j)
let anchors: usize = 0;
let positives: usize = 0;
let negatives: usize = 0;
let wPanels: usize = 0; // W^T in panels [dOutPad/8][dInPad][8], zero past D_out and D_in
let gradient: usize = 0; // f32 partial, ceil4(D_out) rows of dInPad
let xPanels: usize = 0; // X, both products: panels of 8 columns, [dInPad/8][blockRows][8], zero past D_in
let cPanels: usize = 0; // P, Q (then the coefficients): panels of 4 outputs, [dOutPad/4][blockRows][4]

@inline function roundUp(n: i32, to: i32): i32 {
  return ((n + to - 1) / to) * to;
}

/**
 * a * b + c, four lanes. The `relaxed` build (asconfig target "relaxed", for runtimes with
 * relaxed SIMD: V8 11.4+, so Node 22 and later) emits f32x4.relaxed_madd, which V8 lowers to
 * one FMA instruction where the CPU has FMA3; the plain build keeps SIMD128's mul + add.
 */
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** Packs W (D_out x D_in, row-major f32) into column panels of 8 for the forward, zero-padded. */
function packWeights(weights: usize): void {
  for (let panel = 0; panel < dOutPad; panel += PANEL) {
    const base = wPanels + <usize>panel * <usize>dInPad * F32;
    for (let c = 0; c < PANEL; c++) {
      const o = panel + c;
      const row = weights + <usize>o * <usize>dIn * F32;
      for (let k = 0; k < dInPad; k++) {
        store<f32>(base + (<usize>k * PANEL + c) * F32, o < dOut && k < dIn ? load<f32>(row + <usize>k * F32) : 0);
      }
    }
  }
}

/** Where element k of block row r lives in the backward X panels. */
@inline function xPanelAt(r: i32, k: i32): usize {
  return xPanels + (<usize>(k >> 3) * <usize>blockRows + <usize>r) * 32 + <usize>(k & 7) * F32;
}

/**
 * Forms u = a - p and v = a - n of `count` triplets (rows from `rowList`, or consecutive from
 * `first` where it is 0) as block rows 2j and 2j + 1 of the X panels; triplets from `count`
 * up to `padded` become zero rows.
 */
function formDifferences(rowList: usize, first: i32, count: i32, padded: i32): void {
  for (let j = 0; j < padded; j++) {
    const r = 2 * j;
    if (j >= count) {
      for (let k = 0; k < dInPad; k += 8) memory.fill(xPanelAt(r, k), 0, 64);
      continue;
    }
    const row = rowList != 0 ? load<i32>(rowList + <usize>j * 4) : first + j;
    const at = <usize>row * <usize>dIn * F32;
    const a = anchors + at;
    const p = positives + at;
    const n = negatives + at;
    let k = 0;
    for (; k + 4 <= dIn; k += 4) {
      const off = <usize>k * F32;
      const x = v128.load(a + off);
      const to = xPanelAt(r, k);
      v128.store(to, f32x4.sub(x, v128.load(p + off)));
      v128.store(to, f32x4.sub(x, v128.load(n + off)), 32);
    }
    for (; k < dInPad; k++) {
      const off = <usize>k * F32;
      let u: f32 = 0;
      let v: f32 = 0;
      if (k < dIn) {
        const x = load<f32>(a + off);
        u = x - load<f32>(p + off);
        v = x - load<f32>(n + off);
      }
      const to = xPanelAt(r, k);
      store<f32>(to, u);
      store<f32>(to, v, 32);
    }
  }
}

/**
 * C[r..r+4][panel..panel+8] = X[r..r+4] . W^T: the forward micro-kernel, 8 accumulators.
 *
 * One k per iteration, on purpose: V8's optimizing compiler keeps the loads in program order
 * (they can trap) but places the pure multiply-adds late, just before their first use. A
 * body unrolled by hand therefore loads every operand of the unrolled steps first and keeps
 * them all live, and x64 has 15 vector registers for wasm: the unrolled-by-8 version spilled
 * to the stack on every step and ran at half this speed (see workers/kernels/wasm.ts). With
 * one k per iteration the body needs 8 accumulators + 2 W vectors + 4 splats, which fit;
 * V8 unrolls the loop itself.
 */
@inline function forwardTile(r: i32, panel: i32): void {
  let x = xPanels + <usize>r * 32;
  let w = wPanels + <usize>panel * <usize>dInPad * F32;
  let a0 = f32x4.splat(0), b0 = f32x4.splat(0);
  let a1 = f32x4.splat(0), b1 = f32x4.splat(0);
  let a2 = f32x4.splat(0), b2 = f32x4.splat(0);
  let a3 = f32x4.splat(0), b3 = f32x4.splat(0);
  const xStep = <usize>blockRows * 32;
  for (let col = 0; col < dInPad; col += 8) {
    for (let k = 0; k < 8; k++) {
      const lo = v128.load(w, 0);
      const hi = v128.load(w, 16);
      let s = v128.load32_splat(x, 0); a0 = madd(s, lo, a0); b0 = madd(s, hi, b0);
      s = v128.load32_splat(x, 32); a1 = madd(s, lo, a1); b1 = madd(s, hi, b1);
      s = v128.load32_splat(x, 64); a2 = madd(s, lo, a2); b2 = madd(s, hi, b2);
      s = v128.load32_splat(x, 96); a3 = madd(s, lo, a3); b3 = madd(s, hi, b3);
      w += <usize>PANEL * F32;
      x += F32;
    }
    x += xStep - 8 * F32;
  }
  const panelBytes = <usize>blockRows * VEC;
  const c = cPanels + <usize>(panel >> 2) * panelBytes + <usize>r * VEC;
  v128.store(c, a0); v128.store(c, a1, 16); v128.store(c, a2, 32); v128.store(c, a3, 48);
  const d = c + panelBytes;
  v128.store(d, b0); v128.store(d, b1, 16); v128.store(d, b2, 32); v128.store(d, b3, 48);
}

/** C = X W^T for `rows` rows (a multiple of 4). */
function forwardBlock(rows: i32): void {
  for (let panel = 0; panel < dOutPad; panel += PANEL) {
    for (let r = 0; r < rows; r += 4) forwardTile(r, panel);
  }
}

/**
 * G[o..o+4][col..col+8] += sum_r C[r][o..o+4] X[r][col..col+8]: the backward micro-kernel,
 * one row per iteration for the register reason given at forwardTile.
 */
@inline function backwardTile(rows: i32, o: i32, col: i32): void {
  const gRow = <usize>dInPad * F32;
  const g = gradient + <usize>o * gRow + <usize>col * F32;
  let a0 = v128.load(g), b0 = v128.load(g, 16);
  let a1 = v128.load(g + gRow), b1 = v128.load(g + gRow, 16);
  let a2 = v128.load(g + 2 * gRow), b2 = v128.load(g + 2 * gRow, 16);
  let a3 = v128.load(g + 3 * gRow), b3 = v128.load(g + 3 * gRow, 16);
  let x = xPanels + <usize>(col >> 3) * <usize>blockRows * 32;
  let c = cPanels + <usize>(o >> 2) * <usize>blockRows * VEC;
  for (let r = 0; r < rows; r++) {
    const lo = v128.load(x);
    const hi = v128.load(x, 16);
    let s = v128.load32_splat(c);
    a0 = madd(s, lo, a0); b0 = madd(s, hi, b0);
    s = v128.load32_splat(c, 4);
    a1 = madd(s, lo, a1); b1 = madd(s, hi, b1);
    s = v128.load32_splat(c, 8);
    a2 = madd(s, lo, a2); b2 = madd(s, hi, b2);
    s = v128.load32_splat(c, 12);
    a3 = madd(s, lo, a3); b3 = madd(s, hi, b3);
    x += 32;
    c += 16;
  }
  v128.store(g, a0); v128.store(g, b0, 16);
  v128.store(g + gRow, a1); v128.store(g + gRow, b1, 16);
  v128.store(g + 2 * gRow, a2); v128.store(g + 2 * gRow, b2, 16);
  v128.store(g + 3 * gRow, a3); v128.store(g + 3 * gRow, b3, 16);
}

/** G += C^T X over `rows` rows of the block. */
function backwardBlock(rows: i32): void {
  const oEnd = roundUp(dOut, 4);
  for (let o = 0; o < oEnd; o += 4) {
    for (let col = 0; col < dInPad; col += 8) backwardTile(rows, o, col);
  }
}

/** Where output o of block row r lives in the coefficient panels. */
@inline function cPanelAt(r: i32, o: i32): usize {
  return cPanels + (<usize>(o >> 2) * <usize>blockRows + <usize>r) * VEC + <usize>(o & 3) * F32;
}

/** Scales block row r of the coefficient panels by `by`, in place. */
@inline function scaleRow(r: i32, by: f32): void {
  const s = f32x4.splat(by);
  for (let o = 0; o < dOutPad; o += 4) {
    const at = cPanelAt(r, o);
    v128.store(at, f32x4.mul(s, v128.load(at)));
  }
}

/** The squared norm of block row r of the coefficient panels, in f64. */
@inline function rowSquaredNorm(r: i32): f64 {
  let sum: f64 = 0;
  for (let o = 0; o < dOut; o++) {
    const x = <f64>load<f32>(cPanelAt(r, o));
    sum += x * x;
  }
  return sum;
}

/** Copies block row r of the coefficient panels to `out` (D_out f32). */
@inline function storeRow(r: i32, out: usize): void {
  for (let o = 0; o < dOut; o++) store<f32>(out + <usize>o * F32, load<f32>(cPanelAt(r, o)));
}

/** Loads `in` (D_out f32) into block row r of the coefficient panels times `by`, zero past D_out. */
@inline function loadRow(r: i32, from: usize, by: f32): void {
  for (let o = 0; o < dOutPad; o++) store<f32>(cPanelAt(r, o), o < dOut ? by * load<f32>(from + <usize>o * F32) : 0);
}

/** Most triplets per block; the caller picks the largest even block whose scratch fits. */
export function maxBlockTriplets(): i32 {
  return 32;
}

/** Bytes of W^T's panels: [dOutPad/8][dInPad][8] f32. */
@inline function wPanelsBytes(inputs: i32, outputs: i32): f64 {
  return 4 * <f64>roundUp(outputs, PANEL) * <f64>roundUp(inputs, 8);
}

/** Bytes of the f32 partial: ceil4(D_out) rows of dInPad. */
@inline function gradientBytes(inputs: i32, outputs: i32): f64 {
  return 4 * <f64>roundUp(outputs, 4) * <f64>roundUp(inputs, 8);
}

/** Bytes of one block's X panels (2 rows per triplet, dInPad columns), f32. */
@inline function xPanelsBytes(inputs: i32, blockTriplets: i32): f64 {
  return 4 * <f64>(2 * blockTriplets) * <f64>roundUp(inputs, 8);
}

/** Bytes of one block's coefficient panels (2 rows per triplet, dOutPad outputs), f32. */
@inline function cPanelsBytes(outputs: i32, blockTriplets: i32): f64 {
  return 4 * <f64>(2 * blockTriplets) * <f64>roundUp(outputs, PANEL);
}

/**
 * The scratch `shard` uses for a shape and a block size, in bytes: W^T panels, the f32
 * partial, then one block's X and coefficient panels, in that order from `scratchAt`. The
 * one statement of this layout: workers/kernels/wasm.ts asks the module rather than
 * mirroring it. f64, so a shape past 2 GiB reads as a number, not a negative i32.
 */
export function scratchBytes(inputs: i32, outputs: i32, blockTriplets: i32): f64 {
  return wPanelsBytes(inputs, outputs) + gradientBytes(inputs, outputs)
    + xPanelsBytes(inputs, blockTriplets) + cPanelsBytes(outputs, blockTriplets);
}

let lossSum: f64 = 0;
let activeCount: i32 = 0;

/**
 * Rows [start, end): forward, hinge and mask, the active list, and the backward, dense
 * (blocks fused: each block's backward runs on the X and Y it just formed, scaled by the
 * mask) or compact (a second pass over the gathered active rows only). Returns the loss sum;
 * the active count is read back with `lastActiveCount`.
 */
export function shard(
  anchorsAt: usize, positivesAt: usize, negativesAt: usize, weightsAt: usize,
  projectionsPAt: usize, projectionsQAt: usize, hingeAt: usize, activeRowsAt: usize, partialAt: usize,
  scratchAt: usize, blockTriplets: i32,
  inputs: i32, outputs: i32, start: i32, end: i32, margin: f64, compact: bool,
): f64 {
  dIn = inputs;
  dOut = outputs;
  dInPad = roundUp(dIn, 8);
  dOutPad = roundUp(dOut, PANEL);
  blockRows = 2 * blockTriplets;
  anchors = anchorsAt;
  positives = positivesAt;
  negatives = negativesAt;
  wPanels = scratchAt;
  gradient = wPanels + <usize>wPanelsBytes(dIn, dOut);
  xPanels = gradient + <usize>gradientBytes(dIn, dOut);
  cPanels = xPanels + <usize>xPanelsBytes(dIn, blockTriplets);

  packWeights(weightsAt);
  memory.fill(gradient, 0, <usize>gradientBytes(dIn, dOut));
  lossSum = 0;
  activeCount = 0;
  const outRow = <usize>dOut * F32;

  for (let first = start; first < end; first += blockTriplets) {
    const count = min(blockTriplets, end - first);
    const padded = roundUp(count, 2);
    formDifferences(0, first, count, padded);
    forwardBlock(2 * padded);
    for (let j = 0; j < count; j++) {
      const i = first + j;
      const h = rowSquaredNorm(2 * j) - rowSquaredNorm(2 * j + 1) + margin;
      store<f64>(hingeAt + <usize>i * 8, h);
      const active = h > 0;
      if (active) {
        lossSum += h;
        const at = <usize>(start + activeCount);
        store<i32>(activeRowsAt + at * 4, i);
        // Only compact reads P and Q back, of active rows only: they go packed, in list
        // order, from the shard's first row (dense keeps them in the block and stores none).
        if (compact) {
          storeRow(2 * j, projectionsPAt + at * outRow);
          storeRow(2 * j + 1, projectionsQAt + at * outRow);
        }
        activeCount++;
      }
      if (!compact) {
        const m: f32 = active ? 1 : 0;
        scaleRow(2 * j, m);
        scaleRow(2 * j + 1, -m);
      }
    }
    if (!compact) backwardBlock(2 * count);
  }

  if (compact) {
    const list = activeRowsAt + <usize>start * 4;
    for (let b = 0; b < activeCount; b += blockTriplets) {
      const count = min(blockTriplets, activeCount - b);
      formDifferences(list + <usize>b * 4, 0, count, count);
      for (let j = 0; j < count; j++) {
        const at = <usize>(start + b + j);
        loadRow(2 * j, projectionsPAt + at * outRow, 1);
        loadRow(2 * j + 1, projectionsQAt + at * outRow, -1);
      }
      backwardBlock(2 * count);
    }
  }

  // The f32 partial becomes the slot's f64 partial, overwritten.
  const gRow = <usize>dInPad * F32;
  for (let o = 0; o < dOut; o++) {
    const g = gradient + <usize>o * gRow;
    const out = partialAt + <usize>o * <usize>dIn * 8;
    for (let k = 0; k < dIn; k++) store<f64>(out + <usize>k * 8, <f64>load<f32>(g + <usize>k * F32));
  }
  return lossSum;
}

/** The active count of the last `shard` call. */
export function lastActiveCount(): i32 {
  return activeCount;
}
