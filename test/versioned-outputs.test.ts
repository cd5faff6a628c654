/**
 * Versioned outputs (issue 22, item 9): results.csv only grows at its end, run.json says
 * which version of its figures' meaning it holds, and compare refuses a run recorded
 * before the meaning of rme_pct and of its verdicts changed (CHANGELOG.md).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CSV_COLUMNS } from '../src/bench/rows.js';
import { RunReport } from '../src/report/run-report.js';
import type { Environment } from '../src/environment/environment.js';
import { RUN_SCHEMA_VERSION } from '../src/report/run-schema.js';
import { fixtureRows, writeRunFolder } from './fixtures.js';
import { cliServer } from './helpers.js';

/** The file's command lines, in one process (helpers.ts, cliServer): what they compute, print and write, not what needs a process of its own. */
const cli = cliServer();

/**
 * results.csv's columns in the previous release (git show 9eecc2f:src/bench/rows.ts),
 * frozen: scripts read them by position, so a release may append columns, never move,
 * rename or drop one. Freeze the next release's list here when it ships.
 */
const PREVIOUS_RELEASE_COLUMNS = [
  'run_id', 'engine', 'kernel', 'formulation', 'strategy', 'threads', 'batch', 'd_in', 'd_out',
  'margin', 'active_fraction', 'samples', 'mean_ms', 'p50_ms', 'p99_ms', 'sd_ms', 'rme_pct',
  'triplets_per_s', 'gflops', 'speedup', 'efficiency', 'max_rel_err', 'status', 'note',
  'host', 'cpu_model', 'logical_cpus', 'node_version',
  'karp_flatt', 'harness_overhead_ms', 'harness_overhead_pct', 'straggler_ratio', 'target_active', 'data', 'seed',
  'roofline_gflops', 'roofline_pct',
  'speedup_ci_low', 'speedup_ci_high', 'karp_flatt_ci_low', 'karp_flatt_ci_high', 'windows',
  'interference_cores', 'interference_limit', 'throttled_periods',
] as const;

const temp = () => mkdtempSync(join(tmpdir(), 'tb-versioned-'));

/** A fixture run folder whose run.json's schema_version is `version` (undefined: absent, as before it existed). */
function runFolderOfSchema(version: unknown): string {
  const dir = writeRunFolder(temp(), fixtureRows());
  const file = join(dir, 'run.json');
  const runJson = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  delete runJson['schema_version'];
  writeFileSync(file, JSON.stringify(version === undefined ? runJson : { schema_version: version, ...runJson }));
  return dir;
}

describe('results.csv columns are only appended', () => {
  it('the previous release\'s columns come first, in their order', () => {
    assert.deepEqual(CSV_COLUMNS.slice(0, PREVIOUS_RELEASE_COLUMNS.length), [...PREVIOUS_RELEASE_COLUMNS]);
  });
});

describe('run.json carries schema_version', () => {
  it('run writes the current version, an integer, from its first save', () => {
    const dir = temp();
    const report = new RunReport(dir, { run_id: 'r', command: [], options: {}, environment: {} as Environment, started_at: new Date(0).toISOString() }, () => new Date());
    report.save([], 'running');
    const runJson = JSON.parse(readFileSync(report.jsonPath, 'utf8')) as { schema_version: unknown };
    assert.equal(runJson.schema_version, RUN_SCHEMA_VERSION);
    assert.ok(Number.isInteger(runJson.schema_version) && RUN_SCHEMA_VERSION >= 2);
  });
});

describe('compare refuses a run recorded before rme_pct and its verdicts changed meaning', () => {
  const current = () => writeRunFolder(temp(), fixtureRows());
  const cases: readonly { what: string; folders: () => [string, string]; role: 'BASE' | 'CURRENT'; version: number }[] = [
    { what: 'a BASE without schema_version (recorded before it): exit 2, one line saying to re-record it', folders: () => [runFolderOfSchema(undefined), current()], role: 'BASE', version: 1 },
    { what: 'a CURRENT of schema_version 1', folders: () => [current(), runFolderOfSchema(1)], role: 'CURRENT', version: 1 },
  ];
  for (const c of cases) {
    it(c.what, async () => {
      const [base, cur] = c.folders();
      const { code, stdout, stderr } = await cli.run(['compare', base, cur]);
      assert.equal(code, 2, stderr);
      assert.equal(stdout, '');
      assert.equal(stderr.trim().split('\n').length, 1, stderr);
      assert.match(stderr, new RegExp(`^triplet-bench: ${c.role} .*schema_version ${c.version}, now ${RUN_SCHEMA_VERSION}.*rme_pct and compare's verdicts .*re-record it`));
    });
  }

  it('a schema_version that is not a positive integer is named as bad input', async () => {
    const { code, stderr } = await cli.run(['compare', runFolderOfSchema('two'), current()]);
    assert.equal(code, 2, stderr);
    assert.match(stderr, /^triplet-bench: .*run\.json: schema_version is "two"; expected a positive integer/);
  });

  it('two runs of the current version are compared', async () => {
    const { code, stderr } = await cli.run(['compare', current(), current()]);
    assert.equal(code, 0, stderr);
  });
});
