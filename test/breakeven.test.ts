/**
 * The break-even active fraction on synthetic rows: the expected single crossing, a kernel
 * where compact never wins, one where it always does, a noisy double crossing; the verdict
 * and glance built on them; breakeven.csv recomputed by `report` from a results.csv.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { ResultRow } from '../src/bench/rows.js';
import { BREAK_EVEN_COLUMNS, breakEvenCsv } from '../src/report/breakeven-csv.js';
import { breakEvens, flopModelBreakEven, type BreakEven } from '../src/report/breakeven.js';
import { breakEvenSentences } from '../src/report/html/breakeven-sentences.js';
import { breakEvenChart } from '../src/report/html/charts/breakeven.js';
import { verdict, verdictText } from '../src/report/verdict.js';
import { fixtureRow, writeRunFolder } from './fixtures.js';
import { runCli } from './helpers.js';

/** Dense and compact rows of one kernel at T threads: compact's time at each fraction given by `compactMs`. */
function kernelRows(kernel: string, threads: number, denseMs: number, compactMs: Record<number, number>): ResultRow[] {
  return Object.entries(compactMs).flatMap(([fraction, ms]) => [
    fixtureRow({ kernel, strategy: 'dense', threads, activeFraction: Number(fraction), stepMs: denseMs }),
    fixtureRow({ kernel, strategy: 'compact', threads, activeFraction: Number(fraction), stepMs: ms }),
  ]);
}

function only(rows: readonly ResultRow[]): BreakEven {
  const groups = breakEvens(rows);
  assert.equal(groups.length, 1);
  return groups[0]!;
}

describe('break-even active fraction', () => {
  it('interpolates one crossing in log(dense / compact) between the two fractions around it', () => {
    // Speed-ups 2, 1.25, 0.8 at 0.1, 0.3, 0.7: log 1.25 and log 0.8 are equal and opposite, so the crossing is midway.
    const b = only(kernelRows('wasm', 2, 100, { 0.1: 50, 0.3: 80, 0.7: 125 }));
    assert.equal(b.status, 'crossing');
    assert.equal(b.crossings, 1);
    assert.ok(Math.abs(b.breakEven! - 0.5) < 1e-12, `break-even ${b.breakEven}`);
    assert.deepEqual(b.bracket, [0.3, 0.7]);
    assert.deepEqual(b.restsOn.map((p) => p.activeFraction), [0.3, 0.7]);
    assert.equal(b.lowest.activeFraction, 0.1);
    assert.equal(b.lowest.speedup, 2);
    // Fused: dense 8 B D_in D_out against compact 4 B D_in D_out + 4 K D_in D_out.
    assert.ok(Math.abs(b.flopModelAtLowest - 8 / 4.4) < 1e-12);
  });

  it('says compact never wins when it loses at every fraction', () => {
    const b = only(kernelRows('tfjs', 1, 100, { 0.1: 110, 0.3: 150, 0.7: 200 }));
    assert.equal(b.status, 'never');
    assert.equal(b.breakEven, null);
    assert.deepEqual(b.bracket, [0, 0.1]);
    assert.match(verdictText(kernelRows('tfjs', 1, 100, { 0.1: 110, 0.3: 150 })), /never/);
  });

  it('says compact always wins when it wins at every fraction', () => {
    const b = only(kernelRows('js', 1, 100, { 0.1: 40, 0.3: 60, 0.7: 95 }));
    assert.equal(b.status, 'always');
    assert.equal(b.breakEven, null);
    assert.deepEqual(b.bracket, [0.7, 1]);
  });

  it('reports a noisy double crossing as such, with the bracket spanning both crossings', () => {
    // Wins at 0.1, loses at 0.3 (noise), wins at 0.5, loses at 0.9.
    const b = only(kernelRows('wasm', 1, 100, { 0.1: 60, 0.3: 105, 0.5: 90, 0.9: 120 }));
    assert.equal(b.status, 'noisy');
    assert.equal(b.crossings, 3);
    assert.equal(b.breakEven, null);
    assert.deepEqual(b.bracket, [0.1, 0.9]);
    assert.match(breakEvenSentences(kernelRows('wasm', 1, 100, { 0.1: 60, 0.3: 105, 0.5: 90, 0.9: 120 }))[0]!, /T=1 noisy, 3 crossings in 10 %-90 %/);
  });

  it('flags a crossing the wrong way (compact winning only when dense) as inverted', () => {
    const b = only(kernelRows('wasm', 1, 100, { 0.1: 120, 0.7: 90 }));
    assert.equal(b.status, 'inverted');
    assert.ok(b.breakEven! > 0.1 && b.breakEven! < 0.7);
  });

  it('keeps kernels, thread counts and formulations apart, and skips rows without a partner', () => {
    const rows = [
      ...kernelRows('wasm', 1, 100, { 0.1: 50, 0.7: 120 }),
      ...kernelRows('wasm', 2, 60, { 0.1: 30, 0.7: 50 }),
      fixtureRow({ kernel: 'js', strategy: 'dense', threads: 1, activeFraction: 0.1, stepMs: 10 }),
      fixtureRow({ kernel: 'empty', strategy: 'dense', threads: 1, activeFraction: 0.1, stepMs: 0.1 }),
    ];
    const groups = breakEvens(rows);
    assert.deepEqual(groups.map((b) => [b.kernel, b.threads, b.status]), [['wasm', 1, 'crossing'], ['wasm', 2, 'always']]);
  });

  it('solves the FLOP model for its own break-even: 1 for fused, 0.5 for autograd', () => {
    assert.equal(flopModelBreakEven('fused'), 1);
    assert.ok(Math.abs(flopModelBreakEven('autograd') - 0.5) < 1e-9);
  });
});

