/**
 * Issue 8: a sweep keeps working, and keeps what it measured, when a worker or a native
 * child dies, when it is interrupted, and when a batch would not fit in memory.
 *
 * A fault's effect on the sweep (that row errored with the reason, the rows after it
 * measured) is the sweep's logic: it runs in-process, runSweep over the faulty engines of
 * test/inject/ (their threads and tfjs hosts are real). Only what needs a process of its
 * own spawns the CLI: a thread deaf to terminate() (the command ends its process), the
 * signals, and the exit code of a refused batch.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, it } from 'node:test';
import { CONTRACT_COLUMNS, type ResultRow } from '../src/bench/rows.js';
import { engineConfigs, workloadSpecs } from '../src/bench/plan.js';
import { runSweep, shuffledConfigs } from '../src/bench/sweep.js';
import { DEFAULT_WATCHDOG, type WatchdogPolicy } from '../src/bench/watchdog.js';
import { ENGINES_BY_NAME, engineNamed } from '../src/engines/index.js';
import { faultyEngines } from './inject/engines.js';
import { configKey, type FaultKind } from './inject/faults.js';
import { StopOnSignal } from '../src/interrupts.js';
import { resolveSelection, SELECTION_DEFAULTS, type Selection } from '../src/options.js';
import { Workload } from '../src/workload.js';
import { INJECT_CLI, problemOf, readResults, runCli, startCli, type CsvRow } from './helpers.js';
import type { EngineName, Formulation } from '../src/domain.js';

const SEED = 42;
const HOST_FILE = fileURLToPath(new URL('../src/engines/tfjs/host.js', import.meta.url));
/** The test entry's stand-ins for the machine's figures (roofline, memory roof): seconds a run, and not what these runs test. */
const UNMEASURED = ['--unmeasured-machine'];
const CONTEXT = { runId: 'r', host: 'h', cpuModel: 'c', logicalCpus: 2, nodeVersion: 'v' };

/** A tiny selection of one active fraction: each configuration makes one row. */
function tiny(engines: string[], kernels: string[], threads: number[], formulations?: Formulation[]): Selection {
  const raw = { engines, kernels, ...(formulations ? { formulations } : {}), threads, batch: [256], dims: [{ dIn: 32, dOut: 16 }], active: [0.3], data: 'synthetic', seed: SEED, reduction: 'mean' as const };
  return resolveSelection(raw, SELECTION_DEFAULTS, ENGINES_BY_NAME);
}

const WORKERS_JS = tiny(['workers'], ['js'], [1, 2]);

const keyOf = (row: ResultRow) => `${row.engine}/${row.kernel}/${row.formulation}/${row.strategy}/T${row.threads}`;

/**
 * The real sweep, in-process, with `fault` in the first configuration of `engine` it runs,
 * so that rows follow the faulty one; its rows in the order first measured, and that key.
 */
async function sweepWithFault(fault: FaultKind, selection: Selection, engine: EngineName, watchdog?: WatchdogPolicy): Promise<{ rows: ResultRow[]; match: string }> {
  const configs = engineConfigs(selection, ENGINES_BY_NAME, { overhead: false });
  const match = configKey(shuffledConfigs(configs, selection.seed, 0).find((config) => config.engine === engine)!);
  const measurements = await runSweep(selection, workloadSpecs(selection), configs, {
    context: CONTEXT,
    engines: faultyEngines({ kind: fault, match }),
    budgetMs: 20,
    rounds: 1,
    everyRound: true,
    ...(watchdog ? { watchdog } : {}),
  });
  return { rows: measurements.map((m) => m.row), match };
}

/** A fault in the first configuration of `engine`: it alone is errored, with `reason`, and the rest ran after it. */
async function assertSurvives(fault: FaultKind, selection: Selection, engine: EngineName, reason: RegExp, watchdog?: WatchdogPolicy) {
  const { rows, match } = await sweepWithFault(fault, selection, engine, watchdog);
  assert.equal(rows.length, engineConfigs(selection, ENGINES_BY_NAME, { overhead: false }).length, 'a row for every configuration');
  const faulty = rows.filter((row) => keyOf(row) === match);
  assert.equal(faulty.length, 1, `one row for ${match}`);
  assert.equal(faulty[0]!.status, 'errored');
  assert.match(faulty[0]!.note as string, reason);
  // Rows are in the order they were first measured.
  const at = rows.findIndex((row) => keyOf(row) === match);
  assert.ok(at < rows.length - 2, `${rows.length - 1 - at} rows measured after the fault`);
  for (const row of rows) if (row !== faulty[0]) assert.equal(row.status, 'ok', `${keyOf(row)}: ${row.note}`);
}

