/**
 * Ctrl-C, SIGTERM, a hang-up (SIGHUP: the ssh session or terminal went away) and SIGQUIT
 * (Ctrl-\) for long commands: the first signal aborts the work in flight (the command then
 * saves what it finished and exits 128 + n); a second one exits at once. Reports are
 * rewritten atomically after every configuration, so exiting at once still leaves whole
 * files. SIGQUIT's default (a core dump) and SIGHUP's (death, run.json left `running` and
 * the lock held) lost the run: they are handled as SIGTERM (issue 23, item 5). Writes to a
 * terminal gone with a hang-up are src/console/output-guard.ts's to drop.
 */
import type { EventEmitter } from 'node:events';

/** The signals that stop a command, each with its exit code: 128 + the signal's number. */
export const SIGNAL_EXIT_CODES = { SIGHUP: 129, SIGINT: 130, SIGQUIT: 131, SIGTERM: 143 } as const;

export type StopSignal = keyof typeof SIGNAL_EXIT_CODES;

/** Every signal a command stops on. */
export const STOP_SIGNALS = Object.keys(SIGNAL_EXIT_CODES) as StopSignal[];

/** What the signals are told to: a line for the user on the first, last words on the second. */
export interface StopHandlers {
  /** Told of the first signal (a line for the user). */
  readonly onFirst: (signal: StopSignal) => void;
  /**
   * Called, synchronously, on the second signal just before the exit: the last chance to
   * mark the run `interrupted` with its end time and hand the terminal back (the page may
   * be skipped).
   */
  readonly onSecond?: (signal: StopSignal) => void;
}

/** Where the listeners go and how the second signal exits: the process, unless a test says otherwise. */
export interface StopOnSignalOptions extends StopHandlers {
  readonly target?: EventEmitter;
  readonly exit?: (code: number) => void;
  readonly log?: (line: string) => void;
}

/** Listens for the stop signals until disposed. */
export class StopOnSignal {
  private readonly controller = new AbortController();
  private first: StopSignal | undefined;
  private readonly listeners: Record<StopSignal, () => void>;
  private readonly target: EventEmitter;
  private handlers: StopHandlers;

  constructor(private readonly options: StopOnSignalOptions) {
    this.target = options.target ?? process;
    this.handlers = options;
    this.listeners = Object.fromEntries(STOP_SIGNALS.map((signal) => [signal, () => this.receive(signal)])) as Record<StopSignal, () => void>;
    for (const signal of STOP_SIGNALS) this.target.on(signal, this.listeners[signal]);
  }

  /**
   * Hands later signals to `handlers`: a command listens from its first write (a signal
   * then must not leave a lock and no message), and the lifecycle takes over once the
   * command has its progress display and files to mark.
   */
  rebind(handlers: StopHandlers): void {
    this.handlers = handlers;
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
        this.handlers.onSecond?.(signal);
      } catch (error) {
        log(`could not mark the run interrupted: ${error instanceof Error ? error.message : String(error)}`);
      }
      (this.options.exit ?? ((code: number) => process.exit(code)))(SIGNAL_EXIT_CODES[signal]);
      return;
    }
    this.first = signal;
    this.handlers.onFirst(signal);
    this.controller.abort();
  }

  dispose(): void {
    for (const signal of STOP_SIGNALS) this.target.off(signal, this.listeners[signal]);
  }
}
