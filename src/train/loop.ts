/**
 * The training loop: SGD on the linear embedding W with the sharded gradient. Each step
 * draws B triplets from the training split (one pass over its anchors is an epoch),
 * optionally mines their negatives, writes batch and W into the pool's arena, steps the
 * pool and updates W. It stops early after an epoch in which no triplet was active:
 * every gradient of that pass was zero, so the computation can stop.
 */
import { performance } from 'node:perf_hooks';
import { createArena } from '../thread-boundary/arena.js';
import type { ShardedGradient } from '../engines/workers/coordinator.js';
import type { LabelledData } from '../data/dataset.js';
import { mineSemihard, type Mining } from '../data/mining.js';
import { gatherTriplets, glorotWeights, TripletSampler, type TripletIndices } from '../data/sampler.js';
import { splitHeldOut } from '../data/split.js';
import { openShardedGradient } from '../engines/workers/engine.js';
import { backwardFlops } from '../model/flops.js';
import { marginForFraction } from '../triplet/margin.js';
import type { Reduction, TripletProblem } from '../triplet/problem.js';
import { tripletSlacks } from '../triplet/reference.js';
import type { MarginChoice } from '../triplet/synthetic.js';
import type { StepRecord } from '../report/train-records.js';
import { heldOutTriplets, marginRate } from './held-out.js';
import type { KernelName, Strategy } from '../domain.js';
import { DivergenceWatch } from './divergence.js';
import { activeTargetWarnings } from '../checks/quiet-mismatches.js';

/** Everything a training run is made of, resolved. */
export interface TrainConfig {
  readonly kernel: KernelName;
  readonly strategy: Strategy;
  readonly threads: number;
  readonly lr: number;
  /** Total steps; undefined: `epochs` passes. */
  readonly steps: number | undefined;
  readonly epochs: number;
  readonly batch: number;
  readonly dOut: number;
  /** A fixed margin, or the active fraction it is chosen for on the first batch at the starting W. */
  readonly margin: MarginChoice;
  readonly seed: number;
  readonly mining: Mining;
  /** Share of each label's samples held out of training. */
  readonly heldOutShare: number;
  readonly reduction: Reduction;
}

/** Why the loop ended. */
export type StopReason = 'steps' | 'epochs' | 'no-active-triplets' | 'interrupted';

/** What a run gives back besides its step records. */
export interface TrainResult {
  readonly records: StepRecord[];
  readonly margin: number;
  readonly batch: number;
  readonly stepsPerEpoch: number;
  readonly trainSamples: number;
  readonly heldOutSamples: number;
  readonly stoppedBy: StopReason;
  /** Share of held-out triplets meeting the margin; undefined when the held-out split makes none. */
  readonly heldOut: { readonly triplets: number; readonly before: number; readonly after: number } | undefined;
  readonly weights: Float32Array;
}

/** Callbacks as the run goes. */
export interface TrainHooks {
  onStart?(info: { batch: number; stepsPerEpoch: number; totalSteps: number; margin: number; trainSamples: number; heldOutSamples: number }): void;
  onStep?(record: StepRecord, all: readonly StepRecord[]): void;
  onNote?(line: string): void;
  /** A setting that makes the run mean less than asked (a margin <= 0, no held-out triplets). */
  onWarning?(line: string): void;
  /** Awaited before each step draws its batch: a comparison (src/train/compare.ts) takes turns here. */
  beforeStep?(step: number): Promise<void>;
  /** The triplets a step drew, and those it used once mined (the same object without mining). */
  onBatch?(step: number, drawn: TripletIndices, used: TripletIndices): void;
  /** The pool has started (during the first step): a comparison starts its clocks here. */
  onPoolOpened?(): void;
  /** After each epoch's last step, with the weights and margin at that point (held-out checks). */
  onEpoch?(epoch: number, step: number, weights: Float32Array, margin: number): void;
  /** Aborted: stop after the step in flight. */
  signal?: AbortSignal;
}

