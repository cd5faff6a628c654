/**
 * A closed stdout or stderr (issue 15, item 7): `run ... 2>&1 | head -1` and any log
 * filter that exits early must not stop the measurement; the command stops writing to
 * the closed pipe and finishes its run and its files, exit 0.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { clusteredCsv, csvFile, tempDir } from './data-fixtures.js';
import { BIN, readResults } from './helpers.js';

/** Runs the CLI and closes both its output pipes once it has written its first bytes. */
function runWithClosedOutput(args: readonly string[]): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    const close = () => {
      child.stdout.destroy();
      child.stderr.destroy();
    };
    child.stderr.once('data', close);
    child.stdout.once('data', close);
    child.on('exit', (code) => resolve(code));
  });
}

interface ClosedCase {
  readonly what: string;
  readonly args: (out: string) => string[];
  readonly check: (out: string) => void;
}

const CASES: readonly ClosedCase[] = [
  {
    what: 'run with progress lines into a closed pipe',
    args: (out) => ['run', '--engines', 'workers', '--kernels', 'js', '--batch', '64', '--dims', '16x8', '--active', '0.3', '--threads', '1,2', '--time', '100', '--rounds', '1', '--out', out],
    check: (out) => {
      const runJson = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { status: string; configurations: unknown[] };
      assert.equal(runJson.status, 'completed');
      assert.equal(readResults(out).rows.length, 4);
    },
  },
  {
    what: 'train with progress lines into a closed pipe',
    args: (out) => ['train', '--data', csvFile('closed.csv', clusteredCsv({ labels: 3, perLabel: 12, dIn: 6 })), '--dims', '4', '--batch', '24', '--epochs', '10', '--kernel', 'js', '--threads', '1', '--out', out],
    check: (out) => {
      const trainJson = JSON.parse(readFileSync(join(out, 'train.json'), 'utf8')) as { status: string };
      assert.equal(trainJson.status, 'completed');
      assert.ok(readFileSync(join(out, 'train.csv'), 'utf8').trim().split('\n').length > 1, 'steps recorded');
    },
  },
];

describe('a closed stdout and stderr never stop the work', () => {
  for (const c of CASES) {
    it(c.what, async () => {
      const out = join(tempDir('tb-epipe-'), 'out');
      const code = await runWithClosedOutput(c.args(out));
      assert.equal(code, 0);
      c.check(out);
    });
  }
});
