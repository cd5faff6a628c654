/**
 * Run folders (issue 15, items 3 and 4): unique ids and folders for runs started in the
 * same second, one writer per folder (a lock a SIGKILLed run does not leave stuck), and
 * an --out holding an earlier run refused unless --force, which clears it first.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { claimRunFolder } from '../src/files/claim-out.js';
import { RUN_OUTPUTS } from '../src/files/manifest.js';
import { uniqueRunId } from '../src/files/run-id.js';
import { LOCK_FILE, RunLock } from '../src/files/run-lock.js';
import { UsageError } from '../src/errors.js';
import { tempDir } from './data-fixtures.js';
import { HOLD_LINE } from './inject/faults.js';
import { cliServer, INJECT_CLI, readResults, type CliResult } from './helpers.js';
import { startCliWithoutNative, WITHOUT_NATIVE } from './without-native.js';

/**
 * The file's command lines, in one process (helpers.ts, cliServer): what they compute, print
 * and write, not what needs a process of its own. Every run here steps the workers' js
 * kernel only, without the native probe (without-native.ts), spawned or not.
 */
const cli = cliServer(WITHOUT_NATIVE);

/**
 * Through the test entry with its stand-ins for the machine's figures (calibration, roofline,
 * memory roof): seconds a run, and nothing about folders or locks.
 */
const ENTRY = INJECT_CLI;
const TINY = ['--unmeasured-machine', '--engines', 'workers', '--kernels', 'js', '--strategies', 'dense', '--batch', '32', '--dims', '8x4', '--threads', '1', '--time', '20', '--rounds', '1', '--no-progress'];
/**
 * A run that keeps its folder for as long as the test needs: held after its work, before
 * its final save (the test entry's --hold-after-work), idle, where a run of 1.5 s windows
 * spun a core until it was killed.
 */
const HELD = [...TINY, '--hold-after-work'];
/**
 * The twin runs: what they are checked for is their folders, rows and ids, so their pages are
 * the test entry's stand-in (--undrawn-page), where two drawn were 1.4 CPU-s. The forced run
 * below draws the real page, whose run id it checks.
 */
const TWIN = [...TINY, '--undrawn-page'];

const holder = (pid: number, host = hostname()) => ({ pid, host, run_id: `run-of-${pid}`, started_at: new Date(0).toISOString() });

