/**
 * Where a step's time goes: the phases a kernel marks inside its step (forward GEMMs,
 * hinge, mask or gather, backward GEMMs, read-out) and those the harness adds around it
 * (dispatch, barrier wait, reduction), timed with the monotonic clock of the thread or
 * process that runs them. Imported on both sides of the thread boundary and by the tfjs
 * hosts, so the names have one home. They are timed on a few untimed steps after each
 * visit's windows (src/bench/phase-profile.ts), never on a timed step.
 */

/** The phases, in the order a stacked bar draws them (a step's order). */
export const PHASES = ['dispatch', 'forward', 'hinge', 'mask', 'backward', 'readout', 'kernel', 'barrier', 'reduction', 'other'] as const;
export type Phase = (typeof PHASES)[number];

/** Phases a kernel marks itself; the rest the coordinator measures or the sum leaves over. */
export type KernelPhase = 'forward' | 'hinge' | 'mask' | 'backward' | 'readout';

/** What each phase holds, for the page and run.json readers. */
export const PHASE_WORDS: Readonly<Record<Phase, string>> = {
  dispatch: 'from the step\'s start on the main thread to a worker starting its shard (mean over shards)',
  forward: 'u, v and the forward GEMMs P = U W^T, Q = V W^T (the js kernel: with h, block by block)',
  hinge: 'h = |P|^2 - |Q|^2 + alpha',
  mask: 'dense: the mask and its product with P, Q; compact: reading h, listing the active rows and gathering them',
  backward: 'the backward GEMMs P^T U - Q^T V over every row (dense) or the active rows (compact)',
  readout: 'the gradient leaving TensorFlow (dataSync, and the workers\' widening into the f64 partial), tensors freed',
  kernel: 'a worker\'s shard time its kernel does not split: all of the wasm kernel (forward, hinge and backward interleaved block by block in one call) and the worker\'s bookkeeping',
  barrier: 'from the mean shard\'s end to the main thread holding every shard: waiting for the slowest shard, and the message back',
  reduction: 'the slot statistics summed, and the parallel reduction of the partials into the gradient (its dispatch included)',
  other: 'the profiled step less every phase above',
};

/**
 * A stopwatch over a kernel's phases: `mark(phase)` charges the time since the previous
 * mark (or since the clock was made) to `phase`. Kernels take one only on profiled steps.
 */
export class PhaseClock {
  private last = performance.now();
  readonly ms: Partial<Record<KernelPhase, number>> = {};

  mark(phase: KernelPhase): void {
    const now = performance.now();
    this.ms[phase] = (this.ms[phase] ?? 0) + (now - this.last);
    this.last = now;
  }
}

/** One profiled step: its whole time and its phases, ms (a phase absent took no time of its own). */
export interface PhaseSample {
  readonly stepMs: number;
  readonly phases: Partial<Record<Phase, number>>;
}

/** A configuration's phases, as run.json records them. */
export interface PhaseProfile {
  /** Profiled steps taken; the figures are over the middle half of them by step time. */
  readonly steps: number;
  /** Mean step of the middle half, ms. */
  readonly step_ms: number;
  /**
   * Mean of each phase over the same steps, ms. A mean, not a median: means of the parts
   * add up to the mean of the whole, so the bar's segments sum to `step_ms` (medians of
   * parts taken from different steps did not: 40 % apart on a busy machine); the middle
   * half keeps out a step that other work slowed. `other` is what no phase holds: 0 where
   * the harness's barrier is itself the remainder (workers), a host's unmarked time.
   */
  readonly phases_ms: Readonly<Record<Phase, number>>;
}

/** The middle half of the profiled steps by step time: all of them up to three, three of five. */
function middleHalf(samples: readonly PhaseSample[]): PhaseSample[] {
  const sorted = [...samples].sort((a, b) => a.stepMs - b.stepMs);
  const cut = Math.floor(sorted.length / 4);
  return sorted.slice(cut, sorted.length - cut);
}

/** Means per phase over the middle half of the profiled steps; undefined for none. */
export function summarizePhases(samples: readonly PhaseSample[]): PhaseProfile | undefined {
  if (samples.length === 0) return undefined;
  const kept = middleHalf(samples);
  const mean = (f: (s: PhaseSample) => number) => kept.reduce((sum, s) => sum + f(s), 0) / kept.length;
  const stepMs = mean((s) => s.stepMs);
  const phases = {} as Record<Phase, number>;
  let named = 0;
  for (const phase of PHASES) {
    if (phase === 'other') continue;
    phases[phase] = mean((s) => s.phases[phase] ?? 0);
    named += phases[phase];
  }
  phases.other = stepMs - named;
  return { steps: samples.length, step_ms: stepMs, phases_ms: phases };
}
