/**
 * Ctrl-C and SIGTERM for long commands: the first signal aborts the work in flight (the
 * command then saves what it finished and exits 128 + n); a second one exits at once.
 * Reports are rewritten atomically after every configuration, so exiting at once still
 * leaves whole files.
 */
import type { EventEmitter } from 'node:events';

export type StopSignal = 'SIGINT' | 'SIGTERM';

/** Exit codes for a command stopped by a signal: 128 + the signal's number. */
export const SIGNAL_EXIT_CODES: Readonly<Record<StopSignal, number>> = { SIGINT: 130, SIGTERM: 143 };

/** Where the listeners go and how the second signal exits: the process, unless a test says otherwise. */
export interface StopOnSignalOptions {
  /** Told of the first signal (a line for the user). */
  readonly onFirst: (signal: StopSignal) => void;
  /**
   * Called, synchronously, on the second signal just before the exit: the last chance to
   * mark the run `interrupted` with its end time (the page may be skipped).
   */
  readonly onSecond?: (signal: StopSignal) => void;
  readonly target?: EventEmitter;
  readonly exit?: (code: number) => void;
  readonly log?: (line: string) => void;
}

/** Listens for SIGINT and SIGTERM until disposed. */
export class StopOnSignal {
  private readonly controller = new AbortController();
  private first: StopSignal | undefined;
  private readonly listeners: Record<StopSignal, () => void>;
  private readonly target: EventEmitter;

  constructor(private readonly options: StopOnSignalOptions) {
    this.target = options.target ?? process;
    this.listeners = { SIGINT: () => this.receive('SIGINT'), SIGTERM: () => this.receive('SIGTERM') };
    for (const signal of ['SIGINT', 'SIGTERM'] as const) this.target.on(signal, this.listeners[signal]);
  }

  /** Aborted by the first signal. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The first signal received, if any. */
  get stoppedBy(): StopSignal | undefined {
    return this.first;
  }

  /** The exit code the command should end with: 128 + n after a signal, undefined otherwise. */
  get exitCode(): number | undefined {
    return this.first ? SIGNAL_EXIT_CODES[this.first] : undefined;
  }

  private receive(signal: StopSignal): void {
    if (this.first) {
      const log = this.options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
      log(`\n${signal} again: exiting now; reports hold everything finished before the first ${this.first}`);
      try {
        this.options.onSecond?.(signal);
      } catch (error) {
        log(`could not mark the run interrupted: ${error instanceof Error ? error.message : String(error)}`);
      }
      (this.options.exit ?? ((code: number) => process.exit(code)))(SIGNAL_EXIT_CODES[signal]);
      return;
    }
    this.first = signal;
    this.options.onFirst(signal);
    this.controller.abort();
  }

  dispose(): void {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) this.target.off(signal, this.listeners[signal]);
  }
}
