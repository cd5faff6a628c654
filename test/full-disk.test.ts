/**
 * A full disk (issue 15, item 5): the error names the file, no temporary file is left,
 * every file keeps its last complete content, and the run is marked `failed` with the
 * reason and its end wherever that can still be written. The CLI cases run on a 64 KiB
 * tmpfs when the tests run as root; the injected failure runs everywhere.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { writeFileAtomic, WriteError, writeStatusFile } from '../src/files/atomic.js';
import { RunReport } from '../src/report/run-report.js';
import { readEnvironment } from '../src/environment/environment.js';
import { SIMULATE_MISSING_ENV } from '../src/native/probe.js';
import { clusteredCsv, csvFile, tempDir } from './data-fixtures.js';
import { cliServer } from './helpers.js';

/**
 * The file's command lines, in one process (helpers.ts, cliServer): what they compute, print
 * and write, not what needs a process of its own. Without the native probe, which loads
 * tfjs-node in a child (about 1.5 CPU-s) to see whether engines these commands do not use can run.
 */
const cli = cliServer({ [SIMULATE_MISSING_ENV]: '1' });

/** Why no tmpfs can be mounted here (not root, no mount), or undefined. */
function noTmpfs(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to mount a tmpfs';
  const probe = mountTmpfs();
  if (typeof probe === 'string') return probe;
  spawnSync('umount', [probe.dir]);
  return undefined;
}

/** A fresh 64 KiB tmpfs, or why not. */
function mountTmpfs(): { dir: string } | string {
  const dir = tempDir('tb-full-');
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { encoding: 'utf8' });
  if (mounted.status !== 0) return `mount failed: ${mounted.stderr.trim()}`;
  mounted_.push(dir);
  return { dir };
}

const mounted_: string[] = [];
const skip = noTmpfs();
after(() => {
  for (const dir of mounted_) spawnSync('umount', [dir]);
});

// With its progress lines (not a terminal: one line per configuration), which a warning must not be glued onto. Rows of
// a few hundred samples each make run.json the largest file, which fills the 64 KiB part-way through the sweep: windows
// of 200 scripted 0.5 ms steps (the test entry's --scripted-steps, on a fake clock: the same samples every time, and no
// core spun for them), 16 of them. The test entry's stand-ins for the machine's figures: seconds a run, and not what
// fills the disk.
const RUN = ['run', '--unmeasured-machine', '--scripted-steps', '0.5', '--engines', 'workers', '--kernels', 'js', '--batch', '16', '--dims', '8x4', '--active', '0.3', '--threads', '1', '--time', '100', '--rounds', '8'];
const TRAIN = ['train', '--dims', '4', '--batch', '24', '--epochs', '5', '--kernel', 'js', '--threads', '1', '--no-progress'];

interface FullDiskCase {
  readonly what: string;
  readonly args: (out: string) => string[];
  /** The file holding the run's status. */
  readonly statusFile: string;
  /** KiB of the 64 taken before the command starts, so that it runs out part-way. */
  readonly fillKiB: number;
  /** Whether the status file must say `failed`; else a line may say it keeps its last status. */
  readonly mustSayFailed: boolean;
}

const CASES: readonly FullDiskCase[] = [
  // run.json, with every sample, is the run's largest file: a full disk has no room for its temporary copy (issue 23, item 7).
  { what: 'run', args: (out) => [...RUN, '--out', out], statusFile: 'run.json', fillKiB: 0, mustSayFailed: true },
  { what: 'train', args: (out) => [...TRAIN, '--data', csvFile('full.csv', clusteredCsv({ labels: 3, perLabel: 12, dIn: 6 })), '--out', out], statusFile: 'train.json', fillKiB: 40, mustSayFailed: false },
];

