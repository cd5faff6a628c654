/**
 * compare and report refuse or warn instead of judging nothing (issue 15, items 8 and
 * 11): two runs with no configuration in common, a folder whose results.csv and
 * run.json come from different runs, an unreadable run.json, the same CSV twice.
 *
 * `report` never overwrites what is not its own (issue 23, item 9): a folder holding
 * another run keeps that run's page and break-even, a user's report.html stays, and
 * reports of several files made in the same second get a folder each.
 *
 * And `--force` removes only what an earlier run of this tool wrote (issue 23, item 1): the
 * files its run.json or train.json lists as its manifest, never a file no run listed,
 * never an input of the command; without a manifest it refuses and names the files.
 *
 * (The tests of report's folders and of --force were once report-out.test.ts and
 * force-manifest.test.ts: one test process for all spares the CPU of more starts, more
 * CLI servers and loading the report's modules again.)
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { UsageError } from '../src/errors.js';
import { claimRunFolder } from '../src/files/claim-out.js';
import { RUN_OUTPUTS, TRAIN_OUTPUTS } from '../src/files/manifest.js';
import { LOCK_FILE } from '../src/files/run-lock.js';
import { defaultReportFolder } from '../src/report/report-folder.js';
import { clusteredCsv, tempDir } from './data-fixtures.js';
import { fixtureRows, writeRunFolder } from './fixtures.js';
import { cliServer, INJECT_CLI, type CliResult } from './helpers.js';

/**
 * The file's command lines, in one process (helpers.ts, cliServer): what they compute, print
 * and write, not what needs a process of its own. Without the native backend
 * (TRIPLET_BENCH_NO_NATIVE): its probe's child loads tfjs-node, a second of CPU, and the
 * runs and trainings here run the workers' js kernel.
 */
const cli = cliServer({ TRIPLET_BENCH_NO_NATIVE: '1' });

const temp = () => mkdtempSync(join(tmpdir(), 'tb-guard-'));

/** A fixture run folder, its rows changed by `edit`. */
function folder(edit: (row: ReturnType<typeof fixtureRows>[number]) => void = () => {}): string {
  const rows = fixtureRows();
  rows.forEach(edit);
  return writeRunFolder(temp(), rows);
}

/**
 * The test entry's stand-in for report.html's charts (test/inject/undrawn-page.ts): these
 * tests read which files `report` writes or refuses, not the page, which costs about 0.7
 * CPU-s to draw. The one test that reads the page draws it.
 */
const UNDRAWN_PAGE = '--undrawn-page';

/** A fixture run folder of one row, for a page: what these tests read is a warning, and every page drawn costs CPU by the row. */
const pageFolder = () => writeRunFolder(temp(), fixtureRows().slice(0, 1));

interface RefusedCompare {
  readonly what: string;
  readonly folders: () => [string, string];
  readonly names: RegExp;
}

const REFUSED: readonly RefusedCompare[] = [
  {
    what: 'two runs of different batch and dims pair nothing: exit 2, saying why',
    folders: () => [folder(), folder((row) => Object.assign(row, { batch: 16, d_in: 8, d_out: 4 }))],
    names: /nothing paired: .* share no configuration.*batch 256 vs 16; dims 64x32 vs 8x4/,
  },
  {
    what: 'a run with no rows pairs nothing',
    folders: () => [folder(), writeRunFolder(temp(), [])],
    names: /nothing paired: .*CURRENT has no rows/,
  },
  {
    what: 'a folder whose results.csv and run.json are of different runs',
    folders: () => {
      const mixed = folder();
      const runJson = JSON.parse(readFileSync(join(mixed, 'run.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(mixed, 'run.json'), JSON.stringify({ ...runJson, run_id: 'another-run' }));
      return [folder(), mixed];
    },
    names: /CURRENT .*: results\.csv holds run fixture-run but run\.json is of run another-run; the folder mixes two runs' files/,
  },
];

describe('compare refuses to judge nothing', () => {
  for (const c of REFUSED) {
    it(c.what, async () => {
      const { code, stdout, stderr } = await cli.run(['compare', ...c.folders()]);
      assert.equal(code, 2, stderr);
      assert.equal(stdout, '');
      assert.equal(stderr.trim().split('\n').length, 1, stderr);
      assert.match(stderr, /^triplet-bench: /);
      assert.match(stderr, c.names);
    });
  }
});

describe('report warns about what it could not use', () => {
  it('an unreadable run.json beside the CSV: a warning on stderr and on the page', async () => {
    const dir = pageFolder();
    writeFileSync(join(dir, 'run.json'), '{"status": "comp');
    const out = join(temp(), 'page');
    const { code, stderr } = await cli.run(['report', join(dir, 'results.csv'), '--out', out]);
    assert.equal(code, 0, stderr);
    assert.match(stderr, /warning: .*run\.json: not JSON.*not used, so the page has no environment/);
    assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /run\.json: not JSON/);
  });

  it('a run.json of another run beside the CSV', async () => {
    const dir = pageFolder();
    const runJson = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...runJson, run_id: 'another-run' }));
    const { code, stderr } = await cli.run(['report', UNDRAWN_PAGE, join(dir, 'results.csv'), '--out', join(temp(), 'page')]);
    assert.equal(code, 0, stderr);
    assert.match(stderr, /warning: .*run\.json is of run another-run, not of .*results\.csv \(fixture-run\): not used/);
  });

  it('the same CSV twice (under two spellings) is read once, with a warning', async () => {
    const dir = pageFolder();
    const out = join(temp(), 'page');
    const { code, stderr } = await cli.run(['report', UNDRAWN_PAGE, join(dir, 'results.csv'), join(dir, '.', 'results.csv'), '--out', out]);
    assert.equal(code, 0, stderr);
    assert.match(stderr, /warning: .*results\.csv is .*results\.csv again: read once/);
    assert.match(stderr, /from 1 file\)/);
  });
});

