/**
 * `run`: its rows and files, killed and interrupted; its run folders, their ids and locks;
 * and the sweep under it run to a precision (once run-folder.test.ts and
 * precision-sweep.test.ts: one test process for all spares Node starts, a second CLI server
 * and loading the sweep's modules again).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { engineConfigs, workloadSpecs } from '../src/bench/plan.js';
import { CONTRACT_COLUMNS } from '../src/bench/rows.js';
import { affordable, interleavedGroups, runSweep } from '../src/bench/sweep.js';
import { unitInterval } from '../src/bench/unit-interval.js';
import { ENGINES_BY_NAME } from '../src/engines/index.js';
import { UsageError } from '../src/errors.js';
import { claimRunFolder } from '../src/files/claim-out.js';
import { RUN_OUTPUTS } from '../src/files/manifest.js';
import { uniqueRunId } from '../src/files/run-id.js';
import { LOCK_FILE, RunLock } from '../src/files/run-lock.js';
import { resolveSelection, SELECTION_DEFAULTS, type RawSelection } from '../src/options.js';
import { SeededRandom } from '../src/triplet/random.js';
import { tempDir } from './data-fixtures.js';
import { cliServer, INJECT_CLI, readResults, type CliResult } from './helpers.js';
import { HOLD_LINE } from './inject/faults.js';
import { UNDRAWN_LINE } from './inject/undrawn-page.js';
import { FakeClock, scriptedRegistry, type StepScript } from './inject/scripted-engine.js';
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
    const runJson = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { run_id: string; status: string; configurations: unknown[] };
    assert.equal(runJson.status, 'interrupted');
    assert.ok(runJson.configurations.length >= 1);
    assert.equal(readResults(out).rows.length, runJson.configurations.length);
    assert.ok(!existsSync(join(out, `results.csv.${run.child.pid}.tmp`)));
    // report.html is drawn from the same finished rows, names the run and says the sweep is
    // incomplete (the one real page of this file's runs: the forced run below checks its
    // page by summary.md's run id).
    const page = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(page, new RegExp(`Run ${runJson.run_id.replace(/\./g, '\\.')} is <b>interrupted</b>: this page shows the ${runJson.configurations.length} configurations it finished`));
    assert.deepEqual(readdirSync(out).sort(), ['breakeven.csv', 'report.html', 'results.csv', 'run.json', 'summary.md']);
  });
  // A double SIGINT is tested in signals.test.ts (issue 23, item 13), with the test entry's
  // seam that holds the run in its ending: here the second signal raced the run's end.
});

/*
 * Run folders (issue 15, items 3 and 4): unique ids and folders for runs started in the
 * same second, one writer per folder (a lock a SIGKILLed run does not leave stuck), and
 * an --out holding an earlier run refused unless --force, which clears it first.
 */

/* Every run of the folders' tests steps the workers' js kernel only, without the native probe (without-native.ts), spawned or not. */

/**
 * Through the test entry with its stand-ins for the machine's figures (calibration, roofline,
 * memory roof): seconds a run, and nothing about folders or locks.
 */
const ENTRY = INJECT_CLI;
const FOLDER_RUN = ['--unmeasured-machine', '--engines', 'workers', '--kernels', 'js', '--strategies', 'dense', '--batch', '32', '--dims', '8x4', '--threads', '1', '--time', '20', '--rounds', '1', '--no-progress'];
/**
 * A run that keeps its folder for as long as the test needs: held after its work, before
 * its final save (the test entry's --hold-after-work), idle, where a run of 1.5 s windows
 * spun a core until it was killed.
 */
const HELD = [...FOLDER_RUN, '--hold-after-work'];
/**
 * The twin runs: what they are checked for is their folders, rows and ids, so their pages are
 * the test entry's stand-in (--undrawn-page), where two drawn were 1.4 CPU-s. The forced run
 * below draws the real page, whose run id it checks.
 */
const TWIN = [...FOLDER_RUN, '--undrawn-page'];

const holder = (pid: number, host = hostname()) => ({ pid, host, run_id: `run-of-${pid}`, started_at: new Date(0).toISOString() });

