/**
 * report.html drawn by run and report, and compare of a run with itself.
 *
 * Issue 22, items 6 and 7: the answer first. The headline (best configuration per engine,
 * the workers / tfjs-node ratio, dense against compact) with every figure's interval; the
 * verdict and glance as one sentence of at most 30 words each, saying when a claim rests
 * on a row that missed the precision; the Markdown summary, `report --format md` and the terminal's
 * end-of-run summary showing that table, not every row.
 *
 * The break-even active fraction, the verdict, glance and chart built on it, and
 * breakeven.csv recomputed by `report`.
 *
 * (The headline's tests were once headline.test.ts, and the break-even's breakeven.test.ts:
 * one test process for all spares the CPU of more starts, a second CLI server (breakeven's
 * `report` spawned one of its own) and loading the report's modules, and vega, again.)
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { deriveScaling, type ResultRow } from '../src/bench/rows.js';
import { isOverheadKernel } from '../src/engine-labels.js';
import { CHART_BUILDERS } from '../src/report/html/charts/index.js';
import { configurationLabel } from '../src/report/html/labels.js';
import { resultsCsv } from '../src/report/csv.js';
import { readResultsCsv } from '../src/report/read-results.js';
import { headlines, headlineTable, tripletsInterval } from '../src/report/headline.js';
import { glance } from '../src/report/html/glance.js';
import { summaryText } from '../src/console/summary.js';
import { summaryMarkdown, SUMMARY_FILE } from '../src/report/summary-md.js';
import { FINDING_MAX_WORDS, verdict, verdictText } from '../src/report/verdict.js';
import { BREAK_EVEN_COLUMNS, breakEvenCsv } from '../src/report/breakeven-csv.js';
import { breakEvens, flopModelBreakEven, type BreakEven } from '../src/report/breakeven.js';
import { breakEvenSentences } from '../src/report/html/breakeven-sentences.js';
import { breakEvenChart } from '../src/report/html/charts/breakeven.js';
import type { ReportSource } from '../src/report/html/sources.js';
import { fixtureRow, writeRunFolder } from './fixtures.js';
import { cliServer } from './helpers.js';
/**
 * A tiny run with several threads and active fractions: every chart has rows to draw. The
 * test entry's stand-ins for the machine's figures (calibration, roofline, memory roof), and
 * steps of scripted times on a fake clock, phases and straggler ratios included
 * (test/inject/scripted-engine.ts): the page draws rows, and real kernels cost seconds of
 * pools and warm-ups that change nothing on it.
 */
const TINY = ['--unmeasured-machine', '--scripted-steps', 'js=2,empty=0.1', '--engines', 'workers', '--kernels', 'js,empty', '--batch', '64', '--dims', '16x8', '--threads', '1,2', '--active', '0.3,1', '--time', '30', '--rounds', '1', '--no-progress'];

/** The inline SVG of each chart, by chart id. */
function chartSvgs(html: string): Map<string, string> {
  const figures = [...html.matchAll(/<figure class="chart" id="chart-([a-z]+)">(.*?)<\/figure>/gs)];
  return new Map(figures.map((m) => [m[1]!, m[2]!]));
}

/** The aria-labels vega gives each mark: they carry the tooltip fields, configuration first. */
function markLabels(svg: string): string[] {
  return [...svg.matchAll(/aria-label="([^"]*)"/g)].map((m) => m[1]!);
}

const hasMarkFor = (svg: string, configuration: string) => markLabels(svg).some((label) => label.includes(`configuration: ${configuration};`));

/**
 * The file's run, report and compare command lines, in one process (helpers.ts, cliServer).
 * Without the native backend (TRIPLET_BENCH_NO_NATIVE): its probe's child loads tfjs-node,
 * a second of CPU, for a scripted run that does not use it.
 */
const cli = cliServer({ TRIPLET_BENCH_NO_NATIVE: '1' });

