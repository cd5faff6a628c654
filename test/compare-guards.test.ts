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
 * force-manifest.test.ts, and compare's statistics and verdicts compare.test.ts: one test
 * process for all spares the CPU of more starts, more CLI servers and loading the report's
 * modules again.)
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ResultRow } from '../src/bench/rows.js';
import { UsageError } from '../src/errors.js';
import { claimRunFolder } from '../src/files/claim-out.js';
import { RUN_OUTPUTS, TRAIN_OUTPUTS } from '../src/files/manifest.js';
import { LOCK_FILE } from '../src/files/run-lock.js';
import { verdictOf } from '../src/report/compare/compare.js';
import { pairingKey } from '../src/report/compare/pairing.js';
import { throughputChange } from '../src/report/compare/statistics.js';
import { defaultReportFolder } from '../src/report/report-folder.js';
import { clusteredCsv, tempDir } from './data-fixtures.js';
import { fixtureRows, fixtureSamples, writeRunFolder } from './fixtures.js';
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
const TRAIN = ['train', UNDRAWN_PAGE, '--dims', '4', '--batch', '24', '--steps', '3', '--kernel', 'js', '--threads', '1', '--no-progress'];
/** The test entry's stand-ins for the machine's figures (calibration, roofline, memory roof) and the pages: seconds a run, and not what this run tests. */
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

/* compare's statistics, pairing and verdicts, and the compare command's exit codes and formats. */

/** The fixture run with one configuration's steps 25 % longer: 20 % fewer triplets/s, in samples and CSV alike. */
function slowedCopy(dir: string, victim: number): { rows: ResultRow[]; key: string } {
  const rows = fixtureRows();
  const samples = rows.map((row, i) => fixtureSamples(row.p50_ms as number, i));
  const slow = 1 / 0.8;
  const row = rows[victim]!;
  for (const column of ['mean_ms', 'p50_ms', 'p99_ms', 'sd_ms'] as const) row[column] = (row[column] as number) * slow;
  row.triplets_per_s = (row.triplets_per_s as number) * 0.8;
  row.gflops = (row.gflops as number) * 0.8;
  samples[victim] = samples[victim]!.map((s) => s * slow);
  writeRunFolder(dir, rows, samples);
  return { rows, key: pairingKey(row) };
}

describe('compare statistics', () => {
  it('matches R\'s Welch test on the sleep data (t.test(x, y), on the logs of the samples)', () => {
    // R: t.test(extra ~ group, sleep): t = -1.8608, df = 17.776, p = 0.07939, CI -3.3654832 .. 0.2054832.
    const group1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
    const group2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
    const change = throughputChange(group1.map(Math.exp), group2.map(Math.exp))!;
    assert.ok(Math.abs(change.pValue - 0.07939) < 1e-4, String(change.pValue));
    assert.ok(Math.abs(Math.log(change.ratio) - (0.75 - 2.33)) < 1e-12);
    assert.ok(Math.abs(Math.log(change.ciLow) - -3.3654832) < 1e-5, String(Math.log(change.ciLow)));
    assert.ok(Math.abs(Math.log(change.ciHigh) - 0.2054832) < 1e-5, String(Math.log(change.ciHigh)));
  });

  it('gives ratio 1 and p 1 for identical samples, and 0.8 with a tight interval for steps 25 % longer', () => {
    const base = fixtureSamples(2, 3);
    const same = throughputChange(base, [...base])!;
    assert.equal(same.ratio, 1);
    assert.equal(same.pValue, 1);
    const slower = throughputChange(base, base.map((s) => s * 1.25))!;
    assert.ok(Math.abs(slower.ratio - 0.8) < 1e-12);
    assert.ok(slower.pValue < 1e-6);
    assert.ok(slower.ciLow < 0.8 && slower.ciHigh > 0.8 && slower.ciHigh < 0.85);
  });

  it('needs two samples a side, and treats spread-free samples without dividing by zero', () => {
    assert.equal(throughputChange([1], [1, 2]), null);
    assert.deepEqual(throughputChange([2, 2], [2, 2]), { ratio: 1, ciLow: 1, ciHigh: 1, pValue: 1 });
    assert.equal(throughputChange([2, 2], [4, 4])!.pValue, 0);
  });

  it('calls a change a regression only when significant and beyond the threshold', () => {
    assert.equal(verdictOf({ ratio: 0.9, ciLow: 0.88, ciHigh: 0.92, pValue: 0.001 }, 5), 'regression');
    assert.equal(verdictOf({ ratio: 0.9, ciLow: 0.7, ciHigh: 1.1, pValue: 0.3 }, 5), 'inconclusive');
    assert.equal(verdictOf({ ratio: 0.97, ciLow: 0.96, ciHigh: 0.98, pValue: 0.001 }, 5), 'unchanged');
    assert.equal(verdictOf({ ratio: 1.2, ciLow: 1.1, ciHigh: 1.3, pValue: 0.001 }, 5), 'improvement');
  });
});