/** The pid of a process that has exited: a holder SIGKILL left behind. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function runIn(cwd: string, args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ENTRY, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...WITHOUT_NATIVE } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('run ids and folders', () => {
  it('ids carry time to the ms, host, pid and a random part, and differ within one ms', () => {
    const at = new Date('2026-11-28T16:05:09.123Z');
    const a = uniqueRunId(at, 'node 7/rack', 4242);
    assert.match(a, /^2026-11-28T16-05-09\.123Z-node-7-rack-4242-[0-9a-f]{6}$/);
    assert.notEqual(uniqueRunId(at, 'h', 1), uniqueRunId(at, 'h', 1));
  });

  it('two runs started together get two folders, each with its own rows and run_id', async () => {
    const cwd = tempDir('tb-twin-');
    // One in the file's CLI server, one spawned: two processes, one start fewer. The server is
    // started first, so its run begins at once and the spawned one a Node start later (about
    // 0.3 s): the runs overlap, each taking longer than that, but their folders are not
    // claimed in the same millisecond; ids that differ within one are the test above's.
    await cli.run(['--version']);
    const [a, b] = await Promise.all([cli.run(['run', ...TWIN], { cwd }), runIn(cwd, ['run', ...TWIN])]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const folders = readdirSync(join(cwd, 'reports'));
    assert.equal(folders.length, 2, folders.join(', '));
    const ids = folders.map((folder) => {
      const { rows } = readResults(join(cwd, 'reports', folder));
      const runJson = JSON.parse(readFileSync(join(cwd, 'reports', folder, 'run.json'), 'utf8')) as { run_id: string; status: string };
      assert.equal(runJson.status, 'completed');
      assert.ok(rows.length > 0 && rows.every((r) => r['run_id'] === runJson.run_id), 'rows of this run only');
      assert.equal(folder, runJson.run_id);
      assert.ok(!existsSync(join(cwd, 'reports', folder, LOCK_FILE)), 'lock released');
      return runJson.run_id;
    });
    assert.notEqual(ids[0], ids[1]);
  });
});

describe('the run folder lock', () => {
  it('refuses a folder a live run holds, naming it', () => {
    const dir = tempDir('tb-lock-');
    const lock = RunLock.acquire(dir, holder(process.pid), '--out X');
    try {
      assert.throws(() => RunLock.acquire(dir, holder(process.pid), '--out X'), (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.match(error.message, new RegExp(`--out X: run run-of-${process.pid} \\(pid ${process.pid} on .*\\) is writing there`));
        return true;
      });
    } finally {
      lock.release();
    }
    assert.ok(!existsSync(join(dir, LOCK_FILE)));
  });

  it('takes over the lock of a dead process of this host (SIGKILL leaves it)', () => {
    const dir = tempDir('tb-lock-');
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify(holder(deadPid())));
    const lock = RunLock.acquire(dir, holder(process.pid), '--out X');
    assert.equal(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid, process.pid);
    lock.release();
  });

  it('refuses a lock held from another host (its holder cannot be checked), saying how to clear it', () => {
    const dir = tempDir('tb-lock-');
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify(holder(deadPid(), 'other-host.example')));
    assert.throws(() => RunLock.acquire(dir, holder(process.pid), '--out X'), /on other-host\.example.*if that run is dead, remove .*\.triplet-bench\.lock/);
  });

  it('refuses a folder with an earlier run\'s files unless force, which removes them', () => {
    const dir = tempDir('tb-claim-');
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ run_id: 'old', files: RUN_OUTPUTS }));
    writeFileSync(join(dir, 'report.html'), '<html>old</html>');
    writeFileSync(join(dir, 'results.csv.123.tmp'), 'half');
    writeFileSync(join(dir, 'summary.md'), '# old');
    writeFileSync(join(dir, 'summary.md.456.tmp'), '# half');
    writeFileSync(join(dir, 'notes.txt'), 'the user\'s own file');
    const options = (force: boolean) => ({ force, what: '--out D', writes: RUN_OUTPUTS, inputs: [] });
    assert.throws(() => claimRunFolder(dir, 'new', new Date(), options(false)), /--out D: holds the files of an earlier run \(report\.html, results\.csv\.123\.tmp, run\.json, summary\.md, summary\.md\.456\.tmp\).*--force/);
    assert.ok(!existsSync(join(dir, LOCK_FILE)), 'lock released on refusal');
    const lock = claimRunFolder(dir, 'new', new Date(), options(true));
    lock.release();
    assert.deepEqual(readdirSync(dir), ['notes.txt']);
  });
});

describe('run --out over another run', () => {
  it('refuses a folder a running run holds, and after SIGKILL an earlier run\'s files unless --force', async () => {
    const out = join(tempDir('tb-out-'), 'run');
    const first = startCliWithoutNative(['run', ...HELD, '--out', out], ENTRY);
    await first.waitFor(new RegExp(HOLD_LINE));
    const second = await cli.run(['run', ...FOLDER_RUN, '--out', out]);
    assert.equal(second.code, 2, second.stderr);
    assert.match(second.stderr, /^triplet-bench: --out .*: run .* \(pid \d+ on .*\) is writing there/);
    first.child.kill('SIGKILL');
    await first.exited;

    const refused = await cli.run(['run', ...FOLDER_RUN, '--out', out]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /holds the files of an earlier run \(.*run\.json.*\).*--force/);

    // The stand-in page (--undrawn-page): its report files are checked for the new run's by
    // summary.md's heading, and its page for being this run's stand-in (the held run, killed
    // before its final save, drew none). A real page here was the CLI server's first vega
    // load and render, about 1.5 CPU-s; the SIGINT run above draws one and checks its run id.
    const forced = await cli.run(['run', ...FOLDER_RUN, '--undrawn-page', '--out', out, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    const runJson = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { run_id: string; status: string };
    assert.equal(runJson.status, 'completed');
    assert.ok(readResults(out).rows.every((row) => row['run_id'] === runJson.run_id), 'rows of the new run only');
    assert.ok(readFileSync(join(out, 'summary.md'), 'utf8').startsWith(`# triplet-bench: ${runJson.run_id}\n`), 'the new run\'s summary');
    assert.match(readFileSync(join(out, 'report.html'), 'utf8'), new RegExp(`${UNDRAWN_LINE} \\(${readResults(out).rows.length} rows\\)`));
  });
});

/*
 * Issue 22, items 1 and 2: the unit of evidence is a visit, and a row gets as many as its
 * figure needs. The real sweep, in-process, over an engine whose steps take scripted times
 * on a fake clock: a steady row stops at its first visits, one whose visits disagree gets
 * more until it reaches the precision, a budget too small for that ends the top-up and says
 * so, the workloads' visits are interleaved over the whole run, and the budget left goes to
 * the rows it can bring to the target.
 */

