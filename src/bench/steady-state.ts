/**
 * Steady state before a window. A configuration's first steps after it opens are slower
 * than its later ones (JIT, caches, a TensorFlow host's thread pool and allocator warming
 * up for its first seconds), and a window that caught them would time the warm-up, not the
 * step. So a configuration is stepped until its step time has settled: the median of the
 * last k steps within `tolerancePct` of the median of the k before, or until the cap. The
 * steps taken are recorded in run.json (`warmup_steps` of each visit).
 */

/** When a series of steps counts as settled, and how long to wait for it. */
export interface SteadyStatePolicy {
  /** Settled when the last k steps' median is within this percent of the k before. */
  readonly tolerancePct: number;
  /** Fewest steps k compared at a time (slow steps). */
  readonly minSteps: number;
  /** Most steps k compared at a time (fast steps). */
  readonly maxSteps: number;
  /** Each group of k steps spans at least this long, so a 2 ms step is judged on more than 6 ms. */
  readonly groupMs: number;
  /** Stop warming after this long, settled or not (the row's note then says so). */
  readonly capMs: number;
}

export const DEFAULT_STEADY_STATE: SteadyStatePolicy = { tolerancePct: 3, minSteps: 3, maxSteps: 20, groupMs: 100, capMs: 3000 };

/** How many steps k one group compares, for steps of about `stepMs`. */
export function groupSize(stepMs: number, policy: SteadyStatePolicy): number {
  return Math.min(policy.maxSteps, Math.max(policy.minSteps, Math.ceil(policy.groupMs / Math.max(stepMs, 1e-3))));
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Whether the last 2k steps of `stepsMs` have settled: the median of the last k within tolerance of the k before. */
export function hasSettled(stepsMs: readonly number[], k: number, tolerancePct: number): boolean {
  if (stepsMs.length < 2 * k) return false;
  const last = medianOf(stepsMs.slice(-k));
  const before = medianOf(stepsMs.slice(-2 * k, -k));
  return Math.abs(last - before) <= (tolerancePct / 100) * before;
}

/** What a warm-up took. */
export interface WarmUp {
  /** Steps taken before the window, the opening's checked steps included. */
  readonly steps: number;
  readonly ms: number;
  /** Whether the steps settled before the cap. */
  readonly settled: boolean;
  /** The median of the last group: the step the window is sized from. */
  readonly stepMs: number;
}

/**
 * Steps (`step` returns each step's ms) until settled or capped, after the steps already
 * taken (`takenMs`, such as the opening's checked steps). `now` is the clock, a test's fake one.
 */
export async function warmUntilSteady(step: () => Promise<number>, takenMs: readonly number[], policy: SteadyStatePolicy, now: () => number): Promise<WarmUp> {
  const steps = [...takenMs];
  const began = now();
  let k = groupSize(medianOf(steps.length > 0 ? steps : [policy.groupMs]), policy);
  while (!hasSettled(steps, k, policy.tolerancePct) && now() - began < policy.capMs) {
    steps.push(await step());
    k = groupSize(medianOf(steps.slice(-policy.minSteps)), policy);
  }
  const settled = hasSettled(steps, k, policy.tolerancePct);
  return { steps: steps.length, ms: now() - began, settled, stepMs: medianOf(steps.slice(-k)) };
}
