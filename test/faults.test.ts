/**
 * Issue 8: a sweep keeps working, and keeps what it measured, when a worker or a native
 * child dies, when it is interrupted, and when a batch would not fit in memory.
 *
 * A fault's effect on the sweep (that row errored with the reason, the rows after it
 * measured) is the sweep's logic: it runs in-process, runSweep over the faulty engines of
 * test/inject/ (their threads and tfjs hosts are real). Only what needs a process of its
 * own spawns the CLI: a thread deaf to terminate() (the command ends its process) and a
 * signal. A refused batch's exit code is hostile-input.test.ts's, among its command lines.
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
import { before, describe, it } from 'node:test';
import { CONTRACT_COLUMNS, type ResultRow } from '../src/bench/rows.js';
import { engineConfigs, workloadSpecs } from '../src/bench/plan.js';
import { runSweep, shuffledConfigs } from '../src/bench/sweep.js';
import { DEFAULT_WATCHDOG, type WatchdogPolicy } from '../src/bench/watchdog.js';
import { ENGINES_BY_NAME, engineNamed } from '../src/engines/index.js';
import type { Engine } from '../src/engines/engine.js';
import { faultyEngines, faultyHostEngines } from './inject/engines.js';
import { configKey, type HostFault, type WorkerFault } from './inject/faults.js';
import { SIGNAL_EXIT_CODES, StopOnSignal } from '../src/interrupts.js';
import { SIMULATE_MISSING_ENV } from '../src/native/probe.js';
import { resolveSelection, SELECTION_DEFAULTS, type RawSelection, type Selection } from '../src/options.js';
import { Workload } from '../src/workload.js';
import { INJECT_CLI, problemOf, readResults, startCli, type CsvRow } from './helpers.js';
import type { EngineName, Formulation } from '../src/domain.js';

const SEED = 42;
const HOST_FILE = fileURLToPath(new URL('../src/engines/tfjs/host.js', import.meta.url));
/**
 * The test entry's stand-ins for the machine's figures (roofline, memory roof) and for
 * report.html's charts (--undrawn-page): seconds a run, and not what these runs test.
 */
const UNMEASURED = ['--unmeasured-machine', '--undrawn-page'];
const CONTEXT = { runId: 'r', host: 'h', cpuModel: 'c', logicalCpus: 2, nodeVersion: 'v' };
/** For a spawned run of workers and tfjs-cpu only: no native probe, which loads tfjs-node in a child (about 1.5 CPU-s) for engines it does not use. */
const NO_NATIVE = { [SIMULATE_MISSING_ENV]: '1' };

/** A tiny selection of one active fraction: each configuration makes one row. */
function tiny(engines: string[], kernels: string[], threads: number[], formulations?: Formulation[]): Selection {
  const raw = { engines, kernels, ...(formulations ? { formulations } : {}), threads, batch: [256], dims: [{ dIn: 32, dOut: 16 }], active: [0.3], data: 'synthetic', seed: SEED, reduction: 'mean' as const };
  return resolveSelection(raw, SELECTION_DEFAULTS, ENGINES_BY_NAME);
}

/** Two configurations (dense, compact) on one thread. */
const WORKERS_JS = tiny(['workers'], ['js'], [1]);

const keyOf = (row: ResultRow) => `${row.engine}/${row.kernel}/${row.formulation}/${row.strategy}/T${row.threads}`;

/**
 * The real sweep, in-process, with `fault` in the first configuration of `engine` it runs
 * (a host fault, on tfjs-cpu's hosts: faultyHostEngines), so that rows follow the faulty
 * one; its rows in the order first measured, and that key.
 */
