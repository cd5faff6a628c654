/**
 * Every TensorFlow the tool starts gets the same settings (src/native/tf-environment.ts):
 * its thread counts, and the BFC allocator unless the user chose otherwise.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { engineNamed } from '../src/engines/index.js';
import { WORKER_KERNELS } from '../src/engines/workers/kernels.js';
import { createArena } from '../src/thread-boundary/arena.js';
import { SERVER_FACTS, serverDifferences } from '../src/report/server-facts.js';
import { TFJS_HOST_FILE } from '../src/layout.js';
import { TF_BFC_ENV, tensorflowAllocator, tensorflowEnvironment } from '../src/native/tf-environment.js';
import { Workload } from '../src/workload.js';
import { problemOf } from './helpers.js';

describe('tensorflowEnvironment', () => {
  it('sets the thread counts, a quiet log and the BFC allocator when the user set none', () => {
    assert.deepEqual(tensorflowEnvironment(3, {}), {
      TF_NUM_INTRAOP_THREADS: '3',
      TF_NUM_INTEROP_THREADS: '1',
      TF_CPP_MIN_LOG_LEVEL: '2',
      [TF_BFC_ENV]: 'true',
    });
    assert.equal(tensorflowEnvironment(1, { [TF_BFC_ENV]: '' })[TF_BFC_ENV], 'true');
  });

  it("keeps the user's allocator and log level", () => {
    const env = tensorflowEnvironment(2, { [TF_BFC_ENV]: 'false', TF_CPP_MIN_LOG_LEVEL: '0' });
    assert.equal(env[TF_BFC_ENV], 'false');
    assert.equal(env['TF_CPP_MIN_LOG_LEVEL'], '0');
  });
});

describe('tensorflowAllocator: what TensorFlow makes of the variable', () => {
  it('unset: BFC, set by this tool', () => {
    assert.deepEqual(tensorflowAllocator({}), { allocator: 'bfc', source: `${TF_BFC_ENV}=true, set by triplet-bench` });
  });

  it('true/1 in any case: BFC; false/0: the default; from the environment', () => {
    for (const value of ['true', 'TRUE', '1']) assert.equal(tensorflowAllocator({ [TF_BFC_ENV]: value }).allocator, 'bfc', value);
    for (const value of ['false', 'False', '0']) assert.equal(tensorflowAllocator({ [TF_BFC_ENV]: value }).allocator, 'default', value);
    assert.match(tensorflowAllocator({ [TF_BFC_ENV]: '0' }).source, /=0, from the environment$/);
  });

  it('anything else (TensorFlow does not trim): its default, and says why', () => {
    for (const value of ['yes', ' true']) {
      const { allocator, source } = tensorflowAllocator({ [TF_BFC_ENV]: value });
      assert.equal(allocator, 'default', value);
      assert.match(source, /not true, false, 1 or 0, so TensorFlow keeps its default/);
    }
  });
});

/** The environment of the tfjs hosts this process has started. */
function hostEnvironments(): Map<string, string>[] {
  const children = execFileSync('pgrep', ['-P', String(process.pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  return children
    .filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(TFJS_HOST_FILE))
    .map((pid) => new Map(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean).map((entry) => {
      const at = entry.indexOf('=');
      return [entry.slice(0, at), entry.slice(at + 1)] as [string, string];
    })));
}

describe('the processes and threads that run TensorFlow get it', () => {
  it('a tfjs-node host: its intra-op threads and the BFC allocator', async () => {
    const workload = new Workload(problemOf({ batch: 32, dIn: 8, dOut: 4 }), 2);
    const session = await engineNamed('tfjs-node')!.open(workload, { engine: 'tfjs-node', kernel: 'tensorflow', formulation: 'fused', strategy: 'compact', threads: 2 });
    try {
      const hosts = hostEnvironments();
      assert.equal(hosts.length, 1);
      assert.equal(hosts[0]!.get('TF_NUM_INTRAOP_THREADS'), '2');
      assert.equal(hosts[0]!.get(TF_BFC_ENV), process.env[TF_BFC_ENV] || 'true');
    } finally {
      await session.close();
    }
  });

  it("the workers' tfjs kernel: set in this process before its pool loads TensorFlow", () => {
    const saved = { ...process.env };
    try {
      delete process.env[TF_BFC_ENV];
      delete process.env['TF_NUM_INTRAOP_THREADS'];
      WORKER_KERNELS.tfjs.prepare!(createArena(problemOf({ batch: 16, dIn: 4, dOut: 2 }), 1));
      assert.equal(process.env['TF_NUM_INTRAOP_THREADS'], '1');
      assert.equal(process.env[TF_BFC_ENV], 'true');
      process.env[TF_BFC_ENV] = 'false';
      WORKER_KERNELS.tfjs.prepare!(createArena(problemOf({ batch: 16, dIn: 4, dOut: 2 }), 1));
      assert.equal(process.env[TF_BFC_ENV], 'false', "the user's choice stands");
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });
});

describe('the allocator in the report and in compare', () => {
  const library = (extra: Record<string, unknown>) => ({ native_library: { tensorflow: '2.21.0', tfjs_node: '4.22.0', onednn: true, onednn_source: 'x', ...extra } });
  const fact = SERVER_FACTS.find(([name]) => name === 'TensorFlow allocator')![1];

  it('says which allocator ran and why; a run from before it was recorded reads "not recorded"', () => {
    assert.equal(fact(library({ cpu_allocator: 'bfc', cpu_allocator_source: `${TF_BFC_ENV}=true, set by triplet-bench` })), `BFC (${TF_BFC_ENV}=true, set by triplet-bench)`);
    assert.equal(fact(library({ cpu_allocator: 'default', cpu_allocator_source: `${TF_BFC_ENV}=0, from the environment` })), `default (${TF_BFC_ENV}=0, from the environment)`);
    assert.equal(fact(library({})), `not recorded (TensorFlow's default unless ${TF_BFC_ENV} was set)`, 'the variable by the name the tool sets');
    assert.equal(fact({}), undefined, 'no TensorFlow loaded: no such fact');
  });

  it('compare flags a change of allocator, not a change of where the setting came from', () => {
    const bfcOurs = library({ cpu_allocator: 'bfc', cpu_allocator_source: 'set by triplet-bench' });
    const bfcUsers = library({ cpu_allocator: 'bfc', cpu_allocator_source: 'from the environment' });
    assert.deepEqual(serverDifferences(bfcOurs, bfcUsers), []);
    const fromOldRun = serverDifferences(library({}), bfcOurs);
    assert.equal(fromOldRun.length, 1);
    assert.match(fromOldRun[0]!, /^TensorFlow allocator: not recorded \(.*\) -> BFC \(set by triplet-bench\)$/);
    assert.deepEqual(serverDifferences(library({ cpu_allocator: 'default', cpu_allocator_source: 'x' }), bfcOurs), ['TensorFlow allocator: default (x) -> BFC (set by triplet-bench)']);
  });
});