/** The tfjs hosts `pid` has started: its children running host.js (not another run's). */
function hostsOf(pid: number): number[] {
  try {
    const children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
    return children.filter((child) => readFileSync(`/proc/${child}/cmdline`, 'utf8').includes(HOST_FILE));
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('a worker dies mid-step', () => {
  it('a kernel that throws: that row errored with the reason, the following rows ok', async () => {
    await assertSurvives('worker-throw', WORKERS_JS, 'workers', /injected fault: the kernel threw/);
  });

  it('a kernel that never returns (a JS loop) errors its row after the step deadline, naming the step; the sweep goes on (issue 15, item 2)', async () => {
    // Short step and close deadlines: the hang costs one of each.
    const watchdog = { ...DEFAULT_WATCHDOG, minStepMs: 1500, closeMs: 1500 };
    await assertSurvives('kernel-hang', WORKERS_JS, 'workers', /^no progress in step 3 within [0-9.]+ s \(.*\); its threads or process were ended$/, watchdog);
  });

  it('a worker that calls process.exit: the pool is replaced, the sweep goes on', async () => {
    await assertSurvives('worker-exit', WORKERS_JS, 'workers', /worker exited with code: 70/);
  });

  it('a worker beyond its resourceLimits: the row says so, the sweep goes on', async () => {
    await assertSurvives('worker-oom', WORKERS_JS, 'workers', /memory limit/);
  });
});

describe('a native child process dies', () => {
  it('killed by a signal: its row errored, the run goes on', async () => {
    // One thread count: the killed host is the second of four configurations, a healthy host follows it.
    await assertSurvives('child-kill', tiny(['tfjs-node', 'workers'], ['tensorflow', 'js'], [1], ['fused']), 'tfjs-node', /tfjs host exited \(SIGKILL\)/);
  });
});

describe('a thread stuck in native code (a process of its own: the command ends it)', () => {
  it('deaf to terminate(): its pool is abandoned, the row says so, and the run still ends', () => {
    const out = mkdtempSync(join(tmpdir(), 'tb-fault-'));
    const match = configKey(shuffledConfigs(engineConfigs(WORKERS_JS, ENGINES_BY_NAME, { overhead: false }), SEED, 0)[0]!);
    const args = ['run', '--engines', 'workers', '--kernels', 'js', '--threads', '1,2', '--batch', '256', '--dims', '32x16', '--active', '0.3', '--time', '20', '--rounds', '1', '--no-progress', '--seed', String(SEED)];
    const { code, stderr } = runCli([...args, ...UNMEASURED, '--watchdog-ms', '2000', '--out', out, '--inject-fault', `kernel-native-hang@${match}`], {}, INJECT_CLI);
    // Node cannot exit while it waits to join the stuck thread: the process ends itself, by SIGKILL, once its files are written.
    assert.equal(code, null, stderr);
    assert.match(stderr, /1 configuration left threads stuck in native code that ignored terminate\(\); files are written; ending the process \(SIGKILL\)/);
    const runJson = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { status: string };
    assert.equal(runJson.status, 'completed');
    const { rows } = readResults(out);
    const csvKey = (row: CsvRow) => `${row['engine']}/${row['kernel']}/${row['formulation']}/${row['strategy']}/T${row['threads']}`;
    const stuck = rows.filter((row) => csvKey(row) === match);
    assert.equal(stuck.length, 1);
    assert.match(stuck[0]!['note']!, /^no progress in step 3 within [0-9.]+ s \(.*\); its threads or process did not end within 2\.0 s of terminate\(\): abandoned, still running$/);
    for (const row of rows) if (row !== stuck[0]) assert.equal(row['status'], 'ok', `${csvKey(row)}: ${row['note']}`);
    assert.equal(rows.length, 4, 'every configuration has its row');
    assert.ok(existsSync(join(out, 'report.html')));
  });
});

describe('signals mid-run', () => {
  // Two native configurations, the second's window 8 s: the signal lands 1.5 s into it, in
  // its child host. Waiting for the window would take 6.5 s more; abandoning it, well under.
  // The first's window lasts 200 ms (the test entry's --first-window-ms): its row is all
  // the run must have finished.
  const SLOW = ['run', '--engines', 'tfjs-node', '--formulations', 'fused', '--threads', '1', '--batch', '512', '--dims', '64x32', '--active', '0.3', '--time', '8000', '--first-window-ms', '200', '--rounds', '1', '--seed', String(SEED)];

  for (const [signal, exitCode] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal}: valid reports of every finished configuration, children ended, exit ${exitCode}`, async () => {
      const out = mkdtempSync(join(tmpdir(), 'tb-signal-'));
      const run = startCli([...SLOW, ...UNMEASURED, '--out', out], INJECT_CLI);
      await run.waitFor(/\[2\/\d+[^\]]*\][^\n]*\.\.\./); // the first configuration is done, the second started
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const hosts = hostsOf(run.child.pid!);
      assert.equal(hosts.length, 1, 'the configuration in flight runs in its tfjs host');
      const sentAt = performance.now();
      run.child.kill(signal);
      const { code, stderr } = await run.exited;
      const exitMs = performance.now() - sentAt;
      assert.equal(code, exitCode, stderr);
      // Liveness, not speed: the window in flight is abandoned, not waited for; the time
      // includes drawing report.html.
      assert.ok(exitMs < 5000, `exited ${exitMs.toFixed(0)} ms after ${signal}`);
      const runJson = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { status: string; configurations: unknown[] };
      assert.equal(runJson.status, 'interrupted');
      const { header, rows } = readResults(out);
      assert.deepEqual(header.slice(0, CONTRACT_COLUMNS.length), [...CONTRACT_COLUMNS]);
      assert.equal(rows.length, 1, 'the finished configuration, not the abandoned one');
      assert.equal(rows[0]!['status'], 'ok');
      assert.equal(runJson.configurations.length, 1);
      assert.deepEqual(readdirSync(out).filter((name) => name.endsWith('.tmp')), []);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(hosts.filter(alive), [], 'no tfjs host outlives the run');
    });
  }

  it('a second signal exits at once with its code; the first only aborts', () => {
    const target = new EventEmitter();
    const told: string[] = [];
    const exits: number[] = [];
    const stop = new StopOnSignal({ target, onFirst: (signal) => told.push(signal), onSecond: (signal) => told.push(`last words on ${signal}`), exit: (code) => exits.push(code), log: () => {} });
    assert.equal(stop.signal.aborted, false);
    target.emit('SIGTERM');
    assert.deepEqual(told, ['SIGTERM']);
    assert.equal(stop.signal.aborted, true);
    assert.equal(stop.exitCode, 143);
    assert.deepEqual(exits, [], 'the first signal leaves the exit to the command, after it saves');
    target.emit('SIGINT');
    assert.deepEqual(exits, [130], 'the second exits now');
    assert.deepEqual(told, ['SIGTERM', 'last words on SIGINT'], 'after marking the run (issue 15, item 6)');
    stop.dispose();
    assert.equal(target.listenerCount('SIGINT') + target.listenerCount('SIGTERM'), 0);
  });
});

describe('memory', () => {
  it('refuses a batch that would not fit, before allocating, with the size it needed', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'tb-mem-')), 'run');
    const { code, stdout, stderr } = runCli(['run', '--batch', '2000000', '--dims', '1024x256', '--threads', '1', '--max-memory', '4G', '--out', out]);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /^triplet-bench: --batch 2000000 with --dims 1024x256 on 1 thread needs [0-9.]+ GiB \(batch [0-9.]+ GiB \+ arena .*\), more than the 4\.00 GiB allowed \(--max-memory\)/);
    assert.equal(stderr.trim().split('\n').length, 1);
    assert.ok(!existsSync(out), 'nothing written');
  });

  it('the main thread\'s live heap does not grow over a 10,000-step run of one configuration', async (t) => {
    // Resident memory is not the measure: V8 sizes its heaps to the allocation rate over the
    // first thousands of steps (Node 20: 89 -> 112 MiB by step 4,000, then flat; Node 24:
    // heapTotal 72 -> 139 MiB by step 20,000) while the live heap stays at 5-6 MiB. A leak
    // is live memory that grows: measured after a full collection.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const workload = new Workload(problemOf({ batch: 256, dIn: 64, dOut: 32 }), 2);
    const session = await engineNamed('workers')!.open(workload, { engine: 'workers', kernel: 'wasm', formulation: 'fused', strategy: 'compact', threads: 2 });
    try {
      // Warm: the JIT, the pool and the test runner's own first allocations.
      for (let i = 0; i < 3000; i++) await session.step();
      gc();
      const before = process.memoryUsage();
      for (let i = 0; i < 10_000; i++) await session.step();
      gc();
      const after = process.memoryUsage();
      const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(2);
      t.diagnostic(`live heap ${mib(before.heapUsed)} -> ${mib(after.heapUsed)} MiB; resident ${mib(before.rss)} -> ${mib(after.rss)} MiB`);
      // 1 MiB over 10,000 steps is 100 bytes a step: any per-step leak shows.
      assert.ok(after.heapUsed - before.heapUsed < 2 ** 20, `live heap grew ${mib(after.heapUsed - before.heapUsed)} MiB`);
      assert.ok(after.arrayBuffers - before.arrayBuffers < 2 ** 20, `array buffers grew ${mib(after.arrayBuffers - before.arrayBuffers)} MiB`);
    } finally {
      await session.close();
    }
  });
});
