/**
 * `report` never overwrites what is not its own (issue 23, item 9): a folder holding
 * another run keeps that run's page and break-even, a user's report.html stays, and
 * reports of several files made in the same second get a folder each.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultReportFolder } from '../src/report/report-folder.js';
import { tempDir } from './data-fixtures.js';
import { fixtureRows, writeRunFolder } from './fixtures.js';
import { cliServer, BIN, type CliResult } from './helpers.js';

/** The file's command lines, in one process (helpers.ts, cliServer): what they compute, print and write, not what needs a process of its own. */
const cli = cliServer();

/**
 * A run folder of `runId` with its own page and break-even. One row: what these tests
 * decide is where a page may go, and every page drawn costs CPU by the row.
 */
function runFolder(runId: string): string {
  const dir = writeRunFolder(join(tempDir('tb-rep-'), runId), fixtureRows().slice(0, 1).map((row) => ({ ...row, run_id: runId })));
  writeFileSync(join(dir, 'report.html'), `<h1>triplet-bench report</h1> page of ${runId}`);
  writeFileSync(join(dir, 'breakeven.csv'), `break-even of ${runId}`);
  return dir;
}

function reportIn(cwd: string, args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'report', ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout: '', stderr }));
  });
}

describe('report --out over another run', () => {
  it('report A/results.csv --out B, B another run\'s folder: exit 2, B\'s page and break-even kept', async () => {
    const a = runFolder('run-a');
    const b = runFolder('run-b');
    const { code, stderr } = await cli.run(['report', join(a, 'results.csv'), '--out', b]);
    assert.equal(code, 2, stderr);
    assert.match(stderr, /^triplet-bench: --out \S+: holds run run-b \(run\.json\), whose report\.html and breakeven\.csv are drawn from its own results\.csv alone; choose another folder for a page of \S+results\.csv\n$/);
    assert.equal(readFileSync(join(b, 'report.html'), 'utf8'), '<h1>triplet-bench report</h1> page of run-b');
    assert.equal(readFileSync(join(b, 'breakeven.csv'), 'utf8'), 'break-even of run-b');
  });

  it('a page of several files into one of their run folders: exit 2', async () => {
    const a = runFolder('run-a');
    const b = runFolder('run-b');
    const { code, stderr } = await cli.run(['report', join(a, 'results.csv'), join(b, 'results.csv'), '--out', a]);
    assert.equal(code, 2, stderr);
    assert.match(stderr, /holds run run-a .*for a page of these 2 files/);
    assert.match(readFileSync(join(a, 'report.html'), 'utf8'), /page of run-a/);
  });

  it('a run\'s own results.csv redraws its page, by default or with --out', async () => {
    const a = runFolder('run-a');
    for (const args of [[join(a, 'results.csv')], [join(a, 'results.csv'), '--out', a]]) {
      const { code, stderr } = await cli.run(['report', ...args]);
      assert.equal(code, 0, stderr);
      assert.doesNotMatch(readFileSync(join(a, 'report.html'), 'utf8'), /page of run-a/);
    }
  });

  it('a report.html or breakeven.csv the user wrote: exit 2, kept; the tool\'s own: redrawn', async () => {
    const a = runFolder('run-a');
    const out = tempDir('tb-rep-out-');
    writeFileSync(join(out, 'report.html'), '<h1>my own notes</h1>');
    const refused = await cli.run(['report', join(a, 'results.csv'), '--out', out]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /holds report\.html not written by triplet-bench, which report would replace; choose another folder/);
    assert.equal(readFileSync(join(out, 'report.html'), 'utf8'), '<h1>my own notes</h1>');

    // Nor a Markdown summary of the user's (issue 22, item 7: report writes one beside the page).
    const notes = tempDir('tb-rep-out-');
    writeFileSync(join(notes, 'summary.md'), '# my summary');
    const kept = await cli.run(['report', join(a, 'results.csv'), '--out', notes]);
    assert.equal(kept.code, 2, kept.stderr);
    assert.match(kept.stderr, /holds summary\.md not written by triplet-bench/);
    assert.equal(readFileSync(join(notes, 'summary.md'), 'utf8'), '# my summary');

    const fresh = tempDir('tb-rep-out-');
    assert.equal((await cli.run(['report', join(a, 'results.csv'), '--out', fresh])).code, 0);
    assert.match(readFileSync(join(fresh, 'summary.md'), 'utf8'), /^# triplet-bench: /);
    const again = await cli.run(['report', join(a, 'results.csv'), '--out', fresh]);
    assert.equal(again.code, 0, again.stderr);
  });
});

describe('default folders of reports of several files', () => {
  it('differ for reports made in the same millisecond', () => {
    const now = new Date('2026-12-05T01:00:00.000Z');
    const files = ['a/results.csv', 'b/results.csv'];
    const folders = new Set([1, 2, 3].map(() => defaultReportFolder(files, now)));
    assert.equal(folders.size, 3);
    assert.equal(defaultReportFolder(['a/results.csv'], now), 'a');
  });

  it('two reports side by side leave two folders', async () => {
    const a = join(runFolder('run-a'), 'results.csv');
    const b = join(runFolder('run-b'), 'results.csv');
    const cwd = tempDir('tb-rep-cwd-');
    const results = await Promise.all([reportIn(cwd, [a, b]), reportIn(cwd, [a, b])]);
    for (const result of results) assert.equal(result.code, 0, result.stderr);
    assert.equal(readdirSync(join(cwd, 'reports')).length, 2);
  });
});
