/**
 * The `wasm` kernel: the fused difference formulation as blocked SIMD128 products in
 * WebAssembly (asm/kernel.ts, compiled by `npm run build`), working in place on the arena:
 * the arena is a shared WebAssembly.Memory, so every worker's instance reads the batch and
 * writes h, the active list, the active rows' P and Q (compact) and its partial with no copy.
 *
 * Per call, in the slot's private scratch: W^T packed in panels of 8 output columns
 * (zero-padded); then the shard in blocks of up to 32 triplets, whose u_j, v_j are formed
 * once in f32 as block rows 2j, 2j + 1 of X, stored in panels of 8 input columns
 * ([D_in/8][rows][8]), the one copy both products read with constant strides:
 *   forward  C = X W^T, register block 4 rows x 8 outputs (8 f32x4 accumulators, one k
 *            per iteration: see forwardTile for why not unrolled), W panel outer so it
 *            stays in L1;
 *   hinge    h_j = |P_j|^2 - |Q_j|^2 + alpha in f64 from the f32 P, Q (h stored to the arena);
 *   backward G += C^T X with C = (m P_j, -m Q_j) in panels of 4 outputs, register block
 *            4 outputs x 8 inputs, one row per iteration; G in f32 in scratch, written to the
 *            slot's f64 partial at the end.
 * dense runs the backward on each block right after its forward (X still in cache), its
 * coefficients multiplied by the mask, and stores no P or Q; compact stores the P and Q
 * of active rows only, packed in list order, and runs the backward over those rows in a
 * second pass that forms their u, v again from the batch rows in place (no gathered copy).
 *
 * How the layout was chosen, measured while the tiles were still unrolled by hand (see
 * below; B = 4096, 512x128, 30 % active, one thread; variants' calls interleaved in one
 * process, median of 11; forward only / dense / compact, ms):
 * - 4x8 tiles reading row-major X (4 strided splat streams) and row-major C:  52.5 / 93.0 / 64.5
 * - X repacked for the forward as [rows/4][D_in][4], panels for the backward:  46.6 / 91.2 / 62.3
 * - one X in 8-column panels for both (this), blocks of 32 triplets:         46.6 / 88.3 / 60.9
 *   (backward o-outer; k-outer 48.0 / 91.2 / 60.6); blocks of 16: no difference, the
 *   reload of the G tile is under a tenth of the backward's loads;
 * - forward with rows outer and W panels streaming from L2: 82.8 ms against 60.5 (noisy phase).
 * Everything but the two products (packing W, forming X, h, copies) is 4 ms of the forward.
 * Where the runtime has relaxed SIMD (Node 22+; Node 20 behind a flag, which
 * src/thread-boundary/wasm-runtime.ts sets) the relaxed build turns each multiply-add into one FMA.
 *
 * The tiles above were first unrolled by hand (k by 8 in the forward, rows by 2 in the
 * backward), and both products ran at 16-24 GFLOP/s. V8's code (node --print-wasm-code)
 * showed why: the loads of all unrolled steps come first, the FMAs after, and the operands
 * spill to the stack. With one step per iteration nothing spills. Same process, calls
 * interleaved, median of 15, B = 4096, 512x128, 37 % active, one thread, Node 20.20
 * (dense / compact, ms): unrolled relaxed 112.7 / 77.8, this relaxed 60.9 / 43.1 (35 GFLOP/s
 * dense); unrolled simd128 114.5 / 79.6, this simd128 81.6 / 61.1. The relaxed forward alone
 * runs at 32-39 GFLOP/s: near the peak for 128-bit vectors on this 2.45 GHz EPYC VM (two
 * 4-lane FMAs a cycle, 39 GFLOP/s).
 */
import { readFileSync } from 'node:fs';
import type { ArenaViews } from '../../src/thread-boundary/arena.js';
import type { Shape } from '../../src/triplet/problem.js';
import type { ShardKernel } from './kernel.js';
import { wasmKernelFile, wasmKernelUnavailable, wasmSimdPath } from '../../src/thread-boundary/wasm-runtime.js';

