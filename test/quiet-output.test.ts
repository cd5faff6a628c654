/**
 * Quiet output (issue 22, item 8): TensorFlow's own lines do not reach the terminal unless
 * --debug, from this process (the workers' tfjs kernel: src/native/quiet-load.ts) nor from
 * the children (hosts, roofline, baseline: src/native/tensorflow-chatter.ts).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { nativeAvailability } from '../src/native/probe.js';
import { mayLoadTensorflowHere } from '../src/native/quiet-load.js';
import { isTensorflowChatter, reasonLines } from '../src/native/tensorflow-chatter.js';
import { BIN, runCli } from './helpers.js';
import { TENSORFLOW_LINE } from './tensorflow-lines.js';

/**
 * `triplet-bench ...args` with stderr through a shell pipe: the start-up lines are kept off
 * a terminal, a file or a pipe, not off a socket (src/native/quiet-load.ts), which is what
 * spawnSync's own 'pipe' is. (A file: profiler-flags.test.ts's run.)
 */
function runWithStderrPiped(args: readonly string[]): { code: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tb-quiet-stderr-'));
  const file = join(dir, 'stderr.txt');
  const quoted = [process.execPath, BIN, ...args].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  const result = spawnSync('bash', ['-c', `set -o pipefail; ${quoted} 2>&1 >/dev/null | cat >'${file}'`], { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' }, timeout: 300_000 });
  return { code: result.status, stderr: readFileSync(file, 'utf8') };
}

/** What TensorFlow 2.21 prints, as it printed it here (TF_CPP_MIN_LOG_LEVEL 0). */
const BANNER = 'WARNING: All log messages before absl::InitializeLog() is called are written to STDERR';
const ONEDNN = 'I0000 00:00:1796432171.545361   13345 port.cc:153] oneDNN custom operations are on. You may see slightly different numerical results due to floating-point round-off errors from different computation orders. To turn them off, set the environment variable `TF_ENABLE_ONEDNN_OPTS=0`.';
const FEATURE_GUARD = [
  'I0000 00:00:1796432171.621050   13578 cpu_feature_guard.cc:227] This TensorFlow binary is optimized to use available CPU instructions in performance-critical operations.',
  'To enable the following instructions: AVX2 AVX512F AVX512_VNNI AVX512_BF16 AVX_VNNI FMA, in other operations, rebuild TensorFlow with the appropriate compiler flags.',
];

const native = nativeAvailability();
const needsNative = { skip: native.available ? false : `native backend unavailable: ${native.available ? '' : native.reason}` };

describe('TensorFlow stays off the terminal', () => {
  // run (the workers' tfjs kernel, TensorFlow in this process; tfjs-node hosts; the
  // roofline's children), stderr a file: profiler-flags.test.ts, on its run under --cpu-prof,
  // which starts all of them (each a second or more of CPU, once for both files).

  it('verify: the workers\' tfjs kernel, stderr a pipe', needsNative, () => {
    // One strategy: each check opens a pool whose thread loads tfjs-core (about 0.4 CPU-s), and one prints what two would.
    const { code, stderr } = runWithStderrPiped(['verify', '--engines', 'workers', '--kernels', 'tfjs', '--strategies', 'compact', '--batch', '64', '--dims', '16x4', '--threads', '1', '--no-autograd']);
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stderr, TENSORFLOW_LINE);
  });

  it('doctor', () => {
    const { code, stderr } = runCli(['doctor']);
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stderr, TENSORFLOW_LINE);
  });
});

describe("a child's stderr: TensorFlow's chatter is not a reason", () => {
  it('drops the start-up banner and INFO/WARNING lines, keeps errors and ours', () => {
    for (const line of [BANNER, ONEDNN, ...FEATURE_GUARD, 'W0000 00:00:1796432171.5 13345 env.cc:12] something']) assert.ok(isTensorflowChatter(line), line);
    const error = 'E0000 00:00:1796432171.545361   13345 op_kernel.cc:1830] OP_REQUIRES failed at matmul_op.cc:40 : INVALID_ARGUMENT';
    assert.deepEqual(reasonLines([BANNER, ONEDNN, error, 'Error: tfjs host: out of memory', ''].join('\n')), [error, 'Error: tfjs host: out of memory']);
  });
});

describe('which commands load TensorFlow in this process', () => {
  const cases: readonly [readonly string[], boolean][] = [
    [['run'], true],
    [['run', '--engines', 'workers'], true],
    [['run', '--engines=tfjs-node,workers', '--kernels', 'js,tfjs'], true],
    [['verify', '--kernels', 'js,wasm'], false],
    [['run', '--engines', 'tfjs-node'], false],
    [['train'], false],
    [['train', '--kernel', 'tfjs'], true],
    [['compare', 'a', 'b'], false],
    [['doctor'], false],
    [['run', '--help'], false],
  ];
  for (const [argv, expected] of cases) {
    it(`${argv.join(' ')}: ${expected}`, () => assert.equal(mayLoadTensorflowHere(argv), expected));
  }
});
