/**
 * Under Node's CPU profiler tfjs-node aborts the process, so the threads and processes that
 * run TensorFlow start without the profiler's flags (src/compat/profiler-flags.ts).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { tfExecArgv, tfWorkerExecArgv } from '../src/compat/profiler-flags.js';
import { INJECT_CLI, readResults } from './helpers.js';
import { TENSORFLOW_LINE } from './tensorflow-lines.js';

describe('tfExecArgv', () => {
  it('inherits (undefined) when no profiler flag is given', () => {
    assert.equal(tfExecArgv([]), undefined);
    assert.equal(tfExecArgv(['--max-old-space-size=4096', '--cpu-profiler-x']), undefined);
  });

  it('inherits when only the profiler\'s options are given, as Node 24\'s test runner gives every test process', () => {
    const testRunnerArgv = ['--test-concurrency=0', '--stack-trace-limit=10', '--cpu-prof-interval=1000', '--heap-prof-interval=524288', '--v8-pool-size=4'];
    assert.equal(tfExecArgv(testRunnerArgv), undefined);
    assert.equal(tfWorkerExecArgv(testRunnerArgv), undefined);
  });

  it('drops --cpu-prof and its options, whether their values follow = or come next', () => {
    assert.deepEqual(tfExecArgv(['--cpu-prof', '--max-old-space-size=4096']), ['--max-old-space-size=4096']);
    assert.deepEqual(tfExecArgv(['--cpu-prof', '--cpu-prof-dir=/tmp/p', '--cpu-prof-interval', '500', '--cpu-prof-name', 'x.cpuprofile', '--trace-gc']), ['--trace-gc']);
  });
});

describe('tfWorkerExecArgv', () => {
  it('also drops the process-wide and V8 flags a Worker refuses, whatever their order', async () => {
    const argv = ['--stack-trace-limit=20', '--cpu-prof', '--enable-source-maps', '--max-old-space-size=4096', '--cpu-prof-interval', '500', '--no-warnings'];
    const flags = tfWorkerExecArgv(argv);
    assert.deepEqual(flags, ['--enable-source-maps', '--no-warnings']);
    assert.deepEqual(tfExecArgv(argv), ['--stack-trace-limit=20', '--enable-source-maps', '--max-old-space-size=4096', '--no-warnings']);
    const worker = new Worker('require("node:worker_threads").parentPort.postMessage(process.execArgv)', { eval: true, execArgv: flags });
    const seen = await new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject));
    assert.deepEqual(seen, flags);
    await worker.terminate();
  });

  it('is empty when every other flag is refused', () => {
    assert.deepEqual(tfWorkerExecArgv(['--cpu-prof', '--v8-pool-size=4', '--secure-heap=0']), []);
  });
});

/**
 * The run under the profiler, through the test entry with the roofline measured and the
 * calibration and the memory roof stood in for (--roofline-only: their pools and hosts are
 * the sweep's own kinds), stderr in a file. It starts every thread and process that runs
 * TensorFlow (the workers' tfjs kernel, a tfjs-node host, the roofline's children and
 * their GEMM threads), each a second or more of CPU, so it serves two more files' checks:
 * TensorFlow's lines kept off a stderr that is a file (quiet-output.test.ts's subject) and
 * the roofline columns a measured roofline fills (run.test.ts's).
 */
describe('a run under --cpu-prof', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tb-prof-'));
  const out = join(dir, 'run');
  const profiles = join(dir, 'profiles');
  let code: number | null = null;
  let stderr = '';
  before(() => {
    const stderrFile = join(dir, 'stderr.txt');
    const command = [
      // A process-wide flag besides: the workers must start without it (a Worker refuses it).
      // --undrawn-page: report.html's stand-in; the page's charts, drawn under the profiler, cost
      // about 1.3 CPU-s, and nothing here looks at them.
      process.execPath, '--stack-trace-limit=20', '--cpu-prof', `--cpu-prof-dir=${profiles}`, INJECT_CLI, 'run', '--roofline-only', '--undrawn-page',
      '--engines', 'workers,tfjs-node', '--kernels', 'tfjs,tensorflow', '--strategies', 'compact', '--formulations', 'fused',
      // Two threads only: a pool of two, the roofline's concurrent GEMM threads and its second child, as at 1,2.
      '--threads', '2', '--batch', '256', '--dims', '32x16', '--active', '0.3', '--time', '20', '--rounds', '1', '--no-progress', '--out', out,
    ].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
    // Through a shell: TensorFlow's start-up lines are kept off a terminal, a file or a pipe, not off the socket spawnSync's 'pipe' is (src/native/quiet-load.ts).
    const result = spawnSync('bash', ['-c', `${command} 2>'${stderrFile}' >/dev/null`], { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' }, timeout: 300_000 });
    code = result.status;
    stderr = readFileSync(stderrFile, 'utf8');
  });

  it('completes with the tfjs kernel, the tfjs-node engine and the roofline, and profiles the main process', () => {
    assert.equal(code, 0, stderr);
    assert.match(stderr, /note: --cpu-prof profiles this process's main thread only/);
    const { rows } = readResults(out);
    const timed = rows.filter((row) => row['kernel'] === 'tfjs' || row['kernel'] === 'tensorflow');
    assert.equal(timed.length, 2);
    for (const row of timed) assert.equal(row['status'], 'ok', `${row['engine']} T=${row['threads']}: ${row['note']}`);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { roofline: { measured: boolean; reason?: string } };
    assert.equal(run.roofline.measured, true, run.roofline.reason);
    assert.ok(readdirSync(profiles).some((name) => name.endsWith('.cpuprofile')), 'the main process wrote its profile');
  });

  it('keeps TensorFlow\'s lines, from this process, its hosts and the roofline\'s children, off a stderr that is a file', () => {
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stderr, TENSORFLOW_LINE);
  });

  it('fills the roofline columns of its rows from the roofline it measured', () => {
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { roofline: { measured: boolean; points: { threads: number }[] } };
    assert.deepEqual(run.roofline.points.map((p) => p.threads), [2]);
    for (const row of readResults(out).rows) {
      assert.ok(Number(row['roofline_gflops']) > 0 && Number(row['roofline_pct']) > 0, `${row['engine']}/${row['kernel']}: roofline columns '${row['roofline_gflops']}', '${row['roofline_pct']}'`);
    }
  });
});
