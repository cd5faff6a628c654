/** Shared fixtures for the tests: tiny problems and a CLI runner. */
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { parse } from 'csv-parse/sync';
import { fileURLToPath } from 'node:url';
import type { Shape, TripletProblem } from '../src/triplet/problem.js';
import { syntheticBatch, withMargin, type MarginChoice } from '../src/triplet/synthetic.js';
import { isTensorflowChatter } from '../src/native/tensorflow-chatter.js';
import type { ServerAnswer, ServerRequest } from './inject/cli-server.js';

export const BIN = fileURLToPath(new URL('../../bin/triplet-bench.js', import.meta.url));
/** The test entry point: the CLI plus `--inject-fault` (test/inject/cli.ts). */
export const INJECT_CLI = fileURLToPath(new URL('./inject/cli.js', import.meta.url));

/** A deterministic problem of the given shape. */
export function problemOf(shape: Shape, choice: MarginChoice = { activeFraction: 0.3 }, seed = 7): TripletProblem {
  return withMargin(syntheticBatch(shape, seed), choice);
}

/** What a CLI invocation printed and how it ended. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `triplet-bench ...args` to completion (with `entry`: another entry point, such as INJECT_CLI). */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, entry = BIN): CliResult {
  const result = spawnSync(process.execPath, [entry, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 300_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Starts `triplet-bench ...args` (with `entry`: another entry point; `env`: added to this
 * process's environment, as runCli's); `waitFor` resolves
 * once stderr so far matches `pattern`. One listener gathers stderr: a listener per
 * waitFor appended every later chunk once per call, so after two waits each line read
 * twice (issue 23, item 13: "the first SIGINT line and the end-of-run block printed twice").
 */
export function startCli(args: readonly string[], entry = BIN, env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [entry, ...args], { env: { ...process.env, NO_COLOR: '1', ...env } });
  let stderr = '';
  let stdout = '';
  const waiting = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const check of waiting) check();
  });
  const exited = new Promise<CliResult>((resolve) =>
    // 'close', not 'exit': the last chunks of stderr may come after the exit.
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? -1 : null), stdout, stderr })),
  );
  const waitFor = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!pattern.test(stderr)) return;
        waiting.delete(check);
        resolve();
      };
      waiting.add(check);
      check();
      void exited.then(() => reject(new Error(`exited before ${pattern}: ${stderr}`)));
    });
  return { child, waitFor, exited, stderr: () => stderr };
}

/** A CSV row as csv-parse gives it: column name to cell text. */
export type CsvRow = Record<string, string>;

/** The header and rows of `dir`/results.csv. */
export function readResults(dir: string): { header: string[]; rows: CsvRow[] } {
  const text = readFileSync(join(dir, 'results.csv'), 'utf8');
  const [header] = parse(text, { to_line: 1 }) as string[][];
  const rows = parse(text, { columns: true }) as CsvRow[];
  return { header: header!, rows };
}

const CLI_BATCH = fileURLToPath(new URL('./inject/cli-batch.js', import.meta.url));

/**
 * Runs `triplet-bench ...argv` for each argv, in order, in one process (test/inject/cli-batch.ts):
 * each one's exit code, stdout and stderr as a process of its own would give them, for tests
 * of many command lines that each end before any work (bad input, help): a command that
 * works (loads tfjs-node, opens pools) leaves state behind and keeps a process of its own. Throws when anything reached the
 * batch's real stdout or stderr, which a result would not show.
 */
export function runCliBatch(argvs: readonly (readonly string[])[]): CliResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'tb-cli-batch-'));
  const input = join(dir, 'in.json');
  const output = join(dir, 'out.json');
  writeFileSync(input, JSON.stringify(argvs));
  const batch = spawnSync(process.execPath, [CLI_BATCH, input, output], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 300_000 });
  if (batch.status !== 0 || batch.stdout !== '' || batch.stderr !== '') {
    throw new Error(`the CLI batch exited ${batch.status} (${batch.signal}); stdout: ${batch.stdout}; stderr: ${batch.stderr}`);
  }
  return JSON.parse(readFileSync(output, 'utf8')) as CliResult[];
}