describe('a full disk: exit 1 naming the file, no temp files, status failed', () => {
  for (const c of CASES) {
    it(c.what, { skip: skip ?? false }, async () => {
      const tmpfs = mountTmpfs() as { dir: string };
      if (c.fillKiB > 0) writeFileSync(join(tmpfs.dir, 'filler'), Buffer.alloc(c.fillKiB * 1024));
      const out = join(tmpfs.dir, c.what);
      const { code, stderr } = await cli.run(c.args(out));
      assert.equal(code, 1, stderr);
      assert.match(stderr, /triplet-bench: cannot write \/\S+\/(results\.csv|run\.json|report\.html|summary\.md|train\.csv|train\.json|train\.html): no space left on the device \(ENOSPC\)/);
      assert.deepEqual(readdirSync(out).filter((name) => name.endsWith('.tmp')), [], 'no temporary files');
      assert.doesNotMatch(stderr, /[^\n](warning: |triplet-bench: )/, 'every warning and error on a line of its own');
      const status = JSON.parse(readFileSync(join(out, c.statusFile), 'utf8')) as { status: string; failure?: string; ended_at?: string | null };
      if (c.mustSayFailed) assert.equal(status.status, 'failed', stderr);
      if (status.status === 'failed') {
        assert.match(status.failure ?? '', /ENOSPC/);
        assert.ok(status.ended_at, 'ended_at');
      } else {
        // The disk took not even the status file: the last complete one stays, and a line says so.
        assert.match(stderr, new RegExp(`${c.statusFile.replace('.', '\\.')} keeps its last status, not "failed": it could not be rewritten either \\(ENOSPC\\)`));
      }
    });
  }
});

describe('a status file on a disk with no byte left', () => {
  it('is rewritten in its own blocks, without indentation, when there is no room for a temporary copy', { skip: skip ?? false }, () => {
    const tmpfs = mountTmpfs() as { dir: string };
    const path = join(tmpfs.dir, 'run.json');
    const samples = Array.from({ length: 2000 }, (_, i) => 0.5 + i / 1e6);
    writeFileSync(path, `${JSON.stringify({ status: 'running', samples_ms: samples }, null, 2)}\n`);
    try {
      writeFileSync(join(tmpfs.dir, 'filler'), Buffer.alloc(64 * 1024));
    } catch {
      // ENOSPC: the filler took every byte left, as intended.
    }
    assert.throws(() => writeFileAtomic(path, 'x'.repeat(8192)), /ENOSPC/);
    writeStatusFile(path, { status: 'failed', failure: 'cannot write results.csv (ENOSPC)', samples_ms: samples });
    const written = JSON.parse(readFileSync(path, 'utf8')) as { status: string; samples_ms: number[] };
    assert.equal(written.status, 'failed');
    assert.deepEqual(written.samples_ms, samples);
    assert.deepEqual(readdirSync(tmpfs.dir).sort(), ['filler', 'run.json']);
  });
});

describe('an injected write failure', () => {
  it('writeFileAtomic names the file, removes its temporary file and keeps the old content', () => {
    const dir = tempDir('tb-write-');
    mkdirSync(join(dir, 'results.csv'));
    assert.throws(() => writeFileAtomic(join(dir, 'results.csv'), 'x'), (error: unknown) => {
      assert.ok(error instanceof WriteError);
      assert.match(error.message, /^cannot write .*results\.csv: .*\(EISDIR\)$/);
      return true;
    });
    assert.deepEqual(readdirSync(dir), ['results.csv']);
  });

  it('a run whose results.csv cannot be written is still marked failed in run.json, with the reason', () => {
    const dir = tempDir('tb-write-');
    mkdirSync(join(dir, 'results.csv'));
    const report = new RunReport(dir, { run_id: 'r', command: [], options: {}, environment: readEnvironment(), started_at: new Date().toISOString() }, () => new Date());
    const lines: string[] = [];
    report.saveFailed([], new WriteError(join(dir, 'results.csv'), 'ENOSPC'), (line) => lines.push(line));
    const runJson = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { status: string; failure: string; ended_at: string };
    assert.equal(runJson.status, 'failed');
    assert.match(runJson.failure, /results\.csv: no space left on the device \(ENOSPC\)/);
    assert.ok(runJson.ended_at);
    assert.deepEqual(lines, []);
  });

  it('says so when even the status file cannot be written', () => {
    const dir = tempDir('tb-write-');
    mkdirSync(join(dir, 'results.csv'));
    mkdirSync(join(dir, 'run.json'));
    const report = new RunReport(dir, { run_id: 'r', command: [], options: {}, environment: readEnvironment(), started_at: new Date().toISOString() }, () => new Date());
    const lines: string[] = [];
    report.saveFailed([], new Error('disk full'), (line) => lines.push(line));
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /run\.json keeps its last status, not "failed": it could not be rewritten either \(EISDIR\)/);
  });
});
