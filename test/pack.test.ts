/**
 * `npm pack`'s tarball holds what an installed copy runs: bin/, the built dist/ with both
 * wasm builds, the postinstall; no tests, no source maps. Installing it from the registry
 * takes minutes (README "As a package"), so this test unpacks it and lends it the
 * checkout's node_modules, which is what `npm install ./triplet-bench-*.tgz` provides,
 * and runs the workers engine from there: its bin answers, and a `run` through the
 * unpacked dist/ (its CLI, worker files and wasm) writes its rows. That run is given
 * stand-ins for the machine's figures (as the test entry's --unmeasured-machine gives
 * them, test/inject/entry-options.ts): the calibration, the roofline's tfjs-node children
 * and the memory roof are seconds of CPU, and what they measure is not what packing
 * decides (the bundle's test runs its memory roof's threads from the bundle). Nor does
 * it probe the native backend (TRIPLET_BENCH_NO_NATIVE): the probe's child loads
 * tfjs-node, a second of CPU, for the workers engine, which does not need it; the probe's
 * child is among the packed files checked.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readResults } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WORK = mkdtempSync(join(tmpdir(), 'tb-pack-'));

/**
 * An entry beside the package at `installed`, written out: what bin/triplet-bench.js does,
 * main() of the package's dist/ on the command line's arguments, with stand-ins for the
 * machine's figures (src/harness.ts, MachineFigures) and for report.html (the package's own
 * exporter, its render replaced: drawing the page's charts is about 0.7 CPU-s, and the
 * bundle's test draws the page from its inlined vega); the test entry's imports the
 * checkout's modules, not the package's.
 */
function unmeasuredEntry(installed: string): string {
  const module = (path: string) => JSON.stringify(pathToFileURL(join(installed, 'dist', 'src', ...path.split('/'))).href);
  const entry = join(WORK, 'unmeasured-entry.mjs');
  writeFileSync(entry, `
    const { main } = await import(${module('cli.js')});
    const { REPORT_EXPORTERS } = await import(${module('report/exporters.js')});
    const { reportHtmlExporter } = await import(${module('report/html/report-html.js')});
    const reason = 'skipped by the pack test';
    const machine = {
      calibrate: async () => ({ referenceNsPerFlop: 1, poolOpenMs: null, hostOpenMs: null }),
      roofline: async () => ({ measured: false, reason }),
      memoryRoof: async () => ({ measured: false, reason }),
    };
    const undrawn = { ...reportHtmlExporter, render: () => '<!doctype html>\\n<p>not drawn by the pack test</p>\\n' };
    const reports = REPORT_EXPORTERS.map((exporter) => (exporter === reportHtmlExporter ? undrawn : exporter));
    process.exitCode = await main(process.argv.slice(2), { machine, reports });\n`);
  return entry;
}

describe('npm pack', () => {
  after(() => rmSync(WORK, { recursive: true, force: true }));

  it('packs bin/ and the built dist/ with the wasm, and the unpacked package runs the workers engine', () => {
    // --ignore-scripts: prepack would rebuild dist/, which `npm test` has just built.
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', WORK], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    ) as { filename: string; files: { path: string }[] }[];
    const files = packed[0]!.files.map((f) => f.path);
    for (const file of ['bin/triplet-bench.js', 'dist/src/cli.js', 'dist/workers/worker.js', 'dist/workers/kernels/wasm-kernel.wasm', 'dist/workers/kernels/wasm-kernel-relaxed.wasm', 'dist/src/native/probe-child.js', 'scripts/postinstall.mjs', 'package.json', 'README.md']) {
      assert.ok(files.includes(file), `${file} packed`);
    }
    assert.deepEqual(files.filter((file) => /^dist\/test\/|\.map$|^src\//.test(file)), []);

    execFileSync('tar', ['-xzf', join(WORK, packed[0]!.filename), '-C', WORK]);
    const installed = join(WORK, 'package');
    symlinkSync(join(ROOT, 'node_modules'), join(installed, 'node_modules'));
    // The bin finds the package's dist/ and its package.json.
    const version = spawnSync(process.execPath, [join(installed, 'bin', 'triplet-bench.js'), '--version'], { cwd: WORK, encoding: 'utf8', timeout: 60_000 });
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout.trim(), (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);

    const out = join(WORK, 'out');
    // Two threads: the pool shards the batch; js and wasm: both kernels' files. Dense only:
    // compact runs in the same files, and every configuration opens a pool of its own.
    const args = ['run', '--engines', 'workers', '--kernels', 'js,wasm', '--strategies', 'dense', '--threads', '2', '--batch', '64', '--dims', '16x8', '--active', '0.3', '--time', '20', '--rounds', '1', '--no-progress', '--out', out];
    const run = spawnSync(process.execPath, [unmeasuredEntry(installed), ...args], { cwd: WORK, encoding: 'utf8', env: { ...process.env, TRIPLET_BENCH_NO_NATIVE: '1' }, timeout: 120_000 });
    assert.equal(run.status, 0, run.stderr);
    const { rows } = readResults(out);
    assert.equal(rows.length, 2);
    for (const row of rows) assert.equal(row['status'], 'ok', row['note']);
    assert.deepEqual(new Set(rows.map((row) => row['kernel'])), new Set(['js', 'wasm']));
  });
});