describe('report.html', () => {
  let runDir = '';
  let html = '';

  before(async () => {
    runDir = mkdtempSync(join(tmpdir(), 'tb-page-'));
    const { code, stderr } = await cli.run(['run', ...TINY, '--out', runDir]);
    assert.equal(code, 0, stderr);
    html = readFileSync(join(runDir, 'report.html'), 'utf8');
  });

  it('holds one SVG per chart, with marks for every configuration of the CSV', () => {
    const svgs = chartSvgs(html);
    // Every chart but weak scaling's (a run of strong scaling has none), the phases' stacked bars
    // (src/report/html/phases-section.ts), and the first screen's scaling chart.
    assert.equal(svgs.size, CHART_BUILDERS.length);
    assert.ok(svgs.has('phases'));
    assert.equal((html.match(/<svg/g) ?? []).length, CHART_BUILDERS.length + 1);
    const rows = readResultsCsv(join(runDir, 'results.csv'));
    assert.equal(rows.length, 12);
    for (const row of rows) {
      const label = configurationLabel(row);
      assert.ok(hasMarkFor(svgs.get('phases')!, label), `phases chart lacks ${label}`);
      if (isOverheadKernel(row.engine, row.kernel)) {
        assert.ok(hasMarkFor(svgs.get('overhead')!, label), `overhead chart lacks ${label}`);
        continue;
      }
      for (const chart of ['throughput', 'efficiency', 'mask', 'gflops', 'straggler']) {
        assert.ok(hasMarkFor(svgs.get(chart)!, label), `${chart} chart lacks ${label}`);
      }
    }
  });

  it('names no network address and loads nothing: no URL, script, link or external image', () => {
    assert.doesNotMatch(html, /https?:|ftp:|\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
    assert.doesNotMatch(html, /<script|<link|<img|<iframe|@import|url\(|src=/i);
    assert.match(html, /^<!doctype html>/);
  });

  it('is redrawn from CSVs by the report command, merging hosts told apart in every chart', async () => {
    const otherDir = mkdtempSync(join(tmpdir(), 'tb-page-other-'));
    // Same rows from a second server: only the host column differs.
    const secondServer = readResultsCsv(join(runDir, 'results.csv')).map((row) => ({ ...row, host: 'second-server' }));
    writeFileSync(join(otherDir, 'results.csv'), resultsCsv(secondServer));
    const out = join(mkdtempSync(join(tmpdir(), 'tb-merged-')), 'page');
    const { code, stderr } = await cli.run(['report', join(runDir, 'results.csv'), join(otherDir, 'results.csv'), '--out', out]);
    assert.equal(code, 0, stderr);
    const merged = readFileSync(join(out, 'report.html'), 'utf8');
    const firstHost = readResultsCsv(join(runDir, 'results.csv'))[0]!.host as string;
    for (const [id, svg] of chartSvgs(merged)) {
      // The phases come from run.json, which the second server's copied CSV has none of.
      if (id === 'phases') continue;
      for (const host of [firstHost, 'second-server']) assert.ok(markLabels(svg).some((l) => l.includes(`host: ${host}`)), `${id} chart lacks host ${host}`);
    }
  });

  it('renders hostile strings of a merged CSV (host, note) as text, never as markup', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tb-page-hostile-'));
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    // Two rows: what is read is the escaping, and a page costs CPU by the row.
    const rows = readResultsCsv(join(runDir, 'results.csv')).slice(0, 2).map((row, i) => ({
      ...row,
      host: `${hostile}"'&`,
      ...(i === 0 ? { status: 'errored' as const, note: `=HYPERLINK("${hostile}")` } : {}),
    }));
    writeFileSync(join(dir, 'results.csv'), resultsCsv(rows));
    const out = join(dir, 'page');
    const { code, stderr } = await cli.run(['report', join(dir, 'results.csv'), '--out', out]);
    assert.equal(code, 0, stderr);
    const page = readFileSync(join(out, 'report.html'), 'utf8');
    // Escaped, "onerror=" is text inside an attribute value or an element: only raw tags could run.
    assert.doesNotMatch(page, /<script|<img/i);
    assert.match(page, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, 'the host shows, escaped');
  });

  it('rejects bad input with one line naming the file, exit 2, writing nothing', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'tb-bad-')), 'page');
    const notCsv = join(tmpdir(), `tb-not-a-csv-${process.pid}.csv`);
    writeFileSync(notCsv, '{"configurations": []}\n');
    const fewColumns = join(tmpdir(), `tb-few-columns-${process.pid}.csv`);
    writeFileSync(fewColumns, '"run_id","engine","kernel"\n"x","workers","js"\n');
    const cases: [string, RegExp][] = [
      [join(runDir, 'missing.csv'), /missing\.csv: no such file; expected a results\.csv/],
      [notCsv, /not-a-csv-\d+\.csv: not a results CSV/],
      [fewColumns, /few-columns-\d+\.csv: missing columns formulation, strategy, threads/],
    ];
    for (const [file, message] of cases) {
      const { code, stderr } = await cli.run(['report', join(runDir, 'results.csv'), file, '--out', out]);
      assert.equal(code, 2, stderr);
      assert.equal(stderr.trim().split('\n').length, 1, stderr);
      assert.match(stderr, message);
      assert.ok(!existsSync(out), 'nothing written');
    }
  });

  it('compared with itself by the compare command shows no regression, exit 0', async () => {
    const { code, stdout, stderr } = await cli.run(['compare', runDir, runDir]);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /: 0 regressions, 0 improvements beyond 5 % \(of 12 paired configurations; 0 inconclusive, 0 added, 0 removed\)/);
  });

  it('of a copied run folder regenerates beside its CSV by default', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'tb-copy-'));
    cpSync(join(runDir, 'results.csv'), join(copy, 'results.csv'));
    const { code, stderr } = await cli.run(['report', join(copy, 'results.csv')]);
    assert.equal(code, 0, stderr);
    assert.equal(chartSvgs(readFileSync(join(copy, 'report.html'), 'utf8')).size, CHART_BUILDERS.length - 1);
  });
});

