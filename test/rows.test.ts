import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { deriveScaling, karpFlatt } from '../src/bench/rows.js';
import { effectiveGflops } from '../src/model/flops.js';
import { defuseFormula, resultsCsv } from '../src/report/csv.js';
import { minimumIterations } from '../src/bench/timing.js';
import { plainRow } from './fixtures.js';
import { median, quantileSorted, summarize, tCritical95 } from '../src/bench/statistics.js';

const row = plainRow;

describe('derived figures', () => {
  it('speedup, efficiency, Karp-Flatt and overhead from sibling rows', () => {
    const rows = [
      row({ threads: 1, triplets_per_s: 1000, p50_ms: 100 }),
      row({ threads: 4, triplets_per_s: 3200, p50_ms: 31.25 }),
      row({ threads: 4, kernel: 'empty', triplets_per_s: 1e6, p50_ms: 0.5 }),
      row({ threads: 4, strategy: 'compact', triplets_per_s: 5000 }),
    ];
    // Two windows each, steady: an interval of zero width, which supports a Karp-Flatt value.
    const windows = (ms: number) => ({ unitMediansMs: [ms, ms], singleThreadEngine: false });
    deriveScaling(rows, [windows(100), windows(31.25), windows(0.5), windows(20)]);
    assert.equal(rows[0]!.speedup, 1);
    assert.equal(rows[1]!.speedup, 3.2);
    assert.equal(rows[1]!.efficiency, 0.8);
    assert.deepEqual([rows[1]!.speedup_ci_low, rows[1]!.speedup_ci_high], [3.2, 3.2]);
    assert.ok(Math.abs((rows[1]!.karp_flatt as number) - (1 / 3.2 - 1 / 4) / (1 - 1 / 4)) < 1e-15);
    assert.equal(rows[1]!.harness_overhead_ms, 0.5);
    assert.equal(rows[1]!.harness_overhead_pct, 1.6);
    assert.equal(rows[2]!.speedup, null, 'the empty kernel has nothing to scale');
    assert.equal(rows[3]!.speedup, null, 'no one-thread row of its own configuration');
  });

  it('Karp-Flatt is 0 for linear speedup and 1 for none', () => {
    assert.equal(karpFlatt(8, 8), 0);
    assert.equal(karpFlatt(1, 8), 1);
    assert.equal(karpFlatt(1, 1), null);
  });

  it('effective GFLOP/s counts 8 B D_in D_out per step', () => {
    assert.equal(effectiveGflops(4096, 512, 128, 1000), (8 * 4096 * 512 * 128) / 1e9);
  });

  it('sizes tinybench\'s minimum iterations to the budget', () => {
    assert.equal(minimumIterations(3000, 1000), 3);
    assert.equal(minimumIterations(3000, 100), 30);
    assert.equal(minimumIterations(3000, 0.1), 64);
    assert.equal(minimumIterations(100, 5000), 3);
  });

  it('summarizes pooled samples: quantiles, sample sd, t-based rme', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 2, 3]), 2.5);
    assert.equal(quantileSorted([10, 20, 30, 40, 50], 0.99), 49.6);
    const s = summarize([2, 4, 4, 4, 5, 5, 7, 9]);
    assert.equal(s.samples, 8);
    assert.equal(s.meanMs, 5);
    assert.equal(s.p50Ms, 4.5);
    // Sample sd of this set is sqrt(32 / 7); rme = t(7) * sd / sqrt(8) / mean.
    assert.ok(Math.abs(s.sdMs - Math.sqrt(32 / 7)) < 1e-12);
    assert.ok(Math.abs(s.rmePct - (100 * 2.365 * Math.sqrt(32 / 7)) / Math.sqrt(8) / 5) < 1e-9);
    assert.equal(tCritical95(1000), 1.96);
    assert.equal(summarize([3]).rmePct, 0);
  });
});

describe('results.csv', () => {
  it('defuses spreadsheet formulas in strings, not in numbers', () => {
    assert.equal(defuseFormula('=HYPERLINK("x")'), `'=HYPERLINK("x")`);
    assert.equal(defuseFormula('+1'), `'+1`);
    assert.equal(defuseFormula('@SUM(A1)'), `'@SUM(A1)`);
    assert.equal(defuseFormula('workers'), 'workers');
    const text = resultsCsv([row({ host: '=cmd|calc', margin: -3.5, note: 'a "quoted", note' })]);
    const [parsed] = parse(text, { columns: true }) as Record<string, string>[];
    assert.equal(parsed!['host'], `'=cmd|calc`);
    assert.equal(parsed!['margin'], '-3.5');
    assert.equal(parsed!['note'], 'a "quoted", note');
    assert.equal(parsed!['speedup'], '');
  });

  it('no string cell of any column can start a formula, whatever a host, CPU, note or id holds', () => {
    const hostile = ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\t=1', '\r=1', '=HYPERLINK("http://x","y")'];
    for (const value of hostile) {
      const text = resultsCsv([row({ host: value, cpu_model: value, note: `${value}\nsecond line`, run_id: value, margin: -1 })]);
      const [parsed] = parse(text, { columns: true }) as Record<string, string>[];
      for (const column of ['host', 'cpu_model', 'run_id']) assert.equal(parsed![column], `'${value}`, `${column} holding ${JSON.stringify(value)}`);
      assert.equal(parsed!['note'], `'${value}\nsecond line`);
      assert.equal(parsed!['margin'], '-1', 'numbers stay numbers');
    }
  });
});
