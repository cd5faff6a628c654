/**
 * Fleets against the native backend (docs/fleet.md "Against the native backend"): the
 * recipes say their route and run it, and a node where tfjs-node does not load says why on
 * the merged page.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ResultRow } from '../src/bench/rows.js';
import { expandFleetFolders } from '../src/report/fleet.js';
import { renderReportPage } from '../src/report/html/page.js';
import { sourceFromCsv } from '../src/report/html/sources.js';
import { fixtureRows, fixtureSamples, writeRunFolder } from './fixtures.js';

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
    const sources = expandFleetFolders([fleet]).map(sourceFromCsv);
    const html = await renderReportPage({ sources, generatedAt: 'now' });
    const environment = html.slice(html.indexOf('id="environment"'));
    const tensorflowLine = /<tr><th>TensorFlow \(tfjs-node\)<\/th>(.*?)<\/tr>/.exec(environment)![1]!;
    assert.match(tensorflowLine, /2\.21\.0 \(tfjs-node 4\.22\.0\)/);
    assert.match(tensorflowLine, /unavailable: tfjs-node&#39;s binding is not built \(\/fleet\/triplet-bench\/node_modules\/.*\); fix: run `npx triplet-bench setup-native`/);
    const untimed = html.slice(html.indexOf('id="untimed"'));
    assert.match(untimed, /node-b<\/td><td class="wrap">skipped<\/td><td class="wrap">tfjs-node&#39;s binding is not built/);
  });
});
