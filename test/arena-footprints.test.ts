import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arenaLayout, createArena, kernelScratchBytesFor, layoutOfBuffer } from '../src/thread-boundary/arena.js';
import { openShardedGradient } from '../src/engines/workers/engine.js';
import { ALL_KERNELS, KERNEL_FOOTPRINTS } from '../src/thread-boundary/kernel-footprints.js';
import { maxRelativeError } from '../src/triplet/problem.js';
import { referenceLossAndGradient } from '../src/triplet/reference.js';
import { shardKernels } from '../workers/kernels/index.js';
import { problemOf } from './helpers.js';

const shapes = [{ batch: 8, dIn: 1, dOut: 1 }, { batch: 16, dIn: 65, dOut: 9 }, { batch: 8, dIn: 512, dOut: 128 }];

describe('the arena is sized from the kernels it serves', () => {
  it('reserves each kernel\'s declared scratch, the most of those served, and no more', () => {
    for (const shape of shapes) {
      assert.equal(arenaLayout(shape, 2, ['js', 'empty']).kernelScratchBytes, 0, 'kernels that work elsewhere take none');
      const wasm = KERNEL_FOOTPRINTS.wasm.scratchBytes(shape);
      assert.equal(arenaLayout(shape, 2, ['js', 'wasm']).kernelScratchBytes, Math.ceil(wasm / 64) * 64);
      assert.deepEqual(arenaLayout(shape, 2), arenaLayout(shape, 2, ALL_KERNELS), 'by default it serves every kernel');
      assert.ok(arenaLayout(shape, 2, ['js']).byteLength < arenaLayout(shape, 2).byteLength);
    }
  });

  it('holds, for every kernel, what its worker code says it needs', () => {
    for (const shape of shapes) {
      for (const kernel of ALL_KERNELS) {
        assert.ok(shardKernels[kernel].scratchBytes(shape) <= kernelScratchBytesFor(shape, [kernel]), `${kernel} at ${shape.dIn}x${shape.dOut}`);
      }
    }
  });

  it('gives control words to the kernels that declare them, and the workers read the same layout back', () => {
    const shape = shapes[1]!;
    const withLock = arenaLayout(shape, 2, ['tfjs', 'js']);
    assert.equal(withLock.kernelControl.tfjs, withLock.controlWords - KERNEL_FOOTPRINTS.tfjs.controlWords);
    assert.deepEqual(withLock.kernels, ['js', 'tfjs'], 'in registry order');
    assert.equal(arenaLayout(shape, 2, ['js']).kernelControl.tfjs, undefined);
    for (const kernels of [['js'], ['wasm', 'empty'], ALL_KERNELS] as const) {
      const arena = createArena(problemOf(shape), 2, kernels);
      assert.deepEqual(layoutOfBuffer(arena.buffer), arena.layout, kernels.join(','));
    }
  });

  it('runs a kernel it serves, and refuses one it does not before starting a thread', async () => {
    const problem = problemOf({ batch: 64, dIn: 16, dOut: 8 });
    const arena = createArena(problem, 2, ['js']);
    await assert.rejects(openShardedGradient(arena, 'wasm', 2), /kernel wasm: this arena was laid out for js only/);
    const sharded = await openShardedGradient(arena, 'js', 2);
    try {
      const { gradient } = await sharded.step({ kernel: 'js', strategy: 'dense' });
      assert.ok(maxRelativeError(gradient, referenceLossAndGradient(problem, 'mean').gradient) < 1e-4);
    } finally {
      await sharded.close();
    }
  });
});