async function sweepWithFault(fault: HostFault, selection: Selection, engine: 'tfjs-cpu', watchdog?: WatchdogPolicy): Promise<{ rows: ResultRow[]; match: string }> {
  const configs = engineConfigs(selection, ENGINES_BY_NAME, { overhead: false });
  const match = configKey(shuffledConfigs(configs, selection.seed, 0).find((config) => config.engine === engine)!);
  const measurements = await runSweep(selection, workloadSpecs(selection), configs, {
    context: CONTEXT,
    engines: faultyHostEngines(engine, { kind: fault, match }, fault),
    budgetMs: 20,
    rounds: 1,
    everyRound: true,
    ...(watchdog ? { watchdog } : {}),
  });
  return { rows: measurements.map((m) => m.row), match };
}

/** The row of configuration `key` in `rows`: one, errored with `reason`, and at least two rows measured after it (rows are in the order first measured). */
function assertStruckRow(rows: readonly ResultRow[], key: string, reason: RegExp): ResultRow {
  const faulty = rows.filter((row) => keyOf(row) === key);
  assert.equal(faulty.length, 1, `one row for ${key}`);
  assert.equal(faulty[0]!.status, 'errored');
  assert.match(faulty[0]!.note as string, reason);
  const at = rows.findIndex((row) => keyOf(row) === key);
  assert.ok(at < rows.length - 2, `${rows.length - 1 - at} rows measured after the fault`);
  return faulty[0]!;
}

