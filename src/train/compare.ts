/**
 * Time to quality: `train --strategy dense,compact` trains one run per strategy in one
 * process, from the same seed, starting W and batches, their steps alternated (a
 * Turnstile) so a noisy machine slows both alike. Each run's clock counts only its own
 * turns; the held-out margin rate is measured after every epoch, outside that clock. The
 * answer: how long each took to reach a held-out rate (`--target`, or the final rate of
 * the slower run), and the backward work compact skipped.
 *
 * With random negatives both runs draw the same triplets and differ only in the order of
 * floating-point sums, so their trajectories agree to rounding. Semi-hard mining picks
 * negatives from the current W, so a rounding difference can flip a choice and the runs
 * then diverge: the comparison reports the first step whose mined batch differed.
 */
import { performance } from 'node:perf_hooks';
import type { LabelledData } from '../data/dataset.js';
import type { TripletIndices } from '../data/sampler.js';
import { splitHeldOut } from '../data/split.js';
import type { Strategy } from '../domain.js';
import type { Evaluation, StepRecord } from '../report/train-records.js';
import { heldOutTriplets, marginRate } from './held-out.js';
import { train, type TrainConfig, type TrainHooks, type TrainResult } from './loop.js';
import { Turnstile } from './turnstile.js';

/** One strategy's run within a comparison. */
export interface ComparedRun {
  readonly strategy: Strategy;
  readonly result: TrainResult;
  /** Its steps, `elapsed_ms` counting its own turns only. */
  readonly records: readonly StepRecord[];
  readonly evaluations: readonly Evaluation[];
  /** Wall time of its own turns, ms: the time it would have taken alone. */
  readonly ownMs: number;
  /** Time spent in held-out checks, outside ownMs. */
  readonly checkMs: number;
  /** A digest of each step's drawn triplets, and of the triplets it used (after mining). */
  readonly drawnDigests: readonly number[];
  readonly usedDigests: readonly number[];
}

/** Where a run first met the target. */
export interface Reached {
  readonly epoch: number;
  readonly step: number;
  readonly ms: number;
}

/** The comparison's answer. */
export interface Comparison {
  readonly runs: readonly ComparedRun[];
  /** The held-out rate both are timed to; null with no held-out triplets. */
  readonly target: number | null;
  /** Where the target came from: `--target`, or the final rate of the slower run. */
  readonly targetFrom: 'option' | 'slower-final';
  /** Per run, in `runs` order: where it first met the target, or null if it never did. */
  readonly reached: readonly (Reached | null)[];
  /** Whether every run drew the same triplets at every step both made. */
  readonly sameBatches: boolean;
  /** The first step (1-based) whose triplets after mining differed between runs; null if none did. */
  readonly firstMinedDifference: number | null;
  /** Largest relative difference between the runs' losses at the same step. */
  readonly maxLossDifference: number;
}

/** FNV-1a over the triplet indices: equal batches give equal digests. */
export function tripletDigest(triplets: TripletIndices): number {
  let hash = 0x811c9dc5;
  for (const list of [triplets.anchors, triplets.positives, triplets.negatives]) {
    for (const index of list) {
      hash = Math.imul(hash ^ index, 0x01000193) >>> 0;
    }
    hash = Math.imul(hash ^ 0xff, 0x01000193) >>> 0;
  }
  return hash;
}

/** Options of a comparison besides each run's config. */
export interface CompareOptions {
  /** The held-out rate to time; undefined: the final rate of the slower run. */
  readonly target?: number;
  /** Hears every step of every run and the notes, as `train`'s hooks do. */
  readonly onStep?: (record: StepRecord, run: number) => void;
  readonly onStart?: TrainHooks['onStart'];
  readonly onNote?: TrainHooks['onNote'];
  readonly signal?: AbortSignal;
}

/** First evaluation at or above the target. */
function reachedAt(evaluations: readonly Evaluation[], target: number): Reached | null {
  const hit = evaluations.find((e) => e.held_out_rate >= target);
  return hit ? { epoch: hit.epoch, step: hit.step, ms: hit.elapsed_ms } : null;
}

