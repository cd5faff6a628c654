/**
 * The end of a long command, written once for `run` and `train`: the first Ctrl-C (or
 * SIGTERM) stops the work in flight, the files are saved with the run's status and the
 * page is drawn from them, the outcome printed, and the exit code is 128 + the signal's
 * number; a second signal marks the run interrupted and exits at once (src/interrupts.ts).
 * A failure, of the work or of the final save, saves what was finished as `failed`, draws
 * that page where it can, and lets the error through.
 */
import { StopOnSignal, type StopSignal } from '../interrupts.js';

/** How a command's work ended, when it did not fail. */
export type EndStatus = 'completed' | 'interrupted';

/** What a command does at each point of its lifecycle. */
export interface CommandLifecycle<T> {
  /** Told of the first signal: one line for the user on what happens now. */
  onFirstSignal(signal: StopSignal): void;
  /** Called synchronously on the second signal, just before the exit: mark the run interrupted. */
  onSecondSignal?(signal: StopSignal): void;
  /** The work; stops early, keeping what finished, once `signal` aborts. */
  work(signal: AbortSignal): Promise<T>;
  /** Saves the final files and draws the page: the work completed or was interrupted. */
  save(result: T, status: EndStatus): Promise<void>;
  /** Saves what was finished with the status `failed` and `error`, and its page; an error here is dropped, the run's wins. */
  saveFailed(error: unknown): Promise<void>;
  /** Runs once the work ended, however: hands the terminal back (progress bars), releases the output folder. */
  release(): void;
  /** Prints the outcome, after `release`. */
  print(result: T, status: EndStatus): void;
}

/** A test's seam into a lifecycle. */
export interface LifecycleOptions {
  /**
   * Awaited after the work ended and before the final save: a test's seam that holds the
   * run there (test/inject/cli.ts, --hold-after-work) so that a second signal lands in the
   * ending on demand instead of by chance (issue 23, item 13).
   */
  readonly afterWork?: () => Promise<void>;
}

/** Runs a command through its lifecycle; sets process.exitCode after a signal. */
export async function runLifecycle<T>(command: CommandLifecycle<T>, options: LifecycleOptions = {}): Promise<void> {
  const stop = new StopOnSignal({
    onFirst: (signal) => command.onFirstSignal(signal),
    ...(command.onSecondSignal ? { onSecond: (signal: StopSignal) => command.onSecondSignal!(signal) } : {}),
  });
  let result: T;
  let status: EndStatus;
  try {
    result = await command.work(stop.signal);
    status = stop.stoppedBy ? 'interrupted' : 'completed';
    await options.afterWork?.();
    await command.save(result, status);
  } catch (error) {
    await command.saveFailed(error).catch(() => undefined);
    throw error;
  } finally {
    command.release();
    stop.dispose();
  }
  command.print(result, status);
  if (stop.exitCode !== undefined) process.exitCode = stop.exitCode;
}
