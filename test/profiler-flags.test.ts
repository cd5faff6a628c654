/**
 * Under Node's CPU profiler tfjs-node aborts the process, so the threads and processes that
 * run TensorFlow start without the profiler's flags (src/compat/profiler-flags.ts).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { tfExecArgv, tfWorkerExecArgv } from '../src/compat/profiler-flags.js';
import { BIN, readResults } from './helpers.js';

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

describe('a run under --cpu-prof', () => {
  it('completes with the tfjs kernel, the tfjs-node engine and the roofline, and profiles the main process', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tb-prof-'));
    const out = join(dir, 'run');
    const profiles = join(dir, 'profiles');
    const result = spawnSync(process.execPath, [
      // A process-wide flag besides: the workers must start without it (a Worker refuses it).
      '--stack-trace-limit=20', '--cpu-prof', `--cpu-prof-dir=${profiles}`, BIN, 'run',
      '--engines', 'workers,tfjs-node', '--kernels', 'tfjs,tensorflow', '--strategies', 'compact', '--formulations', 'fused',
      // Two threads only: a pool of two, the roofline's concurrent GEMM threads and its
      // second child, as at 1,2; the one-thread pool and host are opened by the calibration.
      '--threads', '2', '--batch', '256', '--dims', '32x16', '--active', '0.3', '--time', '20', '--rounds', '1', '--no-progress', '--out', out,
    ], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /note: --cpu-prof profiles this process's main thread only/);
    const { rows } = readResults(out);
    const timed = rows.filter((row) => row['kernel'] === 'tfjs' || row['kernel'] === 'tensorflow');
    assert.equal(timed.length, 2);
    for (const row of timed) assert.equal(row['status'], 'ok', `${row['engine']} T=${row['threads']}: ${row['note']}`);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { roofline: { measured: boolean; reason?: string } };
    assert.equal(run.roofline.measured, true, run.roofline.reason);
    assert.ok(readdirSync(profiles).some((name) => name.endsWith('.cpuprofile')), 'the main process wrote its profile');
  });
});