/** Words as a reader counts them: tokens holding a letter or digit ("%" and "-" are not words). */
const words = (sentence: string) => sentence.split(/\s+/).filter((token) => /[\p{L}\p{N}]/u.test(token)).length;
/** One sentence: ends with a full stop and holds no other sentence end (a stop, then a capital). */
const oneSentence = (text: string) => /\.$/.test(text) && !/[.!?]\s+[A-Z]/.test(text);

/** A row with the interval columns filled as `run` fills them: step interval ±`rme` %, its windows around the median. */
function measured(row: ResultRow, rme: number, target = 3): ResultRow {
  const ms = row.p50_ms as number;
  return { ...row, rme_pct: rme, p50_ci_low_ms: ms * (1 - rme / 100), p50_ci_high_ms: ms * (1 + rme / 100), precision_target_pct: target, precision_met: rme <= target ? 'yes' : 'no', windows: 4 };
}

/** A sweep of workers kernels and tfjs-node at two fractions and two thread counts; tfjs-node's rows missed the precision. */
function sweep(): { rows: ResultRow[]; windowsOf: (row: ResultRow) => readonly number[] | undefined } {
  const rows: ResultRow[] = [];
  for (const activeFraction of [0.1, 0.7]) {
    for (const threads of [1, 2]) {
      const scale = threads === 1 ? 1 : 0.6;
      for (const [kernel, dense] of [['wasm', 2], ['js', 8]] as const) {
        rows.push(measured(fixtureRow({ kernel, strategy: 'dense', threads, activeFraction, stepMs: dense * scale }), 1));
        rows.push(measured(fixtureRow({ kernel, strategy: 'compact', threads, activeFraction, stepMs: dense * (0.5 + 0.6 * activeFraction) * scale }), 1));
      }
      for (const strategy of ['dense', 'compact'] as const) {
        rows.push(measured(fixtureRow({ engine: 'tfjs-node', kernel: 'tensorflow', strategy, threads, activeFraction, stepMs: (strategy === 'dense' ? 3 : 2) * scale }), 6));
      }
    }
  }
  deriveScaling(rows);
  const windows = new Map(rows.map((row) => {
    const ms = row.p50_ms as number;
    const spread = (row.rme_pct as number) / 100;
    return [row, [ms * (1 - spread), ms, ms * (1 + spread), ms]] as const;
  }));
  return { rows, windowsOf: (row) => windows.get(row) };
}

