import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectedSweepMs, type Calibration } from '../src/bench/estimate.js';
import type { PlannedConfig, WorkloadSpec } from '../src/bench/plan.js';
import { threadCountsOf } from '../src/engines/engine.js';
import { ENGINES, ENGINES_BY_NAME } from '../src/engines/index.js';
import { WORKER_KERNELS, workerKernelsOf } from '../src/engines/workers/kernels.js';
import { ENGINE_DESCRIPTIONS, isOverheadKernel, kernelLabelOf } from '../src/engine-labels.js';
import { POOL_THREAD_BYTES, TF_POOL_THREAD_BYTES } from '../src/memory.js';
import { kernelLabel } from '../src/report/html/labels.js';

describe('engines describe themselves', () => {
  it('name their kernels in reports: the workers by engine/kernel, a tfjs engine by its own name', () => {
    assert.equal(kernelLabel({ engine: 'workers', kernel: 'wasm', formulation: 'fused' }), 'workers/wasm fused');
    assert.equal(kernelLabel({ engine: 'tfjs-node', kernel: 'tensorflow', formulation: 'autograd' }), 'tfjs-node autograd');
    assert.equal(kernelLabelOf('no-such-engine', 'k'), 'no-such-engine', 'an engine this build lacks keeps its name');
  });

  it('say where they run and whether a step spreads over threads', () => {
    for (const engine of ENGINES) {
      assert.ok(['pool', 'child', 'main'].includes(engine.runsIn), engine.name);
      assert.deepEqual(threadCountsOf(engine, [1, 2, 4]), engine.parallel ? [1, 2, 4] : [1], engine.name);
    }
    assert.equal(ENGINES_BY_NAME.workers.runsIn, 'pool');
    assert.equal(ENGINES_BY_NAME['tfjs-cpu'].runsIn, 'child');
  });

  it('mark their overhead kernel, and only their own', () => {
    const overhead = ENGINES_BY_NAME.workers.overheadKernel!;
    assert.ok(isOverheadKernel('workers', overhead));
    assert.ok(!isOverheadKernel('workers', ENGINES_BY_NAME.workers.kernels[0]!));
    assert.ok(!isOverheadKernel('tfjs-node', overhead));
  });

  it('take their labels and overhead kernel from the plain data the reports read (src/engine-labels.ts)', () => {
    for (const engine of ENGINES) {
      assert.equal(engine.overheadKernel, ENGINE_DESCRIPTIONS[engine.name].overheadKernel, engine.name);
      for (const kernel of engine.kernels) assert.equal(kernelLabelOf(engine.name, kernel), engine.label(kernel), `${engine.name}/${kernel}`);
    }
    assert.deepEqual(workerKernelsOf('overhead'), [ENGINE_DESCRIPTIONS.workers.overheadKernel], "the kernel registry's one kernel of role overhead");
  });

  it('are what the estimate asks, from the registry it is given', () => {
    const spec: WorkloadSpec = { shape: { batch: 4096, dIn: 512, dOut: 128 }, choice: { activeFraction: 0.3 } };
    const config: PlannedConfig = { engine: 'workers', kernel: 'js', formulation: 'fused', strategy: 'dense', threads: 2, role: 'gradient' };
    const calibration: Calibration = { referenceNsPerFlop: 1, poolOpenMs: 100, hostOpenMs: 5000 };
    const plan = { rounds: 1, budgetMs: 100, logicalCpus: 4 };
    const product = expectedSweepMs([spec], [config], plan, calibration, ENGINES_BY_NAME);
    // The same engine, said to run on one thread in a child: steps twice as long, a host's open.
    const serial = { ...ENGINES_BY_NAME, workers: { ...ENGINES_BY_NAME.workers, parallel: false, runsIn: 'child' as const } };
    const injected = expectedSweepMs([spec], [config], plan, calibration, serial);
    assert.ok(injected > product + 4000, `${injected} vs ${product}`);
  });

  it('declare the memory of each thread of their pool, from the kernels asked for', () => {
    const workers = ENGINES_BY_NAME.workers;
    const tfjsHere = WORKER_KERNELS.tfjs.availability().available;
    assert.equal(workers.poolThreadBytes!(['js', 'wasm']), POOL_THREAD_BYTES);
    assert.equal(workers.poolThreadBytes!(['tfjs']), tfjsHere ? TF_POOL_THREAD_BYTES : POOL_THREAD_BYTES, 'a thread loads tfjs-node only where it runs');
    assert.equal(workers.poolThreadBytes!(undefined), tfjsHere ? TF_POOL_THREAD_BYTES : POOL_THREAD_BYTES, 'every kernel when none is named');
    assert.equal(workers.poolThreadBytes!(['tensorflow']), POOL_THREAD_BYTES, 'a thread is an isolate whatever else');
    for (const engine of ENGINES.filter((e) => e.runsIn !== 'pool')) assert.equal(engine.poolThreadBytes, undefined, engine.name);
  });
});
