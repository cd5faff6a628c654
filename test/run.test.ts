import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { CONTRACT_COLUMNS } from '../src/bench/rows.js';
import { cliServer, INJECT_CLI, readResults } from './helpers.js';
import { startCliWithoutNative, WITHOUT_NATIVE } from './without-native.js';


/**
 * The test entry's stand-ins for the machine's figures (calibration, roofline, memory roof):
 * seconds a run, and not these tests' subject. The roofline columns a measured roofline
 * fills are checked on profiler-flags.test.ts's run, which measures it; the calibration and
 * the memory roof by real runs in thread-ladder.test.ts, thread-memory.test.ts and bundle.test.ts.
 */
const UNMEASURED = ['--unmeasured-machine'];
/**
 * The run whose rows are the subject, in one process (helpers.ts, cliServer); the signalled
 * ones keep theirs. All step the workers' js and empty kernels, without the native probe
 * (without-native.ts).
 */
const cli = cliServer(WITHOUT_NATIVE);
/**
 * The runs signalled after their first configuration: 6 configurations of the workers' js
 * and empty kernels (no tfjs-node to load), 18 visits (the profile's 3 rounds), windows
 * long enough that the run is still at work when the signal lands, no longer.
 */
const SIGNALLED = ['--engines', 'workers', '--kernels', 'js,empty', '--batch', '64', '--dims', '16x8', '--threads', '1,2', '--active', '0.3', '--time', '200'];

// One active fraction: the quick profile's three would triple the rows. One strategy: the
// files and figures of dense rows are those of compact ones, 6 visits more.
const TINY = ['--engines', 'workers', '--kernels', 'js,empty', '--strategies', 'compact', '--batch', '64', '--dims', '16x8', '--threads', '1,2', '--active', '0.3', '--time', '40', '--no-progress'];

type Ci = number | null;
/** A row of `run --json`. */
interface JsonRow { kernel: string; strategy: string; threads: number; speedup: number; efficiency: number; triplets_per_s: number; karp_flatt: Ci; speedup_ci_low: Ci; speedup_ci_high: Ci; karp_flatt_ci_low: Ci; karp_flatt_ci_high: Ci; windows: number }

