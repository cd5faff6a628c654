import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { TIMING_COLUMNS, TRAIN_COLUMNS } from '../src/report/train-records.js';
import { DivergenceWatch, TrainingDiverged } from '../src/train/divergence.js';
import { clusteredCsv, csvFile, tempDir } from './data-fixtures.js';
import { cliServer } from './helpers.js';
import { startCliWithoutNative, WITHOUT_NATIVE } from './without-native.js';

/**
 * The file's command lines, in one process (helpers.ts, cliServer): what they compute, print
 * and write, not what needs a process of its own. None needs tfjs-node (the workers' js
 * kernel, tfjs-core's autograd): no native probe (without-native.ts), here or spawned.
 */
const cli = cliServer(WITHOUT_NATIVE);

type Row = Record<string, string>;

/** Three labels of 30 samples in 8 features: 72 train, 18 held out; 3 steps per epoch at B = 24. */
let small = '';
before(async () => {
  small = csvFile('small.csv', clusteredCsv({ labels: 3, perLabel: 30, dIn: 8 }));
});

const TRAIN = ['--dims', '4', '--batch', '24', '--epochs', '15', '--lr', '0.05', '--kernel', 'js', '--no-progress'];

let lastOut = '';

async function trainRows(extra: readonly string[]): Promise<Row[]> {
  const out = (lastOut = tempDir('tb-train-'));
  const { code, stderr } = await cli.run(['train', '--data', small, ...TRAIN, ...extra, '--out', out]);
  assert.equal(code, 0, stderr);
  const text = readFileSync(join(out, 'train.csv'), 'utf8');
  const [header] = parse(text, { to_line: 1 }) as string[][];
  assert.deepEqual(header, [...TRAIN_COLUMNS]);
  return parse(text, { columns: true }) as Row[];
}

function epochMean(rows: readonly Row[], epoch: number, column: string): number {
  const of = rows.filter((r) => Number(r['epoch']) === epoch);
  return of.reduce((sum, r) => sum + Number(r[column]), 0) / of.length;
}

/** Same trajectory: every non-timing column equal, the loss within 1e-5 relative. */
function assertSameTrajectory(a: readonly Row[], b: readonly Row[]): void {
  assert.equal(a.length, b.length);
  a.forEach((row, i) => {
    const other = b[i]!;
    for (const column of TRAIN_COLUMNS) {
      // The strategy column names the run; the trajectory is the rest.
      if (TIMING_COLUMNS.includes(column) || column === 'strategy') continue;
      const x = Number(row[column]);
      const y = Number(other[column]);
      if (column === 'loss') assert.ok(Math.abs(x - y) <= 1e-5 * Math.max(Math.abs(x), 1e-12), `step ${i + 1}: loss ${x} vs ${y}`);
      else if (column === 'margin') assert.ok(Math.abs(x - y) <= 1e-12 * Math.abs(x), `margin ${x} vs ${y}`);
      else assert.equal(x, y, `step ${i + 1}: ${column}`);
    }
  });
}

