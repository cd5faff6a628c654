/**
 * A configuration that makes no progress must not hang the sweep (or verify): every
 * warm-up, step, timing window and close of an engine session gets a deadline, and a
 * session that misses one ends as `errored` naming the phase it was stuck in.
 *
 * Step deadlines scale with the step: before any step is measured, from the FLOP model
 * (src/model/flops.ts) at a rate far below any engine's on a loaded machine, so a legitimately
 * slow step (tfjs-cpu autograd on the full profile) is never cut; then from the slowest
 * step measured. Opening (a pool's warm-up rendezvous, a tfjs host's start) gets a fixed,
 * generous deadline. A thread stuck in native code may not honour terminate(): a close
 * that does not end in time abandons the session (its threads run on) and says so; the
 * command then ends its process rather than wait on them.
 *
 * Time the command itself spent stopped (Ctrl-Z, SIGSTOP of the job) is added to every
 * deadline (./stopped-clock.ts): a pause is not a hang, and must not cost the row.
 */
import type { EngineConfig, EngineSession } from '../engines/engine.js';
import { stepFlops, type FlopShape } from '../model/flops.js';
import { stoppedMs, watchForStops } from './stopped-clock.js';

/** Deadlines of a watched session. */
export interface WatchdogPolicy {
  /** Opening a configuration: pool start and warm-up task, or a tfjs host's start and warm-up, ms. */
  readonly warmUpMs: number;
  /** The least any step is allowed, ms. */
  readonly minStepMs: number;
  /** A step may take this many times the slowest step measured so far. */
  readonly stepFactor: number;
  /** FLOP/s assumed of a step not yet measured: far below any engine's, even on a loaded machine. */
  readonly conservativeFlopsPerS: number;
  /** Closing a session (ending its threads or child process), ms; past it the session is abandoned. */
  readonly closeMs: number;
}

/** The product's deadlines. */
export const DEFAULT_WATCHDOG: WatchdogPolicy = {
  warmUpMs: 180_000,
  minStepMs: 60_000,
  stepFactor: 20,
  conservativeFlopsPerS: 5e6,
  closeMs: 15_000,
};

/** No progress within a deadline: the message names the phase and the deadline. */
export class Stalled extends Error {
  override readonly name = 'Stalled';
  constructor(
    readonly phase: string,
    readonly deadlineMs: number,
    why: string,
  ) {
    super(`no progress in ${phase} within ${formatSeconds(deadlineMs)} (${why})`);
  }
}

/** Sessions abandoned in this process (threads or children that did not end). */
let abandoned = 0;

/** How many sessions this process abandoned: a command that abandoned any must end its process. */
export function abandonedSessions(): number {
  return abandoned;
}