const CLI_SERVER = fileURLToPath(new URL('./inject/cli-server.js', import.meta.url));

/** What reached a process's real stdout or stderr, less TensorFlow's start-up lines (src/native/tensorflow-chatter.ts). */
function beyondChatter(text: string): string {
  return text.split('\n').filter((line) => line !== '' && !isTensorflowChatter(line)).join('\n');
}

/** Runs command lines in one long-lived process (cliServer). */
export interface CliServer {
  /**
   * `triplet-bench ...args` (the test entry's options apply: --unmeasured-machine,
   * --scripted-steps, --inject-fault, ...), as a process of its own would end. `env`, set
   * for the command's time, reaches what reads it as the command runs (a module that read
   * it as it loaded has the server's: give that to cliServer); `cwd`, the command's working
   * directory.
   */
  run(args: readonly string[], options?: { env?: NodeJS.ProcessEnv; cwd?: string }): Promise<CliResult>;
  /** Ends the process; rejects when anything but TensorFlow's start-up lines reached its real stdout or stderr. */
  close(): Promise<void>;
}

/** How long one command line may take in the server before it is ended as hung, ms (runCli's spawnSync timeout). */
const SERVER_TIMEOUT_MS = 300_000;

/**
 * A process that runs this file's command lines, one at a time, through the CLI's main()
 * (test/inject/cli-server.ts): each answer is the exit code, stdout and stderr its own
 * process would have ended with, without the second or more of a Node start, the CLI's
 * modules and tfjs-node's load that a spawn pays per command line. Started on the first
 * run, ended after the file's tests (an `after` hook, registered here, which also fails
 * the file when anything reached the server's own stdout or stderr). For commands whose
 * subject is what they compute, write and print; a test of signals, pipes, a closed
 * stdout, exit codes as a shell sees them or the native addon loading in a child spawns
 * its own (runCli, startCli). `env`: added to the server's environment, as runCli's.
 */
export function cliServer(env: NodeJS.ProcessEnv = {}): CliServer {
  let child: ChildProcess | undefined;
  let output = '';
  let exited: Promise<void> = Promise.resolve();
  let nextId = 0;
  const pending = new Map<number, (result: CliResult) => void>();
  const start = () => {
    const started = fork(CLI_SERVER, [], { env: { ...process.env, NO_COLOR: '1', ...env }, execArgv: [], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    started.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.on('message', ({ id, result }: ServerAnswer) => {
      pending.get(id)?.(result);
      pending.delete(id);
    });
    // Its exit and the end of its output ('close' does not come here once the parent has disconnected).
    exited = Promise.all([once(started, 'exit'), once(started.stdout!, 'close'), once(started.stderr!, 'close')]).then(() => undefined);
    // A command that ended the process (process.exit, a signal): the next command line starts another.
    started.once('exit', () => {
      if (child === started) child = undefined;
    });
    return started;
  };
  const server: CliServer = {
    run(args, { env, cwd } = {}) {
      child ??= start();
      const id = nextId++;
      const running = child;
      return new Promise<CliResult>((resolve, reject) => {
        const timer = setTimeout(() => {
          running.kill('SIGKILL');
          child = undefined;
          reject(new Error(`the CLI server ran ${args.join(' ')} for ${SERVER_TIMEOUT_MS / 1000} s: ended; its output: ${output}`));
        }, SERVER_TIMEOUT_MS);
        const ended = () => {
          clearTimeout(timer);
          reject(new Error(`the CLI server ended while running ${args.join(' ')}; its output: ${output}`));
        };
        running.once('exit', ended);
        pending.set(id, (result) => {
          clearTimeout(timer);
          running.off('exit', ended);
          resolve(result);
        });
        running.send({ id, argv: args, ...(env ? { env } : {}), ...(cwd ? { cwd } : {}) } satisfies ServerRequest);
      });
    },
    async close() {
      const running = child;
      child = undefined;
      if (running?.connected) running.disconnect();
      await exited;
      const stray = beyondChatter(output);
      output = '';
      if (stray !== '') throw new Error(`the CLI server wrote outside its commands' captured streams: ${stray}`);
    },
  };
  after(() => server.close());
  return server;
}
