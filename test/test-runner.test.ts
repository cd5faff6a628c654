/**
 * The suite's runner (scripts/test.mjs, scripts/test-lane.mjs): files share lane processes,
 * so what a process per file gave for free is checked here. Every file runs once, in a
 * suite named by its path; a file's after hooks end before the next file of its lane
 * starts; a failing file fails the run; node --test's options pass through; and
 * TRIPLET_BENCH_TEST_ISOLATE=1 gives each file a process of its own.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from './data-fixtures.js';

const RUNNER = fileURLToPath(new URL('../../scripts/test.mjs', import.meta.url));

/**
 * Test files in a fresh folder that each append what they do to one log, as
 * `<file> <event> <pid>`: a before hook, `tests` tests and an after hook. `failing`: the
 * names whose one test fails.
 */
function fixtureFiles(names: readonly string[], failing: readonly string[] = []): { files: string[]; log: string } {
  const dir = tempDir('tb-runner-');
  const log = join(dir, 'log.txt');
  writeFileSync(log, '');
  const files = names.map((name) => {
    const path = join(dir, `${name}.test.mjs`);
    const note = (event: string) => `appendFileSync(${JSON.stringify(log)}, '${name} ${event} ' + process.pid + '\\n')`;
    writeFileSync(path, [
      "import { appendFileSync } from 'node:fs';",
      "import { after, before, it } from 'node:test';",
      `before(() => ${note('before')});`,
      // An after hook that takes a while: the next file of the lane must wait for it.
      `after(async () => { await new Promise((resolve) => setTimeout(resolve, 50)); ${note('after')}; });`,
      `it('${name} works', () => { ${note('test')}; ${failing.includes(name) ? "throw new Error('fails on purpose');" : ''} });`,
      `it('${name} also works', () => ${note('test')});`,
    ].join('\n'));
    return path;
  });
  return { files, log };
}

/** scripts/test.mjs over `args`, outside this test run (NODE_TEST_CONTEXT would make it report to us). */
function runRunner(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv['NODE_TEST_CONTEXT'];
  const result = spawnSync(process.execPath, [RUNNER, '--test-reporter=tap', ...args], { encoding: 'utf8', env: childEnv, timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The log's lines as [file, event, pid]. */
function events(log: string): [string, string, string][] {
  return readFileSync(log, 'utf8').trim().split('\n').map((line) => line.split(' ') as [string, string, string]);
}

describe('the test runner', () => {
  it('runs every file once in a suite named by its path, two lanes, a file\'s after hook before the next file of its lane', () => {
    const { files, log } = fixtureFiles(['a', 'b', 'c', 'd', 'e']);
    const { code, stdout, stderr } = runRunner(files);
    assert.equal(code, 0, stdout + stderr);
    for (const file of files) {
      const name = relative(process.cwd(), file);
      assert.equal(stdout.split('\n').filter((line) => line === `# Subtest: ${name}`).length, 1, `${name} once: ${stdout}`);
    }
    const seen = events(log);
    // Each file: before, its two tests, after, in one process.
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      const own = seen.filter(([file]) => file === name);
      assert.deepEqual(own.map(([, event]) => event), ['before', 'test', 'test', 'after'], `${name}: ${JSON.stringify(own)}`);
      assert.equal(new Set(own.map(([, , pid]) => pid)).size, 1, `${name} in one process`);
    }
    // Five files in at most two processes (the lanes), and within a lane no file starts before the one before it ended.
    const pids = [...new Set(seen.map(([, , pid]) => pid))];
    assert.ok(pids.length >= 1 && pids.length <= 2, `${pids.length} processes`);
    for (const pid of pids) {
      const lane = seen.filter(([, , p]) => p === pid).map(([file, event]) => `${file} ${event}`);
      for (let i = 1; i < lane.length; i++) {
        const [file, event] = lane[i]!.split(' ');
        if (event === 'before') assert.match(lane[i - 1]!, / after$/, `${file} began before the file before it ended: ${lane.join(', ')}`);
      }
    }
  });

  it('fails the run when a file fails, and runs the other files all the same', () => {
    const { files, log } = fixtureFiles(['good', 'bad'], ['bad']);
    const { code, stdout } = runRunner(files);
    assert.equal(code, 1, stdout);
    assert.match(stdout, /^# fail 1$/m);
    assert.deepEqual(events(log).filter(([, event]) => event === 'test').map(([file]) => file).sort(), ['bad', 'bad', 'good', 'good']);
  });

  it('passes node --test\'s options through (--test-name-pattern)', () => {
    const { files, log } = fixtureFiles(['a', 'b']);
    const { code, stdout } = runRunner(['--test-name-pattern=also', ...files]);
    assert.equal(code, 0, stdout);
    assert.equal(events(log).filter(([, event]) => event === 'test').length, 2, 'one test a file');
  });

  it('gives each file a process of its own under TRIPLET_BENCH_TEST_ISOLATE=1', () => {
    const { files, log } = fixtureFiles(['a', 'b', 'c']);
    const { code, stdout } = runRunner(files, { TRIPLET_BENCH_TEST_ISOLATE: '1' });
    assert.equal(code, 0, stdout);
    assert.equal(new Set(events(log).map(([, , pid]) => pid)).size, 3);
  });
});