/** Runs the whole training; the pool opens once and is closed however the loop ends. */
export async function train(data: LabelledData, config: TrainConfig, hooks: TrainHooks = {}): Promise<TrainResult> {
  const { dIn } = data;
  const { dOut, seed } = config;
  const split = splitHeldOut(data, config.heldOutShare, seed);
  const sampler = new TripletSampler(data, split.train, seed);
  const batch = Math.min(config.batch, sampler.anchorPool.length);
  if (batch < config.batch) hooks.onNote?.(`--batch ${config.batch} is more than the ${sampler.anchorPool.length} training samples: batches of ${batch}`);
  const stepsPerEpoch = Math.floor(sampler.anchorPool.length / batch);
  const totalSteps = config.steps ?? config.epochs * stepsPerEpoch;
  const shape = { batch, dIn, dOut };

  const w64 = Float64Array.from(glorotWeights(dIn, dOut, seed));
  let w32 = Float32Array.from(w64);
  const testTriplets = heldOutTriplets(data, split.heldOut, seed);
  if (config.heldOutShare > 0 && !testTriplets) {
    hooks.onWarning?.(`--held-out ${config.heldOutShare} holds out ${split.heldOut.length === 0 ? 'no sample' : 'no two samples of one label'} (labels too small to spare any with two kept for training): no held-out rate`);
  }

  let margin = 'margin' in config.margin ? config.margin.margin : Number.NaN;
  const records: StepRecord[] = [];
  let sharded: ShardedGradient | undefined;
  let stoppedBy: StopReason = config.steps === undefined ? 'epochs' : 'steps';
  let heldOutBefore = Number.NaN;
  const divergence = new DivergenceWatch(config.lr);
  const started = performance.now();
  try {
    for (let epoch = 0, step = 0; step < totalSteps; epoch++) {
      const order = sampler.epochOrder();
      let epochActive = 0;
      let epochSteps = 0;
      for (let s = 0; s < stepsPerEpoch && step < totalSteps; s++, step++, epochSteps++) {
        if (hooks.signal?.aborted) break;
        await hooks.beforeStep?.(step);
        const drawn = sampler.tripletsFor(order.slice(s * batch, (s + 1) * batch));
        let triplets = drawn;
        if (step === 0 && 'activeFraction' in config.margin) {
          // The margin is chosen once, on the first (unmined) batch at the starting W, then fixed.
          const first = { shape, ...gatherTriplets(data, triplets), weights: w32, margin: 0 };
          margin = marginForFraction(tripletSlacks(first), config.margin.activeFraction);
        }
        if (step === 0) {
          if ('activeFraction' in config.margin) for (const line of activeTargetWarnings([batch], [config.margin.activeFraction])) hooks.onWarning?.(line);
          if (!(margin > 0)) hooks.onWarning?.(`margin ${margin} <= 0: W shrunk to 0 then meets every triplet, so the loss can reach 0 without learning anything`);
          heldOutBefore = testTriplets ? marginRate(data, testTriplets, w32, dOut, margin) : Number.NaN;
          hooks.onStart?.({ batch, stepsPerEpoch, totalSteps, margin, trainSamples: split.train.length, heldOutSamples: split.heldOut.length });
        }
        const mineStart = performance.now();
        if (config.mining === 'semihard') triplets = mineSemihard(data, triplets, w32, dOut);
        const mineMs = config.mining === 'semihard' ? performance.now() - mineStart : 0;
        hooks.onBatch?.(step, drawn, triplets);

        const problem: TripletProblem = { shape, ...gatherTriplets(data, triplets), weights: w32, margin };
        if (sharded) sharded.load(problem);
        else {
          sharded = await openShardedGradient(createArena(problem, config.threads, [config.kernel]), config.kernel, config.threads);
          hooks.onPoolOpened?.();
        }

        const stepStart = performance.now();
        const result = await sharded.step({ kernel: config.kernel, strategy: config.strategy, reduction: config.reduction });
        const stepMs = performance.now() - stepStart;
        for (let e = 0; e < w64.length; e++) w64[e] = w64[e]! - config.lr * result.gradient[e]!;
        w32 = Float32Array.from(w64);
        divergence.check(step + 1, result.loss, w32);

        epochActive += result.activeCount;
        const dense = backwardFlops(batch, dIn, dOut);
        const compact = backwardFlops(result.activeCount, dIn, dOut);
        const record: StepRecord = {
          strategy: config.strategy,
          step: step + 1,
          epoch: epoch + 1,
          batch,
          margin,
          loss: result.loss,
          active_count: result.activeCount,
          active_fraction: result.activeCount / batch,
          backward_flops_dense: dense,
          backward_flops_compact: compact,
          skipped_share: 1 - compact / dense,
          step_ms: stepMs,
          mine_ms: mineMs,
          elapsed_ms: performance.now() - started,
        };
        records.push(record);
        hooks.onStep?.(record, records);
      }
      if (epochSteps > 0) hooks.onEpoch?.(epoch + 1, step, w32, margin);
      if (hooks.signal?.aborted) {
        stoppedBy = 'interrupted';
        break;
      }
      if (epochSteps === stepsPerEpoch && epochActive === 0) {
        stoppedBy = 'no-active-triplets';
        break;
      }
    }
  } finally {
    await sharded?.close();
  }
  const heldOut = testTriplets
    ? { triplets: testTriplets.anchors.length, before: heldOutBefore, after: marginRate(data, testTriplets, w32, dOut, margin) }
    : undefined;
  return {
    records, margin, batch, stepsPerEpoch, trainSamples: split.train.length, heldOutSamples: split.heldOut.length, stoppedBy, heldOut, weights: w32,
  };
}