/** A fault in the first configuration of `engine`: it alone is errored, with `reason`, and the rest ran after it. */
async function assertSurvives(fault: HostFault, selection: Selection, engine: 'tfjs-cpu', reason: RegExp, watchdog?: WatchdogPolicy) {
  const { rows, match } = await sweepWithFault(fault, selection, engine, watchdog);
  assert.equal(rows.length, engineConfigs(selection, ENGINES_BY_NAME, { overhead: false }).length, 'a row for every configuration');
  const faulty = assertStruckRow(rows, match, reason);
  for (const row of rows) if (row !== faulty) assert.equal(row.status, 'ok', `${keyOf(row)}: ${row.note}`);
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

/** The first seed whose sweep of `raw`'s configurations (a seed of their own) runs `engine`'s first. */
function seedRunningFirst(raw: Omit<RawSelection, 'seed'>, engine: EngineName): number {
  for (let seed = 1; ; seed++) {
    const selection = resolveSelection({ ...raw, seed }, SELECTION_DEFAULTS, ENGINES_BY_NAME);
    if (shuffledConfigs(engineConfigs(selection, ENGINES_BY_NAME, { overhead: false }), seed, 0)[0]!.engine === engine) return seed;
  }
}

/**
 * One tfjs host's configuration and two of workers, on the first seed that sweeps the host's
 * first, so two rows follow its killed host. The host's is tfjs-cpu's: the host child, its
 * client and the sweep's handling of its death are every tfjs engine's, and tfjs-cpu's host
 * loads tfjs-core (about 0.4 CPU-s) where tfjs-node's loads the native addon (about 1.4),
 * after a native probe of a second in this process.
 */
function hostFirst(): Selection {
  const raw = { engines: ['tfjs-cpu', 'workers'], kernels: ['cpu', 'js', 'wasm'], formulations: ['fused' as const], strategies: ['compact' as const], threads: [1], batch: [256], dims: [{ dIn: 32, dOut: 16 }], active: [0.3], data: 'synthetic', reduction: 'mean' as const };
  return resolveSelection({ ...raw, seed: seedRunningFirst(raw, 'tfjs-cpu') }, SELECTION_DEFAULTS, ENGINES_BY_NAME);
}


/**
 * The in-process sweeps of worker faults and of a killed host, and the spawned run stuck in
 * native code, side by side: the run mostly waits out its deadlines (2 s each), which the
 * sweeps' work fills.
 */
describe('threads and hosts that die or never return', { concurrency: true }, () => {
  /**
   * The four ways a worker dies, in two sweeps: each strikes one of the first configurations
   * its sweep runs, and healthy ones follow. Each fault's row is errored with its reason and
   * none other is: the sweep went on past every one (a sweep a fault apiece opened the same
   * healthy pools four times over). The hang has a sweep of its own with a short step
   * deadline, which it costs a core for; a worker running out of memory needs the default
   * deadline: under coverage and a second test file its allocations outlasted a 1 s one.
   */
  describe('a worker dies mid-step', () => {
    const selection = tiny(['workers'], ['js', 'wasm'], [1, 2]);
    const hangSelection = tiny(['workers'], ['js'], [1, 2]);
    const orderOf = (chosen: Selection) => shuffledConfigs(engineConfigs(chosen, ENGINES_BY_NAME, { overhead: false }), SEED, 0).map(configKey);
    const order = orderOf(selection);
    const hangOrder = orderOf(hangSelection);
    const struck = new Map<string, WorkerFault>((['worker-throw', 'worker-exit', 'worker-oom'] as const).map((fault, at) => [order[at]!, fault]));
    const hangStruck = new Map<string, WorkerFault>([[hangOrder[0]!, 'kernel-hang']]);
    let rows: ResultRow[] = [];
    let hangRows: ResultRow[] = [];

    /** `chosen`'s sweep on the product's engines, each configuration of `faults` opened with its fault injected. */
    async function sweepStriking(chosen: Selection, faults: ReadonlyMap<string, WorkerFault>, watchdog?: WatchdogPolicy): Promise<ResultRow[]> {
      const faulty = new Map([...faults].map(([key, kind]) => [key, faultyEngines({ kind, match: key }).workers]));
      const workers: Engine = { ...ENGINES_BY_NAME.workers, open: (workload, config) => (faulty.get(configKey(config)) ?? ENGINES_BY_NAME.workers).open(workload, config) };
      const measurements = await runSweep(chosen, workloadSpecs(chosen), engineConfigs(chosen, ENGINES_BY_NAME, { overhead: false }), {
        context: CONTEXT,
        engines: { ...ENGINES_BY_NAME, workers },
        budgetMs: 20,
        rounds: 1,
        everyRound: true,
        ...(watchdog ? { watchdog } : {}),
      });
      return measurements.map((m) => m.row);
    }

    before(async () => {
      // Short step and close deadlines for the hang: it costs one of each, and spins a core for the step's.
      [rows, hangRows] = await Promise.all([sweepStriking(selection, struck), sweepStriking(hangSelection, hangStruck, { ...DEFAULT_WATCHDOG, minStepMs: 1500, closeMs: 1500 })]);
    });

    /** The row `fault` struck: errored with `reason`; rows measured after it. */
    function assertStruck(fault: WorkerFault, reason: RegExp) {
      const [swept, faults] = fault === 'kernel-hang' ? [hangRows, hangStruck] : [rows, struck];
      assertStruckRow(swept, [...faults].find(([, kind]) => kind === fault)![0], reason);
    }

    it('every configuration has its row; the struck ones alone errored, the healthy ones after them ok', () => {
      assert.deepEqual(rows.map(keyOf), order, 'a row for every configuration, in the order run');
      assert.deepEqual(hangRows.map(keyOf), hangOrder, 'a row for every configuration of the hang\'s sweep, in the order run');
      for (const row of rows) if (!struck.has(keyOf(row))) assert.equal(row.status, 'ok', `${keyOf(row)}: ${row.note}`);
      for (const row of hangRows) if (!hangStruck.has(keyOf(row))) assert.equal(row.status, 'ok', `${keyOf(row)}: ${row.note}`);
    });

    it('a kernel that throws: that row errored with the reason, the following rows ok', () => {
      assertStruck('worker-throw', /injected fault: the kernel threw/);
    });

    it('a kernel that never returns (a JS loop) errors its row after the step deadline, naming the step; the sweep goes on (issue 15, item 2)', () => {
      assertStruck('kernel-hang', /^no progress in step 3 within [0-9.]+ s \(.*\); its threads or process were ended$/);
    });

    it('a worker that calls process.exit: the pool is replaced, the sweep goes on', () => {
      assertStruck('worker-exit', /worker exited with code: 70/);
    });

    it('a worker beyond its resourceLimits: the row says so, the sweep goes on', () => {
      assertStruck('worker-oom', /memory limit/);
    });
  });

  describe('a tfjs host child process dies', () => {
    const selection = hostFirst();
    it('killed by a signal: its row errored, the run goes on', async () => {
      await assertSurvives('child-kill', selection, 'tfjs-cpu', /tfjs host exited \(SIGKILL\)/);
    });
  });

  describe('a thread stuck in native code (a process of its own: the command ends it)', () => {
    it('deaf to terminate(): its pool is abandoned, the row says so, and the run still ends', async () => {
      const out = mkdtempSync(join(tmpdir(), 'tb-fault-'));
      const match = configKey(shuffledConfigs(engineConfigs(WORKERS_JS, ENGINES_BY_NAME, { overhead: false }), SEED, 0)[0]!);
      const args = ['run', '--engines', 'workers', '--kernels', 'js', '--threads', '1', '--batch', '256', '--dims', '32x16', '--active', '0.3', '--time', '20', '--rounds', '1', '--no-progress', '--seed', String(SEED)];
      // Not spawnSync: the sweep beside it runs on this process's event loop.
      const run = startCli([...args, ...UNMEASURED, '--watchdog-ms', '2000', '--out', out, '--inject-fault', `kernel-native-hang@${match}`], INJECT_CLI, NO_NATIVE);
      const { stderr } = await run.exited;
      // Node cannot exit while it waits to join the stuck thread: the process ends itself, by SIGKILL, once its files are written.
      assert.equal(run.child.exitCode, null, stderr);
      assert.equal(run.child.signalCode, 'SIGKILL', stderr);
      assert.match(stderr, /1 configuration left threads stuck in native code that ignored terminate\(\); files are written; ending the process \(SIGKILL\)/);
      const runJson = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { status: string };
      assert.equal(runJson.status, 'completed');
      const { rows } = readResults(out);
      const csvKey = (row: CsvRow) => `${row['engine']}/${row['kernel']}/${row['formulation']}/${row['strategy']}/T${row['threads']}`;
      const stuck = rows.filter((row) => csvKey(row) === match);
      assert.equal(stuck.length, 1);
      assert.match(stuck[0]!['note']!, /^no progress in step 3 within [0-9.]+ s \(.*\); its threads or process did not end within 2\.0 s of terminate\(\): abandoned, still running$/);
      for (const row of rows) if (row !== stuck[0]) assert.equal(row['status'], 'ok', `${csvKey(row)}: ${row['note']}`);
      assert.equal(rows.length, 2, 'every configuration has its row');
      assert.ok(existsSync(join(out, 'report.html')));
    });
  });
});

describe('signals mid-run', () => {
  // A workers configuration, then a tfjs host's whose window lasts 8 s: the signal lands a
  // second into it, in its child host (tfjs-cpu's, which loads tfjs-core in a fraction of
  // that second: tfjs-node's loads the native addon, about 1.4 CPU-s, after a native probe of
  // a second; the abandoning is every host's). Waiting for the window would take 7 s more;
  // abandoning it, well under. The first's row is all the run must have finished: its steps
  // scripted (the test entry's --scripted-steps, on the sweep's fake clock) take no real
  // time, and the one host is the configuration in flight.
  const seed = seedRunningFirst({ engines: ['tfjs-cpu', 'workers'], kernels: ['cpu', 'js'], formulations: ['fused'], strategies: ['compact'], threads: [1], batch: [64], dims: [{ dIn: 16, dOut: 8 }], active: [0.3], data: 'synthetic', reduction: 'mean' }, 'workers');
  const SLOW = ['run', '--engines', 'tfjs-cpu,workers', '--kernels', 'cpu,js', '--formulations', 'fused', '--strategies', 'compact', '--threads', '1', '--batch', '64', '--dims', '16x8', '--active', '0.3', '--time', '8000', '--scripted-steps', '100', '--rounds', '1', '--seed', String(seed)];

  // One signal, one run: the abandoning is the same for each stop signal (the test below
  // gives each its code; signals.test.ts ends spawned runs by SIGINT, SIGHUP and SIGQUIT).
  it('SIGTERM: valid reports of every finished configuration, children ended, exit 143', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tb-signal-'));
    const run = startCli([...SLOW, ...UNMEASURED, '--out', out], INJECT_CLI, NO_NATIVE);
    await run.waitFor(/\[2\/\d+[^\]]*\][^\n]*\.\.\./); // the first configuration is done, the second started
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const hosts = hostsOf(run.child.pid!);
    assert.equal(hosts.length, 1, 'the configuration in flight runs in its tfjs host');
    const sentAt = performance.now();
    run.child.kill('SIGTERM');
    const { code, stderr } = await run.exited;
    const exitMs = performance.now() - sentAt;
    assert.equal(code, 143, stderr);
    // Liveness, not speed: the window in flight is abandoned, not waited for; the time
    // includes writing the report's files.
    assert.ok(exitMs < 5000, `exited ${exitMs.toFixed(0)} ms after SIGTERM`);
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

  it('each stop signal, first, aborts and gives the exit code 128 + n', () => {
    for (const [signal, code] of Object.entries(SIGNAL_EXIT_CODES)) {
      const target = new EventEmitter();
      const stop = new StopOnSignal({ target, onFirst: () => {}, exit: () => assert.fail('the first signal exits'), log: () => {} });
      target.emit(signal);
      assert.equal(stop.signal.aborted, true, signal);
      assert.equal(stop.stoppedBy, signal);
      assert.equal(stop.exitCode, code, signal);
      stop.dispose();
    }
    assert.deepEqual(Object.entries(SIGNAL_EXIT_CODES), [['SIGHUP', 129], ['SIGINT', 130], ['SIGQUIT', 131], ['SIGTERM', 143]]);
  });
});

describe('memory', () => {
  // A batch refused before allocating, with the size it needed: hostile-input.test.ts, among
  // its command lines in one process (exit 2, that one line, nothing on stdout, nothing written).

  it('the main thread\'s live heap does not grow over a 5,000-step run of one configuration', async (t) => {
    // Resident memory is not the measure: V8 sizes its heaps to the allocation rate over the
    // first thousands of steps (Node 20: 89 -> 112 MiB by step 4,000, then flat; Node 24:
    // heapTotal 72 -> 139 MiB by step 20,000) while the live heap stays at 5-6 MiB. A leak
    // is live memory that grows: measured after a full collection.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // A small batch: a step's messages, promises and buffers are what could leak, the same at any size.
    const workload = new Workload(problemOf({ batch: 64, dIn: 16, dOut: 8 }), 2);
    const session = await engineNamed('workers')!.open(workload, { engine: 'workers', kernel: 'wasm', formulation: 'fused', strategy: 'compact', threads: 2 });
    try {
      // Warm: the JIT, the pool and the test runner's own first allocations.
      for (let i = 0; i < 2000; i++) await session.step();
      gc();
      const before = process.memoryUsage();
      for (let i = 0; i < 5000; i++) await session.step();
      gc();
      const after = process.memoryUsage();
      const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(2);
      t.diagnostic(`live heap ${mib(before.heapUsed)} -> ${mib(after.heapUsed)} MiB; resident ${mib(before.rss)} -> ${mib(after.rss)} MiB`);
      // Half a MiB over 5,000 steps is 100 bytes a step: any per-step leak shows.
      assert.ok(after.heapUsed - before.heapUsed < 2 ** 19, `live heap grew ${mib(after.heapUsed - before.heapUsed)} MiB`);
      assert.ok(after.arrayBuffers - before.arrayBuffers < 2 ** 19, `array buffers grew ${mib(after.arrayBuffers - before.arrayBuffers)} MiB`);
    } finally {
      await session.close();
    }
  });
});