/** A fixture run folder of `rows` whose run.json says `status`. */
function runWithStatus(rows: ReturnType<typeof fixtureRows>, status: string): string {
  const dir = writeRunFolder(temp(), rows);
  const runJson = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...runJson, status }));
  return dir;
}

// Issue 23 item 3: a full run against an interrupted one exited 0 ("0 added, 8 removed").
describe('compare fails the gate on an incomplete comparison unless --allow-missing', () => {
  it('an interrupted CURRENT missing configurations: exit 1, saying both; --allow-missing: exit 0, still saying them', async () => {
    const rows = fixtureRows();
    const base = writeRunFolder(temp(), rows);
    const current = runWithStatus(rows.slice(0, 2), 'interrupted');
    const missing = rows.length - 2;
    const failed = await cli.run(['compare', base, current]);
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stdout, new RegExp(`^incomplete comparison fails the gate: CURRENT ${current} is interrupted, not completed: .*; ${missing} configurations of BASE are missing from CURRENT \\(listed under removed\\); pass --allow-missing when missing rows are expected$`, 'm'));
    const allowed = await cli.run(['compare', base, current, '--allow-missing']);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stdout, /^incomplete, allowed by --allow-missing: CURRENT .* is interrupted, not completed/m);
  });

  it('configurations missing from a completed CURRENT: exit 1; json and stderr say which', async () => {
    const rows = fixtureRows();
    const { code, stdout, stderr } = await cli.run(['compare', writeRunFolder(temp(), rows), writeRunFolder(temp(), rows.slice(1)), '--format', 'json']);
    assert.equal(code, 1, stderr);
    const result = JSON.parse(stdout) as { incomplete: string[]; allow_missing: boolean; removed: string[] };
    assert.deepEqual(result.incomplete, ['1 configuration of BASE is missing from CURRENT (listed under removed)']);
    assert.equal(result.allow_missing, false);
    assert.equal(result.removed.length, 1);
    assert.match(stderr, /^error: incomplete comparison fails the gate: 1 configuration of BASE is missing from CURRENT/m);
  });

  it('a BASE killed mid-run (run.json still running) fails the gate though every row pairs', async () => {
    const rows = fixtureRows();
    const { code, stdout } = await cli.run(['compare', runWithStatus(rows, 'running'), writeRunFolder(temp(), rows), '--format', 'markdown']);
    assert.equal(code, 1, stdout);
    assert.match(stdout, /^> \*\*Gate failed:\*\* incomplete comparison fails the gate: BASE .* is running, not completed/m);
  });

  it('configurations only CURRENT has fail nothing', async () => {
    const rows = fixtureRows();
    const { code, stdout, stderr } = await cli.run(['compare', writeRunFolder(temp(), rows.slice(1)), writeRunFolder(temp(), rows)]);
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stdout, /incomplete/);
  });
});

/**
 * A run folder of `runId` with its own page and break-even. One row: what these tests
 * decide is where a page may go, and every page drawn costs CPU by the row.
 */
function runFolder(runId: string): string {
  const dir = writeRunFolder(join(tempDir('tb-rep-'), runId), fixtureRows().slice(0, 1).map((row) => ({ ...row, run_id: runId })));
  writeFileSync(join(dir, 'report.html'), `<h1>triplet-bench report</h1> page of ${runId}`);
  writeFileSync(join(dir, 'breakeven.csv'), `break-even of ${runId}`);
  return dir;
}

/**
 * `report ...args` in a process of its own, started in `cwd`: two at once race for the default
 * folder as two users' reports would. The test entry with the stand-in page: what is raced for
 * is the folder, and two pages drawn were 1.5 CPU-s of the file's 8.
 */
function reportIn(cwd: string, args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [INJECT_CLI, 'report', UNDRAWN_PAGE, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout: '', stderr }));
  });
}

