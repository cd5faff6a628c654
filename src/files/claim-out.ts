/**
 * Taking a run folder: its lock, and a refusal when it holds the files of an earlier run
 * (rewriting them would mix two runs: new rows beside an old report.html). `--force`
 * removes those files first, so a folder never holds files of two runs side by side.
 */
import { existsSync, readdirSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { RunLock } from './run-lock.js';
import { SUMMARY_FILE } from '../report/summary-file.js';

/** Files `run` and `train` write into their folder. */
export const RUN_FILES = ['results.csv', 'run.json', 'report.html', SUMMARY_FILE, 'train.csv', 'train.json', 'train.html'] as const;

/** A temporary file of an atomic write (report/atomic.ts) that a killed run left behind. */
const TEMP_FILE = /^(results\.csv|run\.json|report\.html|summary\.md|train\.csv|train\.json|train\.html)\.\d+\.tmp$/;

/** Run files (and their leftover temporary files) in `dir`. */
export function runFilesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => (RUN_FILES as readonly string[]).includes(name) || TEMP_FILE.test(name)).sort();
}

/**
 * Locks `dir` for this run; refuses (UsageError, lock released) a folder holding another
 * run's files unless `force`, which removes them. `what` names it: `--out DIR`.
 */
export function claimRunFolder(dir: string, runId: string, started: Date, options: { force: boolean; what: string }): RunLock {
  const holder = { pid: process.pid, host: hostname(), run_id: runId, started_at: started.toISOString() };
  const lock = RunLock.acquire(dir, holder, options.what);
  const present = runFilesIn(dir);
  if (present.length > 0 && !options.force) {
    lock.release();
    throw new UsageError(`${options.what}: holds the files of an earlier run (${present.join(', ')}); choose a new folder, or add --force to replace them`);
  }
  try {
    for (const name of present) unlinkSync(join(dir, name));
  } catch (error) {
    lock.release();
    throw new UsageError(`${options.what}: cannot remove the earlier run's files (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return lock;
}
