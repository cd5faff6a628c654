/**
 * Taking a run folder: its lock, and a refusal when it holds the files of an earlier run
 * (rewriting them would mix two runs: new rows beside an old report.html). `--force`
 * removes the files an earlier run listed in its manifest (src/files/manifest.ts) and
 * nothing else: never a file no run listed (the user's own results.csv), never an input
 * of this command (`train --data train.csv --out .`). Anything else in the way is refused,
 * by name, before a file is touched.
 */
import { existsSync, readdirSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { manifestsIn, RUN_FOLDER_FILES } from './manifest.js';
import { RunLock } from './run-lock.js';
import { sameFile } from './same-file.js';

/** A temporary file of an atomic write (src/files/atomic.ts) that a killed run left behind: its name, the pid, `.tmp`. */
const TEMP_FILE = /^(.+)\.\d+\.tmp$/;

/** The run file a name stands for: itself, or the file a leftover temporary file was being written to. */
function runFileOf(name: string): string {
  return TEMP_FILE.exec(name)?.[1] ?? name;
}

/** Run files (and their leftover temporary files) in `dir`. */
export function runFilesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => RUN_FOLDER_FILES.includes(runFileOf(name))).sort();
}

/** A file the command reads: the option that names it and its path. */
export interface CommandInput {
  readonly option: string;
  readonly path: string;
}

/** How a command claims its folder. */
export interface ClaimOptions {
  /** Whether the user gave --force. */
  readonly force: boolean;
  /** The folder in messages: `--out DIR`. */
  readonly what: string;
  /** The names the command writes into the folder. */
  readonly writes: readonly string[];
  /** The files the command reads (synthetic, mnist: none). */
  readonly inputs: readonly CommandInput[];
}

/** The input that `path` is, if any. */
function inputAt(path: string, inputs: readonly CommandInput[]): CommandInput | undefined {
  return inputs.find((input) => sameFile(path, input.path));
}

/** Refuses (UsageError) an output that is one of the command's own inputs, --force or not. */
function refuseOwnInput(dir: string, options: ClaimOptions): void {
  for (const name of options.writes) {
    const input = inputAt(join(dir, name), options.inputs);
    if (input) throw new UsageError(`${options.what}: its ${name} is ${input.option} ${input.path}, which this command would overwrite with its own ${name}; choose another --out`);
  }
}

/**
 * Of `present`, the files --force may remove (listed by an earlier run's manifest, not an
 * input) and those it must leave, each with why.
 */
function sortForRemoval(dir: string, present: readonly string[], inputs: readonly CommandInput[]): { removable: string[]; kept: string[] } {
  const listed = new Set(manifestsIn(dir).flatMap((manifest) => manifest.files));
  const removable: string[] = [];
  const kept: string[] = [];
  for (const name of present) {
    const input = inputAt(join(dir, name), inputs);
    if (input) kept.push(`${name} (${input.option})`);
    else if (listed.has(runFileOf(name))) removable.push(name);
    else kept.push(name);
  }
  return { removable, kept };
}

/**
 * Locks `dir` for this run; refuses (UsageError, lock released, nothing removed) a folder
 * holding another run's files unless `force`, which removes those an earlier run listed.
 */
export function claimRunFolder(dir: string, runId: string, started: Date, options: ClaimOptions): RunLock {
  refuseOwnInput(dir, options);
  const holder = { pid: process.pid, host: hostname(), run_id: runId, started_at: started.toISOString() };
  const lock = RunLock.acquire(dir, holder, options.what);
  const present = runFilesIn(dir);
  if (present.length === 0) return lock;
  if (!options.force) {
    lock.release();
    throw new UsageError(`${options.what}: holds the files of an earlier run (${present.join(', ')}); choose a new folder, or add --force to replace them`);
  }
  const { removable, kept } = sortForRemoval(dir, present, options.inputs);
  if (kept.length > 0) {
    lock.release();
    throw new UsageError(
      `${options.what}: --force removes only the files an earlier run listed in its run.json or train.json, never an input, ` +
        `so it leaves ${kept.join(', ')}, which this run would overwrite or mix with its own; move ${kept.length === 1 ? 'it' : 'them'} away or choose another folder`,
    );
  }
  try {
    for (const name of removable) unlinkSync(join(dir, name));
  } catch (error) {
    lock.release();
    throw new UsageError(`${options.what}: cannot remove the earlier run's files (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return lock;
}
