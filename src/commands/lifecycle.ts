/**
 * The end of a long command, written once for `run` and `train`: the first Ctrl-C (or
 * SIGTERM, SIGHUP, SIGQUIT) stops the work in flight, the files are saved with the run's
 * status and the page is drawn from them, the outcome printed, and the exit code is 128 +
 * the signal's number; a second signal marks the run interrupted, hands the terminal back
 * and exits at once (src/interrupts.ts). A failure, of the work or of the final save, saves
 * what was finished as `failed`, draws that page where it can, and lets the error through.
 *
 * The status and the exit code always tell the same story (issue 23, item 12): a first
 * signal that arrives after the work ended (during the final save) interrupted nothing,
 * every configuration was measured, so the run ends `completed`, exit 0, after a line
 * saying so; a second signal then exits at once and the run is `interrupted`, 128 + n.
 */
import { StopOnSignal, type StopSignal } from '../interrupts.js';

/** How a command's work ended, when it did not fail. */
export type EndStatus = 'completed' | 'interrupted';

/** What a command does at each point of its lifecycle. */
export interface CommandLifecycle<T> {
  /** Told of the first signal: one line for the user on what happens now. */
  onFirstSignal(signal: StopSignal): void;
  /**
   * Called synchronously on the second signal, just before the exit: mark the run
   * interrupted. `release` follows, so the terminal is handed back and the lock removed.
   */
  onSecondSignal?(signal: StopSignal): void;
  /** The work; stops early, keeping what finished, once `signal` aborts. */
  work(signal: AbortSignal): Promise<T>;
  /** Saves the final files and draws the page: the work completed or was interrupted. */
  save(result: T, status: EndStatus): Promise<void>;
  /** Saves what was finished with the status `failed` and `error`, and its page; an error here is dropped, the run's wins. */
  saveFailed(error: unknown): Promise<void>;
  /** Runs once the work ended, however: hands the terminal back (progress bars), releases the output folder. Called at most once. */
  release(): void;
  /** Prints the outcome, after `release`. */
  print(result: T, status: EndStatus): void;
  /** A line for the user that must not be torn by a progress bar. */
  log?(line: string): void;
}

/** Where a lifecycle's signals come from, and a test's seam. */
export interface LifecycleOptions {
  /** Signals listened for since the command began (listenFromStart); the caller disposes it. */
  readonly stop?: StopOnSignal;
  /**
   * Awaited after the work ended and before the final save: a test's seam that holds the
   * run there (test/inject/cli.ts, --hold-after-work) so that a second signal lands in the
   * ending on demand instead of by chance (issue 23, item 13).
   */
  readonly afterWork?: () => Promise<void>;
}

/**
 * Listens for the stop signals from the start of a command, before its first write: a
 * signal in its first second no longer kills it with a lock file left and no message
 * (issue 23, item 12). The lifecycle takes the signals over; `stoppedEarly` ends a command
 * stopped before it wrote anything.
 */
export async function withStopSignals<T>(body: (stop: StopOnSignal) => Promise<T>): Promise<T> {
  const stop = new StopOnSignal({ onFirst: (signal) => console.error(`${signal}: stopping before the first measurement (again to quit at once)`) });
  try {
    return await body(stop);
  } finally {
    stop.dispose();
  }
}

/** Whether a signal came before the command wrote anything: then it ends there, with 128 + n. */
export function stoppedEarly(stop: StopOnSignal): boolean {
  if (stop.exitCode === undefined) return false;
  process.exitCode = stop.exitCode;
  return true;
}

/** Runs a command through its lifecycle; sets process.exitCode after a signal. */
export async function runLifecycle<T>(command: CommandLifecycle<T>, options: LifecycleOptions = {}): Promise<void> {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    command.release();
  };
  const log = (line: string) => (command.log ? command.log(line) : console.error(line));
  let ended = false;
  const handlers = {
    onFirst: (signal: StopSignal) => {
      if (ended) log(`${signal}: every configuration had finished; saving the files, then exiting (again to quit at once)`);
      else command.onFirstSignal(signal);
    },
    onSecond: (signal: StopSignal) => {
      command.onSecondSignal?.(signal);
      // Before the exit: a progress bar leaves the cursor hidden and line wrap off until stopped.
      release();
    },
  };
  const own = options.stop === undefined;
  const stop = options.stop ?? new StopOnSignal(handlers);
  if (!own) stop.rebind(handlers);
  // A signal before the lifecycle began was told by listenFromStart's line; the work sees the abort at once.
  let result: T;
  let status: EndStatus;
  try {
    result = await command.work(stop.signal);
    const stoppedBy = stop.stoppedBy;
    ended = true;
    status = stoppedBy ? 'interrupted' : 'completed';
    await options.afterWork?.();
    await command.save(result, status);
  } catch (error) {
    await command.saveFailed(error).catch(() => undefined);
    throw error;
  } finally {
    release();
    if (own) stop.dispose();
  }
  command.print(result, status);
  if (status === 'interrupted') process.exitCode = stop.exitCode;
}
