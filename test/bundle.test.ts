/**
 * The self-contained bundle (scripts/bundle.mjs): built into a temporary folder outside
 * the checkout, with no node_modules above it and no NODE_PATH, it must run the workers
 * engine, report and compare with nothing but `node`, and say why tfjs is unavailable.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readResults } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WORK = mkdtempSync(join(tmpdir(), 'tb-bundle-'));
const BUILT = join(WORK, 'built');
// The folder the lead would carry to an offline server: a copy, run from elsewhere.
const CARRIED = join(WORK, 'carried', 'triplet-bench');
// Nothing of the checkout's may leak in: no NODE_PATH, no working directory inside it.
const ENV = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_PATH' && !name.startsWith('npm_')));

function bundleCli(args: readonly string[]) {
  const result = spawnSync(process.execPath, [join(CARRIED, 'triplet-bench.js'), ...args], { cwd: WORK, encoding: 'utf8', env: { ...ENV, NO_COLOR: '1' }, timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run bundle', () => {
  before(() => {
    const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs'), '--out', BUILT], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    assert.equal(built.status, 0, built.stderr);
    cpSync(BUILT, CARRIED, { recursive: true });
  });
  after(() => rmSync(WORK, { recursive: true, force: true }));

  it('is one folder of a few MB: the CLI, the worker files and both wasm builds', () => {
    const files = readdirSync(CARRIED);
    for (const file of ['triplet-bench.js', 'worker.js', 'shard-worker.js', 'workload-thread.js', 'tfjs-host.js', 'native-probe.js', 'wasm-kernel.wasm', 'wasm-kernel-relaxed.wasm', 'package.json']) {
      assert.ok(files.includes(file), `${file} in ${files.join(', ')}`);
    }
    assert.ok(!existsSync(join(CARRIED, 'node_modules')));
    const bytes = files.reduce((sum, file) => sum + statSync(join(CARRIED, file)).size, 0);
    assert.ok(bytes < 8 * 1024 * 1024, `${bytes} bytes`);
  });

  it('runs the workers engine (js, wasm) from a copied folder and writes results, run.json and the page', () => {
    const out = join(WORK, 'run');
    // Two threads (the shard workers; verify below runs one), both kernels, dense only (compact
    // runs in the same files): a run measures the machine at each thread count and opens a
    // pool per configuration, seconds of CPU that more rows would only repeat.
    const args = ['run', '--engines', 'workers', '--kernels', 'js,wasm', '--strategies', 'dense', '--threads', '2', '--batch', '64', '--dims', '16x8', '--active', '0.3', '--time', '20', '--rounds', '1', '--no-progress', '--out', out];
    const { code, stderr } = bundleCli(args);
    assert.equal(code, 0, stderr);
    const { rows } = readResults(out);
    // {js, wasm}, dense.
    assert.equal(rows.length, 2);
    for (const row of rows) {
      assert.equal(row['status'], 'ok', row['note']);
      assert.equal(row['engine'], 'workers');
      assert.ok(Number(row['max_rel_err']) <= 1e-4, row['max_rel_err']);
      assert.ok(Number(row['triplets_per_s']) > 0);
    }
    assert.deepEqual(new Set(rows.map((r) => r['kernel'])), new Set(['js', 'wasm']));
    const environment = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).environment as { packages: Record<string, string | null>; triplet_bench_version: string };
    const own = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };
    // The versions of the inlined packages come from the bundle's manifest.
    assert.equal(environment.packages['piscina'], own.dependencies['piscina']);
    assert.equal(environment.triplet_bench_version, own.version);
    assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /<svg/);
    // The memory roof's STREAM threads are an entry of the bundle: a missing one leaves it unmeasured.
    const memoryRoof = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).memory_roof as { measured: boolean; reason?: string };
    assert.equal(memoryRoof.measured, true, memoryRoof.reason);

    const compared = bundleCli(['compare', out, out, '--format', 'json']);
    assert.equal(compared.code, 0, compared.stderr);
    assert.equal((JSON.parse(compared.stdout) as { configurations: unknown[] }).configurations.length, 2);
    // The report command reads the run's results.csv from the bundle; --format md prints its
    // summary, not the page again: the run above drew that page (its <svg>) with the same
    // exporter, and a second drawing is about 0.7 CPU-s.
    const reported = bundleCli(['report', join(out, 'results.csv'), '--format', 'md']);
    assert.equal(reported.code, 0, reported.stderr);
    assert.match(reported.stdout, /^# triplet-bench: /);
    assert.match(reported.stdout, /\| workers \| workers\/(js|wasm) fused dense T=2, B=64 16x8 active 0\.3 \|/);
  });

  // A node_modules with tfjs above the temp folder (left by another program) is found, as designed.
  const above = (() => {
    for (let dir = dirname(WORK); dirname(dir) !== dir; dir = dirname(dir)) if (existsSync(join(dir, 'node_modules', '@tensorflow'))) return dir;
    return existsSync('/node_modules/@tensorflow') ? '/' : undefined;
  })();
  it('says tfjs is unavailable where no copy is found, and verify skips the autograd check', { skip: above ? `${above}/node_modules has @tensorflow packages, which the bundle rightly finds` : false }, () => {
    const doctor = bundleCli(['doctor', '--json']);
    assert.equal(doctor.code, 0, doctor.stderr);
    const engines = (JSON.parse(doctor.stdout) as { engines: { engine: string; kernel: string; available: boolean; reason: string; fix: string }[] }).engines;
    const state = (engine: string, kernel: string) => engines.find((r) => r.engine === engine && r.kernel === kernel);
    assert.equal(state('workers', 'js')?.available, true);
    assert.equal(state('workers', 'wasm')?.available, true);
    for (const [engine, kernel] of [['workers', 'tfjs'], ['tfjs-node', 'tensorflow'], ['tfjs-cpu', 'cpu']] as const) {
      assert.equal(state(engine, kernel)?.available, false);
      assert.match(state(engine, kernel)!.reason, /not installed/);
      // The fix works here: no npx and no npm project in the bundle (issue 23, item 12).
      assert.doesNotMatch(state(engine, kernel)!.fix, /npx|^npm install$/);
      assert.match(state(engine, kernel)!.fix, /npm install @tensorflow\/\S+ \(in .*the folder above the bundle\)/);
    }
    const verify = bundleCli(['verify', '--engines', 'workers', '--kernels', 'js,wasm', '--threads', '1', '--batch', '16', '--dims', '8x4', '--json']);
    assert.equal(verify.code, 0, verify.stderr);
    const rows = JSON.parse(verify.stdout) as { engine: string; status: string; note: string }[];
    assert.equal(rows.find((r) => r.engine === 'tfjs-core')?.status, 'skipped');
    assert.equal(rows.filter((r) => r.engine === 'workers' && r.status === 'ok').length, 4);
  });
});
