/**
 * A closed stdout or stderr must never stop a measurement: `run ... 2>&1 | head -1` closes
 * the pipe after one line, and the next progress write failed with EPIPE, an unhandled
 * error that killed the run (its stack trace lost in the same closed pipe). Once a stream
 * fails, writes to it are dropped and the command finishes its work and its files.
 */

/** Guards process.stdout and process.stderr; call once, before any output. */
export function guardStandardStreams(streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    stream.on('error', () => {
      // EPIPE, or EIO from a terminal that went away: nobody reads this stream any more.
      stream.write = ((_chunk: unknown, encodingOrCallback?: unknown, callback?: unknown) => {
        const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
        if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
        return true;
      }) as typeof stream.write;
    });
  }
}