describe('verdict, glance and chart', () => {
  const rows = [
    ...kernelRows('wasm', 2, 100, { 0.1: 50, 0.3: 80, 0.7: 125 }),
    ...kernelRows('js', 2, 1000, { 0.1: 400, 0.3: 600, 0.7: 950 }),
  ];

  it('gives the break-even bound for every kernel, naming the one that sets it and the run', () => {
    const findings = verdict(rows);
    assert.ok(findings.length >= 3 && findings.length <= 4, `${findings.length} findings`);
    const bound = findings.find((f) => f.text.startsWith('Below'))!;
    assert.match(bound.text, /^Below 50 % active, compact beats dense for every kernel and thread count; the lowest bound is workers\/wasm fused at T=2, between 30 % and 70 % measured\./);
    assert.match(bound.source, /workers\/wasm fused, T=2, B=256 64x32, run fixture-run \(interpolated between 30 % \(1\.25x\), 70 % \(0\.80x\)\)/);
    // The fastest compact configuration at the fraction every kernel was measured at.
    assert.match(findings[0]!.text, /^At 10 % active, compact made workers\/wasm fused at T=2 2\.00x as fast as dense \(no interval\); FLOP counting predicts 1\.82x/);
  });

  it('says "up to" the highest fraction when compact won at every fraction of every kernel', () => {
    const always = [
      ...kernelRows('wasm', 2, 100, { 0.1: 50, 0.3: 70, 0.7: 90 }),
      ...kernelRows('js', 2, 1000, { 0.1: 400, 0.3: 600, 0.7: 900 }),
    ];
    const bound = verdict(always).find((f) => /compact beats dense for/.test(f.text))!;
    assert.match(bound.text, /^Up to 70 % active, compact beats dense for every kernel and thread count; .* the highest fraction measured\./);
    assert.match(bound.source, /no break-even inside the range/);
  });

  it('names a noisy kernel that lost at its lowest fraction as an exception, and cautions when most pairs were noisy', () => {
    const noisyRows = [...rows, ...kernelRows('tfjs', 2, 100, { 0.1: 120, 0.3: 80, 0.7: 130 })].map((row) => ({ ...row, rme_pct: 20 }));
    const findings = verdict(noisyRows);
    const bound = findings.find((f) => f.text.startsWith('Below'))!;
    assert.match(bound.text, /^Below 50 % active, compact beats dense for 2 of the 3 kernel and thread-count pairs/);
    assert.match(bound.source, /not so for workers\/tfjs fused at 2 threads \(noisy, and compact lost at the lowest fraction/);
    assert.match(findings.at(-1)!.text, /^Caution: 9 of the 9 dense\/compact pairs .* exceeds 5 % \(median of those 20 %\)/);
    assert.ok(!verdict(rows).some((f) => f.text.startsWith('Caution')));
  });

  it('writes one glance sentence per kernel', () => {
    const sentences = breakEvenSentences(rows);
    assert.equal(sentences.length, 2);
    assert.match(sentences.find((s) => s.includes('workers/wasm'))!, /^Break-even, workers\/wasm fused: T=2 below 50 %; at 10 % active, T=2, compact ran 2\.00x as fast \(no interval; FLOPs 1\.82x\)\.$/);
  });

  it('draws the chart only with two or more fractions, with a break-even point per crossing', () => {
    assert.equal(breakEvenChart(kernelRows('wasm', 2, 100, { 0.3: 80 })).spec, null);
    const chart = breakEvenChart(rows);
    assert.ok(chart.spec);
    const values = (chart.spec as unknown as { data: { values: { kind: string; kernel: string; active_fraction: number }[] } }).data.values;
    assert.deepEqual(values.filter((v) => v.kind === 'break-even').map((v) => v.kernel), ['workers/wasm fused']);
    assert.equal(values.filter((v) => v.kind === 'measured').length, 6);
  });
});

describe('breakeven.csv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tb-breakeven-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const rows = [...kernelRows('wasm', 2, 100, { 0.1: 50, 0.3: 80, 0.7: 125 }), ...kernelRows('tfjs', 2, 100, { 0.1: 110, 0.7: 200 })];

  it('holds one line per kernel and thread count, and is recomputed by report from results.csv', () => {
    writeRunFolder(dir, rows);
    const out = join(dir, 'page');
    const { code, stderr } = runCli(['report', join(dir, 'results.csv'), '--out', out]);
    assert.equal(code, 0, stderr);
    const text = readFileSync(join(out, 'breakeven.csv'), 'utf8');
    assert.equal(text, breakEvenCsv(rows));
    const lines = parse(text, { columns: true }) as Record<string, string>[];
    assert.deepEqual(Object.keys(lines[0]!), [...BREAK_EVEN_COLUMNS]);
    const wasm = lines.find((l) => l.kernel === 'wasm')!;
    assert.equal(wasm.status, 'crossing');
    assert.equal(wasm.break_even, '0.5');
    assert.equal(wasm.rests_on, '0.3:1.25 0.7:0.8');
    assert.equal(wasm.speedup_at_lowest, '2');
    const tfjs = lines.find((l) => l.kernel === 'tfjs')!;
    assert.equal(tfjs.status, 'never');
    assert.equal(tfjs.break_even, '');
    // The page carries the verdict and the chart.
    const page = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(page, /id="verdict"/);
    assert.match(page, /id="chart-breakeven"/);
  });
});
