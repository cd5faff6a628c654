/**
 * `--force` removes only what an earlier run of this tool wrote (issue 23, item 1): the
 * files its run.json or train.json lists as its manifest, never a file no run listed,
 * never an input of the command; without a manifest it refuses and names the files.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { claimRunFolder } from '../src/files/claim-out.js';
import { RUN_OUTPUTS, TRAIN_OUTPUTS } from '../src/files/manifest.js';
import { LOCK_FILE } from '../src/files/run-lock.js';
import { UsageError } from '../src/errors.js';
import { clusteredCsv, tempDir } from './data-fixtures.js';
import { cliServer } from './helpers.js';

/**
 * The file's command lines, in one process (helpers.ts, cliServer): what they compute, print
 * and write, not what needs a process of its own. Without the native backend
 * (TRIPLET_BENCH_NO_NATIVE): its probe's child loads tfjs-node, a second of CPU, and these
 * commands run the workers' js kernel.
 */
const cli = cliServer({ TRIPLET_BENCH_NO_NATIVE: '1' });

const DATA = clusteredCsv({ labels: 3, perLabel: 12, dIn: 6 });
const TRAIN = ['train', '--dims', '4', '--batch', '24', '--steps', '3', '--kernel', 'js', '--threads', '1', '--no-progress'];
/** The test entry's stand-ins for the machine's figures (calibration, roofline, memory roof): seconds a run, and not what this run tests. */
const RUN = ['run', '--unmeasured-machine', '--engines', 'workers', '--kernels', 'js', '--strategies', 'dense', '--batch', '32', '--dims', '8x4', '--threads', '1', '--time', '20', '--rounds', '1', '--no-progress'];

function claim(dir: string, force: boolean, inputs: { option: string; path: string }[] = [], writes: readonly string[] = RUN_OUTPUTS) {
  return claimRunFolder(dir, 'new', new Date(), { force, what: '--out D', writes, inputs });
}

/** A folder as an earlier run left it: its files, and run.json listing `listed`. */
function earlierRun(listed: readonly string[]): string {
  const dir = tempDir('tb-force-');
  for (const name of ['results.csv', 'report.html', 'breakeven.csv', 'results.csv.123.tmp']) writeFileSync(join(dir, name), `old ${name}`);
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ run_id: 'old', files: listed, status: 'completed' }));
  writeFileSync(join(dir, 'notes.txt'), 'the user\'s own file');
  return dir;
}


describe('--force and the manifest', () => {
  it('removes the files the earlier run lists (and their leftover .tmp), nothing else', () => {
    // A hand-edited manifest naming a user's file or a path is not obeyed for those.
    const dir = earlierRun([...RUN_OUTPUTS, 'notes.txt', '../escape']);
    claim(dir, true).release();
    assert.deepEqual(readdirSync(dir), ['notes.txt']);
  });

  it('run over a train folder removes the files train.json lists', () => {
    const dir = tempDir('tb-force-');
    for (const name of TRAIN_OUTPUTS) writeFileSync(join(dir, name), `old ${name}`);
    writeFileSync(join(dir, 'train.json'), JSON.stringify({ run_id: 'old-train', files: TRAIN_OUTPUTS }));
    claim(dir, true).release();
    assert.deepEqual(readdirSync(dir), []);
  });

  it('without a manifest, refuses and names the files, removing none', () => {
    const dir = tempDir('tb-force-');
    writeFileSync(join(dir, 'results.csv'), 'the user\'s own results');
    writeFileSync(join(dir, 'report.html'), 'the user\'s own page');
    assert.throws(() => claim(dir, true), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, /^--out D: --force removes only the files an earlier run listed in its run\.json or train\.json, never an input, so it leaves report\.html, results\.csv, .*move them away or choose another folder$/);
      return true;
    });
    assert.deepEqual(readdirSync(dir).sort(), ['report.html', 'results.csv']);
    assert.equal(readFileSync(join(dir, 'results.csv'), 'utf8'), 'the user\'s own results');
  });

  it('leaves a file the manifest does not list, refusing by name', () => {
    const dir = earlierRun(['run.json', 'results.csv']);
    assert.throws(() => claim(dir, true), /leaves breakeven\.csv, report\.html, which this run/);
    assert.ok(existsSync(join(dir, 'results.csv')), 'nothing removed on refusal');
    assert.ok(!existsSync(join(dir, LOCK_FILE)), 'lock released');
  });

  it('never removes an input of the command, even one a manifest lists', () => {
    const dir = tempDir('tb-force-');
    writeFileSync(join(dir, 'train.csv'), DATA);
    writeFileSync(join(dir, 'train.json'), JSON.stringify({ run_id: 'old', files: TRAIN_OUTPUTS }));
    assert.throws(() => claim(dir, true, [{ option: '--data', path: join(dir, 'train.csv') }]), /leaves train\.csv \(--data\)/);
    assert.equal(readFileSync(join(dir, 'train.csv'), 'utf8'), DATA);
  });

  it('train --data train.csv --out . --force: refused, the data intact', async () => {
    const cwd = tempDir('tb-k-');
    writeFileSync(join(cwd, 'train.csv'), DATA);
    const { code, stderr } = await cli.run([...TRAIN, '--data', 'train.csv', '--out', '.', '--force'], { cwd });
    assert.equal(code, 2, stderr);
    assert.match(stderr, /^triplet-bench: --out \.: its train\.csv is --data train\.csv, which this command would overwrite with its own train\.csv; choose another --out\n$/);
    assert.equal(readFileSync(join(cwd, 'train.csv'), 'utf8'), DATA);
    assert.deepEqual(readdirSync(cwd), ['train.csv']);
  });

  it('train --force over a run folder removes every file of the earlier run, breakeven.csv included', async () => {
    const out = join(tempDir('tb-over-'), 'run');
    const first = await cli.run([...RUN, '--out', out]);
    assert.equal(first.code, 0, first.stderr);
    const runJson = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { files: string[] };
    assert.deepEqual(runJson.files, [...RUN_OUTPUTS]);
    writeFileSync(join(out, 'notes.txt'), 'kept');
    const data = join(tempDir('tb-data-'), 'data.csv');
    writeFileSync(data, DATA);
    const second = await cli.run([...TRAIN, '--data', data, '--out', out, '--force']);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(readdirSync(out).sort(), ['notes.txt', 'train.csv', 'train.html', 'train.json']);
    const trainJson = JSON.parse(readFileSync(join(out, 'train.json'), 'utf8')) as { files: string[] };
    assert.deepEqual(trainJson.files, [...TRAIN_OUTPUTS]);
  });
});