/** Two workers kernels on a tiny workload, and what a test changes. */
function select(changes: Partial<RawSelection> = {}) {
  return resolveSelection({ engines: ['workers'], kernels: ['js', 'wasm'], strategies: ['dense'], threads: [1], batch: [64], dims: [{ dIn: 8, dOut: 4 }], active: [0.3], data: 'synthetic', seed: 1, reduction: 'mean', ...changes }, SELECTION_DEFAULTS, ENGINES_BY_NAME);
}
const selection = select();
const context = { runId: 'r', host: 'h', cpuModel: 'c', logicalCpus: 2, nodeVersion: 'v' };

/** js: 10 ms steps whose level is drawn once per visit, spread 6 %; wasm: steady 5 ms steps. */
function script(seed: number): StepScript {
  const random = new SeededRandom(seed);
  const levels = new Map<number, number>();
  return (config, visit) => {
    if (config.kernel === 'wasm') return 5;
    if (!levels.has(visit)) levels.set(visit, 1 + 0.06 * random.gaussian());
    return 10 * levels.get(visit)!;
  };
}

async function sweep(budgetMs: number, { seed = 5, windowsPerVisit = 1, steps = script(seed), chosen = selection } = {}) {
  const clock = new FakeClock();
  const engines = scriptedRegistry(clock, steps);
  const measurements = await runSweep(chosen, workloadSpecs(chosen), engineConfigs(chosen, engines, { overhead: false }), {
    context,
    engines,
    budgetMs: 300,
    rounds: 3,
    precision: { targetPct: 3, budgetMs, windowsPerVisit, maxUnits: 30 },
    now: clock.now,
  });
  const row = (kernel: string) => measurements.find((m) => m.row.kernel === kernel)!;
  return { clock, engines, measurements, js: row('js'), wasm: row('wasm') };
}

