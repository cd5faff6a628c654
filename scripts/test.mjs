#!/usr/bin/env node
/**
 * Runs the test files given (node --test; arguments that start with - are node --test's
 * options, such as --test-name-pattern) with TMPDIR set to a folder of its own, removed
 * afterwards: the tests make hundreds of run folders, CSV files and fake installs under
 * os.tmpdir(), and the many that end in a killed or crashed child cannot clean up after
 * themselves. Ctrl-C is passed on to the test run. The native probe's outcome is remembered
 * in that folder (TRIPLET_BENCH_PROBE_CACHE, src/native/probe-cache.ts): a few dozen
 * processes of the suite would each load tfjs-node in a child, a CPU-second each, to learn
 * the same answer about the same binding.
 *
 * Files share processes. Each lane is a Node process that imports files one after another
 * (scripts/test-lane.mjs), each in a suite named by its path, so the TAP still says which
 * file a test is in and a file's own before/after hooks run around its own tests; a lane
 * takes the next file from a queue the lanes share, so the lanes end together however
 * unequal the files. A process per file paid a Node start, the test modules' load and
 * tfjs-node's load once per file: the whole suite took 232 CPU-s and 129 s on 2 cores,
 * and takes 174-190 CPU-s and 98-108 s in two lanes (eight fixed groups of files, tried,
 * ended one group about 16 s before the other). The queue is in the order given,
 * alphabetical from the shell's glob. TRIPLET_BENCH_TEST_ISOLATE=1 runs each file
 * in a process of its own, as `node --test` does: the way to tell a test that fails only
 * after another file from one that fails alone.
 *
 * Two lanes (TRIPLET_BENCH_TEST_CONCURRENCY sets another number): much of a file's time is
 * a child starting, a window running out or a signal awaited, which leaves a core idle; no
 * test asserts a speed, and every file makes its own folders, so two lanes share the
 * machine safely. (When each file had a process, the whole suite took 116-132 s two files
 * at a time, 111-126 s three at a time, 114 s four at a time, the machine's own variance
 * larger than any gain.)
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const DEFAULT_CONCURRENCY = 2;
const LANE = new URL('./test-lane.mjs', import.meta.url).href;

const concurrency = Number(process.env.TRIPLET_BENCH_TEST_CONCURRENCY ?? DEFAULT_CONCURRENCY);
if (!Number.isInteger(concurrency) || concurrency < 1) {
  console.error(`scripts/test.mjs: TRIPLET_BENCH_TEST_CONCURRENCY expects a whole number of lanes (1 or more), got ${process.env.TRIPLET_BENCH_TEST_CONCURRENCY}`);
  process.exit(2);
}
const isolate = process.env.TRIPLET_BENCH_TEST_ISOLATE === '1';
// Options (--test-name-pattern=..., --test-reporter=...) go to node --test; the rest are files.
const options = process.argv.slice(2).filter((arg) => arg.startsWith('-'));
const files = process.argv.slice(2).filter((arg) => !arg.startsWith('-')).map((file) => resolve(file));

/** The lanes' entry files, written into `folder`: each runs the shared queue of `files`. */
function writeLanes(folder) {
  const claims = join(folder, 'claims');
  mkdirSync(claims, { recursive: true });
  const count = Math.min(concurrency, files.length);
  return Array.from({ length: count }, (_, i) => {
    const lane = join(folder, `lane-${i + 1}.mjs`);
    writeFileSync(lane, `import { runLane } from ${JSON.stringify(LANE)};\nawait runLane(${JSON.stringify(files)}, ${JSON.stringify(claims)});\n`);
    return lane;
  });
}

const root = mkdtempSync(join(tmpdir(), 'triplet-bench-tests-'));
const entries = isolate ? files : writeLanes(join(root, 'lanes'));
const child = spawn(process.execPath, ['--test', `--test-concurrency=${concurrency}`, ...options, ...entries], {
  stdio: 'inherit',
  env: { ...process.env, TMPDIR: root, TRIPLET_BENCH_PROBE_CACHE: join(root, 'native-probe') },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  rmSync(root, { recursive: true, force: true });
  process.exitCode = code ?? (signal ? 1 : 0);
});