describe('report --out over another run', () => {
  it('report A/results.csv --out B, B another run\'s folder: exit 2, B\'s page and break-even kept', async () => {
    const a = runFolder('run-a');
    const b = runFolder('run-b');
    const { code, stderr } = await cli.run(['report', UNDRAWN_PAGE, join(a, 'results.csv'), '--out', b]);
    assert.equal(code, 2, stderr);
    assert.match(stderr, /^triplet-bench: --out \S+: holds run run-b \(run\.json\), whose report\.html and breakeven\.csv are drawn from its own results\.csv alone; choose another folder for a page of \S+results\.csv\n$/);
    assert.equal(readFileSync(join(b, 'report.html'), 'utf8'), '<h1>triplet-bench report</h1> page of run-b');
    assert.equal(readFileSync(join(b, 'breakeven.csv'), 'utf8'), 'break-even of run-b');
  });

  it('a page of several files into one of their run folders: exit 2', async () => {
    const a = runFolder('run-a');
    const b = runFolder('run-b');
    const { code, stderr } = await cli.run(['report', UNDRAWN_PAGE, join(a, 'results.csv'), join(b, 'results.csv'), '--out', a]);
    assert.equal(code, 2, stderr);
    assert.match(stderr, /holds run run-a .*for a page of these 2 files/);
    assert.match(readFileSync(join(a, 'report.html'), 'utf8'), /page of run-a/);
  });

  it('a run\'s own results.csv redraws its page, by default or with --out', async () => {
    const a = runFolder('run-a');
    for (const args of [[join(a, 'results.csv')], [join(a, 'results.csv'), '--out', a]]) {
      const { code, stderr } = await cli.run(['report', UNDRAWN_PAGE, ...args]);
      assert.equal(code, 0, stderr);
      assert.doesNotMatch(readFileSync(join(a, 'report.html'), 'utf8'), /page of run-a/);
    }
  });

  it('a report.html or breakeven.csv the user wrote: exit 2, kept; the tool\'s own: redrawn', async () => {
    const a = runFolder('run-a');
    const out = tempDir('tb-rep-out-');
    writeFileSync(join(out, 'report.html'), '<h1>my own notes</h1>');
    const refused = await cli.run(['report', UNDRAWN_PAGE, join(a, 'results.csv'), '--out', out]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /holds report\.html not written by triplet-bench, which report would replace; choose another folder/);
    assert.equal(readFileSync(join(out, 'report.html'), 'utf8'), '<h1>my own notes</h1>');

    // Nor a Markdown summary of the user's (issue 22, item 7: report writes one beside the page).
    const notes = tempDir('tb-rep-out-');
    writeFileSync(join(notes, 'summary.md'), '# my summary');
    const kept = await cli.run(['report', UNDRAWN_PAGE, join(a, 'results.csv'), '--out', notes]);
    assert.equal(kept.code, 2, kept.stderr);
    assert.match(kept.stderr, /holds summary\.md not written by triplet-bench/);
    assert.equal(readFileSync(join(notes, 'summary.md'), 'utf8'), '# my summary');

    const fresh = tempDir('tb-rep-out-');
    assert.equal((await cli.run(['report', UNDRAWN_PAGE, join(a, 'results.csv'), '--out', fresh])).code, 0);
    assert.match(readFileSync(join(fresh, 'summary.md'), 'utf8'), /^# triplet-bench: /);
    const again = await cli.run(['report', UNDRAWN_PAGE, join(a, 'results.csv'), '--out', fresh]);
    assert.equal(again.code, 0, again.stderr);
  });
});

describe('default folders of reports of several files', () => {
  it('differ for reports made in the same millisecond', () => {
    const now = new Date('2026-12-05T01:00:00.000Z');
    const files = ['a/results.csv', 'b/results.csv'];
    const folders = new Set([1, 2, 3].map(() => defaultReportFolder(files, now)));
    assert.equal(folders.size, 3);
    assert.equal(defaultReportFolder(['a/results.csv'], now), 'a');
  });

  it('two reports side by side leave two folders', async () => {
    const a = join(runFolder('run-a'), 'results.csv');
    const b = join(runFolder('run-b'), 'results.csv');
    const cwd = tempDir('tb-rep-cwd-');
    const results = await Promise.all([reportIn(cwd, [a, b]), reportIn(cwd, [a, b])]);
    for (const result of results) assert.equal(result.code, 0, result.stderr);
    assert.equal(readdirSync(join(cwd, 'reports')).length, 2);
  });
});

const DATA = clusteredCsv({ labels: 3, perLabel: 12, dIn: 6 });
const TRAIN = ['train', '--dims', '4', '--batch', '24', '--steps', '3', '--kernel', 'js', '--threads', '1', '--no-progress'];
/** The test entry's stand-ins for the machine's figures (calibration, roofline, memory roof): seconds a run, and not what this run tests. */
const RUN = ['run', '--unmeasured-machine', UNDRAWN_PAGE, '--engines', 'workers', '--kernels', 'js', '--strategies', 'dense', '--batch', '32', '--dims', '8x4', '--threads', '1', '--time', '20', '--rounds', '1', '--no-progress'];

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