/** The pid of a process that has exited: a holder SIGKILL left behind. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function runIn(cwd: string, args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ENTRY, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...WITHOUT_NATIVE } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('run ids and folders', () => {
  it('ids carry time to the ms, host, pid and a random part, and differ within one ms', () => {
    const at = new Date('2026-11-28T16:05:09.123Z');
    const a = uniqueRunId(at, 'node 7/rack', 4242);
    assert.match(a, /^2026-11-28T16-05-09\.123Z-node-7-rack-4242-[0-9a-f]{6}$/);
    assert.notEqual(uniqueRunId(at, 'h', 1), uniqueRunId(at, 'h', 1));
  });

  it('two runs started together get two folders, each with its own rows and run_id', async () => {
    const cwd = tempDir('tb-twin-');
    // One in the file's CLI server, one spawned: two processes, one start fewer. The server is
    // started first, so its run begins at once and the spawned one a Node start later (about
    // 0.3 s): the runs overlap, each taking longer than that, but their folders are not
    // claimed in the same millisecond; ids that differ within one are the test above's.
    await cli.run(['--version']);
    const [a, b] = await Promise.all([cli.run(['run', ...TWIN], { cwd }), runIn(cwd, ['run', ...TWIN])]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const folders = readdirSync(join(cwd, 'reports'));
    assert.equal(folders.length, 2, folders.join(', '));
    const ids = folders.map((folder) => {
      const { rows } = readResults(join(cwd, 'reports', folder));
      const runJson = JSON.parse(readFileSync(join(cwd, 'reports', folder, 'run.json'), 'utf8')) as { run_id: string; status: string };
      assert.equal(runJson.status, 'completed');
      assert.ok(rows.length > 0 && rows.every((r) => r['run_id'] === runJson.run_id), 'rows of this run only');
      assert.equal(folder, runJson.run_id);
      assert.ok(!existsSync(join(cwd, 'reports', folder, LOCK_FILE)), 'lock released');
      return runJson.run_id;
    });
    assert.notEqual(ids[0], ids[1]);
  });
});

describe('the run folder lock', () => {
  it('refuses a folder a live run holds, naming it', () => {
    const dir = tempDir('tb-lock-');
    const lock = RunLock.acquire(dir, holder(process.pid), '--out X');
    try {
      assert.throws(() => RunLock.acquire(dir, holder(process.pid), '--out X'), (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.match(error.message, new RegExp(`--out X: run run-of-${process.pid} \\(pid ${process.pid} on .*\\) is writing there`));
        return true;
      });
    } finally {
      lock.release();
    }
    assert.ok(!existsSync(join(dir, LOCK_FILE)));
  });

  it('takes over the lock of a dead process of this host (SIGKILL leaves it)', () => {
    const dir = tempDir('tb-lock-');
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify(holder(deadPid())));
    const lock = RunLock.acquire(dir, holder(process.pid), '--out X');
    assert.equal(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid, process.pid);
    lock.release();
  });

  it('refuses a lock held from another host (its holder cannot be checked), saying how to clear it', () => {
    const dir = tempDir('tb-lock-');
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify(holder(deadPid(), 'other-host.example')));
    assert.throws(() => RunLock.acquire(dir, holder(process.pid), '--out X'), /on other-host\.example.*if that run is dead, remove .*\.triplet-bench\.lock/);
  });

  it('refuses a folder with an earlier run\'s files unless force, which removes them', () => {
    const dir = tempDir('tb-claim-');
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ run_id: 'old', files: RUN_OUTPUTS }));
    writeFileSync(join(dir, 'report.html'), '<html>old</html>');
    writeFileSync(join(dir, 'results.csv.123.tmp'), 'half');
    writeFileSync(join(dir, 'summary.md'), '# old');
    writeFileSync(join(dir, 'summary.md.456.tmp'), '# half');
    writeFileSync(join(dir, 'notes.txt'), 'the user\'s own file');
    const options = (force: boolean) => ({ force, what: '--out D', writes: RUN_OUTPUTS, inputs: [] });
    assert.throws(() => claimRunFolder(dir, 'new', new Date(), options(false)), /--out D: holds the files of an earlier run \(report\.html, results\.csv\.123\.tmp, run\.json, summary\.md, summary\.md\.456\.tmp\).*--force/);
    assert.ok(!existsSync(join(dir, LOCK_FILE)), 'lock released on refusal');
    const lock = claimRunFolder(dir, 'new', new Date(), options(true));
    lock.release();
    assert.deepEqual(readdirSync(dir), ['notes.txt']);
  });
});

describe('run --out over another run', () => {
  it('refuses a folder a running run holds, and after SIGKILL an earlier run\'s files unless --force', async () => {
    const out = join(tempDir('tb-out-'), 'run');
    const first = startCliWithoutNative(['run', ...HELD, '--out', out], ENTRY);
    await first.waitFor(new RegExp(HOLD_LINE));
    const second = await cli.run(['run', ...TINY, '--out', out]);
    assert.equal(second.code, 2, second.stderr);
    assert.match(second.stderr, /^triplet-bench: --out .*: run .* \(pid \d+ on .*\) is writing there/);
    first.child.kill('SIGKILL');
    await first.exited;

    const refused = await cli.run(['run', ...TINY, '--out', out]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /holds the files of an earlier run \(.*run\.json.*\).*--force/);

    const forced = await cli.run(['run', ...TINY, '--out', out, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    const runJson = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { run_id: string; status: string };
    assert.equal(runJson.status, 'completed');
    assert.ok(readResults(out).rows.every((row) => row['run_id'] === runJson.run_id), 'rows of the new run only');
    assert.match(readFileSync(join(out, 'report.html'), 'utf8'), new RegExp(runJson.run_id.replace(/\./g, '\\.')));
  });
});
