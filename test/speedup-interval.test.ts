/**
 * Issue 16, item 3: derived figures only where measured. The speedup's interval comes from
 * a bootstrap over per-window medians (drift between rounds widens it, noise within a
 * window does not), Karp-Flatt only where that interval supports it, no speedup for a
 * single-thread engine, and rows resting on one window marked in the CSV and on the page.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { deriveScaling, karpFlatt } from '../src/bench/rows.js';
import { KARP_FLATT_MAX_SPAN, karpFlattInterval, speedupInterval } from '../src/bench/speedup-interval.js';
import { singleWindowTable } from '../src/report/html/single-window.js';
import { configurationLabel } from '../src/report/html/labels.js';
import { efficiencyChart, scalingPoints } from '../src/report/html/charts/scaling.js';
import { renderSvg } from '../src/report/html/render-svg.js';
import { fixtureRow } from './fixtures.js';
import { cliServer, readResults } from './helpers.js';

/** The test entry's stand-ins for the machine's figures (calibration, roofline, memory roof): not what these runs test. */
const UNMEASURED = ['--unmeasured-machine'];
/**
 * Steps slower than the window: the workers engine's steps take 100 ms on the run's fake
 * clock (test/inject/entry-options.ts, --scripted-steps), against 10 ms windows. Real steps
 * of ~0.1 s (B=2048 128x64, js) took seconds of warm-up a visit and were as slow as the
 * machine made them; the sweep's rounds, rows and files are the subject, not the kernel.
 */
const SLOW_STEPS = ['--scripted-steps', '100'];
/** The runs of this file, one process (helpers.ts, cliServer). */
const cli = cliServer();

const steady = (ms: number, windows = 4) => Array.from({ length: windows }, () => ms);

describe('the speedup interval', () => {
  it('is the speedup itself when every window agrees', () => {
    assert.deepEqual(speedupInterval(steady(100), steady(50)), { low: 2, high: 2 });
  });

  it('widens with drift between rounds, and holds the speedup', () => {
    const mild = speedupInterval(steady(100), [48, 52, 49, 51])!;
    const strong = speedupInterval(steady(100), [40, 60, 45, 55])!;
    assert.ok(mild.low < 2 && mild.high > 2);
    assert.ok(strong.low < mild.low && strong.high > mild.high, `${JSON.stringify(strong)} wider than ${JSON.stringify(mild)}`);
    // Drift on the one-thread side widens it too.
    const both = speedupInterval([90, 110, 95, 105], [40, 60, 45, 55])!;
    assert.ok(both.high - both.low > strong.high - strong.low);
  });

  it('rests on window medians: the spread of steps within a window does not enter it', () => {
    // Two rounds whose windows had the same median: the steps' spread inside them is not drift.
    assert.deepEqual(speedupInterval([100, 100], [50, 50]), { low: 2, high: 2 });
  });

  it('is seeded: the same windows give the same interval', () => {
    assert.deepEqual(speedupInterval([100, 97, 104], [52, 49, 55]), speedupInterval([100, 97, 104], [52, 49, 55]));
  });

  it('needs two windows on each side: one says nothing of drift', () => {
    assert.equal(speedupInterval([100], steady(50)), null);
    assert.equal(speedupInterval(steady(100), [50]), null);
  });

  it('gives Karp-Flatt\'s interval from its ends, swapped (e falls as S rises)', () => {
    const e = karpFlattInterval({ low: 1.6, high: 1.9 }, 2)!;
    assert.equal(e.low, karpFlatt(1.9, 2));
    assert.equal(e.high, karpFlatt(1.6, 2));
    assert.equal(karpFlattInterval({ low: 1, high: 1 }, 1), null);
  });
});

/** The one- and two-thread rows of one configuration, with `windows` ms medians each. */
function pair(engine: string, one: number[], two: number[]) {
  const kernel = engine === 'workers' ? 'js' : 'cpu';
  const rows = [
    fixtureRow({ engine, kernel, strategy: 'dense', threads: 1, stepMs: one[0]! }),
    fixtureRow({ engine, kernel, strategy: 'dense', threads: 2, stepMs: two[0]! }),
  ];
  return { rows, evidence: [one, two].map((unitMediansMs) => ({ unitMediansMs, singleThreadEngine: engine !== 'workers' })) };
}

