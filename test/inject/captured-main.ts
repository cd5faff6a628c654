/**
 * One command line through the CLI's main(), in this process, as a process of its own would
 * end it: its exit code, and what it wrote through process.stdout and process.stderr. With
 * `testEntry`, the test entry's options (entry-options.ts) apply, as in cli.ts; without,
 * nothing is read off the command line or injected: the product's main, as the bin runs
 * it. process.argv is the command line's for the command's time (`run` records it in
 * run.json as a process of its own would).
 *
 * For the in-process runners (cli-batch.ts, cli-server.ts): what reaches the real
 * descriptors (a native library's log, a direct write) is not caught, and they check that
 * nothing does.
 */
import { main } from '../../src/cli.js';
import { errorMessage } from '../../src/errors.js';

/** What one command line printed and how it ended. */
export interface CapturedResult {
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

/** `changes` in process.env (undefined: removed), until the returned function puts the values before back. */
function withEnvironment(changes: NodeJS.ProcessEnv): () => void {
  const before = Object.fromEntries(Object.keys(changes).map((name) => [name, process.env[name]]));
  const set = (values: NodeJS.ProcessEnv) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  set(changes);
  return () => set(before);
}

/** The working directory `cwd`, until the returned function puts the one before back. */
function inDirectory(cwd: string | undefined): () => void {
  if (cwd === undefined) return () => undefined;
  const before = process.cwd();
  process.chdir(cwd);
  return () => process.chdir(before);
}

/** How one command line runs in this process. */
export interface CapturedOptions {
  /** The test entry's options apply (cli.ts); else nothing is read off the command line or injected. */
  readonly testEntry: boolean;
  /** Variables set for the command's time, for what reads them as it runs (not what a module read as it loaded). */
  readonly env?: NodeJS.ProcessEnv;
  /** The working directory for the command's time (its default folders, its relative paths). */
  readonly cwd?: string;
}

/** Runs `triplet-bench ...argv` in this process, as `options` say. */
export async function capturedMain(argv: readonly string[], { testEntry, env = {}, cwd }: CapturedOptions): Promise<CapturedResult> {
  const stdout = { text: '' };
  const stderr = { text: '' };
  const restore = [capture(process.stdout, stdout), capture(process.stderr, stderr), withEnvironment(env), inDirectory(cwd)];
  const ownArgv = process.argv;
  process.exitCode = undefined;
  let code: number;
  try {
    // Loaded only for the test entry: its fault and scripted engines are modules the product's main does not load.
    const { rest, options } = testEntry ? (await import('./entry-options.js')).testEntryOptions(argv) : { rest: [...argv], options: {} };
    process.argv = [ownArgv[0]!, ownArgv[1]!, ...rest];
    code = await main(rest, options);
  } catch (error) {
    // As the test entry ends on a bad option of its own.
    console.error(`triplet-bench (test entry): ${errorMessage(error)}`);
    code = 2;
  } finally {
    process.argv = ownArgv;
    for (const undo of restore) undo();
    process.exitCode = undefined;
  }
  return { code, stdout: stdout.text, stderr: stderr.text };
}
