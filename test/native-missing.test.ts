import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cliServer } from './helpers.js';

// Simulates a machine where no TensorFlow C library could be found or built.
const MISSING = { TRIPLET_BENCH_NO_NATIVE: '1' };
/**
 * The file's command lines, in one process (helpers.ts, cliServer), the missing library's
 * from its start (the probe reads the variable once). setup-native reads no probe: it runs
 * there with the variable emptied for its time, which reads as unset, on this machine as
 * it is.
 */
const missing = cliServer(MISSING);
const AS_IT_IS = { env: { TRIPLET_BENCH_NO_NATIVE: '' } };

describe('without the native library', () => {
  it('doctor reports tfjs-node and the tfjs kernel unavailable, with the reason and the fix', async () => {
    const { code, stdout } = await missing.run(['doctor', '--json']);
    assert.equal(code, 0);
    const report = JSON.parse(stdout) as { engines: { engine: string; kernel: string; available: boolean; reason: string; fix: string }[] };
    const native = report.engines.filter((r) => r.engine === 'tfjs-node' || r.kernel === 'tfjs');
    assert.equal(native.length, 2);
    for (const row of native) {
      assert.equal(row.available, false);
      assert.match(row.reason, /native backend disabled/);
      assert.ok(row.fix.length > 0);
    }
    assert.ok(report.engines.some((r) => r.engine === 'tfjs-cpu' && r.available));
  });

  it('verify and run still work; the missing engine\'s rows are skipped with the reason', async () => {
    const verify = await missing.run(['verify', '--batch', '20', '--dims', '6x3', '--threads', '1', '--engines', 'workers,tfjs-node', '--no-autograd', '--json']);
    assert.equal(verify.code, 0, verify.stderr);
    const rows = JSON.parse(verify.stdout) as { engine: string; kernel: string; status: string; note: string }[];
    const skipped = rows.filter((r) => r.engine === 'tfjs-node' || r.kernel === 'tfjs');
    assert.ok(skipped.length > 0 && skipped.every((r) => r.status === 'skipped' && /native backend disabled/.test(r.note)));
    assert.ok(rows.some((r) => r.engine === 'workers' && r.kernel === 'js' && r.status === 'ok'));

    const out = mkdtempSync(join(tmpdir(), 'tb-nonative-'));
    // The test entry's --roofline-only: the roofline as run measures it, which says why it
    // could not; the calibration and the memory roof, seconds of CPU, stood in for.
    const run = await missing.run(['run', '--roofline-only', '--batch', '20', '--dims', '6x3', '--threads', '1', '--engines', 'tfjs-node', '--strategies', 'dense', '--formulations', 'fused', '--time', '20', '--rounds', '1', '--no-progress', '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /warning: tfjs-node\/tensorflow skipped: native backend disabled/);
    const csv = readFileSync(join(out, 'results.csv'), 'utf8');
    assert.match(csv, /"tfjs-node","tensorflow","fused","dense",1,.*"skipped","native backend disabled/);
    const roofline = (JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { roofline: { measured: boolean; reason: string } }).roofline;
    assert.equal(roofline.measured, false);
    assert.match(roofline.reason, /tfjs-node is not available \(native backend disabled/);
    assert.match(run.stderr, /roofline not measured: tfjs-node is not available/);
  });

  it('run --kernels js warns of no tfjs kernel it was not asked to run (issue 23, item 12)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tb-nonative-'));
    // The test entry's stand-ins for the machine's figures and the page's charts: not what this run tests.
    const run = await missing.run(['run', '--unmeasured-machine', '--undrawn-page', '--batch', '20', '--dims', '6x3', '--threads', '1', '--engines', 'workers', '--kernels', 'js', '--strategies', 'dense', '--formulations', 'fused', '--time', '20', '--rounds', '1', '--no-progress', '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    // A skip warning reads "ENGINE/KERNEL skipped: why"; the stand-ins' lines say "skipped by the test entry".
    assert.doesNotMatch(run.stderr, /skipped:/);
    assert.deepEqual((JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { warnings: string[] }).warnings.filter((w) => /skipped/.test(w)), []);
  });

  it('setup-native finds no library in an empty folder: exit 1, or 0 with --if-possible (what npm install runs)', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'tb-nolib-'));
    const strict = await missing.run(['setup-native', '--from', empty], AS_IT_IS);
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, /native backend unavailable: no TensorFlow C library found/);
    assert.match(strict.stderr, new RegExp(`--from ${empty}: no libtensorflow`));
    const lenient = await missing.run(['setup-native', '--from', empty, '--if-possible'], AS_IT_IS);
    assert.equal(lenient.code, 0);
  });
});