describe('derived figures in the rows', () => {
  it('Karp-Flatt is empty where its interval spans more than the limit, and kept with it where not', () => {
    // At T = 2, e = 2 / S - 1: a speedup between 1.7 and 2.3 gives e from -0.13 to 0.18.
    const wide = pair('workers', [100, 100], [50, 43.5, 57]);
    deriveScaling(wide.rows, wide.evidence);
    const noisy = wide.rows[1]!;
    assert.equal(noisy.karp_flatt, null);
    assert.ok((noisy.karp_flatt_ci_high as number) - (noisy.karp_flatt_ci_low as number) > KARP_FLATT_MAX_SPAN);
    assert.equal(typeof noisy.speedup, 'number', 'the speedup stays, with its interval');
    assert.ok((noisy.speedup_ci_low as number) < 1.9 && (noisy.speedup_ci_high as number) > 2.1);

    const tight = pair('workers', [100, 100.5, 99.5], [62.5, 62.8, 62.2]);
    deriveScaling(tight.rows, tight.evidence);
    const steadyRow = tight.rows[1]!;
    assert.equal(steadyRow.karp_flatt, karpFlatt(steadyRow.speedup as number, 2));
    assert.ok((steadyRow.karp_flatt_ci_low as number) <= (steadyRow.karp_flatt as number) && (steadyRow.karp_flatt as number) <= (steadyRow.karp_flatt_ci_high as number));
  });

  it('a single-window row on either side has a speedup but no interval and no Karp-Flatt', () => {
    const single = pair('workers', [100], [55, 55]);
    deriveScaling(single.rows, single.evidence);
    const row = single.rows[1]!;
    assert.equal(typeof row.speedup, 'number');
    assert.equal(row.speedup_ci_low, null);
    assert.equal(row.karp_flatt, null);
  });

  it('a single-thread engine has no speedup, efficiency or Karp-Flatt, not 1', () => {
    const rows = [fixtureRow({ engine: 'tfjs-cpu', kernel: 'cpu', strategy: 'dense', threads: 1, stepMs: 80 })];
    deriveScaling(rows, [{ unitMediansMs: [80, 81], singleThreadEngine: true }]);
    assert.deepEqual([rows[0]!.speedup, rows[0]!.efficiency, rows[0]!.karp_flatt, rows[0]!.speedup_ci_low], [null, null, null, null]);
  });

  it('without evidence (rows of an older reader), no interval and no Karp-Flatt', () => {
    const { rows } = pair('workers', [100], [50]);
    deriveScaling(rows);
    assert.equal(rows[1]!.speedup, 2);
    assert.equal(rows[1]!.karp_flatt, null);
  });
});

describe('the efficiency chart', () => {
  it('draws each speedup interval over threads as a bar, and none where there is no interval', async () => {
    const { rows, evidence } = pair('workers', [100, 101, 99], [60, 63, 57]);
    const single = pair('workers', [100], [50]);
    single.rows.forEach((row) => Object.assign(row, { strategy: 'compact' }));
    const all = [...rows, ...single.rows];
    deriveScaling(all, [...evidence, ...single.evidence]);
    const points = scalingPoints(all).filter((p) => p.kind === 'measured' && p.threads === 2);
    const withInterval = points.find((p) => p.strategy === 'dense')!;
    assert.equal(withInterval.efficiency_low, (rows[1]!.speedup_ci_low as number) / 2);
    assert.equal(withInterval.efficiency_high, (rows[1]!.speedup_ci_high as number) / 2);
    assert.equal(points.find((p) => p.strategy === 'compact')!.efficiency_low, null);
    const { svg, warnings } = await renderSvg(efficiencyChart(all).spec!);
    assert.deepEqual(warnings, []);
    // One bar, its tooltip carrying the interval: the compact line has none.
    assert.equal([...svg.matchAll(/aria-label="[^"]*efficiency 95 % low: [\d.]+/g)].length, 2, 'the point and its bar');
  });
});

