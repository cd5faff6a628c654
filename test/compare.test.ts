import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ResultRow } from '../src/bench/rows.js';
import { verdictOf } from '../src/report/compare/compare.js';
import { pairingKey } from '../src/report/compare/pairing.js';
import { throughputChange } from '../src/report/compare/statistics.js';
import { fixtureRows, fixtureSamples, writeRunFolder } from './fixtures.js';
import { cliServer } from './helpers.js';

/** The file's command lines, in one process (helpers.ts, cliServer): what they compute, print and write, not what needs a process of its own. */
const cli = cliServer();

const temp = () => mkdtempSync(join(tmpdir(), 'tb-compare-'));

/** The fixture run with one configuration's steps 25 % longer: 20 % fewer triplets/s, in samples and CSV alike. */
function slowedCopy(dir: string, victim: number): { rows: ResultRow[]; key: string } {
  const rows = fixtureRows();
  const samples = rows.map((row, i) => fixtureSamples(row.p50_ms as number, i));
  const slow = 1 / 0.8;
  const row = rows[victim]!;
  for (const column of ['mean_ms', 'p50_ms', 'p99_ms', 'sd_ms'] as const) row[column] = (row[column] as number) * slow;
  row.triplets_per_s = (row.triplets_per_s as number) * 0.8;
  row.gflops = (row.gflops as number) * 0.8;
  samples[victim] = samples[victim]!.map((s) => s * slow);
  writeRunFolder(dir, rows, samples);
  return { rows, key: pairingKey(row) };
}

describe('compare statistics', () => {
  it('matches R\'s Welch test on the sleep data (t.test(x, y), on the logs of the samples)', () => {
    // R: t.test(extra ~ group, sleep): t = -1.8608, df = 17.776, p = 0.07939, CI -3.3654832 .. 0.2054832.
    const group1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
    const group2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
    const change = throughputChange(group1.map(Math.exp), group2.map(Math.exp))!;
    assert.ok(Math.abs(change.pValue - 0.07939) < 1e-4, String(change.pValue));
    assert.ok(Math.abs(Math.log(change.ratio) - (0.75 - 2.33)) < 1e-12);
    assert.ok(Math.abs(Math.log(change.ciLow) - -3.3654832) < 1e-5, String(Math.log(change.ciLow)));
    assert.ok(Math.abs(Math.log(change.ciHigh) - 0.2054832) < 1e-5, String(Math.log(change.ciHigh)));
  });

  it('gives ratio 1 and p 1 for identical samples, and 0.8 with a tight interval for steps 25 % longer', () => {
    const base = fixtureSamples(2, 3);
    const same = throughputChange(base, [...base])!;
    assert.equal(same.ratio, 1);
    assert.equal(same.pValue, 1);
    const slower = throughputChange(base, base.map((s) => s * 1.25))!;
    assert.ok(Math.abs(slower.ratio - 0.8) < 1e-12);
    assert.ok(slower.pValue < 1e-6);
    assert.ok(slower.ciLow < 0.8 && slower.ciHigh > 0.8 && slower.ciHigh < 0.85);
  });

  it('needs two samples a side, and treats spread-free samples without dividing by zero', () => {
    assert.equal(throughputChange([1], [1, 2]), null);
    assert.deepEqual(throughputChange([2, 2], [2, 2]), { ratio: 1, ciLow: 1, ciHigh: 1, pValue: 1 });
    assert.equal(throughputChange([2, 2], [4, 4])!.pValue, 0);
  });

  it('calls a change a regression only when significant and beyond the threshold', () => {
    assert.equal(verdictOf({ ratio: 0.9, ciLow: 0.88, ciHigh: 0.92, pValue: 0.001 }, 5), 'regression');
    assert.equal(verdictOf({ ratio: 0.9, ciLow: 0.7, ciHigh: 1.1, pValue: 0.3 }, 5), 'inconclusive');
    assert.equal(verdictOf({ ratio: 0.97, ciLow: 0.96, ciHigh: 0.98, pValue: 0.001 }, 5), 'unchanged');
    assert.equal(verdictOf({ ratio: 1.2, ciLow: 1.1, ciHigh: 1.3, pValue: 0.001 }, 5), 'improvement');
  });
});

