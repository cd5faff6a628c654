/**
 * The `tfjs` kernel: each worker loads tfjs-node (with one intra-op thread, set by the
 * main thread before the pool starts) and computes its shard with native ops: data
 * parallelism over single-threaded native kernels, against TensorFlow's own intra-op
 * parallelism. Rows are read from the arena into tensors; the partial is written back.
 */
import type * as tfType from '@tensorflow/tfjs-core';
import { tfjsStep } from '../../src/engines/tfjs/gradient.js';
import { requireTfjsNode } from '../../src/engines/tfjs/load.js';
import type { ArenaViews } from '../../src/arena.js';
import type { Strategy } from '../../src/messages.js';
import type { ShardKernel, ShardSums } from './kernel.js';

let tf: typeof tfType | undefined;

export const tfjsKernel: ShardKernel = {
  scratchBytes: () => 0,
  run: ({ views, partial, start, end, strategy }) => tfjsShard(views, partial, start, end, strategy),
};

function tfjsShard(views: ArenaViews, partial: Float64Array, start: number, end: number, strategy: Strategy): ShardSums {
  tf ??= requireTfjsNode();
  const { batch, dIn, dOut } = views.layout.shape;
  const rows = end - start;
  if (rows === 0) {
    partial.fill(0);
    return { lossSum: 0, activeCount: 0 };
  }
  const t = tf;
  const shard = (matrix: Float32Array) => t.tensor2d(matrix.subarray(start * dIn, end * dIn), [rows, dIn]);
  const tensors = {
    anchors: shard(views.anchors),
    positives: shard(views.positives),
    negatives: shard(views.negatives),
    weights: t.tensor2d(views.weights, [dOut, dIn]),
  };
  try {
    const result = tfjsStep(t, tensors, { margin: views.margin[0]!, formulation: 'fused', strategy, reduction: 'none', batch });
    // With no reduction the gradient is d(sum L_i)/dW = 2 x the partial sum the reduction expects.
    const gradient = result.gradient;
    for (let e = 0; e < gradient.length; e++) partial[e] = 0.5 * gradient[e]!;
    views.hinge.set(result.hinge, start);
    return { lossSum: result.lossSum, activeCount: result.activeCount };
  } finally {
    for (const tensor of Object.values(tensors)) tensor.dispose();
  }
}
