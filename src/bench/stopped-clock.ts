/**
 * How long this process has spent stopped: Ctrl-Z then `fg`, a SIGSTOP of the job, a
 * suspended machine. The monotonic clock runs on while a process is stopped, so every
 * deadline of the watchdog (src/bench/watchdog.ts) had passed when it woke: a 66 s pause
 * marked the row in flight `errored` and dropped its finished windows (issue 23, item 11).
 * A stop is not a hung kernel: deadlines are extended by the time stopped.
 *
 * Seen as a jump of the clock: a heartbeat timer that fires far later than it was due
 * was not running. A SIGCONT says the same, but it is delivered after the timers that
 * waking runs first, so the deadline checks ask this clock, which counts the jump itself.
 * Only this process's pauses count: a child host stopped on its own while the command runs
 * leaves the heartbeat on time, and stays a hang (item 4).
 */
import { performance } from 'node:perf_hooks';

/** How often the heartbeat beats, ms: a timer this rare costs nothing measurable inside a window. */
const BEAT_MS = 250;
/** A beat later than this past its due time counts as a stop, ms: a busy event loop is late by far less. */
const LATE_MS = 1000;

let lastBeat: number | undefined;
let stoppedTotal = 0;
let timer: NodeJS.Timeout | undefined;

function beat(): void {
  const now = performance.now();
  if (lastBeat !== undefined) {
    const late = now - lastBeat - BEAT_MS;
    if (late > LATE_MS) stoppedTotal += late;
  }
  lastBeat = now;
}

/** Starts the heartbeat, once; it never keeps the process alive. */
export function watchForStops(): void {
  if (timer !== undefined) return;
  lastBeat = performance.now();
  timer = setInterval(beat, BEAT_MS);
  timer.unref();
}

/** Milliseconds this process has spent stopped since watchForStops, counting a stop it is only now waking from. */
export function stoppedMs(): number {
  if (timer === undefined) return 0;
  // A stop this call wakes from, before the heartbeat has run.
  const now = performance.now();
  if (lastBeat !== undefined && now - lastBeat - BEAT_MS > LATE_MS) beat();
  return stoppedTotal;
}
