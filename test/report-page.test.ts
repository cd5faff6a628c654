import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { isOverheadKernel } from '../src/engine-labels.js';
import { CHART_BUILDERS } from '../src/report/html/charts/index.js';
import { configurationLabel } from '../src/report/html/labels.js';
import { resultsCsv } from '../src/report/csv.js';
import { readResultsCsv } from '../src/report/read-results.js';
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
