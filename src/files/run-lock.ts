/**
 * One writer per run folder: a lock file naming its holder's pid (with the process's start
 * time, so that a later process given the same pid is not taken for it), host and run.
 * The lock is written whole to a temporary file and then hard-linked into place, which
 * fails if the lock exists (atomic on local file systems and on NFS v3 and later): a full
 * disk or a crash never leaves a half-written lock. A lock whose holder is gone (a dead
 * process of this host, or its pid now another process's) is stale and taken over; one
 * held from another host cannot be checked and is refused. Every refusal names the file
 * to remove if no run is writing there.
 */
import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { processStartTime } from './process-start.js';

/** The lock's file name inside the run folder. */
export const LOCK_FILE = '.triplet-bench.lock';

/** Who holds a run folder. */
export interface LockHolder {
  readonly pid: number;
  /** The holder's start time, ticks since boot (src/files/process-start.ts); absent off Linux and in locks of earlier versions. */
  readonly pid_start?: number;
  readonly host: string;
  readonly run_id: string;
  readonly started_at: string;
}

/** Lock files this process holds now: a lock naming this pid and not among them is a previous process's. */
const heldHere = new Set<string>();

/** Whether process `pid` of this host is alive (EPERM: alive, another user's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the holder of the lock at `path`, a process of this host, is gone: dead, or its pid now another process's. */
function holderGone(path: string, holder: LockHolder): boolean {
  if (holder.pid === process.pid) return !heldHere.has(path);
  if (!processAlive(holder.pid)) return true;
  if (holder.pid_start === undefined) return false;
  const now = processStartTime(holder.pid);
  return now !== undefined && now !== holder.pid_start;
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

/** Why a file could not be written, by errno code. */
function errnoOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'error';
}

/**
 * Puts `content` at `path` unless a file is there: written whole beside it, then linked
 * into place. False when `path` exists. Where the file system has no hard links, an
 * exclusive create and write, the file removed again if the write fails.
 */
function createWhole(path: string, content: string): boolean {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, content, { flag: 'w' });
    linkSync(temporary, path);
    return true;
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw error;
  } finally {
    try {
      unlinkSync(temporary);
    } catch {
      // Never created.
    }
  }
  return createExclusive(path, content);
}

/** The fallback of createWhole: O_EXCL, and no empty file left behind by a failed write. */
function createExclusive(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if (errnoOf(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, content);
  } catch (error) {
    closeSync(fd);
    unlinkSync(path);
    throw error;
  }
  closeSync(fd);
  return true;
}

/** A held lock; `release` (or the process's exit) removes it. */
export class RunLock {
  private released = false;
  private readonly onExit = () => this.release();

  private constructor(readonly path: string) {
    heldHere.add(path);
    process.once('exit', this.onExit);
  }

  /**
   * Takes the lock of `dir` for `holder`, breaking a stale one; a UsageError naming the
   * holder and the lock file when another live run has it. `what` names the folder in
   * messages (`--out DIR`).
   */
  static acquire(dir: string, holder: LockHolder, what: string): RunLock {
    // Absolute, so that heldHere knows the lock under any spelling of a relative folder.
    const path = resolve(dir, LOCK_FILE);
    const pidStart = holder.pid_start ?? processStartTime(holder.pid);
    const content = `${JSON.stringify({ ...holder, ...(pidStart === undefined ? {} : { pid_start: pidStart }) })}\n`;
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        if (createWhole(path, content)) return new RunLock(path);
      } catch (error) {
        throw new UsageError(`${what}: cannot create its lock file ${path} (${errnoOf(error)})`);
      }
      const found = readHolder(path);
      if (!found) continue; // released between our link and our read: try again
      const other = found.holder;
      if (other && other.host === hostname() && holderGone(path, other)) {
        breakStaleLock(path, found.text);
        continue;
      }
      if (!other) {
        const fault = found.text.trim() === '' ? 'is empty' : 'names no pid and host';
        throw new UsageError(`${what}: its lock file ${fault}, so whether a run is writing there cannot be checked; if none is, remove ${path}`);
      }
      throw new UsageError(`${what}: run ${other.run_id} (pid ${other.pid} on ${other.host}, since ${other.started_at}) is writing there; choose another folder or wait for it to end; if that run is dead, remove ${path}`);
    }
    throw new UsageError(`${what}: its lock file ${path} keeps changing hands; another run is starting there`);
  }

  /** Removes the lock file; once. */
  release(): void {
    if (this.released) return;
    this.released = true;
    heldHere.delete(this.path);
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
