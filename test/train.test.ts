/**
 * `train`: on a small labelled CSV, interrupted, refusing bad data and options, and
 * `verify` on real data; `train --strategy dense,compact` and the Turnstile that alternates
 * its two runs; the CSV loader under it. (The comparison's and the CSV loader's tests were
 * once files of their own, train-compare.test.ts and csv-data.test.ts: one test process for
 * the three spares two Node starts, a second CLI server and loading train's modules again.)
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { loadCsv } from '../src/data/csv.js';
import { DataError, type LabelledData } from '../src/data/dataset.js';
import { loadMnist } from '../src/data/mnist.js';
import { loadData } from '../src/data/source.js';
import { memoryAllowance } from '../src/options.js';
import { TIMING_COLUMNS, TRAIN_COLUMNS } from '../src/report/train-records.js';
import { compareStrategies, tripletDigest, type Comparison } from '../src/train/compare.js';
import { comparisonLines, summarizeComparison, type ComparisonSummary } from '../src/train/compare-summary.js';
import { DivergenceWatch, TrainingDiverged } from '../src/train/divergence.js';
import type { TrainConfig } from '../src/train/loop.js';
import { Turnstile } from '../src/train/turnstile.js';
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
/** The test entry's stand-in for train.html (test/inject/undrawn-page.ts), for the trainings whose page no test reads. */
const UNDRAWN_PAGE = '--undrawn-page';

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
    assertSameTrajectory(compact1, await trainRows(['--strategy', 'dense', '--threads', '1', UNDRAWN_PAGE]));
  });

  it('follows the same trajectory on 1 and 2 threads', async () => {
    assertSameTrajectory(compact1, await trainRows(['--strategy', 'compact', '--threads', '2', UNDRAWN_PAGE]));
  });

  it('stops after an epoch with no active triplet, and reports the held-out margin rate', async () => {
    const separated = csvFile('separated.csv', clusteredCsv({ labels: 3, perLabel: 30, dIn: 8, spread: 0.3 }));
    const out = tempDir('tb-train-');
    const { code, stdout, stderr } = await cli.run(['train', '--data', separated, ...TRAIN, '--epochs', '30', '--margin', '0.5', UNDRAWN_PAGE, '--out', out]);
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
  // --no-autograd: the autograd check of the reference loads tfjs into the file's server
  // (about 0.55 CPU-s) for a check of the reference, not of the data, that cli-input.test.ts's
  // verify --json makes; what this one adds is the sharded gradient on a CSV's triplets.
  it('checks the sharded gradient on triplets of a CSV, D_in from the data', async () => {
    const { code, stdout, stderr } = await cli.run([
      'verify', '--data', small, '--dims', '3', '--batch', '40', '--threads', '1,2', '--engines', 'workers', '--kernels', 'js', '--active', '0.4', '--no-autograd', '--json',
    ]);
    assert.equal(code, 0, stderr);
    const rows = JSON.parse(stdout) as { engine: string; dims: string; status: string; active_fraction: number }[];
    assert.equal(rows.length, 2 * 2);
    assert.ok(rows.every((row) => row.engine === 'workers'));
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

/*
 * `train --strategy dense,compact`: both strategies see the same batches, their steps
 * alternate, each run's clock counts its own turns, and the held-out rate is checked
 * every epoch; the Turnstile that alternates them.
 */

let data: LabelledData;
let file = '';
before(async () => {
  file = csvFile('compare.csv', clusteredCsv({ labels: 3, perLabel: 30, dIn: 8 }));
  data = (await loadData(file, undefined, memoryAllowance(undefined)))!;
});

/** Three labels of 30 samples: 72 training, 18 held out, 3 steps per epoch at B = 24. */
const CONFIG: TrainConfig = {
  kernel: 'js', strategy: 'compact', threads: 1, lr: 0.05, steps: undefined, epochs: 6, batch: 24, dOut: 4,
  margin: { activeFraction: 0.5 }, seed: 42, mining: 'random', heldOutShare: 0.2, reduction: 'mean',
};

describe('Turnstile', () => {
  it('grants turns in rotation and passes a leaver\'s turn on', async () => {
    const turns = new Turnstile(2);
    const order: string[] = [];
    const participant = async (who: number, steps: number) => {
      try {
        for (let s = 0; s < steps; s++) {
          await turns.take(who);
          order.push(`${who}:${s}`);
          await new Promise((resolve) => setTimeout(resolve, who === 0 ? 3 : 1));
        }
      } finally {
        turns.leave(who);
      }
    };
    await Promise.all([participant(0, 3), participant(1, 5)]);
    assert.deepEqual(order, ['0:0', '1:0', '0:1', '1:1', '0:2', '1:2', '1:3', '1:4']);
  });
});

describe('compareStrategies', () => {
  let comparison: Comparison;
  before(async () => {
    comparison = await compareStrategies(data, CONFIG, ['dense', 'compact']);
  });

  it('trains both strategies on the same batches, steps alternated', () => {
    const [dense, compact] = comparison.runs;
    assert.equal(dense!.strategy, 'dense');
    assert.equal(compact!.strategy, 'compact');
    assert.equal(dense!.records.length, 18);
    assert.equal(compact!.records.length, 18);
    assert.equal(comparison.sameBatches, true);
    assert.deepEqual(dense!.drawnDigests, compact!.drawnDigests);
    // Different steps draw different batches: the digest tells them apart.
    assert.equal(new Set(dense!.drawnDigests).size, 18);
    assert.equal(comparison.firstMinedDifference, null);
    // Same batches, same W: the losses agree to float rounding, the active counts exactly.
    assert.ok(comparison.maxLossDifference < 1e-5, `${comparison.maxLossDifference}`);
    assert.deepEqual(dense!.records.map((r) => r.active_count), compact!.records.map((r) => r.active_count));
  });

  it('clocks each run by its own turns, and checks the held-out rate after every epoch outside them', () => {
    for (const run of comparison.runs) {
      const elapsed = run.records.map((r) => r.elapsed_ms);
      assert.ok(elapsed.every((ms, i) => ms > 0 && (i === 0 || ms > elapsed[i - 1]!)), 'own clock increases');
      assert.equal(run.ownMs, elapsed.at(-1));
      // Epoch 0 (before the first step), then one check per epoch.
      assert.deepEqual(run.evaluations.map((e) => e.epoch), [0, 1, 2, 3, 4, 5, 6]);
      assert.deepEqual(run.evaluations.slice(1).map((e) => e.step), [3, 6, 9, 12, 15, 18]);
      assert.ok(run.evaluations.every((e) => e.held_out_rate >= 0 && e.held_out_rate <= 1));
      assert.equal(run.evaluations.at(-1)!.held_out_rate, run.result.heldOut!.after);
    }
  });

  it('compares dense and compact step times over the first tenth of the steps and the second half', () => {
    const ahead = summarizeComparison(comparison).pulling_ahead!;
    const [dense, compact] = comparison.runs;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    assert.equal(ahead.early.steps, '1-2');
    assert.equal(ahead.late.steps, '10-18');
    // Nine steps each: the median is the fifth.
    assert.equal(ahead.late.ratio, median(dense!.records.slice(9).map((r) => r.step_ms)) / median(compact!.records.slice(9).map((r) => r.step_ms)));
    assert.ok(Math.abs(ahead.late.active - compact!.records.slice(9).reduce((sum, r) => sum + r.active_fraction, 0) / 9) < 1e-12);
  });

  it('says compact pulled ahead only where it was faster late in the run, and more so than early', () => {
    const said = (early: number, late: number) => {
      const span = (steps: string, ratio: number) => ({ steps, ratio, active: 0.2 });
      const summary: ComparisonSummary = {
        target: null, target_from: 'option', same_batches: true, first_mined_difference: null, max_loss_difference: 0,
        pulling_ahead: { early: span('1-4', early), late: span('21-40', late) }, runs: [],
      };
      return comparisonLines(summary, 'random').find((line) => line.startsWith('dense/compact median step time'))!;
    };
    // Issue 23 item 8: slower in both spans (0.96x then 0.99x) was called "pulled ahead".
    assert.match(said(0.96, 0.99), /: compact was slower than dense in both spans: it narrowed the gap but did not pull ahead$/);
    assert.doesNotMatch(said(0.96, 0.99), /pulled/);
    assert.match(said(0.99, 0.96), /: compact was slower than dense in both spans: it did not pull ahead$/);
    assert.match(said(1.1, 0.97), /: compact fell behind dense$/);
    assert.match(said(0.97, 1.1), /: compact pulled ahead of dense as the hinge focused the work$/);
    assert.match(said(1.33, 1.37), /: compact pulled further ahead as the hinge focused the work$/);
    assert.match(said(1.37, 1.33), /: compact was ahead from the start, and did not pull further ahead$/);
  });

  it('times both to the final rate of the slower run by default, or to --target', async () => {
    const slower = [...comparison.runs].sort((a, b) => b.ownMs - a.ownMs)[0]!;
    assert.equal(comparison.target, slower.evaluations.at(-1)!.held_out_rate);
    assert.equal(comparison.targetFrom, 'slower-final');
    comparison.reached.forEach((reached, i) => {
      const first = comparison.runs[i]!.evaluations.find((e) => e.held_out_rate >= comparison.target!)!;
      assert.deepEqual(reached, { epoch: first.epoch, step: first.step, ms: first.elapsed_ms });
    });
    const unreachable = await compareStrategies(data, { ...CONFIG, epochs: 1 }, ['dense', 'compact'], { target: 1.01 });
    assert.deepEqual(unreachable.reached, [null, null]);
    assert.equal(unreachable.targetFrom, 'option');
  });

  it('with semi-hard mining still draws the same batches, and reports where the mined ones first differ', async () => {
    const mined = await compareStrategies(data, { ...CONFIG, mining: 'semihard', epochs: 3 }, ['dense', 'compact']);
    assert.equal(mined.sameBatches, true);
    const [dense, compact] = mined.runs;
    const differs = dense!.usedDigests.findIndex((digest, i) => digest !== compact!.usedDigests[i]);
    assert.equal(mined.firstMinedDifference, differs === -1 ? null : differs + 1);
  });

  it('digests triplets by their indices in order', () => {
    const of = (anchors: number[], positives: number[], negatives: number[]) =>
      ({ anchors: Int32Array.from(anchors), positives: Int32Array.from(positives), negatives: Int32Array.from(negatives) });
    const a = of([1, 2], [3, 4], [5, 6]);
    assert.equal(tripletDigest(a), tripletDigest(of([1, 2], [3, 4], [5, 6])));
    assert.notEqual(tripletDigest(a), tripletDigest(of([1, 2], [3, 4], [6, 5])));
    assert.notEqual(tripletDigest(a), tripletDigest(of([1, 2, 3], [4], [5, 6])));
  });
});

describe('train --strategy dense,compact', () => {
  it('writes both runs to train.csv, the comparison to train.json and the time-to-quality chart to train.html', async () => {
    const out = tempDir('tb-compare-');
    const { code, stdout, stderr } = await cli.run(['train', '--data', file, '--dims', '4', '--batch', '24', '--epochs', '4', '--lr', '0.05', '--kernel', 'js', '--threads', '1',
      '--strategy', 'dense,compact', '--no-progress', '--out', out]);
    assert.equal(code, 0, stderr);
    const rows = parse(readFileSync(join(out, 'train.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    assert.deepEqual(rows.slice(0, 4).map((r) => `${r['strategy']}:${r['step']}`), ['dense:1', 'compact:1', 'dense:2', 'compact:2']);
    assert.equal(rows.length, 24);
    const json = JSON.parse(readFileSync(join(out, 'train.json'), 'utf8')) as { comparison: { same_batches: boolean; runs: { strategy: string; backward_skipped: number }[] }; held_out_checks: unknown[] };
    assert.equal(json.comparison.same_batches, true);
    assert.equal(json.comparison.runs.find((r) => r.strategy === 'dense')!.backward_skipped, 0);
    assert.ok(json.comparison.runs.find((r) => r.strategy === 'compact')!.backward_skipped > 0);
    assert.equal(json.held_out_checks.length, 2 * 5);
    assert.match(stdout, /time to [0-9.]+ % of held-out triplets meeting the margin \(the final rate of the slower run\): dense [0-9.]+ s \(epoch \d\), compact/);
    assert.match(stdout, /Both drew the same triplets at every step/);
    const page = readFileSync(join(out, 'train.html'), 'utf8');
    assert.match(page, /id="chart-time-to-quality"/);
    assert.equal(page.match(/<svg/g)?.length, 2);
  });

  it('refuses --target without two strategies, exit 2', async () => {
    const { code, stderr } = await cli.run(['train', '--data', file, '--target', '0.9', '--out', tempDir('tb-compare-')]);
    assert.equal(code, 2);
    assert.match(stderr, /--target times a comparison/);
  });
});

/* The CSV loader (src/data/csv.ts) and the MNIST loader's range. */

describe('CSV loader', () => {
  it('reads labels and features, with a BOM, CRLF, quotes and blank lines', async () => {
    const path = csvFile('ok.csv', '\uFEFFa,1,2.5\r\n"b", "3" ,-4e-1\r\n\r\na,0,0\r\nb,1,1\r\n');
    const data = await loadCsv(path);
    assert.equal(data.count, 4);
    assert.equal(data.dIn, 2);
    assert.deepEqual([...data.labels], [0, 1, 0, 1]);
    assert.deepEqual(data.labelNames, ['a', 'b']);
    assert.deepEqual([...data.features], [1, 2.5, 3, Math.fround(-0.4), 0, 0, 1, 1]);
  });

  it('takes the label from the column --label-column names, and skips a header of names', async () => {
    const path = csvFile('header.csv', 'x1,kind,x2\r\n1,cat,2\r\n3,dog,4\r\n5,cat,6\r\n7,dog,8\r\n');
    const data = await loadCsv(path, 'kind');
    assert.deepEqual(data.labelNames, ['cat', 'dog']);
    assert.deepEqual([...data.features], [1, 2, 3, 4, 5, 6, 7, 8]);
    const implicit = await loadCsv(csvFile('names.csv', 'label,x1,x2\na,1,2\nb,3,4\na,5,6\nb,7,8\n'));
    assert.equal(implicit.count, 4);
  });

  it('loads the 10,000 MNIST digits of the mnist package, 784 features in [0, 1]', () => {
    const data = loadMnist();
    assert.equal(data.count, 10_000);
    assert.equal(data.dIn, 784);
    assert.equal(data.labelNames.length, 10);
    let min = Infinity;
    let max = -Infinity;
    for (const x of data.features) {
      if (x < min) min = x;
      if (x > max) max = x;
    }
    assert.ok(min >= 0 && max <= 1 && max > 0.9, `range [${min}, ${max}]`);
  });
});

/** Each bad file: its text, and what the one-line message must say besides the path. */
const BAD_FILES: readonly { name: string; text: string; says: RegExp; labelColumn?: string }[] = [
  { name: 'ragged', text: 'a,1,2\nb,3\na,5,6\nb,7,8\n', says: /line 2: 2 columns, expected 3/ },
  { name: 'non-numeric', text: 'a,1,2\nb,3,4\na,x5,6\nb,7,8\n', says: /line 3, column 2: feature 'x5' is not a number/ },
  { name: 'nan', text: 'a,1,2\nb,3,NaN\na,5,6\nb,7,8\n', says: /line 2, column 3: feature 'NaN' is not a finite number/ },
  { name: 'infinity', text: 'a,1,2\nb,3,4\na,-Infinity,6\nb,7,8\n', says: /line 3, column 2: .*not a finite number/ },
  { name: 'overflow', text: 'a,1,2\nb,3,4\na,1e39,6\nb,7,8\n', says: /line 3, column 2: .*not a finite number/ },
  { name: 'empty-cell', text: 'a,1,2\nb,3,\na,5,6\nb,7,8\n', says: /line 2, column 3: feature '' is not a number/ },
  { name: 'single-label', text: 'a,1,2\na,3,4\na,5,6\n', says: /every sample has the label 'a'/ },
  { name: 'lonely-label', text: 'a,1,2\nb,3,4\na,5,6\nc,0,0\nb,7,8\n', says: /line 4: the label 'c' has one sample/ },
  { name: 'empty', text: '', says: /empty file/ },
  { name: 'blank', text: '\r\n\n', says: /empty file/ },
  { name: 'header-only', text: 'label,x1,x2\n', says: /a header and no samples/ },
  { name: 'missing-column', text: 'label,x1,x2\na,1,2\nb,3,4\n', says: /line 1: --label-column kind: no such column/, labelColumn: 'kind' },
  { name: 'bad-quote', text: 'a,1,2\nb,"3,4\n', says: /line \d+: not valid CSV/ },
];

describe('bad data: one line naming the file and line, exit 2 (DataError)', () => {
  for (const { name, text, says, labelColumn } of BAD_FILES) {
    it(name, async () => {
      const path = csvFile(`${name}.csv`, text);
      await assert.rejects(
        loadCsv(path, labelColumn),
        (error: unknown) => {
          assert.ok(error instanceof DataError, String(error));
          assert.ok(error.message.startsWith(path), error.message);
          assert.match(error.message, says);
          assert.doesNotMatch(error.message, /\n/);
          return true;
        },
      );
    });
  }

  it('a missing file and a folder', async () => {
    const dir = tempDir('tb-data-');
    await assert.rejects(loadCsv(join(dir, 'nope.csv')), /nope\.csv: no such file/);
    mkdirSync(join(dir, 'folder.csv'));
    await assert.rejects(loadCsv(join(dir, 'folder.csv')), /folder\.csv: is a folder; expected a CSV file/);
  });
});
