/**
 * A stdout that cannot take the output (issue 23, item 7): `compare --format json > full/x`,
 * `verify --json > full/x` and `run --json > /dev/full` left an empty or cut file and exited
 * 0. The output is what a script reads, so the command fails: exit 1, one line on stderr.
 * /dev/full runs everywhere; the file cut short on a nearly full tmpfs needs root.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { tempDir } from './data-fixtures.js';
import { fixtureRows, writeRunFolder } from './fixtures.js';
import { SIMULATE_MISSING_ENV } from '../src/native/probe.js';
import { BIN, INJECT_CLI } from './helpers.js';

/**
 * Through the test entry (INJECT_CLI), with its stand-ins for the machine's figures and the
 * page's charts, and scripted steps on a fake clock (--scripted-steps: no pool opened, no
 * window spun; the same four rows): seconds a run, and not what these runs test.
 */
const RUN = ['run', '--unmeasured-machine', '--undrawn-page', '--scripted-steps', '0.5', '--engines', 'workers', '--kernels', 'js', '--batch', '64', '--dims', '16x8', '--active', '0.3', '--threads', '1,2', '--time', '40', '--rounds', '1', '--no-progress'];
const VERIFY = ['verify', '--engines', 'workers', '--kernels', 'js', '--batch', '16', '--dims', '8x4', '--threads', '1', '--no-autograd'];
const FAILURE_LINE = /^triplet-bench: cannot write to stdout: no space left on the device \(ENOSPC\)$/m;

/**
 * Runs the CLI with stdout written to `path`; stderr comes back. Without the native probe,
 * which loads tfjs-node in a child (about 1.5 CPU-s a command) to see whether engines none
 * of these commands uses can run.
 */
function runInto(path: string, args: readonly string[], entry = BIN): { code: number | null; stderr: string } {
  const fd = openSync(path, 'w');
  try {
    const result = spawnSync(process.execPath, [entry, ...args], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', [SIMULATE_MISSING_ENV]: '1' }, timeout: 300_000 });
    return { code: result.status, stderr: result.stderr };
  } finally {
    closeSync(fd);
  }
}

/** Lines on stderr that say stdout failed. */
const failureLines = (stderr: string) => stderr.split('\n').filter((line) => line.includes('cannot write to stdout'));

describe('stdout on a full device: exit 1 and one line on stderr', () => {
  const runFolder = writeRunFolder(join(tempDir('tb-stdout-'), 'run'), fixtureRows());
  const runOut = join(tempDir('tb-stdout-'), 'out');
  const cases: readonly { what: string; args: string[]; entry?: string; check?: () => void }[] = [
    { what: 'compare --format json > /dev/full', args: ['compare', runFolder, runFolder, '--format', 'json'] },
    { what: 'verify --json > /dev/full', args: [...VERIFY, '--json'] },
    {
      what: 'run --json > /dev/full, its files written all the same',
      args: [...RUN, '--json', '--out', runOut],
      entry: INJECT_CLI,
      check: () => assert.equal((JSON.parse(readFileSync(join(runOut, 'run.json'), 'utf8')) as { status: string }).status, 'completed'),
    },
  ];
  for (const c of cases) {
    it(c.what, () => {
      const { code, stderr } = runInto('/dev/full', c.args, c.entry);
      assert.equal(code, 1, stderr);
      assert.match(stderr, FAILURE_LINE);
      assert.equal(failureLines(stderr).length, 1, stderr);
      c.check?.();
    });
  }
});

const mounted: string[] = [];
after(() => {
  for (const dir of mounted) spawnSync('umount', [dir]);
});

describe('stdout cut short on a nearly full disk', () => {
  const skip = process.getuid?.() !== 0 ? 'needs root to mount a tmpfs' : false;
  it('run --json into a file with room for part of it exits 1, not 0 with the JSON cut', { skip }, () => {
    const dir = tempDir('tb-stdout-tmpfs-');
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', dir], { encoding: 'utf8' });
    assert.equal(mount.status, 0, mount.stderr);
    mounted.push(dir);
    // One 4 KiB page left: the four rows' JSON is larger, so the first write takes part of it.
    writeFileSync(join(dir, 'filler'), Buffer.alloc(12 * 1024));
    const stdoutFile = join(dir, 'rows.json');
    const { code, stderr } = runInto(stdoutFile, [...RUN, '--json', '--out', join(tempDir('tb-stdout-'), 'out')], INJECT_CLI);
    assert.ok(statSync(stdoutFile).size > 0, 'the disk took part of the output');
    assert.equal(code, 1, stderr);
    assert.match(stderr, FAILURE_LINE);
  });
});
