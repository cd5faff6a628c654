/**
 * The Piscina worker entry. Each thread maps the arena once (from workerData) and
 * answers three small messages: warmUp, compute (phase 1) and reduce (phase 2).
 */
// Piscina hands its workerData to the thread unchanged: node's own is the same object, and
// importing it from node (not piscina) keeps Piscina out of the bundled worker file.
import { threadId, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { arenaViews, Control, layoutOfBuffer, SlotStat } from '../src/thread-boundary/arena.js';
import type { ComputeTask, ReduceTask, ShardTiming, WarmUpTask, WorkerBootData } from '../src/thread-boundary/messages.js';
import { PhaseClock } from '../src/phases.js';
import { shardKernels } from './kernels/index.js';
import type { ShardKernel } from './kernels/kernel.js';

const boot = workerData as WorkerBootData;
const views = arenaViews(boot.buffer, layoutOfBuffer(boot.buffer), boot.memory);
const partials = Array.from({ length: views.layout.slots }, (_, slot) => views.partial(slot));
const scratches = Array.from({ length: views.layout.slots }, (_, slot) => views.scratch(slot));
/** Kernels whose declared scratch this arena was checked to hold. */
const fitting = new Set<ShardKernel>();

/** Checks in and waits until every worker of the pool has, so each ran one task. */
export function warmUp(task: WarmUpTask): number {
  const { control } = views;
  Atomics.add(control, Control.warmUpArrivals, 1);
  Atomics.notify(control, Control.warmUpArrivals);
  const deadline = performance.now() + task.timeoutMs;
  for (;;) {
    const arrived = Atomics.load(control, Control.warmUpArrivals);
    if (arrived >= task.participants) return threadId;
    const left = deadline - performance.now();
    if (left <= 0) throw new Error(`warm-up: ${arrived} of ${task.participants} workers arrived in ${task.timeoutMs} ms`);
    Atomics.wait(control, Control.warmUpArrivals, arrived, left);
  }
}

/** Phase 1: this slot's partial gradient and sums over rows [start, end); on a profiled step, its timing. */
export function compute(task: ComputeTask): ShardTiming | undefined {
  const began = performance.now();
  const kernel = shardKernels[task.kernel];
  if (!fitting.has(kernel)) {
    const need = kernel.scratchBytes(views.layout.shape);
    const has = views.layout.kernelScratchBytes;
    if (need > has) throw new Error(`kernel ${task.kernel} needs ${need} bytes of scratch per slot; the arena has ${has}`);
    fitting.add(kernel);
  }
  const { slot, start, end, strategy } = task;
  const phases = task.profile ? new PhaseClock() : undefined;
  const call = { views, slot, partial: partials[slot]!, scratch: scratches[slot]!, start, end, strategy };
  const sums = kernel.run(phases ? { ...call, phases } : call);
  const stat = task.slot * SlotStat.count;
  views.slotStats[stat + SlotStat.lossSum] = sums.lossSum;
  views.slotStats[stat + SlotStat.activeCount] = sums.activeCount;
  views.slotStats[stat + SlotStat.rows] = task.end - task.start;
  const ended = performance.now();
  views.slotStats[stat + SlotStat.computeMs] = ended - began;
  if (!phases) return undefined;
  return { beganAt: performance.timeOrigin + began, endedAt: performance.timeOrigin + ended, phases: phases.ms };
}

/**
 * Phase 2: sums one slice of the gradient's elements across every slot's partial. One pass
 * over the slice: each element is read once from each partial and written once, scaled
 * (a copy, then a pass per further slot, then a scaling pass streamed the slice 2 + T times).
 */
export function reduce(task: ReduceTask): void {
  const { gradient } = views;
  const { start, end, slotCount, scale } = task;
  const first = partials[0]!;
  if (slotCount === 1) {
    for (let e = start; e < end; e++) gradient[e] = scale * first[e]!;
  } else if (slotCount === 2) {
    const second = partials[1]!;
    for (let e = start; e < end; e++) gradient[e] = scale * (first[e]! + second[e]!);
  } else {
    for (let e = start; e < end; e++) {
      let sum = first[e]!;
      for (let slot = 1; slot < slotCount; slot++) sum += partials[slot]![e]!;
      gradient[e] = scale * sum;
    }
  }
}
