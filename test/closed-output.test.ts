/**
 * A closed stdout or stderr (issue 15, item 7): `run ... 2>&1 | head -1` and any log
 * filter that exits early must not stop the measurement; the command stops writing to
 * the closed pipe and finishes its run and its files, exit 0.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { clusteredCsv, csvFile, tempDir } from './data-fixtures.js';
import { SIMULATE_MISSING_ENV } from '../src/native/probe.js';
import { BIN, INJECT_CLI, readResults } from './helpers.js';

/**
 * The test entry's stand-ins for the machine's figures (calibration, roofline, memory roof)
 * and for report.html's charts (--undrawn-page): seconds a run, and not what these runs test.
 */
const UNMEASURED = ['--unmeasured-machine', '--undrawn-page'];
/**
 * The environment of every command here: no native probe, which loads tfjs-node in a child
 * (about 1.5 CPU-s a command) to see whether engines none of these commands uses can run.
 */
const ENV = { ...process.env, NO_COLOR: '1', [SIMULATE_MISSING_ENV]: '1' };

/** Runs the CLI and closes both its output pipes once it has written its first bytes. */
function runWithClosedOutput(args: readonly string[], entry = BIN): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [entry, ...args], { env: ENV });
    const close = () => {
      child.stdout.destroy();
      child.stderr.destroy();
    };
    child.stderr.once('data', close);
    child.stdout.once('data', close);
    child.on('exit', (code) => resolve(code));
  });
}

interface ClosedCase {
  readonly what: string;
  readonly args: (out: string) => string[];
  /** The entry point: the product's, or the test entry for a command spared measuring the machine or drawing its page. */
  readonly entry?: string;
  readonly check: (out: string) => void;
}

const CASES: readonly ClosedCase[] = [
  {
    what: 'run with progress lines into a closed pipe',
    // Two configurations on one thread: a progress line for each after the pipes closed.
    args: (out) => ['run', ...UNMEASURED, '--engines', 'workers', '--kernels', 'js', '--batch', '64', '--dims', '16x8', '--active', '0.3', '--threads', '1', '--time', '40', '--rounds', '1', '--out', out],
    entry: INJECT_CLI,
    check: (out) => {
      const runJson = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { status: string; configurations: unknown[] };
      assert.equal(runJson.status, 'completed');
      assert.equal(readResults(out).rows.length, 2);
    },
  },
  {
    what: 'train with progress lines into a closed pipe',
    // Through the test entry with train.html's stand-in: what a closed pipe does is the subject, not the page.
    args: (out) => ['train', '--undrawn-page', '--data', csvFile('closed.csv', clusteredCsv({ labels: 3, perLabel: 12, dIn: 6 })), '--dims', '4', '--batch', '24', '--epochs', '10', '--kernel', 'js', '--threads', '1', '--out', out],
    entry: INJECT_CLI,
    check: (out) => {
      const trainJson = JSON.parse(readFileSync(join(out, 'train.json'), 'utf8')) as { status: string };
      assert.equal(trainJson.status, 'completed');
      assert.ok(readFileSync(join(out, 'train.csv'), 'utf8').trim().split('\n').length > 1, 'steps recorded');
    },
  },
];

describe('a closed stdout and stderr never stop the work', () => {
  for (const c of CASES) {
    it(c.what, async () => {
      const out = join(tempDir('tb-epipe-'), 'out');
      const code = await runWithClosedOutput(c.args(out), c.entry);
      assert.equal(code, 0);
      c.check(out);
    });
  }
});

/**
 * The terminal goes away (a dropped ssh session) while the command writes to it: its writes
 * fail with EIO. Nobody reads that terminal any more, so they are dropped like a closed
 * pipe's (issue 23, item 5), not a failed stdout that exits 1 (item 7). A pty from Python
 * stands in for the terminal: not the command's controlling terminal, so closing it sends
 * no SIGHUP and the EIO alone is tested.
 */
const PTY_THEN_HANG_UP = [
  'import os, pty, subprocess, sys',
  'master, slave = pty.openpty()',
  'child = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)',
  'os.close(slave)',
  'os.read(master, 1)',
  'os.close(master)',
  'sys.exit(child.wait())',
].join('\n');

const python = spawnSync('python3', ['-c', 'import pty'], { encoding: 'utf8' });

describe('a terminal that went away', () => {
  it('writes to it are dropped: the run finishes its files, exit 0', { skip: python.status === 0 ? false : 'needs python3 with pty' }, () => {
    const out = join(tempDir('tb-eio-'), 'out');
    // One configuration: its pool's opening and window keep the run writing well after the terminal went.
    const args = ['run', ...UNMEASURED, '--engines', 'workers', '--kernels', 'js', '--strategies', 'compact', '--batch', '64', '--dims', '16x8', '--active', '0.3', '--threads', '1', '--time', '40', '--rounds', '1', '--out', out];
    const result = spawnSync('python3', ['-c', PTY_THEN_HANG_UP, process.execPath, INJECT_CLI, ...args], { encoding: 'utf8', env: ENV, timeout: 300_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.equal((JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { status: string }).status, 'completed');
  });
});
