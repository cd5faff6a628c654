/**
 * What the sweep does with the interference measured around each timing window
 * (src/environment/interference.ts): waits for a quiet machine before a window when asked,
 * and flags a row any of whose windows ran while other work kept more than a set share of
 * a core busy, or while the cgroup's CPU quota throttled it. A flagged row keeps its
 * figures (they are what was measured) and gains a note, its results.csv columns and an
 * end-of-run warning: its time is not one to publish. Reading the flag back from a row's
 * columns, and those warnings, is src/report/interference-rows.ts's.
 */
import { startInterference, type WindowInterference } from '../environment/interference.js';

/** How much interference a row may take unflagged, and how long to wait for a quiet machine. */
export interface InterferencePolicy {
  /** Cores other work may keep busy during a window before its row is flagged. */
  readonly maxCores: number;
  /** Before each window, wait up to this long for others to fall below maxCores; 0: do not wait. */
  readonly waitQuietS: number;
}

/**
 * A quarter of a core: a background daemon or a shell stays below it on a quiet server,
 * while one busy process beside the run (a build, a package install) is well above. On a
 * many-core server, another job's share of a core may not touch a low-thread row, but it
 * does touch the rows at the top of the ladder, where every core is the run's.
 */
export const DEFAULT_MAX_INTERFERENCE_CORES = 0.25;

/** The default policy: flag above a quarter core, never wait. */
export const DEFAULT_INTERFERENCE: InterferencePolicy = { maxCores: DEFAULT_MAX_INTERFERENCE_CORES, waitQuietS: 0 };

/** How often waitForQuiet looks: long enough to span 25 ticks per CPU, short enough to start soon. */
export const QUIET_CHECK_MS = 250;

/** One window's figures as run.json keeps them, with the wait before it when --wait-quiet asked for one. */
export interface WindowFigures extends WindowInterference {
  /** Seconds spent waiting for a quiet machine before the window. */
  readonly waited_s?: number;
  /** false when the wait ran out with the machine still busy. */
  readonly quiet_after_wait?: boolean;
}

/** How a wait for a quiet machine ended. */
export interface QuietWait {
  readonly waited_s: number;
  readonly quiet: boolean;
  /** Others' cores at the last check. */
  readonly others_cores: number | null;
}

/** Others' cores over `ms` of this machine, or null where they cannot be measured. */
export async function othersOver(ms: number, signal?: AbortSignal): Promise<number | null> {
  const sampler = startInterference();
  await new Promise<void>((resolve) => {
    // The listener goes with its check: --wait-quiet checks every QUIET_CHECK_MS on one
    // signal, and listeners left behind set off MaxListenersExceededWarning after 3 s.
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
  return sampler.end().others_cores;
}

/**
 * Waits, checking every QUIET_CHECK_MS, until other work keeps fewer than
 * `policy.maxCores` busy or `policy.waitQuietS` has passed (as pyperf checks a system
 * before trusting it). `onWait` hears one line when it starts waiting and one when it
 * gives up. undefined when waiting is off; a machine whose figures cannot be read counts
 * as quiet (nothing to wait for that could be seen).
 */
export async function waitForQuiet(
  policy: InterferencePolicy,
  options: { onWait?: (line: string) => void; signal?: AbortSignal; measure?: (ms: number) => Promise<number | null> } = {},
): Promise<QuietWait | undefined> {
  if (!(policy.waitQuietS > 0)) return undefined;
  const measure = options.measure ?? ((ms: number) => othersOver(ms, options.signal));
  // Elapsed time counts checks, so that a wait is bounded by its checks, not by a clock a test must fake.
  const maxChecks = Math.max(1, Math.ceil((policy.waitQuietS * 1000) / QUIET_CHECK_MS));
  let others: number | null = null;
  for (let check = 1; check <= maxChecks; check++) {
    others = await measure(QUIET_CHECK_MS);
    const waited = round((check * QUIET_CHECK_MS) / 1000);
    if (others === null || others <= policy.maxCores || options.signal?.aborted) return { waited_s: waited, quiet: true, others_cores: others };
    if (check === 1) {
      options.onWait?.(`waiting up to ${policy.waitQuietS} s for a quiet machine: other processes keep ${others.toFixed(2)} cores busy (--max-interference ${policy.maxCores})`);
    }
  }
  options.onWait?.(`machine still busy after ${policy.waitQuietS} s (other processes: ${others!.toFixed(2)} cores): timing anyway, the row will say so`);
  return { waited_s: round(maxChecks * QUIET_CHECK_MS / 1000), quiet: false, others_cores: others };
}

const round = (value: number) => Number(value.toFixed(3));

/** A row's interference columns and its note, from the figures of all its windows. */
export interface RowInterference {
  /** The largest others' cores over its windows: the row is flagged when any window exceeded the limit. */
  readonly interference_cores: number | null;
  readonly interference_limit: number;
  /** Throttled periods summed over its windows. */
  readonly throttled_periods: number | null;
  /** What to append to the row's note; '' when unflagged. */
  readonly note: string;
}

/** Sums or maxima of a figure over windows; null when no window has it. */
function over(windows: readonly WindowFigures[], pick: (w: WindowFigures) => number | null, fold: (a: number, b: number) => number): number | null {
  const values = windows.map(pick).filter((value): value is number => value !== null);
  return values.length === 0 ? null : values.reduce(fold);
}

/** The columns and note of a row measured in `windows` under `policy`. */
export function rowInterference(windows: readonly WindowFigures[], policy: InterferencePolicy): RowInterference {
  const cores = over(windows, (w) => w.others_cores, (a, b) => Math.max(a, b));
  const throttled = over(windows, (w) => w.throttled_periods, (a, b) => a + b);
  const throttledMs = over(windows, (w) => w.throttled_ms, (a, b) => a + b);
  const reasons: string[] = [];
  if (cores !== null && cores > policy.maxCores) {
    reasons.push(`other processes kept up to ${cores.toFixed(2)} cores busy during its windows (interference_cores; limit --max-interference ${policy.maxCores})`);
  }
  if (throttled !== null && throttled > 0) {
    reasons.push(`its cgroup's CPU quota throttled it in ${throttled} periods (${(throttledMs ?? 0).toFixed(0)} ms; throttled_periods)`);
  }
  if (windows.some((w) => w.quiet_after_wait === false)) reasons.push(`the machine was still busy after --wait-quiet ${policy.waitQuietS} s`);
  return {
    interference_cores: cores,
    interference_limit: policy.maxCores,
    throttled_periods: throttled,
    note: reasons.length === 0 ? '' : `interference: ${reasons.join('; ')}`,
  };
}

/** Joins notes with '; ' (a row's note is shared by everything that has something to say). */
export function joinNotes(...notes: readonly string[]): string {
  return notes.filter((note) => note !== '').join('; ');
}
