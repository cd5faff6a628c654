/**
 * What a failed write to stdout or stderr means.
 *
 * - The reader went away: `run ... 2>&1 | head -1` closes the pipe (EPIPE), and a dropped
 *   ssh session leaves a terminal that answers EIO. Nobody reads the stream any more; the
 *   command drops what it would write there and finishes its work and its files (issue
 *   15, item 7; issue 23, item 5).
 * - stdout could not take the output: `compare --format json > full/x` or `run --json >
 *   /dev/full` (ENOSPC, EFBIG, EDQUOT, EIO of a file). That output is the product a script
 *   reads, so the command fails: one line on stderr, exit 1 (issue 23, item 7).
 * - stderr could not take a line: there is nowhere left to say so; the line is dropped.
 */
import { closeSync, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { isatty } from 'node:tty';
import { describeWriteFailure } from '../files/atomic.js';

/** Errors of a stream whose reader is gone: a closed pipe, a hung-up terminal. */
function readerGone(stream: NodeJS.WriteStream, code: string | undefined): boolean {
  return code === 'EPIPE' || (Boolean(stream.isTTY) && (code === 'EIO' || code === 'ENXIO'));
}

let stdoutFailure: string | undefined;

/** The line saying why stdout could not take the command's output, or undefined while it could. */
export function stdoutFailureLine(): string | undefined {
  return stdoutFailure;
}

/** Writes all of `chunk` to `fd`: one write(2) to a file on a nearly full disk writes part and reports no error. */
function writeWholly(fd: number, chunk: Buffer): void {
  for (let offset = 0; offset < chunk.length; ) {
    const written = writeSync(fd, chunk, offset);
    if (written <= 0) throw Object.assign(new Error('short write'), { code: 'EIO' });
    offset += written;
  }
}

/**
 * stdout redirected to a file is Node's SyncWriteStream, whose write ignores how many
 * bytes write(2) took: on a disk with 4 KiB left, `run --json > x` kept 4 KiB of the JSON
 * and exited 0. Writing the rest, or the error, makes a full file fail like a full pipe.
 */
function writeFilesWholly(stream: NodeJS.WriteStream): void {
  const fd = (stream as { fd?: unknown }).fd;
  if (stream instanceof Socket || typeof fd !== 'number') return;
  (stream as unknown as { _write: (chunk: Buffer | string, encoding: BufferEncoding, done: (error?: Error | null) => void) => void })._write = (chunk, encoding, done) => {
    try {
      writeWholly(fd, typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk);
    } catch (error) {
      done(error as Error);
      return;
    }
    done();
  };
}

/** From now on, writes to `stream` succeed without writing: whatever failed will fail again. */
function dropWrites(stream: NodeJS.WriteStream): void {
  stream.write = ((_chunk: unknown, encodingOrCallback?: unknown, callback?: unknown) => {
    const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  }) as typeof stream.write;
}

/**
 * On exit Node restores each standard descriptor that was a terminal with tcsetattr and
 * aborts (SIGABRT, exit 134 and a native stack) when that fails, as it does on a terminal
 * that hung up (fixed in Node 24: nodejs/node#58200). A descriptor Node finds closed it
 * skips, so the gone terminal's are closed once nothing more is written: a dropped ssh
 * session then ends with the command's own exit code.
 */
function closeHungUpTerminalsOnExit(): void {
  // isatty() asks the terminal (TCGETS); a hung-up one answers EIO, so it reads false.
  const terminals = [0, 1, 2].filter((fd) => isatty(fd));
  if (terminals.length === 0) return;
  process.once('exit', () => {
    for (const fd of terminals) {
      if (isatty(fd)) continue;
      try {
        closeSync(fd);
      } catch {
        // Already closed: Node skips it as well.
      }
    }
  });
}

const guarded = new WeakSet<NodeJS.WriteStream>();
let exitGuarded = false;

/** Guards process.stdout and process.stderr; call before any output (again: no effect). */
export function guardStandardStreams(stdout: NodeJS.WriteStream = process.stdout, stderr: NodeJS.WriteStream = process.stderr): void {
  if (!exitGuarded) {
    exitGuarded = true;
    closeHungUpTerminalsOnExit();
  }
  for (const stream of [stdout, stderr]) {
    if (guarded.has(stream)) continue;
    guarded.add(stream);
    writeFilesWholly(stream);
    stream.on('error', (error: NodeJS.ErrnoException) => {
      dropWrites(stream);
      if (stream !== stdout || readerGone(stream, error.code) || stdoutFailure !== undefined) return;
      stdoutFailure = `cannot write to stdout: ${describeWriteFailure(error.code)}`;
      stderr.write(`triplet-bench: ${stdoutFailure}\n`);
      // The error can come after main() returned its code (a pipe's write fails later): a code that already says failure stays.
      if (!process.exitCode) process.exitCode = 1;
    });
  }
}
