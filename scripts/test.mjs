#!/usr/bin/env node
/**
 * Runs the test files given (node --test, one file at a time) with TMPDIR set to a folder
 * of its own, removed afterwards: the tests make hundreds of run folders, CSV files and
 * fake installs under os.tmpdir(), and the many that end in a killed or crashed child
 * cannot clean up after themselves. Ctrl-C is passed on to the test run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = mkdtempSync(join(tmpdir(), 'triplet-bench-tests-'));
const child = spawn(process.execPath, ['--test', '--test-concurrency=1', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, TMPDIR: root },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  rmSync(root, { recursive: true, force: true });
  process.exitCode = code ?? (signal ? 1 : 0);
});
