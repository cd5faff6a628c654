/**
 * A fleet: run folders from many hosts in one shared directory (README "A fleet of
 * servers"). report draws a fleet folder as one page; compare pairs two fleet folders
 * host by host, never one host against another.
 *
 * Fleets against the native backend (docs/fleet.md "Against the native backend"): the
 * recipes say their route and run it, and a node where tfjs-node does not load says why on
 * the merged page. (Once a file of its own: one test process for both spares the CPU of
 * a second start and of loading the report's modules again.)
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
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
    // Through the test entry, with its stand-ins for the machine's figures and the page's
    // charts, and steps of scripted times on a fake clock (test/inject/scripted-engine.ts):
    // seconds a run, and not what this test is about.
    const args = ['run', '--unmeasured-machine', '--undrawn-page', '--scripted-steps', '1', '--engines', 'workers', '--kernels', 'js', '--threads', '1', '--batch', '16', '--dims', '4x2', '--time', '10', '--rounds', '1', '--no-progress'];
    const runs = [];
    for (const host of ['node-a', 'node-b']) runs.push(await cli.run([...args, '--out', join(shared, host)], { env: { TRIPLET_BENCH_HOST: host } }));
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(readdirSync(shared).sort(), ['node-a', 'node-b']);
    const hosts = [...latestRunPerHost(fleetRuns(shared)).keys()];
    assert.deepEqual(hosts, ['node-a', 'node-b']);
    assert.ok(existsSync(join(shared, 'node-a', 'results.csv')));
  });
});

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const SLURM = join(EXAMPLES, 'slurm-array.sh');
const K8S = join(EXAMPLES, 'k8s-indexed-job.yaml');

/** The Slurm script run with `echo` for node: the command line it would run. */
function slurmCommand(route: string | undefined): { status: number | null; stdout: string; stderr: string } {
  const fleet = mkdtempSync(join(tmpdir(), 'tb-fleet-'));
  const env = { ...process.env, FLEET: fleet, NODE: 'echo', ...(route === undefined ? {} : { ROUTE: route }) };
  if (route === undefined) delete env['ROUTE'];
  const result = spawnSync('bash', [SLURM], { env, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout.replaceAll(fleet, '$FLEET').trim(), stderr: result.stderr };
}

const NATIVE_REASON = "tfjs-node's binding is not built (/fleet/triplet-bench/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node)";

describe('fleet recipes and the native backend', () => {
  it('Slurm: the checkout route runs workers and tfjs-node, the bundle route workers only, another route is refused', () => {
    assert.equal(spawnSync('bash', ['-n', SLURM]).status, 0);
    assert.equal(slurmCommand(undefined).stdout, '$FLEET/triplet-bench/bin/triplet-bench.js run --engines workers,tfjs-node --profile quick --no-progress');
    assert.equal(slurmCommand('bundle').stdout, '$FLEET/bundle/triplet-bench.js run --engines workers --profile quick --no-progress');
    const wrong = slurmCommand('tarball');
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /ROUTE=tarball: expected checkout or bundle/);
  });

  it('Kubernetes: the Job runs the checkout with tfjs-node, and names the bundle route for images without it', () => {
    const text = readFileSync(K8S, 'utf8');
    // A flow sequence of quoted strings is JSON too.
    const command = JSON.parse(/^ {10}command: (\[.*\])$/m.exec(text)![1]!) as string[];
    assert.deepEqual(command.slice(0, 4), ['node', '/fleet/triplet-bench/bin/triplet-bench.js', 'run', '--engines']);
    assert.equal(command[4], 'workers,tfjs-node');
    assert.match(text, /^# Route: the checkout/m);
    const bundle = JSON.parse(/^# {3}(\["node", "\/fleet\/bundle\/.*\])$/m.exec(text)![1]!) as string[];
    assert.equal(bundle[bundle.indexOf('--engines') + 1], 'workers');
    // No tab (YAML forbids them in indentation), and every key line of the Job is indented by two.
    assert.ok(!text.includes('\t'));
    assert.ok(text.split('\n').filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#')).every((l) => (l.length - l.trimStart().length) % 2 === 0));
  });

  it('the merged page says, in the node\'s column, why tfjs-node did not load there, and lists its skipped rows with the reason', async () => {
    const fleet = mkdtempSync(join(tmpdir(), 'tb-fleet-page-'));
    // One fraction at one thread count, each engine's rows (a page costs CPU by the row).
    const rowsOf = (host: string) => fixtureRows(host).filter((r) => r.threads === 1 && r.target_active === 0.3);
    const withNative = writeRunFolder(join(fleet, 'run-a'), rowsOf('node-a').map((r) => ({ ...r, run_id: 'run-a' })));
    const skipped = rowsOf('node-b').map((r): ResultRow => (r.engine === 'tfjs-node'
      ? { ...r, run_id: 'run-b', status: 'skipped', note: `${NATIVE_REASON}; fix: run \`npx triplet-bench setup-native\``, samples: null, mean_ms: null, p50_ms: null, triplets_per_s: null, gflops: null, speedup: null, efficiency: null }
      : { ...r, run_id: 'run-b' }));
    // A skipped row keeps no samples, as run writes it.
    const without = writeRunFolder(join(fleet, 'run-b'), skipped, skipped.map((r, i) => (r.status === 'skipped' ? [] : fixtureSamples(r.p50_ms as number, i))));
    const edit = (dir: string, environment: Record<string, unknown>) => {
      const file = join(dir, 'run.json');
      const runJson = JSON.parse(readFileSync(file, 'utf8')) as { environment: Record<string, unknown> };
      writeFileSync(file, JSON.stringify({ ...runJson, environment: { ...runJson.environment, ...environment } }));
    };
    edit(withNative, { native_library: { tensorflow: '2.21.0', tfjs_node: '4.22.0' }, native_unavailable: null });
    edit(without, { native_library: null, native_unavailable: { reason: NATIVE_REASON, fix: 'run `npx triplet-bench setup-native`' } });
    // Drawn by `report` in the file's CLI server, which has the page's modules loaded already.
    const out = join(mkdtempSync(join(tmpdir(), 'tb-fleet-page-out-')), 'page');
    const { code, stderr } = await cli.run(['report', fleet, '--out', out]);
    assert.equal(code, 0, stderr);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const environment = html.slice(html.indexOf('id="environment"'));
    const tensorflowLine = /<tr><th>TensorFlow \(tfjs-node\)<\/th>(.*?)<\/tr>/.exec(environment)![1]!;
    assert.match(tensorflowLine, /2\.21\.0 \(tfjs-node 4\.22\.0\)/);
    assert.match(tensorflowLine, /unavailable: tfjs-node&#39;s binding is not built \(\/fleet\/triplet-bench\/node_modules\/.*\); fix: run `npx triplet-bench setup-native`/);
    const untimed = html.slice(html.indexOf('id="untimed"'));
    assert.match(untimed, /node-b<\/td><td class="wrap">skipped<\/td><td class="wrap">tfjs-node&#39;s binding is not built/);
  });
});
