/**
 * The CLI's main() over many command lines in one process, for the tests of bad input:
 * each command line's exit code, stdout and stderr, as bin/triplet-bench.js would end
 * with them (it sets process.exitCode to main's answer, no more), without a process start
 * and tfjs-node's load per command line. Nothing is injected: this is the product's main.
 *
 * Run: node dist/test/inject/cli-batch.js IN.json OUT.json, IN a JSON array of argv
 * arrays; OUT gets one { code, stdout, stderr } per argv, in order. Everything a command
 * writes through process.stdout and process.stderr is caught; what reaches the real
 * descriptors (a native library's log, a direct write) is not, and the tests check that
 * nothing does.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { main } from '../../src/cli.js';

/** What one command line printed and how it ended. */
export interface BatchResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

type Write = typeof process.stdout.write;

/** `stream`'s writes, into `sink`, until the returned function puts the stream's own back. */
function capture(stream: NodeJS.WriteStream, sink: { text: string }): () => void {
  const own = Object.getOwnPropertyDescriptor(stream, 'write');
  stream.write = ((chunk: string | Uint8Array, encodingOrCallback?: unknown, callback?: unknown) => {
    sink.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  }) as Write;
  return () => {
    if (own) Object.defineProperty(stream, 'write', own);
    else delete (stream as { write?: Write }).write;
  };
}

const [input, output] = process.argv.slice(2);
if (input === undefined || output === undefined) throw new Error('usage: cli-batch.js IN.json OUT.json');
const argvs = JSON.parse(readFileSync(input, 'utf8')) as string[][];
const results: BatchResult[] = [];
for (const argv of argvs) {
  const stdout = { text: '' };
  const stderr = { text: '' };
  const restore = [capture(process.stdout, stdout), capture(process.stderr, stderr)];
  process.exitCode = undefined;
  let code: number;
  try {
    code = await main(argv);
  } finally {
    for (const undo of restore) undo();
  }
  results.push({ code, stdout: stdout.text, stderr: stderr.text });
}
writeFileSync(output, JSON.stringify(results));
// A pool or timer a command left behind must not hold the batch open: its answers are written.
process.exit(0);