describe('triplet-bench train on a small labelled CSV', () => {
  let compact1: Row[] = [];

  it('lowers the loss and the active fraction, logging the backward work compaction skips', async () => {
    compact1 = await trainRows(['--strategy', 'compact', '--threads', '1']);
    assert.equal(compact1.length, 45);
    const last = Number(compact1.at(-1)!['epoch']);
    assert.ok(epochMean(compact1, last, 'loss') < 0.5 * epochMean(compact1, 1, 'loss'), 'loss did not halve');
    assert.ok(epochMean(compact1, last, 'active_fraction') < epochMean(compact1, 1, 'active_fraction'), 'active fraction did not fall');
    for (const row of compact1) {
      const k = Number(row['active_count']);
      assert.equal(Number(row['backward_flops_dense']), 4 * 24 * 8 * 4);
      assert.equal(Number(row['backward_flops_compact']), 4 * k * 8 * 4);
      assert.ok(Math.abs(Number(row['skipped_share']) - (1 - k / 24)) < 1e-12);
    }
  });

  it('draws train.html: one self-contained chart of loss, active fraction and skipped work by step', () => {
    const page = readFileSync(join(lastOut, 'train.html'), 'utf8');
    assert.equal(page.match(/<svg/g)?.length, 1);
    // A line per panel (loss, active fraction, skipped share), a point per step on so short a run.
    assert.equal(page.match(/class="mark-line role-mark/g)?.length, 3);
    assert.equal(page.match(/aria-roledescription="point"/g)?.length, 3 * 45);
    assert.doesNotMatch(page, /https?:|<script|<link|<img/);
    assert.match(page, /backward work compaction skipped over the run: [0-9.]+ %/);
  });

  it('follows the same trajectory with dense and compact', async () => {
    assertSameTrajectory(compact1, await trainRows(['--strategy', 'dense', '--threads', '1']));
  });

  it('follows the same trajectory on 1 and 2 threads', async () => {
    assertSameTrajectory(compact1, await trainRows(['--strategy', 'compact', '--threads', '2']));
  });

  it('stops after an epoch with no active triplet, and reports the held-out margin rate', async () => {
    const separated = csvFile('separated.csv', clusteredCsv({ labels: 3, perLabel: 30, dIn: 8, spread: 0.3 }));
    const out = tempDir('tb-train-');
    const { code, stdout, stderr } = await cli.run(['train', '--data', separated, ...TRAIN, '--epochs', '30', '--margin', '0.5', '--out', out]);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /a whole epoch had no active triplet/);
    const rows = parse(readFileSync(join(out, 'train.csv'), 'utf8'), { columns: true }) as Row[];
    assert.ok(rows.length < 90 && rows.length % 3 === 0, `${rows.length} steps`);
    assert.ok(rows.slice(-3).every((r) => r['active_count'] === '0'));
    const summary = (JSON.parse(readFileSync(join(out, 'train.json'), 'utf8')) as { summary: Record<string, number> }).summary;
    assert.equal(summary['held_out_triplets'], 18);
    assert.ok(summary['held_out_met_after']! >= summary['held_out_met_before']!);
  });
});

describe('train interrupted', () => {
  it('SIGINT: exit 130, train.csv keeps the finished steps, train.json says interrupted, train.html drawn', async () => {
    const out = tempDir('tb-train-int-');
    // Epochs enough for minutes of steps, so the signal lands mid-run, at a learning rate
    // too small to leave an epoch with no active triplet (which ends a training); a CSV of
    // 100 features (no mnist to load and parse: seconds of CPU), a step of milliseconds.
    const wide = csvFile('wide.csv', clusteredCsv({ labels: 4, perLabel: 100, dIn: 100 }));
    const run = startCliWithoutNative(['train', '--data', wide, '--dims', '32', '--batch', '200', '--epochs', '100000', '--lr', '1e-9', '--kernel', 'js', '--threads', '1', '--out', out]);
    await run.waitFor(/step 5\//);
    run.child.kill('SIGINT');
    const { code, stderr } = await run.exited;
    assert.equal(code, 130, stderr);
    const rows = parse(readFileSync(join(out, 'train.csv'), 'utf8'), { columns: true }) as Row[];
    assert.ok(rows.length >= 5, `${rows.length} steps kept`);
    assert.deepEqual(rows.map((r) => Number(r['step'])), rows.map((_, i) => i + 1), 'steps 1..n, none half-written');
    const json = JSON.parse(readFileSync(join(out, 'train.json'), 'utf8')) as { status: string; summary: { steps: number } };
    assert.equal(json.status, 'interrupted');
    assert.equal(json.summary.steps, rows.length);
    assert.match(readFileSync(join(out, 'train.html'), 'utf8'), /is <b>interrupted<\/b>/);
  });
});

describe('train and verify: bad data and options exit 2 with one line, before writing anything', () => {
  const cases: { name: string; args: (dir: string) => string[]; says: RegExp }[] = [
    { name: 'ragged rows', args: () => ['train', '--data', csvFile('r.csv', 'a,1,2\nb,3,4\na,5\nb,7,8\n')], says: /r\.csv line 3: 2 columns/ },
    { name: 'NaN', args: () => ['train', '--data', csvFile('n.csv', 'a,1,2\nb,3,nan\na,5,6\nb,7,8\n')], says: /n\.csv line 2, column 3/ },
    { name: 'a single label', args: () => ['train', '--data', csvFile('s.csv', 'a,1\na,2\n')], says: /s\.csv: every sample has the label 'a'/ },
    { name: 'a lonely label', args: () => ['train', '--data', csvFile('l.csv', 'a,1\na,2\nb,3\n')], says: /l\.csv line 3: the label 'b' has one sample/ },
    { name: 'an empty file', args: () => ['train', '--data', csvFile('e.csv', '')], says: /e\.csv: empty file/ },
    { name: 'a missing file', args: (d) => ['train', '--data', join(d, 'missing.csv')], says: /missing\.csv: no such file/ },
    { name: 'a folder', args: (d) => ['train', '--data', d], says: /is a folder/ },
    { name: 'a header only', args: () => ['train', '--data', csvFile('h.csv', 'y,x\n')], says: /h\.csv: a header and no samples/ },
    { name: 'a missing label column', args: () => ['train', '--data', csvFile('c.csv', 'y,x\na,1\nb,2\n'), '--label-column', 'kind'], says: /--label-column kind: no such column/ },
    { name: '--label-column with mnist', args: () => ['train', '--label-column', 'y'], says: /--label-column applies to a CSV file/ },
    { name: 'synthetic data', args: () => ['train', '--data', 'synthetic'], says: /--data synthetic has no labels/ },
    { name: 'a tfjs engine', args: () => ['train', '--engine', 'tfjs-node'], says: /--engine tfjs-node/ },
    // On a CSV: mnist's 784 features are loaded and parsed first (seconds); hostile-input.test.ts gives run mnist's.
    { name: 'a D_in unlike the data\'s', args: () => ['train', '--data', csvFile('d.csv', 'a,1,2\nb,3,4\na,5,6\nb,7,8\n'), '--dims', '100x8'], says: /--dims 100x8: --data \S*d\.csv has 2 features/ },
    { name: 'verify on bad data', args: () => ['verify', '--data', csvFile('v.csv', 'a,1,x\nb,2,3\n')], says: /v\.csv line 1, column 3/ },
    { name: 'run on bad data', args: () => ['run', '--data', csvFile('w.csv', 'a,1,2\n')], says: /w\.csv: every sample/ },
    { name: 'run with D_OUT only on synthetic data', args: () => ['run', '--dims', '64'], says: /--dims 64: synthetic data needs D_INxD_OUT/ },
  ];
  for (const { name, args, says } of cases) {
    it(name, async () => {
      const dir = tempDir('tb-bad-');
      const out = join(dir, 'out');
      const argv = args(dir);
      // verify writes nothing and has no --out.
      const { code, stdout, stderr } = await cli.run(argv[0] === 'verify' ? argv : [...argv, '--out', out]);
      assert.equal(code, 2, `exit ${code}: ${stderr}`);
      const lines = stderr.trim().split('\n');
      assert.equal(lines.length, 1, stderr);
      assert.match(lines[0]!, says);
      assert.equal(stdout, '');
      assert.equal(existsSync(out), false, 'wrote an output folder');
    });
  }
});

describe('verify on real data', () => {
  it('checks the sharded gradient on triplets of a CSV, D_in from the data', async () => {
    const { code, stdout, stderr } = await cli.run([
      'verify', '--data', small, '--dims', '3', '--batch', '40', '--threads', '1,2', '--engines', 'workers', '--kernels', 'js', '--active', '0.4', '--json',
    ]);
    assert.equal(code, 0, stderr);
    const rows = JSON.parse(stdout) as { dims: string; status: string; active_fraction: number }[];
    assert.equal(rows.length, 1 + 2 * 2);
    for (const row of rows) {
      assert.equal(row.status, 'ok');
      assert.equal(row.dims, '8x3');
      assert.equal(row.active_fraction, 16 / 40);
    }
  });
});

describe('divergence (src/train/divergence.ts)', () => {
  it('is a loss above 1e6 times the first positive one, or a non-finite loss or W; a loss that falls or grows less is not', () => {
    const watch = new DivergenceWatch(0.5);
    const w = [0.1, 0.2];
    watch.check(1, 0, w); // no active triplet: growth is measured from the first positive loss
    watch.check(2, 2, w);
    watch.check(3, 1, w);
    watch.check(4, 2e6, w); // exactly 1e6 times: not yet
    assert.throws(() => watch.check(5, 2.1e6, w), (e: unknown) => e instanceof TrainingDiverged && e.step === 5 && /more than 1e\+6 times step 2's 2\.00/.test(e.message));
    assert.throws(() => new DivergenceWatch(1).check(1, Number.NaN, w), /the loss is NaN/);
    assert.throws(() => new DivergenceWatch(1).check(1, 1, [0, Number.POSITIVE_INFINITY]), /W\[1\] is Infinity/);
  });
});
