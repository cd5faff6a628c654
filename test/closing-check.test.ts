/**
 * Issue 16, item 2, end to end: a session that answers wrongly is caught by `run` and by
 * `verify` alike (one gate, src/checks/gate.ts). A kernel that memoises its first result
 * passes the opening check, is timed, and fails the closing check at a perturbed W: its
 * row is `errored` with its samples kept. A loss off with a right gradient, which the
 * old gradient-only check of `run` passed, fails both commands' opening check.
 *
 * `run`'s side is its sweep, in-process, with its rows saved as `run` saves them
 * (in-process-run.ts); `verify` keeps its process, through the test entry.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENGINES_BY_NAME } from '../src/engines/index.js';
import { describe, it } from 'node:test';
import { resolveSelection, SELECTION_DEFAULTS } from '../src/options.js';
import { faultyEngines } from './inject/engines.js';
import type { SessionFault } from './inject/faults.js';
import { cliServer, readResults, type CsvRow } from './helpers.js';
import { runInProcess } from './in-process-run.js';

/** The file's command lines, in one process (helpers.ts, cliServer): what they compute, print and write, not what needs a process of its own. */
const cli = cliServer();

const SELECTION = ['--engines', 'workers', '--kernels', 'js', '--strategies', 'dense,compact', '--threads', '1', '--batch', '256', '--dims', '32x16', '--active', '0.3', '--seed', '42'];
const STRUCK = 'workers/js/fused/dense/T1';

interface VerifyLine {
  engine: string;
  strategy: string;
  status: string;
  note: string;
  max_rel_err: number | null;
}

/** SELECTION, as `run` resolves it. */
const RUN_SELECTION = resolveSelection(
  { engines: ['workers'], kernels: ['js'], strategies: ['dense', 'compact'], threads: [1], batch: [256], dims: [{ dIn: 32, dOut: 16 }], active: [0.3], data: 'synthetic', seed: 42, reduction: 'mean' },
  SELECTION_DEFAULTS,
  ENGINES_BY_NAME,
);

/**
 * `run`'s sweep (--time 20 --rounds 2) with `fault` on the dense configuration: its rows and
 * run.json's samples. Two rounds: the closing check ends each window, and every row keeps
 * the samples of both; a window of a few dozen steps is enough for the check.
 */
async function runWith(fault: SessionFault): Promise<{ rows: CsvRow[]; samples: number[][] }> {
  const { out } = await runInProcess(RUN_SELECTION, faultyEngines({ kind: fault, match: STRUCK }), { budgetMs: 20, rounds: 2 });
  const runJson = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { configurations: { samples_ms: number[] }[] };
  return { rows: readResults(out).rows, samples: runJson.configurations.map((c) => c.samples_ms) };
}

/** `verify` with `fault` on the dense configuration: its exit code and lines. */
async function verifyWith(fault: string): Promise<{ code: number | null; lines: VerifyLine[] }> {
  const { code, stdout, stderr } = await cli.run(['verify', ...SELECTION, '--no-autograd', '--json', '--inject-fault', `${fault}@${STRUCK}`]);
  assert.ok(stdout.startsWith('['), stderr);
  return { code, lines: JSON.parse(stdout) as VerifyLine[] };
}

describe('the closing check catches what the opening check cannot', () => {
  it('run: a kernel that memoises passes the opening check, is timed, and is errored by the perturbed W with its samples kept', async () => {
    const { rows, samples } = await runWith('memoise');
    const dense = rows.findIndex((r) => r['strategy'] === 'dense');
    const row = rows[dense]!;
    assert.equal(row['status'], 'errored');
    // Only the perturbed step failed: the opening check and the last timed step (same W) passed.
    assert.match(row['note']!, /^closing check at a perturbed W: gradient off by [\d.]+e[-+]\d+ relative, loss .* \(tolerance 0\.0001\); its samples are kept$/);
    assert.ok(Number(row['max_rel_err']) > 1e-4, 'max_rel_err is the worst of both ends');
    assert.ok(Number(row['samples']) >= 3 && Number(row['p50_ms']) > 0, 'its timing figures stay');
    assert.equal(samples[dense]!.length, Number(row['samples']), 'run.json keeps every sample');
    assert.equal(row['speedup'], '', 'no derived figure from an errored row');
    const compact = rows.find((r) => r['strategy'] === 'compact')!;
    assert.equal(compact['status'], 'ok', compact['note']);
  });

  it('verify: the same kernel fails its perturbed-W check, the healthy one passes', async () => {
    const { code, lines } = await verifyWith('memoise');
    assert.equal(code, 1);
    const dense = lines.find((l) => l.strategy === 'dense')!;
    assert.equal(dense.status, 'failed');
    assert.match(dense.note, /^closing check at a perturbed W: gradient off by/);
    assert.equal(lines.find((l) => l.strategy === 'compact')!.status, 'ok');
  });
});

describe('run and verify agree', () => {
  it('a loss off by 1 % with a right gradient fails the opening check of both', async () => {
    const { rows } = await runWith('loss-off');
    const row = rows.find((r) => r['strategy'] === 'dense')!;
    assert.equal(row['status'], 'errored');
    assert.match(row['note']!, /^opening check: loss [\d.]+ vs [\d.]+ \(1\.00e-2 relative\) \(tolerance 0\.0001\); not timed$/);
    assert.equal(row['samples'], '', 'not timed');
    const { code, lines } = await verifyWith('loss-off');
    assert.equal(code, 1);
    const line = lines.find((l) => l.strategy === 'dense')!;
    assert.equal(line.status, 'failed');
    assert.match(line.note, /^opening check: loss [\d.]+ vs [\d.]+ \(1\.00e-2 relative\)/);
  });
});