/** The exports of asm/kernel.ts. */
interface KernelExports {
  shard(
    anchors: number, positives: number, negatives: number, weights: number,
    projectionsP: number, projectionsQ: number, hinge: number, activeRows: number, partial: number,
    scratch: number, blockTriplets: number,
    dIn: number, dOut: number, start: number, end: number, margin: number, compact: number,
  ): number;
  lastActiveCount(): number;
  maxBlockTriplets(): number;
  scratchBytes(dIn: number, dOut: number, blockTriplets: number): number;
}

let module: WebAssembly.Module | undefined;

/** The compiled module of the path this runtime takes, compiled once per thread. */
function kernelModule(): WebAssembly.Module {
  if (module === undefined) {
    const unavailable = wasmKernelUnavailable();
    if (unavailable) throw new Error(`wasm kernel: ${unavailable.reason}; fix: ${unavailable.fix}`);
    module = new WebAssembly.Module(readFileSync(wasmKernelFile(wasmSimdPath())));
  }
  return module;
}

let layoutInstance: KernelExports | undefined;

/**
 * An instance on a one-page memory of its own, for questions about the layout (its scratch
 * for a shape, its largest block): the module states them, nothing here mirrors them.
 */
function layoutExports(): KernelExports {
  layoutInstance ??= new WebAssembly.Instance(kernelModule(), {
    env: { memory: new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }) },
  }).exports as unknown as KernelExports;
  return layoutInstance;
}

/** The module's scratch, in bytes, for a shape and a block of `blockTriplets` triplets. */
export function wasmScratchBytes(dIn: number, dOut: number, blockTriplets: number): number {
  return layoutExports().scratchBytes(dIn, dOut, blockTriplets);
}

/** The most triplets per block the module takes. */
export function wasmMaxBlockTriplets(): number {
  return layoutExports().maxBlockTriplets();
}

/** The largest even block whose scratch fits in `scratchBytes` (a slot's share of the arena). */
export function blockTripletsFor(shape: Shape, scratchBytes: number): number {
  const { dIn, dOut } = shape;
  for (let block = wasmMaxBlockTriplets(); block >= 2; block -= 2) {
    if (wasmScratchBytes(dIn, dOut, block) <= scratchBytes) return block;
  }
  throw new RangeError(`wasm kernel: ${scratchBytes} bytes of scratch per slot cannot hold a ${dOut}x${dIn} shape`);
}

let bound: { memory: WebAssembly.Memory; exports: KernelExports } | undefined;

/** This worker's instance on the arena's memory, made on first use. */
function instanceOn(views: ArenaViews): KernelExports {
  const memory = views.memory;
  if (memory === undefined) {
    throw new Error('wasm kernel: the arena is not a shared WebAssembly.Memory (beyond wasm32\'s 4 GiB, or no shared wasm memory here)');
  }
  if (bound?.memory !== memory) {
    const instance = new WebAssembly.Instance(kernelModule(), { env: { memory } });
    bound = { memory, exports: instance.exports as unknown as KernelExports };
  }
  return bound.exports;
}

export const wasmKernel: ShardKernel = {
  // Its preferred block's scratch; it runs with smaller blocks where a slot has less.
  scratchBytes: ({ dIn, dOut }) => wasmScratchBytes(dIn, dOut, wasmMaxBlockTriplets()),
  run({ views, partial, scratch, start, end, strategy }) {
    const exports = instanceOn(views);
    const { layout } = views;
    const { dIn, dOut } = layout.shape;
    // Views of the arena's memory: their byte offsets are the module's addresses.
    const lossSum = exports.shard(
      layout.anchors, layout.positives, layout.negatives, layout.weights,
      layout.projectionsP, layout.projectionsQ, layout.hinge, layout.activeRows, partial.byteOffset,
      scratch.byteOffset, blockTripletsFor(layout.shape, scratch.byteLength),
      dIn, dOut, start, end, views.margin[0]!, strategy === 'compact' ? 1 : 0,
    );
    return { lossSum, activeCount: exports.lastActiveCount() };
  },
};
