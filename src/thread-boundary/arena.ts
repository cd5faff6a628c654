/**
 * The shared-memory arena: one SharedArrayBuffer per batch shape, holding the batch,
 * W, per-triplet values, per-slot partial gradients and statistics, and control words.
 * Both sides of the thread boundary import this module, so every offset is defined once
 * here and nowhere else.
 */
import type { KernelName } from '../domain.js';
import { ALL_KERNELS, KERNEL_FOOTPRINTS } from './kernel-footprints.js';
import type { Shape, TripletProblem } from '../triplet/problem.js';

/**
 * Regions start on cache-line boundaries so that slots never share a line, and so that
 * TensorFlow can read them in place (it copies any buffer not aligned to 64 bytes).
 */
const ALIGN_BYTES = 64;

/**
 * Shards of the batch start on multiples of this many rows (src/engines/workers/coordinator.ts): 16 float32
 * rows of any D_in span a multiple of 64 bytes, so every shard's view of A, P and N starts
 * on a 64-byte line, whatever D_in is (65 included).
 */
export const SHARD_ROW_GRANULE = ALIGN_BYTES / Float32Array.BYTES_PER_ELEMENT;

/**
 * Indices of the Int32 control words at the start of the arena. The kernels' own words
 * (ArenaLayout.kernelControl) follow these, in the same region.
 */
export const Control = {
  /** Marks a buffer as an arena of this layout version. */
  magic: 0,
  batch: 1,
  dIn: 2,
  dOut: 3,
  /** Number of partial-gradient slots (the most threads the arena serves). */
  slots: 4,
  /** Counts workers that reached the warm-up rendezvous. */
  warmUpArrivals: 5,
  /** The kernels the arena serves, one bit each in registry order (src/thread-boundary/kernel-footprints.ts). */
  kernels: 6,
  count: 7,
} as const;

export const ARENA_MAGIC = 0x7472_6970; // "trip"

/** Float64 fields of each slot's statistics record. */
export const SlotStat = {
  /** Sum over the slot's shard of max(h_i, 0). */
  lossSum: 0,
  activeCount: 1,
  /** Wall time of the shard's compute inside the worker, ms. */
  computeMs: 2,
  /** Rows in the shard (0 for an idle slot). */
  rows: 3,
  count: 4,
} as const;

/** Where each region lives, in bytes from the start of the buffer. */
export interface ArenaLayout {
  readonly shape: Shape;
  readonly slots: number;
  readonly control: number;
  /** Float64: the margin alpha. */
  readonly margin: number;
  /** Float32 B x D_in each. */
  readonly anchors: number;
  readonly positives: number;
  readonly negatives: number;
  /** Float32 D_out x D_in. */
  readonly weights: number;
  /** Float64 D_out x D_in: the reduced gradient. */
  readonly gradient: number;
  /** Float64 slots x D_out x D_in: one partial gradient per slot. */
  readonly partials: number;
  /** Float32 B x D_out each: P_i = W u_i and Q_i = W v_i. */
  readonly projectionsP: number;
  readonly projectionsQ: number;
  /** Float64 B: h_i = dP_i - dN_i + alpha. */
  readonly hinge: number;
  /** Int32 B: active row indices, each shard writing from its own first row. */
  readonly activeRows: number;
  /** Float64 slots x SlotStat.count. */
  readonly slotStats: number;
  /** The kernels this arena serves: its scratch and control words are sized for them. */
  readonly kernels: readonly KernelName[];
  /** Int32 control words in all, the kernels' own included. */
  readonly controlWords: number;
  /** Index in the control words of the first word of each served kernel that has any (src/thread-boundary/kernel-footprints.ts). */
  readonly kernelControl: Readonly<Partial<Record<KernelName, number>>>;
  /** Bytes of kernel scratch per slot, and where slot 0's starts: private working space for kernels that live in the arena's memory (wasm). */
  readonly kernelScratchBytes: number;
  readonly kernelScratch: number;
  readonly byteLength: number;
}

/**
 * Kernel scratch per slot: the most any of `kernels` declares (src/thread-boundary/kernel-footprints.ts),
 * on whole cache lines. The worker still refuses a kernel whose own statement
 * (`scratchBytes` in workers/kernels/kernel.ts) exceeds it.
 */
