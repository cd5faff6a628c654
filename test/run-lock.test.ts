/**
 * The run folder's lock cannot lock a folder for good (issue 23, item 6): it is written
 * whole or not at all (a full disk leaves no empty lock), a holder whose pid another
 * process now has (pids wrap; the command itself, pid 1 in a container) is stale, and
 * every refusal names the file to remove.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { processStartTime, startTimeOfStat } from '../src/files/process-start.js';
import { LOCK_FILE, RunLock } from '../src/files/run-lock.js';
import { UsageError } from '../src/errors.js';
import { tempDir } from './data-fixtures.js';

const holder = (pid: number, pidStart?: number) => ({ pid, ...(pidStart === undefined ? {} : { pid_start: pidStart }), host: hostname(), run_id: `run-of-${pid}`, started_at: new Date(0).toISOString() });
const noProc = processStartTime(process.pid) === undefined ? 'no /proc/PID/stat here' : false;

/** A live process that is not this one, and its start time. */
async function liveOther(): Promise<{ pid: number; start: number; stop: () => void }> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('spawn', resolve));
  return { pid: child.pid!, start: processStartTime(child.pid!)!, stop: () => child.kill('SIGKILL') };
}

const mounted: string[] = [];
after(() => {
  for (const dir of mounted) spawnSync('umount', [dir]);
});

/** A 64 KiB tmpfs filled to the last byte, or why none (not root, no mount). */
function fullTmpfs(): { dir: string; filler: string } | string {
  if (process.getuid?.() !== 0) return 'needs root to mount a tmpfs';
  const dir = tempDir('tb-lockfull-');
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { encoding: 'utf8' });
  if (mount.status !== 0) return `mount failed: ${mount.stderr.trim()}`;
  mounted.push(dir);
  const filler = join(dir, 'filler');
  // dd stops at ENOSPC with the device full.
  spawnSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=4k'], { encoding: 'utf8' });
  return { dir, filler };
}

describe('the lock records the holder\'s start time', () => {
  it('reads field 22 of /proc/PID/stat, whatever the command name holds', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
    assert.equal(startTimeOfStat(`42 (a) b (c) ${fields.join(' ')}`), 22);
    assert.equal(startTimeOfStat('garbage'), undefined);
  });

  it('writes pid_start beside the pid', { skip: noProc }, () => {
    const dir = tempDir('tb-lock-');
    const lock = RunLock.acquire(dir, holder(process.pid), '--out X');
    const written = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as { pid: number; pid_start: number };
    lock.release();
    assert.equal(written.pid, process.pid);
    assert.equal(written.pid_start, processStartTime(process.pid));
  });
});

describe('a stale lock whose pid lives on', () => {
  it('is taken over when the pid is now another process\'s (start time differs)', { skip: noProc }, async () => {
    const other = await liveOther();
    try {
      const dir = tempDir('tb-lock-');
      writeFileSync(join(dir, LOCK_FILE), JSON.stringify(holder(other.pid, other.start + 1)));
      const lock = RunLock.acquire(dir, holder(process.pid), '--out X');
      assert.equal(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid, process.pid);
      lock.release();
    } finally {
      other.stop();
    }
  });

  it('is still refused when the process that took it runs, naming the file to remove', { skip: noProc }, async () => {
    const other = await liveOther();
    try {
      const dir = tempDir('tb-lock-');
      writeFileSync(join(dir, LOCK_FILE), JSON.stringify(holder(other.pid, other.start)));
      assert.throws(() => RunLock.acquire(dir, holder(process.pid), '--out X'), new RegExp(`is writing there; .*remove ${join(dir, LOCK_FILE).replace(/\./g, '\\.')}$`));
    } finally {
      other.stop();
    }
  });

  it('is taken over when it names this very process but this process does not hold it (pid 1 in a container)', () => {
    const dir = tempDir('tb-lock-');
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify(holder(process.pid)));
    const lock = RunLock.acquire(dir, holder(process.pid), '--out X');
    assert.throws(() => RunLock.acquire(dir, holder(process.pid), '--out X'), UsageError, 'held by this process now: refused');
    lock.release();
  });
});

describe('a lock that cannot be read', () => {
  for (const [what, text] of [['empty', ''], ['garbage', 'not json {']] as const) {
    it(`${what}: refused, naming the file to remove`, () => {
      const dir = tempDir('tb-lock-');
      writeFileSync(join(dir, LOCK_FILE), text);
      assert.throws(() => RunLock.acquire(dir, holder(process.pid), '--out X'), (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.match(error.message, /^--out X: its lock file (is empty|names no pid and host), so whether a run is writing there cannot be checked; if none is, remove \S+$/);
        assert.ok(error.message.endsWith(join(dir, LOCK_FILE)));
        return true;
      });
    });
  }
});

describe('a full disk while taking the lock', () => {
  const disk = fullTmpfs();
  it('leaves no lock (nor temporary file), so the folder is free once there is room', { skip: typeof disk === 'string' ? disk : false }, () => {
    const { dir, filler } = disk as { dir: string; filler: string };
    assert.throws(() => RunLock.acquire(dir, holder(process.pid), '--out X'), /^UsageError: --out X: cannot create its lock file \S+ \(ENOSPC\)$/);
    assert.deepEqual(readdirSync(dir), ['filler']);
    unlinkSync(filler);
    const lock = RunLock.acquire(dir, holder(process.pid), '--out X');
    assert.ok(existsSync(join(dir, LOCK_FILE)));
    lock.release();
  });
});
