import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { verifyRows } from '../src/commands/verify.js';
import { runCli, runCliBatch, type CliResult } from './helpers.js';
import { inProcessTfjsEngines } from './in-process-tfjs.js';
import { rawSelectionOf } from './selection-args.js';
import { WITHOUT_NATIVE } from './without-native.js';

/** Bad command lines: each must end with exit 2 and one line naming the problem, no stack. */
const BAD_INPUT: readonly { args: string[]; names: RegExp }[] = [
  { args: ['verify', '--threads', '0'], names: /--threads/ },
  { args: ['verify', '--threads', '1.5'], names: /--threads/ },
  { args: ['verify', '--threads', '100000'], names: /--threads/ },
  { args: ['verify', '--threads', '1,,2'], names: /--threads/ },
  { args: ['verify', '--batch', '0'], names: /--batch/ },
  { args: ['verify', '--batch', '-5'], names: /--batch/ },
  { args: ['verify', '--dims', '0x5'], names: /--dims/ },
  { args: ['verify', '--dims', '3x'], names: /--dims/ },
  { args: ['verify', '--dims', '512'], names: /--dims/ },
  { args: ['verify', '--active', '1.5'], names: /--active/ },
  { args: ['verify', '--active', '-0.1'], names: /--active/ },
  { args: ['verify', '--active', 'NaN'], names: /--active/ },
  { args: ['verify', '--margin', 'NaN'], names: /--margin/ },
  { args: ['verify', '--margin', 'Infinity'], names: /--margin/ },
  { args: ['verify', '--margin', '1', '--active', '0.3'], names: /--margin|--active/ },
  { args: ['verify', '--engines', 'cuda'], names: /--engines/ },
  { args: ['verify', '--kernels', 'fortran'], names: /--kernels/ },
  { args: ['verify', '--kernels', 'empty'], names: /--kernels/ },
  { args: ['verify', '--strategies', 'sparse'], names: /--strategies/ },
  { args: ['verify', '--seed', 'abc'], names: /--seed/ },
  { args: ['verify', '--reduction', 'max'], names: /--reduction/ },
  { args: ['verify', '--thread', '2'], names: /--thread/ },
  { args: ['run', '--profile', 'huge'], names: /--profile/ },
  { args: ['run', '--time', '0'], names: /--time/ },
  { args: ['run', '--out', '/proc/version'], names: /--out/ },
  { args: ['run', '--max-interference', '-0.5'], names: /--max-interference/ },
  { args: ['run', '--max-interference', 'lots'], names: /--max-interference/ },
  { args: ['run', '--wait-quiet', '3601'], names: /--wait-quiet/ },
  { args: ['run', '--wait-quiet', '-1'], names: /--wait-quiet/ },
  { args: ['frobnicate'], names: /frobnicate/ },
  // Help on a command that does not exist printed nothing and exited 0 (issue 23, item 12).
  { args: ['help', 'bogus'], names: /help: unknown command 'bogus'/ },
];

/** Help, version and a missing command: exit 0 with the text on stdout, or the usage on stderr and exit 2. */
const HELP = [['--help'], ['run', '--help'], ['verify', '--help'], ['train', '--help']];
const VERSION = [['--version'], ['-V']];
const NO_COMMAND = [[], ['--debug']];
const VERIFY_JSON = ['verify', '--engines', 'workers', '--kernels', 'js', '--batch', '50', '--dims', '13x5', '--threads', '1,3', '--json'];
/**
 * The edges of the active set, no triplet active and every one, on every engine,
 * formulation and strategy, through verify's own checks (verifyRows: each configuration
 * opened and stepped against the reference, at the workload's W and a perturbed one),
 * with the tfjs engines' steppers in this process (in-process-tfjs.ts): 24 hosts, each
 * loading tfjs again, were most of this file's CPU; what a host adds (its process and
 * messages) is tested where it is the subject (tfjs-engines.test.ts). The workers' tfjs
 * kernel on one thread: its pools load tfjs-node in each thread (about 0.5 CPU-s apiece),
 * and two threads shard the batch as they do for js and wasm, tested at two; at active 0
 * only: its edge of every triplet active, dense and compact, is tfjs-kernel.test.ts's (a
 * pool of two threads at active fraction 1 against the reference), and its two pools here
 * were 1.1 CPU-s more. --margin's workloads on the workers' js kernel at one thread: a
 * margin sets the problem every kernel is handed, and margin 50 makes every triplet
 * active, as --active 1 does on every kernel here, where two threads shard it (at two, its
 * 4 pools were 0.4 CPU-s more).
 */
const VERIFY_EDGES = [
  ['--margin', '5,50', '--engines', 'workers', '--kernels', 'js', '--threads', '1'],
  // Every engine: js and wasm are the workers' kernels, wasm, tensorflow and cpu the tfjs engines' backends.
  ['--active', '0,1', '--kernels', 'js,wasm,tensorflow,cpu', '--threads', '2'],
  ['--active', '0', '--engines', 'workers', '--kernels', 'tfjs', '--threads', '1'],
].map((args) => ['--batch', '21', '--dims', '7x3', ...args]);