describe('triplet-bench compare', () => {
  it('finds no regression comparing a run with itself, exit 0', async () => {
    const dir = writeRunFolder(join(temp(), 'run'), fixtureRows());
    const { code, stdout, stderr } = await cli.run(['compare', dir, dir, '--format', 'json']);
    assert.equal(code, 0, stderr);
    const result = JSON.parse(stdout) as { configurations: { verdict: string; ratio: number }[]; added: string[]; removed: string[]; warnings: string[] };
    assert.equal(result.configurations.length, fixtureRows().length);
    for (const c of result.configurations) {
      assert.equal(c.verdict, 'unchanged');
      assert.equal(c.ratio, 1);
    }
    assert.deepEqual([result.added, result.removed, result.warnings], [[], [], []]);
  });

  it('reports exactly the configuration made 20 % slower as a regression, exit 1', async () => {
    const root = temp();
    const base = writeRunFolder(join(root, 'base'), fixtureRows());
    const { key } = slowedCopy(join(root, 'current'), 1);
    const { code, stdout } = await cli.run(['compare', base, join(root, 'current'), '--format', 'json']);
    assert.equal(code, 1, stdout);
    const result = JSON.parse(stdout) as { configurations: { configuration: string; verdict: string; ratio: number; p_value: number }[] };
    const flagged = result.configurations.filter((c) => c.verdict !== 'unchanged');
    assert.deepEqual(flagged.map((c) => [c.configuration, c.verdict]), [[key, 'regression']]);
    assert.ok(Math.abs(flagged[0]!.ratio - 0.8) < 1e-9);
    // A threshold above the change lets it pass.
    assert.equal((await cli.run(['compare', base, join(root, 'current'), '--threshold', '25'])).code, 0);
  });

  it('warns when a paired row was measured under interference, naming it, and keeps the verdict', async () => {
    const root = temp();
    const base = writeRunFolder(join(root, 'base'), fixtureRows());
    const { rows, key } = slowedCopy(join(root, 'current'), 1);
    rows[1]!.interference_cores = 1.31;
    rows[1]!.interference_limit = 0.25;
    rows[1]!.throttled_periods = 0;
    writeRunFolder(join(root, 'current'), rows, rows.map((row, i) => fixtureSamples(row.p50_ms as number, i)));
    const { code, stdout } = await cli.run(['compare', base, join(root, 'current'), '--format', 'json']);
    assert.equal(code, 1, 'a regression measured under interference is still reported as measured');
    const result = JSON.parse(stdout) as { warnings: string[]; configurations: { configuration: string; note: string }[] };
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0]!, new RegExp(`^1 of ${rows.length} paired configurations were measured under interference \\(base 0, current 1; .*interference_cores.*: ${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    assert.equal(result.configurations.find((c) => c.configuration === key)!.note, 'current measured under interference (others 1.31 cores)');
  });

  it('lists configurations only one run has as added or removed, and warns about different machines', async () => {
    const root = temp();
    const rows = fixtureRows();
    const base = writeRunFolder(join(root, 'base'), rows.slice(1));
    const otherHost = rows.slice(0, -1).map((row) => ({ ...row, host: 'other-host' }));
    const current = writeRunFolder(join(root, 'current'), otherHost);
    // A removed configuration fails the gate unless missing rows are expected (compare-guards.test.ts).
    assert.equal((await cli.run(['compare', base, current])).code, 1);
    const { code, stdout, stderr } = await cli.run(['compare', base, current, '--format', 'markdown', '--allow-missing']);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^### triplet-bench compare: 0 regressions, 0 improvements beyond 5 %/);
    assert.match(stdout, /\| verdict \| configuration \|/);
    assert.match(stdout, new RegExp(`\\*\\*Added\\*\\* \\(only in current\\):\\n\\n- \`${pairingKey(rows[0]!)}\``));
    assert.match(stdout, new RegExp(`\\*\\*Removed\\*\\* \\(only in base\\):\\n\\n- \`${pairingKey(rows.at(-1)!)}\``));
    assert.match(stdout, /different machines \(host fixture-host -> other-host\)/);
    assert.match(stderr, /^warning: the runs come from different machines/m);
  });

  it('never pairs rows of different data: an MNIST row is not a synthetic row of the same shape', () => {
    const [row] = fixtureRows();
    assert.notEqual(pairingKey({ ...row!, data: 'mnist' }), pairingKey({ ...row!, data: 'synthetic' }));
    assert.equal(pairingKey({ ...row!, data: 'synthetic' }), pairingKey({ ...row!, seed: 7 }), 'the seed alone does not change the work');
  });

  it('rejects a folder that is not a run with one line naming it, exit 2', async () => {
    const root = temp();
    const base = writeRunFolder(join(root, 'base'), fixtureRows());
    const missing = await cli.run(['compare', base, join(root, 'nowhere')]);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr.trim().split('\n').length, 1);
    assert.match(missing.stderr, /CURRENT .*nowhere: no such folder; expected a run folder/);
    const noJson = writeRunFolder(join(root, 'no-json'), fixtureRows());
    rmSync(join(noJson, 'run.json'));
    assert.match((await cli.run(['compare', base, noJson])).stderr, /no-json\/run\.json: no such file/);
    writeFileSync(join(noJson, 'run.json'), '{"configurations": [{"engine": "workers"}]}');
    const noSamples = await cli.run(['compare', noJson, base]);
    assert.equal(noSamples.code, 2);
    assert.match(noSamples.stderr, /configuration 0 has no samples_ms/);
    assert.equal((await cli.run(['compare', base, base, '--threshold', 'five'])).code, 2);
    assert.ok(readFileSync(join(base, 'results.csv'), 'utf8').length > 0);
  });
});