export function kernelScratchBytesFor(shape: Shape, kernels: readonly KernelName[] = ALL_KERNELS): number {
  const bytes = Math.max(0, ...kernels.map((kernel) => KERNEL_FOOTPRINTS[kernel].scratchBytes(shape)));
  return Math.ceil(bytes / ALIGN_BYTES) * ALIGN_BYTES;
}

/**
 * Computes the layout of an arena for a shape, a number of slots and the kernels it serves
 * (by default every kernel), in registry order whatever order they are given in.
 */
export function arenaLayout(shape: Shape, slots: number, kernels: readonly KernelName[] = ALL_KERNELS): ArenaLayout {
  const served = ALL_KERNELS.filter((kernel) => kernels.includes(kernel));
  const kernelControl: Partial<Record<KernelName, number>> = {};
  let controlWords = Control.count;
  for (const kernel of served) {
    const words = KERNEL_FOOTPRINTS[kernel].controlWords;
    if (words === 0) continue;
    kernelControl[kernel] = controlWords;
    controlWords += words;
  }
  const { batch, dIn, dOut } = shape;
  let cursor = 0;
  const take = (bytes: number): number => {
    const at = cursor;
    cursor += Math.ceil(bytes / ALIGN_BYTES) * ALIGN_BYTES;
    return at;
  };
  const control = take(controlWords * 4);
  const margin = take(8);
  const anchors = take(batch * dIn * 4);
  const positives = take(batch * dIn * 4);
  const negatives = take(batch * dIn * 4);
  const weights = take(dOut * dIn * 4);
  const gradient = take(dOut * dIn * 8);
  const partials = take(slots * dOut * dIn * 8);
  const projectionsP = take(batch * dOut * 4);
  const projectionsQ = take(batch * dOut * 4);
  const hinge = take(batch * 8);
  const activeRows = take(batch * 4);
  const slotStats = take(slots * SlotStat.count * 8);
  const kernelScratchBytes = kernelScratchBytesFor(shape, served);
  const kernelScratch = take(slots * kernelScratchBytes);
  return {
    shape, slots, kernels: served, controlWords, kernelControl, control, margin, anchors, positives, negatives, weights, gradient,
    partials, projectionsP, projectionsQ, hinge, activeRows, slotStats, kernelScratchBytes, kernelScratch, byteLength: cursor,
  };
}

/** Typed views over an arena's buffer; cheap to build, built once per thread. */
export interface ArenaViews {
  readonly layout: ArenaLayout;
  readonly buffer: SharedArrayBuffer;
  /** The shared wasm memory whose buffer this is, where the arena fits in wasm32 (4 GiB). */
  readonly memory: WebAssembly.Memory | undefined;
  readonly control: Int32Array;
  readonly margin: Float64Array;
  readonly anchors: Float32Array;
  readonly positives: Float32Array;
  readonly negatives: Float32Array;
  readonly weights: Float32Array;
  readonly gradient: Float64Array;
  readonly projectionsP: Float32Array;
  readonly projectionsQ: Float32Array;
  readonly hinge: Float64Array;
  readonly activeRows: Int32Array;
  readonly slotStats: Float64Array;
  /** The partial gradient of one slot. */
  partial(slot: number): Float64Array;
  /** The kernel scratch of one slot (layout.kernelScratchBytes bytes). */
  scratch(slot: number): Uint8Array;
}