describe('triplet-bench run', () => {
  // One run for the files and the rows' figures: it was two, the first in a process of its
  // own measuring the machine besides.
  let out = '';
  let jsonRows: JsonRow[] = [];
  before(async () => {
    out = mkdtempSync(join(tmpdir(), 'tb-run-'));
    // --rounds given: every row is timed in each of the 3 rounds, so it has an interval
    // (rme_pct) however slow a busy machine makes its first step (sweep.ts, everyRound);
    // without it, a first step slowed past a third of the 40 ms window once left a row one window.
    // The stand-in page (--undrawn-page): these tests read the rows and files, not the charts,
    // which report-page.test.ts reads off a run's page; the SIGINT run below draws the real one.
    const { code, stdout, stderr } = await cli.run(['run', ...UNMEASURED, '--undrawn-page', ...TINY, '--rounds', '3', '--out', out, '--json']);
    assert.equal(code, 0, stderr);
    jsonRows = JSON.parse(stdout) as JsonRow[];
  });

  it('writes results.csv in the contract\'s column order and run.json with the environment', () => {
    const { header, rows } = readResults(out);
    assert.deepEqual(header.slice(0, CONTRACT_COLUMNS.length), [...CONTRACT_COLUMNS]);
    // js compact at 1 and 2 threads, plus the empty kernel (dense, its only strategy) at each.
    assert.equal(rows.length, 4);
    const numeric = ['threads', 'batch', 'd_in', 'd_out', 'margin', 'active_fraction', 'samples', 'mean_ms', 'p50_ms', 'p99_ms', 'sd_ms', 'rme_pct', 'triplets_per_s', 'logical_cpus'];
    for (const row of rows) {
      assert.equal(row['status'], 'ok', row['note']);
      for (const column of numeric) assert.ok(Number.isFinite(Number(row[column])) && row[column] !== '', `${column} = '${row[column]}'`);
      if (row['kernel'] === 'js') {
        assert.ok(Number(row['max_rel_err']) <= 1e-4);
        assert.ok(Number(row['gflops']) > 0);
        assert.ok(Math.abs(Number(row['active_fraction']) - 0.3) < 0.02);
        assert.ok(Number(row['harness_overhead_pct']) > 0, 'overhead column filled from the empty kernel');
        assert.ok(Number(row['straggler_ratio']) >= 1);
      }
      // Whether this machine is quiet is not the test's to say; that the flag follows the recorded figures is.
      const flagged = Number(row['interference_cores']) > Number(row['interference_limit']) || Number(row['throttled_periods']) > 0;
      assert.equal(/interference: /.test(row['note']!), flagged, `note '${row['note']}' against interference_cores ${row['interference_cores']}`);
    }
    const runJson = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as Record<string, unknown> & {
      environment: Record<string, unknown>;
      configurations: { samples_ms: number[]; samples: number }[];
    };
    assert.equal(runJson['status'], 'completed');
    for (const field of ['cpu_model', 'logical_cpus', 'available_parallelism', 'cgroup_cpu_quota', 'memory_total_bytes', 'node_version', 'v8_version', 'packages']) {
      assert.ok(field in runJson.environment, field);
    }
    const packages = runJson.environment['packages'] as Record<string, string>;
    assert.ok(packages['piscina'] && packages['tinybench'] && packages['@tensorflow/tfjs-core']);
    assert.ok(runJson['started_at'] && runJson['ended_at'] && runJson['options']);
    for (const configuration of runJson.configurations) assert.equal(configuration.samples_ms.length, configuration.samples);
  });

  it('gives speedup 1 at one thread and efficiency = speedup / threads', () => {
    const js = jsonRows.filter((r) => r.kernel === 'js');
    assert.equal(js.length, 2);
    const one = js.find((r) => r.threads === 1)!;
    const two = js.find((r) => r.threads === 2)!;
    assert.equal(one.speedup, 1);
    assert.equal(one.efficiency, 1);
    assert.equal(one.karp_flatt, null);
    assert.ok(Math.abs(two.speedup - two.triplets_per_s / one.triplets_per_s) < 1e-9);
    assert.ok(Math.abs(two.efficiency - two.speedup / 2) < 1e-12);
    // The profile's three rounds, a window each: an interval from the visit medians, Karp-Flatt from its ends.
    assert.equal(two.windows, 3);
    assert.ok(two.speedup_ci_low! <= two.speedup_ci_high! && two.speedup_ci_low! > 0);
    assert.ok(Math.abs(two.karp_flatt_ci_low! - (1 / two.speedup_ci_high! - 0.5) / 0.5) < 1e-12);
    assert.ok(Math.abs(two.karp_flatt_ci_high! - (1 / two.speedup_ci_low! - 0.5) / 0.5) < 1e-12);
    // Its value only where that interval is narrow enough to support one (src/bench/speedup-interval.ts).
    if (two.karp_flatt_ci_high! - two.karp_flatt_ci_low! <= 0.1) assert.ok(Math.abs(two.karp_flatt! - (1 / two.speedup - 0.5) / 0.5) < 1e-12);
    else assert.equal(two.karp_flatt, null);
    assert.equal(one.speedup_ci_low, null, 'speedup 1 at one thread is a definition: no interval');
  });

  it('leaves a results.csv that parses when killed after its first configuration', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tb-kill-'));
    const run = startCliWithoutNative(['run', ...UNMEASURED, ...SIGNALLED, '--out', out], INJECT_CLI);
    // Across lines: on a socket stderr TensorFlow's start-up lines can land inside the first
    // progress line, when a workers/tfjs visit comes first (src/native/quiet-load.ts).
    await run.waitFor(/\[1\/\d+\][\s\S]*?samples\n/);
    run.child.kill('SIGKILL');
    await run.exited;
    const { header, rows } = readResults(out);
    assert.deepEqual(header.slice(0, CONTRACT_COLUMNS.length), [...CONTRACT_COLUMNS]);
    assert.ok(rows.length >= 1 && rows.length < 6, `${rows.length} rows`);
    JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  });

  it('stops on SIGINT with exit 130, keeping finished rows, status interrupted, and their report.html', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tb-int-'));
    const run = startCliWithoutNative(['run', ...UNMEASURED, ...SIGNALLED, '--out', out], INJECT_CLI);
    await run.waitFor(/\[1\/\d+\][\s\S]*?samples\n/);
    run.child.kill('SIGINT');
    const { code } = await run.exited;
    assert.equal(code, 130);
    const runJson = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { status: string; configurations: unknown[] };
    assert.equal(runJson.status, 'interrupted');
    assert.ok(runJson.configurations.length >= 1);
    assert.equal(readResults(out).rows.length, runJson.configurations.length);
    assert.ok(!existsSync(join(out, `results.csv.${run.child.pid}.tmp`)));
    // report.html is drawn from the same finished rows, and says the sweep is incomplete.
    const page = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(page, new RegExp(`is <b>interrupted</b>: this page shows the ${runJson.configurations.length} configurations it finished`));
    assert.deepEqual(readdirSync(out).sort(), ['breakeven.csv', 'report.html', 'results.csv', 'run.json', 'summary.md']);
  });
  // A double SIGINT is tested in signals.test.ts (issue 23, item 13), with the test entry's
  // seam that holds the run in its ending: here the second signal raced the run's end.
});
