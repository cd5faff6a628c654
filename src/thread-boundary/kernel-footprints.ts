/**
 * What each worker kernel needs of the shared arena: bytes of scratch per slot, and Int32
 * control words of its own (a lock). Both sides of the thread boundary read it (the arena
 * is laid out from it on the main thread and read back from it in the workers), so it is
 * plain data and arithmetic, with no import of a kernel's code. Typed by KernelName: a new
 * kernel does not compile without its footprint, and the arena is sized from the
 * footprints of the kernels a run selects, so no kernel can find its scratch short.
 */
import type { KernelName } from '../domain.js';
import type { Shape } from '../triplet/problem.js';

/** One kernel's needs of the arena. */
export interface KernelFootprint {
  /** Bytes of arena scratch per slot for a shape (0: its working space is elsewhere). */
  scratchBytes(shape: Shape): number;
  /** Int32 control words of its own in the arena's control region. */
  readonly controlWords: number;
}

const up = (n: number, to: number) => Math.ceil(n / to) * to;

/**
 * The wasm kernel works in the arena's memory; its module states its layout
 * (asm/kernel.ts, `scratchBytes`): W^T and its f32 partial in rows padded to 8 columns and
 * 4 (or 8) outputs, plus a block of 32 triplets' 64 rows of X (D_in) and of coefficients
 * (D_out). This is exactly that; test/wasm-kernel.test.ts holds the two equal.
 */
function wasmScratchBytes(shape: Shape): number {
  const dInPad = up(shape.dIn, 8);
  const dOutPad = up(shape.dOut, 8);
  return 4 * (dOutPad * dInPad + up(shape.dOut, 4) * dInPad + 64 * (dInPad + dOutPad));
}

const NONE = () => 0;

/** Every worker kernel's footprint, in registry order (src/engines/workers/kernels.ts). */
export const KERNEL_FOOTPRINTS: Readonly<Record<KernelName, KernelFootprint>> = {
  // js keeps a few float64 rows on the worker's own heap.
  js: { scratchBytes: NONE, controlWords: 0 },
  wasm: { scratchBytes: wasmScratchBytes, controlWords: 0 },
  // TensorFlow keeps its working space; tfjs-node not built thread-safe takes a lock word
  // so that one worker at a time runs its ops (workers/kernels/tfjs.ts).
  tfjs: { scratchBytes: NONE, controlWords: 1 },
  empty: { scratchBytes: NONE, controlWords: 0 },
};

/** Every worker kernel, in registry order: the arena's default, serving any of them. */
export const ALL_KERNELS = Object.keys(KERNEL_FOOTPRINTS) as KernelName[];