function formatSeconds(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * `work`, or a Stalled rejection after `ms` of this process running (time it spent
 * stopped is added); the timer never keeps the process alive.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, phase: string, why: string): Promise<T> {
  watchForStops();
  return new Promise<T>((resolve, reject) => {
    let counted = stoppedMs();
    let timer: NodeJS.Timeout;
    const expire = () => {
      // Stopped meanwhile: the deadline moves by that long.
      const extra = stoppedMs() - counted;
      counted += extra;
      if (extra > 0) timer = setTimeout(expire, extra);
      else reject(new Stalled(phase, ms, why));
    };
    timer = setTimeout(expire, ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** The deadline of the next step: from the slowest measured step, else from the FLOP model. */
export function stepDeadlineMs(policy: WatchdogPolicy, shape: FlopShape, config: Pick<EngineConfig, 'formulation' | 'strategy'>, slowestMs: number | undefined): { ms: number; why: () => string } {
  if (slowestMs !== undefined) {
    const ms = Math.max(policy.minStepMs, policy.stepFactor * slowestMs);
    // `why` is only written when a step misses its deadline: formatting it every step would cost time inside the window.
    return { ms, why: () => `${policy.stepFactor} x the slowest step so far, ${slowestMs.toFixed(1)} ms, at least ${formatSeconds(policy.minStepMs)}` };
  }
  // Every triplet active: the most work the step can be.
  const flops = stepFlops(config.formulation, config.strategy, shape, shape.batch);
  const ms = Math.max(policy.minStepMs, (policy.stepFactor * 1000 * flops) / policy.conservativeFlopsPerS);
  return { ms, why: () => `estimated from ${flops.toExponential(2)} FLOPs at ${policy.conservativeFlopsPerS / 1e6} MFLOP/s x ${policy.stepFactor}, at least ${formatSeconds(policy.minStepMs)}` };
}

/**
 * Opens a session under the watchdog: `opening` within the warm-up deadline, then every
 * step, timing window and close within theirs. A close past its deadline abandons the
 * session and rejects with what was stuck and that its threads or process run on.
 */
export async function openWatched(opening: Promise<EngineSession>, shape: FlopShape, config: EngineConfig, policy: WatchdogPolicy = DEFAULT_WATCHDOG): Promise<EngineSession> {
  let session: EngineSession;
  try {
    session = await withDeadline(opening, policy.warmUpMs, 'warm-up (opening the pool or tfjs host)', 'a fixed deadline');
  } catch (error) {
    // Stuck opening: close the session whenever it finishes opening, if ever.
    if (error instanceof Stalled) opening.then((late) => late.close(), () => undefined).catch(() => undefined);
    throw error;
  }
  let steps = 0;
  let slowestMs: number | undefined;
  let stall: Stalled | undefined;
  const noted = (error: unknown) => {
    if (error instanceof Stalled) stall ??= error;
    throw error;
  };
  // One timer for all steps, re-armed only when it fires or a shorter deadline comes: a
  // timer per step would add microseconds to every timed step, as much as a whole
  // empty-kernel step. The deadline is recomputed only when the slowest step changes.
  let inFlight: { readonly deadlineAt: number; readonly stoppedAt: number; readonly fail: () => void } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Number.POSITIVE_INFINITY;
  const arm = (at: number) => {
    clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(check, Math.max(0, at - performance.now()));
  };
  const check = () => {
    timer = undefined;
    timerAt = Number.POSITIVE_INFINITY;
    if (!inFlight) return;
    // Time this process spent stopped since the step began moves its deadline.
    const deadlineAt = inFlight.deadlineAt + (stoppedMs() - inFlight.stoppedAt);
    if (deadlineAt <= performance.now()) inFlight.fail();
    else arm(deadlineAt);
  };
  let deadline = stepDeadlineMs(policy, shape, config, undefined);
  return {
    step: () =>
      new Promise<Awaited<ReturnType<EngineSession['step']>>>((resolve, reject) => {
        const step = ++steps;
        const { ms, why } = deadline;
        const began = performance.now();
        const mine = {
          deadlineAt: began + ms,
          stoppedAt: stoppedMs(),
          fail: () => {
            const stalled = new Stalled(`step ${step}`, ms, why());
            stall ??= stalled;
            reject(stalled);
          },
        };
        inFlight = mine;
        if (timer === undefined || mine.deadlineAt < timerAt) arm(mine.deadlineAt);
        session.step().then(
          (outcome) => {
            if (inFlight === mine) inFlight = undefined;
            const took = performance.now() - began;
            if (slowestMs === undefined || took > slowestMs) {
              slowestMs = took;
              deadline = stepDeadlineMs(policy, shape, config, slowestMs);
            }
            resolve(outcome);
          },
          (error: unknown) => {
            if (inFlight === mine) inFlight = undefined;
            reject(error);
          },
        );
      }),
    ...(session.time
      ? {
          time: (options: Parameters<NonNullable<EngineSession['time']>>[0]) => {
            // The window runs its steps elsewhere (a tfjs host): its budget, then its minimum steps at their deadline.
            const step = stepDeadlineMs(policy, shape, config, slowestMs ?? options.stepMs);
            const ms = 2 * options.budgetMs + (options.minSamples + 2) * step.ms;
            const pending = session.time!(options);
            pending.catch(() => undefined);
            return withDeadline(pending, ms, 'the timing window', `twice its ${options.budgetMs} ms budget plus ${options.minSamples + 2} steps at ${formatSeconds(step.ms)}`).catch(noted);
          },
        }
      : {}),
    ...(session.profilePhases
      ? {
          // A few steps after the windows (phase-profile.ts): each at a step's deadline.
          profilePhases: (steps: number) => {
            const pending = session.profilePhases!(steps);
            pending.catch(() => undefined);
            return withDeadline(pending, (steps + 1) * deadline.ms, 'profiling its phases', `${steps + 1} steps at ${formatSeconds(deadline.ms)}`).catch(noted);
          },
        }
      : {}),
    // A copy of W into the arena or one message to a host: a step's deadline is ample.
    setWeights: (weights: Float32Array) => withDeadline(session.setWeights(weights), deadline.ms, 'setting W', deadline.why()).catch(noted),
    close: async () => {
      clearTimeout(timer);
      inFlight = undefined;
      try {
        await withDeadline(session.close(), policy.closeMs, 'closing', 'ending its threads or process');
      } catch (error) {
        if (!(error instanceof Stalled)) throw error;
        abandoned++;
        const stuck = stall ? `${stall.message}; ` : '';
        throw new Error(`${stuck}its threads or process did not end within ${formatSeconds(policy.closeMs)} of terminate(): abandoned, still running`);
      }
      // Closed in time: the stuck step's threads or child were ended. The Stalled error is
      // still on its way to the row (the caller closes before rethrowing): complete its note.
      if (stall) stall.message += '; its threads or process were ended';
    },
  };
}