const sourceOf = (rows: readonly ResultRow[], extra: Partial<ReportSource> = {}): ReportSource =>
  ({ label: 'fixture', runId: 'fixture-run', status: 'completed', environment: null, warnings: [], rows, command: ['run', '--batch', '256'], ...extra });

describe('the headline', () => {
  it('gives each engine its best row with the interval of its triplets/s, and the workers / tfjs-node ratio with its interval', () => {
    const { rows, windowsOf } = sweep();
    const [headline] = headlines(rows, windowsOf);
    assert.deepEqual(headline!.best.map((b) => b.row.engine).sort(), ['tfjs-node', 'workers']);
    const workers = headline!.best.find((b) => b.row.engine === 'workers')!;
    // batch / p50_ci_high_ms .. batch / p50_ci_low_ms, per second.
    assert.deepEqual(tripletsInterval(workers.row), { low: (1000 * 256) / (workers.row.p50_ci_high_ms as number), high: (1000 * 256) / (workers.row.p50_ci_low_ms as number) });
    assert.ok(workers.interval!.low < (workers.row.triplets_per_s as number) && (workers.row.triplets_per_s as number) < workers.interval!.high);
    const { header, lines } = headlineTable(headline!);
    assert.deepEqual(header, ['engine', 'best configuration', 'triplets/s', '95 % interval', 'precision']);
    const ratio = lines.find((line) => line[0] === 'workers / tfjs-node')!;
    assert.match(ratio[2]!, /^\d+\.\d\dx$/);
    assert.match(ratio[3]!, /^\d+\.\d\d-\d+\.\d\dx$/);
    assert.equal(ratio[4], 'missed by the tfjs-node row');
    assert.match(lines.find((line) => line[0] === 'tfjs-node')![4]!, /^missed \(±6\.0 %, asked 3 %\)$/);
  });

  it('answers dense against compact in at most three sentences, with the break-even', () => {
    const { rows, windowsOf } = sweep();
    const answer = headlines(rows, windowsOf)[0]!.answer;
    assert.ok(answer.length >= 1 && answer.length <= 3, JSON.stringify(answer));
    assert.match(answer.join(' '), /compact .* beats dense .* active/i);
    assert.match(answer.join(' '), /95 % CI \d/);
  });
});

describe('verdict and glance items', () => {
  it(`are one sentence of at most ${FINDING_MAX_WORDS} words each, with the interval of the figure they give`, () => {
    const { rows, windowsOf } = sweep();
    const items = [...verdict(rows, windowsOf).map((f) => f.text), ...glance(rows, windowsOf)[0]!.sentences];
    assert.ok(items.length >= 8, `${items.length} items`);
    for (const item of items) {
      assert.ok(oneSentence(item), `not one sentence: ${item}`);
      assert.ok(words(item) <= FINDING_MAX_WORDS, `${words(item)} words: ${item}`);
      // A ratio or a throughput given is given with its interval.
      if (/\d\.\d\dx as fast|\d triplets\/s|reaches \d/.test(item)) assert.match(item, /95 % CI \d/, item);
    }
  });

  it('say so when a claim rests on a row that missed the precision, and not otherwise', () => {
    const { rows, windowsOf } = sweep();
    const ratio = glance(rows, windowsOf)[0]!.sentences.find((s) => s.startsWith('The best workers configuration'))!;
    assert.match(ratio, /; a row missed the 3 % precision\.$/);
    const met = rows.map((row) => ({ ...row, precision_met: 'yes' }));
    assert.ok(!glance(met)[0]!.sentences.some((s) => s.includes('missed')));
    assert.ok(!verdict(met).some((f) => f.text.includes('missed')));
  });
});

