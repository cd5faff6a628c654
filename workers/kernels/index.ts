/** Every in-worker kernel, registered from one list. */
import { emptyKernel } from './empty.js';
import { jsKernel } from './js.js';
import { tfjsKernel } from './tfjs.js';
import type { ShardKernel } from './kernel.js';
import { wasmKernel } from './wasm.js';
import type { KernelName } from '../../src/domain.js';

export const shardKernels: Record<KernelName, ShardKernel> = {
  js: jsKernel,
  wasm: wasmKernel,
  tfjs: tfjsKernel,
  empty: emptyKernel,
};
