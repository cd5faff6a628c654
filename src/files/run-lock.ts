/**
 * One writer per run folder: a lock file created with O_EXCL (atomic on local file
 * systems and on NFS v3 and later) that names its holder's pid, host and run. A lock
 * whose holder is a dead process of this host (SIGKILL, power cut) is stale and taken
 * over; one held from another host cannot be checked and is refused with its holder.
 */
import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';

/** The lock's file name inside the run folder. */
export const LOCK_FILE = '.triplet-bench.lock';

/** Who holds a run folder. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly run_id: string;
  readonly started_at: string;
}

/** Whether process `pid` of this host is alive (EPERM: alive, another user's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): { text: string; holder: LockHolder | undefined } | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined; // released meanwhile
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder>;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string' ? { text, holder: parsed as LockHolder } : { text, holder: undefined };
  } catch {
    return { text, holder: undefined };
  }
}

/** A held lock; `release` (or the process's exit) removes it. */
export class RunLock {
  private released = false;
  private readonly onExit = () => this.release();

  private constructor(readonly path: string) {
    process.once('exit', this.onExit);
  }

  /**
   * Takes the lock of `dir` for `holder`, breaking a stale one; a UsageError naming the
   * holder when another live run has it. `what` names the folder in messages (`--out DIR`).
   */
  static acquire(dir: string, holder: LockHolder, what: string): RunLock {
    const path = join(dir, LOCK_FILE);
    const content = `${JSON.stringify(holder)}\n`;
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        try {
          writeSync(fd, content);
        } finally {
          closeSync(fd);
        }
        return new RunLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new UsageError(`${what}: cannot create its lock file ${LOCK_FILE} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
        }
      }
      const found = readHolder(path);
      if (!found) continue; // released between our open and our read: try again
      const other = found.holder;
      if (other && other.host === hostname() && !processAlive(other.pid)) {
        breakStaleLock(path, found.text);
        continue;
      }
      const who = other ? `run ${other.run_id} (pid ${other.pid} on ${other.host}, since ${other.started_at})` : `another run (unreadable lock file)`;
      const hint = other && other.host !== hostname() ? `; if that run is dead, remove ${path}` : '';
      throw new UsageError(`${what}: ${who} is writing there; choose another folder or wait for it to end${hint}`);
    }
    throw new UsageError(`${what}: its lock file ${LOCK_FILE} keeps changing hands; another run is starting there`);
  }

  /** Removes the lock file; once. */
  release(): void {
    if (this.released) return;
    this.released = true;
    process.off('exit', this.onExit);
    try {
      unlinkSync(this.path);
    } catch {
      // Already gone (the folder removed): nothing to release.
    }
  }
}

/**
 * Removes a stale lock without removing a fresh one another process made meanwhile:
 * move it aside, and put it back unless it is the stale one read before.
 */
function breakStaleLock(path: string, staleText: string): void {
  const aside = `${path}.stale-${process.pid}`;
  try {
    renameSync(path, aside);
  } catch {
    return; // another process broke it first
  }
  let moved = '';
  try {
    moved = readFileSync(aside, 'utf8');
  } catch {
    return;
  }
  if (moved === staleText) unlinkSync(aside);
  else renameSync(aside, path);
}