describe('rows resting on one window', () => {
  it('the page\'s table lists exactly them', () => {
    const rows = [fixtureRow({ kernel: 'js', strategy: 'dense', threads: 1, stepMs: 900 }), fixtureRow({ kernel: 'js', strategy: 'compact', threads: 1, stepMs: 4 })];
    rows[0]!.windows = 1;
    rows[1]!.windows = 2;
    const table = singleWindowTable(rows)!;
    assert.deepEqual(table.lines.map((l) => l[0]), [configurationLabel(rows[0]!)]);
    assert.equal(table.lines[0]![3], '1 (single window)');
    rows[0]!.windows = 2;
    assert.equal(singleWindowTable(rows), undefined);
  });

  /**
   * One run of the profile's 3 rounds (no --rounds) at T = 1 and 2, steps of 0.1 s against a
   * 10 ms window: each configuration gets its samples in its first round only (rounds given
   * with --rounds would all be run: sweep.ts). Its rows and page are the first test's, its
   * progress lines the second's: a run per test drew a second report page (0.7 CPU-s) for
   * lines the same sweep prints.
   */
  let profileRun: Promise<{ out: string; code: number | null; stderr: string }> | undefined;
  const runOnProfileRounds = () => {
    profileRun ??= (async () => {
      const out = mkdtempSync(join(tmpdir(), 'tb-single-'));
      const args = ['run', ...UNMEASURED, ...SLOW_STEPS, '--engines', 'workers', '--kernels', 'js', '--strategies', 'dense', '--formulations', 'fused', '--threads', '1,2', '--batch', '64', '--dims', '16x8', '--active', '0.3', '--time', '10', '--out', out];
      return { out, ...(await cli.run(args)) };
    })();
    return profileRun;
  };

  it('a step slower than the window: windows 1 in results.csv, no interval, marked on report.html', async () => {
    const { out, code, stderr } = await runOnProfileRounds();
    assert.equal(code, 0, stderr);
    const { rows } = readResults(out);
    assert.equal(rows.length, 2);
    for (const row of rows) {
      assert.equal(row['status'], 'ok', row['note']);
      assert.equal(row['windows'], '1');
      assert.equal(row['speedup_ci_low'], '');
      assert.equal(row['karp_flatt'], '');
    }
    assert.notEqual(rows.find((r) => r['threads'] === '2')!['speedup'], '', 'the speedup itself stays');
    const runJson = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { configurations: { unit_medians_ms: number[]; p50_ms: number }[] };
    for (const c of runJson.configurations) assert.deepEqual(c.unit_medians_ms, [c.p50_ms], 'one window: its median is the row\'s');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(html, /<details class="part" id="single-window"><summary><h2>Rows resting on a single window<\/h2>/);
    assert.equal([...html.matchAll(/1 \(single window\)/g)].length, 2);
  });

  // Issue 23 item 8: --rounds 100 --time 10 ran rows on 1 or 2 windows, the progress line
  // reprinting each row's first figures as if measured again.
  it('rounds given with --rounds are all run however slow the step; a row not run again says so', async () => {
    const slow = ['run', ...UNMEASURED, ...SLOW_STEPS, '--engines', 'workers', '--kernels', 'js', '--strategies', 'dense', '--formulations', 'fused', '--threads', '1', '--batch', '64', '--dims', '16x8', '--active', '0.3', '--time', '10'];
    const honoured = mkdtempSync(join(tmpdir(), 'tb-rounds-'));
    const asked = await cli.run([...slow, '--rounds', '3', '--no-progress', '--out', honoured]);
    assert.equal(asked.code, 0, asked.stderr);
    assert.deepEqual(readResults(honoured).rows.map((row) => row['windows']), ['3']);
    // The profile's 3 rounds: one window, and the later rounds' progress lines say why they did not run.
    const profile = await runOnProfileRounds();
    assert.equal(profile.code, 0, profile.stderr);
    for (const threads of [1, 2]) {
      const lines = profile.stderr.split('\n').filter((line) => /^\[\d+\/6\]/.test(line) && line.includes(` T=${threads} `));
      assert.equal(lines.length, 3, profile.stderr);
      assert.match(lines[0]!, / ms, .* samples$/);
      for (const later of lines.slice(1)) assert.match(later, new RegExp(`workers/js fused dense T=${threads} \\.\\.\\. not run again: measured in full in its first window \\(a slow step: \\d+ samples\\); --rounds gives it every round$`));
    }
  });
});
