#!/usr/bin/env node
/**
 * Runs the test files given (node --test) with TMPDIR set to a folder of its own, removed
 * afterwards: the tests make hundreds of run folders, CSV files and fake installs under
 * os.tmpdir(), and the many that end in a killed or crashed child cannot clean up after
 * themselves. Ctrl-C is passed on to the test run. The native probe's outcome is remembered
 * in that folder (TRIPLET_BENCH_PROBE_CACHE, src/native/probe-cache.ts): a few dozen
 * processes of the suite would each load tfjs-node in a child, a CPU-second each, to learn
 * the same answer about the same binding.
 *
 * Two files at a time (TRIPLET_BENCH_TEST_CONCURRENCY sets another number): much of a file's
 * time is a child starting, a window running out or a signal awaited, which leaves a core
 * idle; no test asserts a speed, and every file makes its own folders, so two files share
 * the machine safely. Two is what the suite is checked with on 2 cores: the whole suite
 * took 116-132 s two at a time (five runs), 111-126 s three at a time (six), 114 s four at
 * a time (one), the machine's own variance larger than any gain.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DEFAULT_CONCURRENCY = 2;
const concurrency = Number(process.env.TRIPLET_BENCH_TEST_CONCURRENCY ?? DEFAULT_CONCURRENCY);
if (!Number.isInteger(concurrency) || concurrency < 1) {
  console.error(`scripts/test.mjs: TRIPLET_BENCH_TEST_CONCURRENCY expects a whole number of files at a time (1 or more), got ${process.env.TRIPLET_BENCH_TEST_CONCURRENCY}`);
  process.exit(2);
}

const root = mkdtempSync(join(tmpdir(), 'triplet-bench-tests-'));
const child = spawn(process.execPath, ['--test', `--test-concurrency=${concurrency}`, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, TMPDIR: root, TRIPLET_BENCH_PROBE_CACHE: join(root, 'native-probe') },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  rmSync(root, { recursive: true, force: true });
  process.exitCode = code ?? (signal ? 1 : 0);
});