/** Builds the views of a buffer laid out by `layout` (and of the wasm memory behind it, if any). */
export function arenaViews(buffer: SharedArrayBuffer, layout: ArenaLayout, memory?: WebAssembly.Memory): ArenaViews {
  if (buffer.byteLength < layout.byteLength) {
    throw new RangeError(`arena buffer holds ${buffer.byteLength} bytes, layout needs ${layout.byteLength}`);
  }
  const { batch, dIn, dOut } = layout.shape;
  const matrix = dOut * dIn;
  return {
    layout,
    buffer,
    memory,
    control: new Int32Array(buffer, layout.control, layout.controlWords),
    margin: new Float64Array(buffer, layout.margin, 1),
    anchors: new Float32Array(buffer, layout.anchors, batch * dIn),
    positives: new Float32Array(buffer, layout.positives, batch * dIn),
    negatives: new Float32Array(buffer, layout.negatives, batch * dIn),
    weights: new Float32Array(buffer, layout.weights, matrix),
    gradient: new Float64Array(buffer, layout.gradient, matrix),
    projectionsP: new Float32Array(buffer, layout.projectionsP, batch * dOut),
    projectionsQ: new Float32Array(buffer, layout.projectionsQ, batch * dOut),
    hinge: new Float64Array(buffer, layout.hinge, batch),
    activeRows: new Int32Array(buffer, layout.activeRows, batch),
    slotStats: new Float64Array(buffer, layout.slotStats, layout.slots * SlotStat.count),
    partial: (slot) => new Float64Array(buffer, layout.partials + slot * matrix * 8, matrix),
    scratch: (slot) => new Uint8Array(buffer, layout.kernelScratch + slot * layout.kernelScratchBytes, layout.kernelScratchBytes),
  };
}

/** wasm32 addresses at most 65536 pages of 64 KiB. */
const WASM_PAGE_BYTES = 65536;
const WASM_MAX_PAGES = 65536;

/**
 * Shared memory for an arena: a shared WebAssembly.Memory, so that wasm kernels in every
 * worker address the same bytes with no copy; a plain SharedArrayBuffer where the arena
 * is beyond wasm32's 4 GiB or the runtime has no shared wasm memory.
 */
export function allocateArenaMemory(byteLength: number): { buffer: SharedArrayBuffer; memory: WebAssembly.Memory | undefined } {
  const pages = Math.ceil(byteLength / WASM_PAGE_BYTES);
  if (pages <= WASM_MAX_PAGES) {
    try {
      const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
      return { buffer: memory.buffer as unknown as SharedArrayBuffer, memory };
    } catch {
      // No shared wasm memory here (or not this much): the JS kernels need only the buffer.
    }
  }
  return { buffer: new SharedArrayBuffer(byteLength), memory: undefined };
}

/** Allocates an arena for a problem's shape, serving `kernels` (every one by default), and writes the problem into it, once. */
export function createArena(problem: TripletProblem, slots: number, kernels: readonly KernelName[] = ALL_KERNELS): ArenaViews {
  const layout = arenaLayout(problem.shape, slots, kernels);
  const { buffer, memory } = allocateArenaMemory(layout.byteLength);
  const views = arenaViews(buffer, layout, memory);
  views.control[Control.magic] = ARENA_MAGIC;
  views.control[Control.batch] = problem.shape.batch;
  views.control[Control.dIn] = problem.shape.dIn;
  views.control[Control.dOut] = problem.shape.dOut;
  views.control[Control.slots] = slots;
  views.control[Control.kernels] = ALL_KERNELS.reduce((bits, kernel, bit) => (layout.kernels.includes(kernel) ? bits | (1 << bit) : bits), 0);
  writeProblem(views, problem);
  return views;
}

/** Copies a problem of the arena's shape into it (a new batch, W or margin). */
export function writeProblem(views: ArenaViews, problem: TripletProblem): void {
  const { batch, dIn, dOut } = views.layout.shape;
  if (problem.shape.batch !== batch || problem.shape.dIn !== dIn || problem.shape.dOut !== dOut) {
    throw new RangeError('problem shape differs from the arena shape');
  }
  views.anchors.set(problem.anchors);
  views.positives.set(problem.positives);
  views.negatives.set(problem.negatives);
  views.weights.set(problem.weights);
  views.margin[0] = problem.margin;
}

/** Reads the layout back from a buffer's control words (the worker side). */
export function layoutOfBuffer(buffer: SharedArrayBuffer): ArenaLayout {
  const control = new Int32Array(buffer, 0, Control.count);
  if (control[Control.magic] !== ARENA_MAGIC) throw new Error('buffer is not a triplet-bench arena');
  const shape = { batch: control[Control.batch]!, dIn: control[Control.dIn]!, dOut: control[Control.dOut]! };
  const kernels = ALL_KERNELS.filter((_, bit) => (control[Control.kernels]! & (1 << bit)) !== 0);
  return arenaLayout(shape, control[Control.slots]!, kernels);
}
