/**
 * The `empty` kernel: the same dispatch, partial slot and reduction as a real kernel,
 * with no arithmetic, so its step time is the harness's own overhead.
 */
import type { ShardKernel } from './kernel.js';

export const emptyKernel: ShardKernel = {
  scratchBytes: () => 0,
  run({ partial }) {
    // A real kernel overwrites its partial too; zeroing keeps the reduction honest.
    partial.fill(0);
    return { lossSum: 0, activeCount: 0 };
  },
};
