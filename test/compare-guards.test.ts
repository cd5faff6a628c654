/**
 * compare and report refuse or warn instead of judging nothing (issue 15, items 8 and
 * 11): two runs with no configuration in common, a folder whose results.csv and
 * run.json come from different runs, an unreadable run.json, the same CSV twice.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixtureRows, writeRunFolder } from './fixtures.js';
import { runCli } from './helpers.js';

const temp = () => mkdtempSync(join(tmpdir(), 'tb-guard-'));

/** A fixture run folder, its rows changed by `edit`. */
function folder(edit: (row: ReturnType<typeof fixtureRows>[number]) => void = () => {}): string {
  const rows = fixtureRows();
  rows.forEach(edit);
  return writeRunFolder(temp(), rows);
}

interface RefusedCompare {
  readonly what: string;
  readonly folders: () => [string, string];
  readonly names: RegExp;
}

const REFUSED: readonly RefusedCompare[] = [
  {
    what: 'two runs of different batch and dims pair nothing: exit 2, saying why',
    folders: () => [folder(), folder((row) => Object.assign(row, { batch: 16, d_in: 8, d_out: 4 }))],
    names: /nothing paired: .* share no configuration.*batch 256 vs 16; dims 64x32 vs 8x4/,
  },
  {
    what: 'a run with no rows pairs nothing',
    folders: () => [folder(), writeRunFolder(temp(), [])],
    names: /nothing paired: .*CURRENT has no rows/,
  },
  {
    what: 'a folder whose results.csv and run.json are of different runs',
    folders: () => {
      const mixed = folder();
      const runJson = JSON.parse(readFileSync(join(mixed, 'run.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(mixed, 'run.json'), JSON.stringify({ ...runJson, run_id: 'another-run' }));
      return [folder(), mixed];
    },
    names: /CURRENT .*: results\.csv holds run fixture-run but run\.json is of run another-run; the folder mixes two runs' files/,
  },
];

describe('compare refuses to judge nothing', () => {
  for (const c of REFUSED) {
    it(c.what, () => {
      const { code, stdout, stderr } = runCli(['compare', ...c.folders()]);
      assert.equal(code, 2, stderr);
      assert.equal(stdout, '');
      assert.equal(stderr.trim().split('\n').length, 1, stderr);
      assert.match(stderr, /^triplet-bench: /);
      assert.match(stderr, c.names);
    });
  }
});

describe('report warns about what it could not use', () => {
  it('an unreadable run.json beside the CSV: a warning on stderr and on the page', () => {
    const dir = folder();
    writeFileSync(join(dir, 'run.json'), '{"status": "comp');
    const out = join(temp(), 'page');
    const { code, stderr } = runCli(['report', join(dir, 'results.csv'), '--out', out]);
    assert.equal(code, 0, stderr);
    assert.match(stderr, /warning: .*run\.json: not JSON.*not used, so the page has no environment/);
    assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /run\.json: not JSON/);
  });

  it('a run.json of another run beside the CSV', () => {
    const dir = folder();
    const runJson = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...runJson, run_id: 'another-run' }));
    const { code, stderr } = runCli(['report', join(dir, 'results.csv'), '--out', join(temp(), 'page')]);
    assert.equal(code, 0, stderr);
    assert.match(stderr, /warning: .*run\.json is of run another-run, not of .*results\.csv \(fixture-run\): not used/);
  });

  it('the same CSV twice (under two spellings) is read once, with a warning', () => {
    const dir = folder();
    const out = join(temp(), 'page');
    const { code, stderr } = runCli(['report', join(dir, 'results.csv'), join(dir, '.', 'results.csv'), '--out', out]);
    assert.equal(code, 0, stderr);
    assert.match(stderr, /warning: .*results\.csv is .*results\.csv again: read once/);
    assert.match(stderr, /from 1 file\)/);
  });
});