describe('a sweep to a precision', () => {
  it('stops a steady row at its first visits and tops up one whose visits disagree until it is tight', async () => {
    const { js, wasm } = await sweep(600_000);
    assert.equal(wasm.row.precision_met, 'yes');
    assert.equal(wasm.visits.length, 3, 'three visits');
    assert.equal(wasm.row.windows, 3, 'one window each');
    assert.equal(js.row.precision_met, 'yes', js.row.note as string);
    assert.ok(js.visits.length > 3, `${js.visits.length} visits`);
    assert.ok((js.row.rme_pct as number) <= 3);
    assert.equal(js.evidence.unitMediansMs.length, js.visits.length, 'one unit per visit');
  });

  it('ends the top-up when the budget is spent, and the row says why it missed', async () => {
    // The first visits alone take a few seconds of fake time: nothing is left for more.
    const { js, clock } = await sweep(1000);
    assert.equal(js.row.precision_met, 'no');
    assert.equal(js.visits.length, 3);
    assert.match(js.row.note as string, /missed the precision of ±3 % .* over 3 visits.*budget/);
    assert.ok(clock.ms < 20_000, `${clock.ms} ms of fake time`);
  });

  it('warms each visit to steady state and records it, with the visit\'s time', async () => {
    const { wasm } = await sweep(600_000);
    for (const visit of wasm.visits) {
      assert.equal(visit.settled, true);
      assert.ok(visit.warmup_steps >= 2 * 20, `${visit.warmup_steps} steps: groups of 20 fast steps`);
      assert.equal(visit.windows, 1);
      assert.ok(visit.ms >= 300 + visit.warmup_ms, `a visit of ${visit.ms} ms holds its warm-up and its 300 ms window`);
    }
  });
});

describe('the unit of evidence is the visit', () => {
  it('windows of one open that agree do not narrow the interval of opens that disagree', async () => {
    // Three windows a visit: inside a visit every step is alike, between visits they spread 6 %.
    const { js } = await sweep(1000, { windowsPerVisit: 3 });
    assert.equal(js.windowMediansMs.length, 9, 'three visits of three windows');
    assert.equal(js.evidence.unitMediansMs.length, 3, 'one unit per visit');
    const overWindows = unitInterval(js.windowMediansMs)!;
    const overVisits = unitInterval(js.evidence.unitMediansMs)!;
    // Counted as nine independent units the windows would claim a much tighter figure.
    assert.ok(overWindows.halfWidthPct < overVisits.halfWidthPct / 2, `windows ±${overWindows.halfWidthPct.toFixed(1)} %, visits ±${overVisits.halfWidthPct.toFixed(1)} %`);
    assert.equal(js.row.rme_pct, overVisits.halfWidthPct);
  });

  it('interleaves the workloads: each round visits them in one shuffled order, not one block after another', async () => {
    const three = select({ strategies: ['dense', 'compact'], threads: [1, 2], active: [0.1, 0.3, 0.7] });
    const { engines, measurements } = await sweep(1000, { chosen: three, steps: () => 5 });
    assert.equal(measurements.length, 3 * 8);
    const order = engines.opened.map(({ workload }) => workload);
    const workloads = [...new Set(order)];
    assert.equal(workloads.length, 3);
    // Each round holds every pair once; in each, the workload changes many times over.
    const perRound = 3 * 8;
    for (let round = 0; round < 3; round++) {
      const slice = order.slice(round * perRound, (round + 1) * perRound);
      const switches = slice.slice(1).filter((w, i) => w !== slice[i]).length;
      assert.ok(switches >= 8, `round ${round}: the workload changed ${switches} times in ${perRound} visits`);
    }
  });

  it('sweeps together the workloads that fit a quarter of the memory allowed, in order', () => {
    const three = select({ kernels: ['js'], batch: [4096], dims: [{ dIn: 512, dOut: 128 }], active: [0.1, 0.3, 0.7] });
    const specs = workloadSpecs(three);
    assert.deepEqual(interleavedGroups(specs, 8 * 2 ** 30).map((group) => group.length), [3]);
    // About 25 MB each: a 220 MB allowance holds two together (a quarter: 55 MB), then the third.
    assert.deepEqual(interleavedGroups(specs, 220 * 2 ** 20).map((group) => group.length), [2, 1]);
    assert.deepEqual(interleavedGroups(specs, 1).map((group) => group.length), [1, 1, 1], 'each alone when none fit');
  });
});

describe('the budget left goes to the rows it can bring to the target', () => {
  const row = (units: number[], visitMs: number) => ({ so: { unitMediansMs: units, visitMs: units.map(() => visitMs) } });
  const plan = { targetPct: 3, maxUnits: 30 };
  // About 4 % apart: a few more visits reach 3 %; 20 % apart: the cap (30) first.
  const close = row([10, 10.4, 9.6], 1000);
  const far = row([10, 12, 8], 1000);

  it('visits only the rows whose remaining visits fit, cheapest first', () => {
    assert.deepEqual(affordable([far, close], 10_000, plan), [close]);
  });

  it('visits every row when the budget fits all or none of them', () => {
    assert.deepEqual(new Set(affordable([far, close], 60_000, plan)), new Set([far, close]));
    assert.deepEqual(affordable([far, close], 500, plan), [far, close]);
  });
});
