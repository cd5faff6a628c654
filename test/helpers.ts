/** Shared fixtures for the tests: tiny problems and a CLI runner. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { fileURLToPath } from 'node:url';
import type { Shape, TripletProblem } from '../src/triplet/problem.js';
import { syntheticBatch, withMargin, type MarginChoice } from '../src/triplet/synthetic.js';

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
 * Starts `triplet-bench ...args` (with `entry`: another entry point); `waitFor` resolves
 * once stderr so far matches `pattern`. One listener gathers stderr: a listener per
 * waitFor appended every later chunk once per call, so after two waits each line read
 * twice (issue 23, item 13: "the first SIGINT line and the end-of-run block printed twice").
 */
export function startCli(args: readonly string[], entry = BIN) {
  const child = spawn(process.execPath, [entry, ...args], { env: { ...process.env, NO_COLOR: '1' } });
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
