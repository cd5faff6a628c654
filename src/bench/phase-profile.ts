/**
 * Where a configuration's step time goes (src/phases.ts), timed on a few extra steps after
 * its first visit's windows and closing check (src/bench/sweep.ts): the timed windows never run a profiled step, so
 * the marks cannot change a row's timing figures; what they cost is those steps' time in
 * the visit. A profiled step runs the same ops as a timed one, with a clock read between
 * phases (a few microseconds) and, in the workers, a small answer per shard.
 */
import type { EngineSession, TimingWindow } from '../engines/engine.js';
import type { PhaseSample } from '../phases.js';
import { median } from './statistics.js';

/** Most profiled steps a visit takes. */
export const PHASE_STEPS = 5;
/** A visit's profiled steps stop at this many ms of steps (always one at least): a 3 s step is profiled once a visit. */
export const PHASE_BUDGET_MS = 250;

/** How many steps a visit profiles for a step of `stepMs`. */
export function phaseSteps(stepMs: number): number {
  if (!(stepMs > 0)) return 1;
  return Math.max(1, Math.min(PHASE_STEPS, Math.floor(PHASE_BUDGET_MS / stepMs)));
}

/** The visit's profiled steps, as many as its windows' median step allows; none where the engine cannot time its phases. */
export async function profilePhases(session: EngineSession, windows: readonly TimingWindow[]): Promise<readonly PhaseSample[]> {
  if (!session.profilePhases) return [];
  const samples = windows.flatMap((w) => w.samplesMs);
  return session.profilePhases(phaseSteps(samples.length > 0 ? median(samples) : 0));
}