/** Trains one run per strategy, steps alternated, and compares their time to the target. */
export async function compareStrategies(data: LabelledData, config: TrainConfig, strategies: readonly Strategy[], options: CompareOptions = {}): Promise<Comparison> {
  const turnstile = new Turnstile(strategies.length);
  // One run failing stops the others after their step in flight, as a signal would.
  const stopAll = new AbortController();
  const onAbort = () => stopAll.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) stopAll.abort();
  // The held-out triplets train() checks before and after, re-made here for every epoch.
  const split = splitHeldOut(data, config.heldOutShare, config.seed);
  const testTriplets = heldOutTriplets(data, split.heldOut, config.seed);

  const runOne = async (strategy: Strategy, who: number): Promise<ComparedRun> => {
    const records: StepRecord[] = [];
    const evaluations: Evaluation[] = [];
    const drawnDigests: number[] = [];
    const usedDigests: number[] = [];
    let ownMs = 0;
    let checkMs = 0;
    let turnStarted = 0;
    try {
      const result = await train(data, { ...config, strategy }, {
        signal: stopAll.signal,
        onNote: (line) => (who === 0 ? options.onNote?.(line) : undefined),
        beforeStep: async () => {
          await turnstile.take(who);
          turnStarted = performance.now();
        },
        onStart: (info) => {
          if (who === 0) options.onStart?.(info);
        },
        // The first turn also chose the margin, checked the held-out rate and started the
        // pool's threads: the run's clock starts once that is done.
        onPoolOpened: () => (turnStarted = performance.now()),
        onBatch: (_step, drawn, used) => {
          drawnDigests.push(tripletDigest(drawn));
          usedDigests.push(tripletDigest(used));
        },
        onStep: (record) => {
          ownMs += performance.now() - turnStarted;
          const own = { ...record, elapsed_ms: ownMs };
          records.push(own);
          options.onStep?.(own, who);
        },
        onEpoch: (epoch, step, weights, margin) => {
          if (!testTriplets) return;
          const began = performance.now();
          const rate = marginRate(data, testTriplets, weights, config.dOut, margin);
          checkMs += performance.now() - began;
          evaluations.push({ strategy, epoch, step, elapsed_ms: ownMs, held_out_rate: rate });
        },
      });
      if (result.heldOut) evaluations.unshift({ strategy, epoch: 0, step: 0, elapsed_ms: 0, held_out_rate: result.heldOut.before });
      return { strategy, result, records, evaluations, ownMs, checkMs, drawnDigests, usedDigests };
    } catch (error) {
      stopAll.abort();
      throw error;
    } finally {
      turnstile.leave(who);
    }
  };

  const settled = await Promise.allSettled(strategies.map((strategy, who) => runOne(strategy, who)));
  options.signal?.removeEventListener('abort', onAbort);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  const runs = settled.map((s) => (s as PromiseFulfilledResult<ComparedRun>).value);
  const slower = runs.reduce((a, b) => (b.ownMs > a.ownMs ? b : a));
  const target = options.target ?? slower.evaluations.at(-1)?.held_out_rate ?? null;
  const steps = Math.min(...runs.map((r) => r.records.length));
  const first = runs[0]!;
  let sameBatches = runs.every((r) => r.drawnDigests.length === first.drawnDigests.length);
  let firstMinedDifference: number | null = null;
  let maxLossDifference = 0;
  for (let s = 0; s < steps; s++) {
    for (const run of runs.slice(1)) {
      if (run.drawnDigests[s] !== first.drawnDigests[s]) sameBatches = false;
      if (firstMinedDifference === null && run.usedDigests[s] !== first.usedDigests[s]) firstMinedDifference = s + 1;
      const a = first.records[s]!.loss;
      const b = run.records[s]!.loss;
      const scale = Math.max(Math.abs(a), Math.abs(b));
      if (scale > 0) maxLossDifference = Math.max(maxLossDifference, Math.abs(a - b) / scale);
    }
  }
  return {
    runs,
    target,
    targetFrom: options.target === undefined ? 'slower-final' : 'option',
    reached: runs.map((r) => (target === null ? null : reachedAt(r.evaluations, target))),
    sameBatches,
    firstMinedDifference,
    maxLossDifference,
  };
}
