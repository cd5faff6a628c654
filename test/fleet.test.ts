/**
 * A fleet: run folders from many hosts in one shared directory (README "A fleet of
 * servers"). report draws a fleet folder as one page; compare pairs two fleet folders
 * host by host, never one host against another.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ResultRow } from '../src/bench/rows.js';
import { fleetRuns, latestRunPerHost } from '../src/report/fleet.js';
import { fixtureRows, fixtureSamples, writeRunFolder } from './fixtures.js';
import { cliServer } from './helpers.js';

/**
 * The file's report, compare and run command lines, in one process (helpers.ts, cliServer).
 * Without the native backend (TRIPLET_BENCH_NO_NATIVE): its probe's child loads tfjs-node,
 * a second of CPU, and none of these commands uses it.
 */
const cli = cliServer({ TRIPLET_BENCH_NO_NATIVE: '1' });

/**
 * A run folder of `host` in `fleet`, started at `startedAt`; `slower` makes every step 25 %
 * longer; `rowCount`, fewer of the fixture's rows (a page costs CPU by the row).
 */
function hostRun(fleet: string, host: string, startedAt: string, slower = false, rowCount?: number): string {
  const rows: ResultRow[] = fixtureRows().slice(0, rowCount).map((row) => ({ ...row, host, run_id: `${startedAt}-${host}` }));
  const factor = slower ? 1.25 : 1;
  const samples = rows.map((row, i) => fixtureSamples((row.p50_ms as number) * factor, i));
  if (slower) for (const row of rows) row.p50_ms = (row.p50_ms as number) * factor;
  const dir = writeRunFolder(join(fleet, `${startedAt}-${host}`), rows, samples);
  // writeRunFolder's run.json has no start time: add it, as run writes it.
  const file = join(dir, 'run.json');
  const runJson = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, `${JSON.stringify({ ...runJson, started_at: startedAt }, null, 2)}\n`);
  return dir;
}

describe('a fleet of servers', () => {
  it('finds every host\'s run folder and keeps each host\'s latest', () => {
    const fleet = mkdtempSync(join(tmpdir(), 'tb-fleet-'));
    hostRun(fleet, 'alpha', '2026-11-28T10:00:00.000Z');
    hostRun(fleet, 'alpha', '2026-11-28T12:00:00.000Z');
    hostRun(fleet, 'beta', '2026-11-28T11:00:00.000Z');
    assert.equal(fleetRuns(fleet).length, 3);
    const latest = latestRunPerHost(fleetRuns(fleet));
    assert.deepEqual([...latest.keys()], ['alpha', 'beta']);
    assert.equal(latest.get('alpha')!.startedAt, '2026-11-28T12:00:00.000Z');
  });

  it('report draws a fleet folder on one page, every host told apart', async () => {
    const fleet = mkdtempSync(join(tmpdir(), 'tb-fleet-'));
    hostRun(fleet, 'alpha', '2026-11-28T10:00:00.000Z', false, 2);
    hostRun(fleet, 'beta', '2026-11-28T10:00:01.000Z', false, 2);
    const out = join(fleet, 'page');
    const { code, stderr } = await cli.run(['report', fleet, '--out', out]);
    assert.equal(code, 0, stderr);
    assert.match(stderr, /from 2 files/);
    const page = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(page, /alpha/);
    assert.match(page, /beta/);
  });

  it('compare pairs two fleet folders host by host and fails on one host\'s regression', async () => {
    const before = mkdtempSync(join(tmpdir(), 'tb-fleet-before-'));
    const after = mkdtempSync(join(tmpdir(), 'tb-fleet-after-'));
    hostRun(before, 'alpha', '2026-11-28T10:00:00.000Z');
    hostRun(before, 'beta', '2026-11-28T10:00:00.000Z');
    hostRun(before, 'gamma', '2026-11-28T10:00:00.000Z');
    hostRun(after, 'alpha', '2026-11-29T10:00:00.000Z');
    hostRun(after, 'beta', '2026-11-29T10:00:00.000Z', true);
    hostRun(after, 'delta', '2026-11-29T10:00:00.000Z');
    const { code, stdout, stderr } = await cli.run(['compare', before, after, '--format', 'json']);
    assert.equal(code, 1, stderr);
    const fleet = JSON.parse(stdout) as { hosts: { host: string; configurations: { verdict: string }[] }[]; only_base: string[]; only_current: string[] };
    assert.deepEqual(fleet.hosts.map((h) => h.host), ['alpha', 'beta']);
    assert.ok(fleet.hosts[0]!.configurations.every((c) => c.verdict === 'unchanged'));
    assert.ok(fleet.hosts[1]!.configurations.every((c) => c.verdict === 'regression'));
    assert.deepEqual([fleet.only_base, fleet.only_current], [['gamma'], ['delta']]);
    const table = await cli.run(['compare', before, after]);
    assert.match(table.stdout, /== alpha ==[\s\S]*== beta ==/);
    assert.match(table.stdout, /hosts only in BASE \(not compared\): gamma/);
  });

  it('a host of BASE missing from CURRENT fails the gate unless --allow-missing', async () => {
    const before = mkdtempSync(join(tmpdir(), 'tb-fleet-before-'));
    const after = mkdtempSync(join(tmpdir(), 'tb-fleet-after-'));
    hostRun(before, 'alpha', '2026-11-28T10:00:00.000Z');
    hostRun(before, 'gamma', '2026-11-28T10:00:00.000Z');
    hostRun(after, 'alpha', '2026-11-29T10:00:00.000Z');
    const failed = await cli.run(['compare', before, after]);
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stdout, /hosts only in BASE \(not compared\): gamma; missing hosts fail the gate: pass --allow-missing when they are expected/);
    const allowed = await cli.run(['compare', before, after, '--allow-missing']);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stdout, /gamma \(allowed by --allow-missing\)/);
  });

  it('refuses fleets that share no host, with one line and exit 2', async () => {
    const before = mkdtempSync(join(tmpdir(), 'tb-fleet-before-'));
    const after = mkdtempSync(join(tmpdir(), 'tb-fleet-after-'));
    hostRun(before, 'alpha', '2026-11-28T10:00:00.000Z');
    hostRun(after, 'beta', '2026-11-29T10:00:00.000Z');
    const { code, stderr } = await cli.run(['compare', before, after]);
    assert.equal(code, 2);
    assert.match(stderr, /share no host \(BASE alpha; CURRENT beta\)/);
  });

  it('runs writing into one shared directory are merged by the host TRIPLET_BENCH_HOST names', async () => {
    const shared = mkdtempSync(join(tmpdir(), 'tb-fleet-shared-'));
    // Through the test entry, with its stand-ins for the machine's figures and steps of scripted
    // times on a fake clock (test/inject/scripted-engine.ts): seconds a run, and not what this test is about.
    const args = ['run', '--unmeasured-machine', '--scripted-steps', '1', '--engines', 'workers', '--kernels', 'js', '--threads', '1', '--batch', '16', '--dims', '4x2', '--time', '10', '--rounds', '1', '--no-progress'];
    const runs = [];
    for (const host of ['node-a', 'node-b']) runs.push(await cli.run([...args, '--out', join(shared, host)], { env: { TRIPLET_BENCH_HOST: host } }));
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(readdirSync(shared).sort(), ['node-a', 'node-b']);
    const hosts = [...latestRunPerHost(fleetRuns(shared)).keys()];
    assert.deepEqual(hosts, ['node-a', 'node-b']);
    assert.ok(existsSync(join(shared, 'node-a', 'results.csv')));
  });
});
