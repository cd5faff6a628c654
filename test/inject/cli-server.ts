/**
 * The CLI's main() serving command lines one at a time, in one process for a whole test
 * file (helpers.ts, cliServer): each answer is the exit code, stdout and stderr a process
 * of its own would have ended with (captured-main.ts; the test entry's options apply),
 * without a process start, the CLI's modules and tfjs-node loaded again per command line.
 * For tests whose subject is what a command computes, writes and prints; a test of what
 * needs a process (signals, exit codes as a shell sees them, pipes, a closed stdout, the
 * native addon loading in a child) spawns its own.
 *
 * Run by fork(), with an IPC channel: a message { id, argv } is answered { id, result },
 * in order; the process ends when the channel closes. Its stderr is a socket, so a command
 * that loads TensorFlow here does not park fd 2 as the CLI's start does on a terminal, a
 * pipe or a file (src/native/quiet-load.ts): TensorFlow's start-up lines reach the server's
 * own stderr, which helpers.ts lets through, and nothing else may.
 */
import { capturedMain, type CapturedResult } from './captured-main.js';

/** A command line to run. */
export interface ServerRequest {
  readonly id: number;
  readonly argv: readonly string[];
  /** Environment variables and the working directory for this command line's time. */
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/** Its answer. */
export interface ServerAnswer {
  readonly id: number;
  readonly result: CapturedResult;
}

if (!process.send) throw new Error('cli-server.js runs under fork(), with an IPC channel');
// One command line at a time: main() owns the process's streams, signals and exit code while it runs.
let queue = Promise.resolve();
process.on('message', (request: ServerRequest) => {
  queue = queue.then(async () => {
    const result = await capturedMain(request.argv, { testEntry: true, ...(request.env ? { env: request.env } : {}), ...(request.cwd ? { cwd: request.cwd } : {}) });
    process.send!({ id: request.id, result } satisfies ServerAnswer);
  });
});
// A pool or timer a command left behind must not hold the server open once the tests are done.
process.on('disconnect', () => void queue.then(() => process.exit(0)));