// The command lines that end before any work, in one process (test/inject/cli-batch.ts):
// each spawned its own, about a second apiece before any check. One of them spawned, and
// the stack trace of --debug, show that the bin's process ends with main's code and
// prints the same. verify --json, which works, runs last in the same process: main()'s
// checks, rows and exit code as the bin ends with them (a CLI server of its own was one
// more Node start and load of the CLI's modules, about 0.4 CPU-s). It probes nothing native:
// verify asks no probe of the workers engine.
const BATCH = [...BAD_INPUT.map((c) => c.args), ...HELP, ...VERSION, ...NO_COMMAND, VERIFY_JSON];
let results: CliResult[] = [];
before(() => {
  results = runCliBatch(BATCH);
});
/** What `args` (one of BATCH, the same array) printed and how it ended. */
const resultOf = (args: readonly string[]): CliResult => results[BATCH.indexOf(args as string[])]!;

/** Exit 2, one line on stderr naming the problem, no stack, nothing on stdout. */
function assertBadInput({ code, stdout, stderr }: CliResult, names: RegExp) {
  assert.equal(code, 2, `exit ${code}; stderr: ${stderr}`);
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `more than one line: ${stderr}`);
  assert.match(lines[0]!, names);
  assert.doesNotMatch(stderr, /\n\s+at /, 'stack trace');
  assert.equal(stdout, '');
}

describe('bad input', () => {
  for (const { args, names } of BAD_INPUT) {
    it(`${args.join(' ')}: exit 2, one line naming it`, () => {
      assertBadInput(resultOf(args), names);
    });
  }

  it('in a process of its own: the bin exits 2 with the same one line', () => {
    // One whose command line does not load TensorFlow at the bin's start (src/native/quiet-load.ts): a second less.
    const { args, names } = BAD_INPUT.find(({ args }) => args.includes('fortran'))!;
    const spawned = runCli(args);
    assertBadInput(spawned, names);
    assert.deepEqual(spawned, resultOf(args));
  });

  it('shows a stack trace with --debug only', () => {
    const { code, stderr } = runCli(['--debug', 'verify', '--kernels', 'empty'], WITHOUT_NATIVE);
    assert.equal(code, 2);
    assert.match(stderr, /\n\s+at /);
  });
});

describe('help and verify', () => {
  it('--help on every command exits 0', () => {
    for (const args of HELP) {
      const { code, stdout } = resultOf(args);
      assert.equal(code, 0);
      assert.match(stdout, /Usage: triplet-bench/);
    }
  });

  it('--version and -V print the version of package.json on stdout, exit 0 (issue 15, item 12)', () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const args of VERSION) {
      const { code, stdout, stderr } = resultOf(args);
      assert.equal(code, 0, stderr);
      assert.equal(stdout, `${version}\n`);
    }
  });

  it('no command prints the usage on stderr and exits 2, nothing on stdout', () => {
    for (const args of NO_COMMAND) {
      const { code, stdout, stderr } = resultOf(args);
      assert.equal(code, 2);
      assert.equal(stdout, '');
      assert.match(stderr, /^Usage: triplet-bench \[options\] \[command\]/);
      assert.match(stderr, /Commands:\n\s+run/);
    }
  });

  it('verify --json reports every configuration ok, autograd check included', () => {
    const { code, stdout, stderr } = resultOf(VERIFY_JSON);
    assert.equal(code, 0, stderr);
    const rows = JSON.parse(stdout) as { engine: string; strategy: string; threads: number; status: string; max_rel_err: number }[];
    assert.equal(rows.length, 1 + 2 * 2);
    assert.equal(rows[0]!.engine, 'tfjs-core');
    for (const row of rows) {
      assert.equal(row.status, 'ok');
      assert.ok(row.max_rel_err <= 1e-4);
    }
  });

  it('verify with margins and active fraction 0 and 1 passes, every engine, formulation and strategy', async () => {
    const engines = inProcessTfjsEngines();
    const seen = new Set<string>();
    for (const args of VERIFY_EDGES) {
      const rows = await verifyRows(rawSelectionOf(args), { autograd: false, engines });
      for (const row of rows) {
        assert.equal(row.status, 'ok', `${row.engine}/${row.kernel} ${row.formulation} ${row.strategy} at active ${row.active_fraction}: ${row.note}`);
        seen.add(`${row.engine}/${row.kernel} ${row.formulation} ${row.strategy} ${row.active_fraction}`);
      }
    }
    // Active 0 reached on all 18 configurations: workers' 3 kernels (fused) and the 3 tfjs
    // engines' 2 formulations, dense and compact each; active 1 on all but the workers' tfjs
    // kernel's 2, which are tfjs-kernel.test.ts's.
    const reached = (edge: number) => [...seen].filter((key) => key.endsWith(` ${edge}`));
    assert.equal(reached(0).length, 6 + 12, `active 0: ${[...seen].join(', ')}`);
    assert.equal(reached(1).length, 4 + 12, `active 1: ${[...seen].join(', ')}`);
  });
});