describe('triplet-bench compare', () => {
  it('finds no regression comparing a run with itself, exit 0', async () => {
    const dir = writeRunFolder(join(temp(), 'run'), fixtureRows());
    const { code, stdout, stderr } = await cli.run(['compare', dir, dir, '--format', 'json']);
    assert.equal(code, 0, stderr);
    const result = JSON.parse(stdout) as { configurations: { verdict: string; ratio: number }[]; added: string[]; removed: string[]; warnings: string[] };
    assert.equal(result.configurations.length, fixtureRows().length);
    for (const c of result.configurations) {
      assert.equal(c.verdict, 'unchanged');
      assert.equal(c.ratio, 1);
    }
    assert.deepEqual([result.added, result.removed, result.warnings], [[], [], []]);
  });

  it('reports exactly the configuration made 20 % slower as a regression, exit 1', async () => {
    const root = temp();
    const base = writeRunFolder(join(root, 'base'), fixtureRows());
    const { key } = slowedCopy(join(root, 'current'), 1);
    const { code, stdout } = await cli.run(['compare', base, join(root, 'current'), '--format', 'json']);
    assert.equal(code, 1, stdout);
    const result = JSON.parse(stdout) as { configurations: { configuration: string; verdict: string; ratio: number; p_value: number }[] };
    const flagged = result.configurations.filter((c) => c.verdict !== 'unchanged');
    assert.deepEqual(flagged.map((c) => [c.configuration, c.verdict]), [[key, 'regression']]);
    assert.ok(Math.abs(flagged[0]!.ratio - 0.8) < 1e-9);
    // A threshold above the change lets it pass.
    assert.equal((await cli.run(['compare', base, join(root, 'current'), '--threshold', '25'])).code, 0);
  });

  it('warns when a paired row was measured under interference, naming it, and keeps the verdict', async () => {
    const root = temp();
    const base = writeRunFolder(join(root, 'base'), fixtureRows());
    const { rows, key } = slowedCopy(join(root, 'current'), 1);
    rows[1]!.interference_cores = 1.31;
    rows[1]!.interference_limit = 0.25;
    rows[1]!.throttled_periods = 0;
    writeRunFolder(join(root, 'current'), rows, rows.map((row, i) => fixtureSamples(row.p50_ms as number, i)));
    const { code, stdout } = await cli.run(['compare', base, join(root, 'current'), '--format', 'json']);
    assert.equal(code, 1, 'a regression measured under interference is still reported as measured');
    const result = JSON.parse(stdout) as { warnings: string[]; configurations: { configuration: string; note: string }[] };
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0]!, new RegExp(`^1 of ${rows.length} paired configurations were measured under interference \\(base 0, current 1; .*interference_cores.*: ${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    assert.equal(result.configurations.find((c) => c.configuration === key)!.note, 'current measured under interference (others 1.31 cores)');
  });

  it('lists configurations only one run has as added or removed, and warns about different machines', async () => {
    const root = temp();
    const rows = fixtureRows();
    const base = writeRunFolder(join(root, 'base'), rows.slice(1));
    const otherHost = rows.slice(0, -1).map((row) => ({ ...row, host: 'other-host' }));
    const current = writeRunFolder(join(root, 'current'), otherHost);
    // A removed configuration fails the gate unless missing rows are expected (compare-guards.test.ts).
    assert.equal((await cli.run(['compare', base, current])).code, 1);
    const { code, stdout, stderr } = await cli.run(['compare', base, current, '--format', 'markdown', '--allow-missing']);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^### triplet-bench compare: 0 regressions, 0 improvements beyond 5 %/);
    assert.match(stdout, /\| verdict \| configuration \|/);
    assert.match(stdout, new RegExp(`\\*\\*Added\\*\\* \\(only in current\\):\\n\\n- \`${pairingKey(rows[0]!)}\``));
    assert.match(stdout, new RegExp(`\\*\\*Removed\\*\\* \\(only in base\\):\\n\\n- \`${pairingKey(rows.at(-1)!)}\``));
    assert.match(stdout, /different machines \(host fixture-host -> other-host\)/);
    assert.match(stderr, /^warning: the runs come from different machines/m);
  });

  it('never pairs rows of different data: an MNIST row is not a synthetic row of the same shape', () => {
    const [row] = fixtureRows();
    assert.notEqual(pairingKey({ ...row!, data: 'mnist' }), pairingKey({ ...row!, data: 'synthetic' }));
    assert.equal(pairingKey({ ...row!, data: 'synthetic' }), pairingKey({ ...row!, seed: 7 }), 'the seed alone does not change the work');
  });

  it('rejects a folder that is not a run with one line naming it, exit 2', async () => {
    const root = temp();
    const base = writeRunFolder(join(root, 'base'), fixtureRows());
    const missing = await cli.run(['compare', base, join(root, 'nowhere')]);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr.trim().split('\n').length, 1);
    assert.match(missing.stderr, /CURRENT .*nowhere: no such folder; expected a run folder/);
    const noJson = writeRunFolder(join(root, 'no-json'), fixtureRows());
    rmSync(join(noJson, 'run.json'));
    assert.match((await cli.run(['compare', base, noJson])).stderr, /no-json\/run\.json: no such file/);
    writeFileSync(join(noJson, 'run.json'), '{"configurations": [{"engine": "workers"}]}');
    const noSamples = await cli.run(['compare', noJson, base]);
    assert.equal(noSamples.code, 2);
    assert.match(noSamples.stderr, /configuration 0 has no samples_ms/);
    assert.equal((await cli.run(['compare', base, base, '--threshold', 'five'])).code, 2);
    assert.ok(readFileSync(join(base, 'results.csv'), 'utf8').length > 0);
  });
});
