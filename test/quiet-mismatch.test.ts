/**
 * Runs that went on quietly doing something else than asked (issue 15, items 10 and 11):
 * each now ends with a warning line, or, for a training that diverged, exit 1 naming
 * the step.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { clusteredCsv, csvFile, tempDir } from './data-fixtures.js';
import { cliServer } from './helpers.js';
import { WITHOUT_NATIVE } from './without-native.js';

const DATA = csvFile('quiet.csv', clusteredCsv({ labels: 3, perLabel: 12, dIn: 6 }));
/** Through the test entry's stand-in for train.html's charts: these cases read the warnings and train.json. */
const TRAIN = ['train', '--undrawn-page', '--data', DATA, '--dims', '4', '--batch', '24', '--epochs', '3', '--kernel', 'js', '--threads', '1', '--no-progress'];
const VERIFY = ['verify', '--batch', '16', '--dims', '4x2', '--threads', '1', '--no-autograd'];
/** The test entry's stand-ins for the machine's figures (calibration, roofline, memory roof) and the page's charts: seconds a run, and not what these cases test. */
const RUN = ['run', '--unmeasured-machine', '--undrawn-page', '--engines', 'workers', '--kernels', 'js', '--strategies', 'dense', '--batch', '16', '--dims', '4x2', '--threads', '1', '--time', '10', '--rounds', '1', '--no-progress'];

/** One configuration of a tfjs engine, one host (a process loading tfjs): the warning is about --threads, whatever else is selected. */
const ONE_HOST = ['--formulations', 'fused', '--strategies', 'dense'];

interface QuietCase {
  readonly what: string;
  readonly args: string[];
  readonly code: number;
  /** A line of stderr must match. */
  readonly says: RegExp;
  /** The file under --out whose `warnings` (or `failure`) must hold it too. */
  readonly recordedIn?: 'run.json' | 'train.json';
}

const CASES: readonly QuietCase[] = [
  { what: 'train --lr 1e30 overflows: exit 1 at the first non-finite step', args: [...TRAIN, '--lr', '1e30', '--margin', '1'], code: 1, says: /^triplet-bench: step \d+: (the loss is (NaN|-?Infinity)|W\[\d+\] is (NaN|-?Infinity) after the update \(float32\)); training diverged \(--lr 1e\+30\): lower --lr/m, recordedIn: 'train.json' },
  // Issue 23 item 8: 5.3 to 1.5e37 in 40 steps, never infinite, ended completed with exit 0.
  { what: 'train --lr 1 grows the loss a millionfold without overflowing: exit 1, failed', args: [...TRAIN, '--lr', '1', '--margin', '1', '--epochs', '40'], code: 1, says: /^triplet-bench: step \d+: the loss \S+ is more than 1e\+6 times step 1's \S+; training diverged \(--lr 1\): lower --lr/m, recordedIn: 'train.json' },
  { what: 'train --margin 0: a margin any W of zeros meets', args: [...TRAIN, '--margin', '0'], code: 0, says: /^warning: margin 0 <= 0: W shrunk to 0/m, recordedIn: 'train.json' },
  { what: 'train with more threads than CPUs', args: [...TRAIN, '--threads', String(availableParallelism() + 1)], code: 0, says: /^warning: --threads \d+ exceeds the \d+ CPUs available/m, recordedIn: 'train.json' },
  { what: 'train --held-out holding out nothing', args: [...TRAIN, '--held-out', '0.01'], code: 0, says: /^warning: --held-out 0\.01 holds out no sample/m, recordedIn: 'train.json' },
  // --lr 0.01: at the default 0.1 one triplet a step under a negative margin grows the loss from 2.7 to 8e7 by step 49, diverged.
  { what: 'train --batch 1 --active 0.3', args: [...TRAIN, '--batch', '1', '--active', '0.3', '--lr', '0.01'], code: 0, says: /^warning: --active 0\.3 cannot be met with --batch 1: the nearest is 0 of 1/m, recordedIn: 'train.json' },
  { what: 'run --batch 1 --active 0.3', args: [...RUN, '--batch', '1', '--active', '0.3'], code: 0, says: /^warning: --active 0\.3 cannot be met with --batch 1/m, recordedIn: 'run.json' },
  { what: 'verify --threads 1,2 on tfjs-cpu, a one-thread engine', args: [...VERIFY, '--engines', 'tfjs-cpu', '--threads', '1,2', ...ONE_HOST], code: 0, says: /^warning: --threads 2 does not apply to tfjs-cpu \(one thread each\)/m },
  // The README promises this warning for counts above the CPUs; verify gave none (issue 23, item 12).
  { what: 'verify with more threads than CPUs', args: [...VERIFY, '--engines', 'workers', '--kernels', 'js', '--threads', String(availableParallelism() + 1)], code: 0, says: /^warning: --threads \d+ exceeds the \d+ CPUs available/m },
  { what: 'verify --kernels leaving a named engine no row', args: [...VERIFY, '--engines', 'tfjs-cpu,workers', '--kernels', 'js'], code: 0, says: /^warning: --kernels js selects no kernel of tfjs-cpu \(its kernels: cpu\): tfjs-cpu has no rows/m },
];

// Each command line's warnings and exit code are main()'s: they run in one process for the
// file (helpers.ts, cliServer), not a process each, a second or two apiece; none needs
// tfjs-node (the workers' js kernel, tfjs-cpu), so the server skips the native probe (without-native.ts).
const cli = cliServer(WITHOUT_NATIVE);

describe('quiet mismatches: one warning line each, or exit 1 for a diverged training', () => {
  for (const c of CASES) {
    it(c.what, async () => {
      const out = join(tempDir('tb-quiet-'), 'out');
      const args = c.args[0] === 'verify' ? c.args : [...c.args, '--out', out];
      const { code, stderr } = await cli.run(args);
      assert.equal(code, c.code, stderr);
      assert.match(stderr, c.says);
      assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
      if (c.recordedIn) {
        assert.ok(existsSync(join(out, c.recordedIn)));
        const recorded = JSON.parse(readFileSync(join(out, c.recordedIn), 'utf8')) as { warnings?: string[]; failure?: string; status: string };
        const line = stderr.split('\n').find((l) => c.says.test(l))!.replace(/^(warning|triplet-bench): /, '').replace(/ \(run with --debug for details\)$/, '');
        assert.ok([...(recorded.warnings ?? []), recorded.failure].includes(line), `${c.recordedIn} records: ${line}`);
        assert.equal(recorded.status, c.code === 0 ? 'completed' : 'failed');
      }
    });
  }
});