describe('the Markdown summary (src/report/summary-md.ts) and the terminal summary', () => {
  it('hold the command, the machine, the headline table, the verdict and every figure\'s interval as GitHub Markdown', () => {
    const { rows } = sweep();
    const md = summaryMarkdown([sourceOf(rows)]);
    assert.match(md, /^# triplet-bench: fixture-run\n/);
    assert.match(md, /Command: `triplet-bench run --batch 256`/);
    assert.match(md, /on fixture-host \(Fixture CPU, 2 logical CPUs, Node v20\.20\.2\)/);
    assert.match(md, /\n\| engine \| best configuration \| triplets\/s \| 95 % interval \| precision \|\n\| --- \| --- \| --: \| --: \| --- \|\n\| workers \|/);
    assert.match(md, /\| workers \/ tfjs-node \| .* \| \d+\.\d\dx \| \d+\.\d\d-\d+\.\d\dx \|/);
    assert.match(md, /\*\*Dense or compact\?\*\* /);
    assert.match(md, /\n## Verdict\n\n1\. At /);
    assert.match(md, /\n## At a glance\n\n- /);
    // A pipe in a cell is escaped, HTML is text.
    const hostile = summaryMarkdown([sourceOf(rows.map((row) => ({ ...row, host: 'a|b<script>' })))]);
    assert.doesNotMatch(hostile, /<script>/);
    assert.match(hostile, /a\|b&lt;script&gt;|a\\\|b&lt;script&gt;/);
  });

  it('the terminal shows the headline table and the answer, not every row', () => {
    const { rows, windowsOf } = sweep();
    const text = summaryText(rows, windowsOf);
    // Two engines and the ratio: three lines under the header, whatever the number of rows.
    const table = text.split('\n\n')[0]!.split('\n');
    assert.equal(table.length, 4, text);
    assert.match(table[0]!, /^engine +best configuration +triplets\/s +95 % interval +precision$/);
    assert.match(text, /\n\nDense or compact\? /);
    assert.ok(rows.length > 20);
  });

  it('is written into the run folder by `report`, and printed by `report --format md`, which writes nothing', async () => {
    // One fraction at one thread count: both engines, the ratio and the answer.
    const rows = sweep().rows.filter((row) => row.threads === 1 && row.target_active === 0.1);
    const dir = writeRunFolder(mkdtempSync(join(tmpdir(), 'tb-summary-')), rows);
    const printed = await cli.run(['report', join(dir, 'results.csv'), '--format', 'md']);
    assert.equal(printed.code, 0, printed.stderr);
    assert.match(printed.stdout, /^# triplet-bench: fixture-run\n/);
    assert.ok(!existsSync(join(dir, SUMMARY_FILE)) && !existsSync(join(dir, 'report.html')), '--format md writes nothing');
    const refused = await cli.run(['report', join(dir, 'results.csv'), '--format', 'md', '--out', join(dir, 'x')]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /^triplet-bench: --out: --format md prints the Markdown on stdout/);
    assert.equal(refused.stderr.trim().split('\n').length, 1);
    // The page beside it is the test entry's stand-in (--undrawn-page): what is read here is summary.md.
    const written = await cli.run(['report', '--undrawn-page', join(dir, 'results.csv')]);
    assert.equal(written.code, 0, written.stderr);
    assert.equal(readFileSync(join(dir, SUMMARY_FILE), 'utf8'), printed.stdout);
  });
});

/*
 * The break-even active fraction on synthetic rows: the expected single crossing, a kernel
 * where compact never wins, one where it always does, a noisy double crossing; the verdict
 * and glance built on them; breakeven.csv recomputed by `report` from a results.csv.
 */

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

  it('holds one line per kernel and thread count, and is recomputed by report from results.csv', async () => {
    writeRunFolder(dir, rows);
    const out = join(dir, 'page');
    const { code, stderr } = await cli.run(['report', join(dir, 'results.csv'), '--out', out]);
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
