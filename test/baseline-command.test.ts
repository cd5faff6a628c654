import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cliServer } from './helpers.js';

/** The file's command lines, in one process (helpers.ts, cliServer): what they compute, print and write, not what needs a process of its own. */
const cli = cliServer();

describe('triplet-bench baseline', () => {
  it('times every formulation and strategy beside its baseline program, which agrees with the engine', async () => {
    const result = await cli.run(['baseline', '--threads', '1', '--batch', '64', '--dims', '16x8', '--windows', '2', '--window-ms', '10', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const rows = JSON.parse(result.stdout) as { formulation: string; strategy: string; engine_ms: number; baseline_ms: number; ratio: number; max_rel_err: number; same_active: boolean; within_5pct: string }[];
    assert.deepEqual(rows.map((r) => `${r.formulation}/${r.strategy}`), ['fused/dense', 'fused/compact', 'autograd/dense', 'autograd/compact']);
    for (const row of rows) {
      assert.ok(row.engine_ms > 0 && row.baseline_ms > 0 && row.ratio > 0);
      assert.ok(row.max_rel_err <= 1e-4, `${row.formulation} ${row.strategy}: ${row.max_rel_err}`);
      assert.ok(row.same_active);
      assert.match(row.within_5pct, /^(within|slower|inconclusive)$/);
    }
  });

  it('times the tfjs-wasm engine beside the same programs on its backend, at one thread', async () => {
    const result = await cli.run(['baseline', '--backend', 'wasm', '--batch', '32', '--dims', '8x4', '--windows', '2', '--window-ms', '10', '--formulations', 'fused', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const rows = JSON.parse(result.stdout) as { engine: string; threads: number; max_rel_err: number }[];
    assert.equal(rows.length, 2);
    for (const row of rows) {
      assert.equal(row.engine, 'tfjs-wasm');
      assert.equal(row.threads, 1);
      assert.ok(row.max_rel_err <= 1e-4);
    }
  });

  it('refuses --threads above 1 on a one-thread backend, which it used to time at one thread quietly', async () => {
    for (const backend of ['wasm', 'cpu']) {
      const result = await cli.run(['baseline', '--backend', backend, '--threads', '2', '--batch', '32', '--dims', '8x4', '--windows', '2', '--window-ms', '10']);
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.match(result.stderr, new RegExp(`^triplet-bench: --threads 2: the ${backend} backend runs on one thread`));
      assert.equal(result.stdout, '');
    }
  });

  it('refuses bad input with one line and exit 2', async () => {
    const result = await cli.run(['baseline', '--windows', '1']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--windows/);
    assert.equal(result.stderr.trim().split('\n').length, 1);
  });
});
