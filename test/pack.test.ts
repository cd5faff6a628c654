/**
 * `npm pack`'s tarball holds what an installed copy runs: bin/, the built dist/ with both
 * wasm builds, the postinstall; no tests, no source maps. Installing it from the registry
 * takes minutes (README "As a package"), so this test unpacks it and lends it the
 * checkout's node_modules, which is what `npm install ./triplet-bench-*.tgz` provides,
 * and runs the workers engine from there.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readResults } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WORK = mkdtempSync(join(tmpdir(), 'tb-pack-'));

describe('npm pack', () => {
  after(() => rmSync(WORK, { recursive: true, force: true }));

  it('packs bin/ and the built dist/ with the wasm, and the unpacked package runs the workers engine', () => {
    // --ignore-scripts: prepack would rebuild dist/, which `npm test` has just built.
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', WORK], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    ) as { filename: string; files: { path: string }[] }[];
    const files = packed[0]!.files.map((f) => f.path);
    for (const file of ['bin/triplet-bench.js', 'dist/src/cli.js', 'dist/workers/worker.js', 'dist/workers/kernels/wasm-kernel.wasm', 'dist/workers/kernels/wasm-kernel-relaxed.wasm', 'scripts/postinstall.mjs', 'package.json', 'README.md']) {
      assert.ok(files.includes(file), `${file} packed`);
    }
    assert.deepEqual(files.filter((file) => /^dist\/test\/|\.map$|^src\//.test(file)), []);

    execFileSync('tar', ['-xzf', join(WORK, packed[0]!.filename), '-C', WORK]);
    const installed = join(WORK, 'package');
    symlinkSync(join(ROOT, 'node_modules'), join(installed, 'node_modules'));
    const out = join(WORK, 'out');
    const args = ['run', '--engines', 'workers', '--kernels', 'js,wasm', '--threads', '1,2', '--batch', '64', '--dims', '16x8', '--active', '0.3', '--time', '40', '--rounds', '1', '--no-progress', '--out', out];
    const run = spawnSync(process.execPath, [join(installed, 'bin', 'triplet-bench.js'), ...args], { cwd: WORK, encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, run.stderr);
    const { rows } = readResults(out);
    assert.equal(rows.length, 8);
    for (const row of rows) assert.equal(row['status'], 'ok', row['note']);
  });
});
