import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expectedSweepMs, formatDuration, type Calibration } from '../src/bench/estimate.js';
import type { PlannedConfig, WorkloadSpec } from '../src/bench/plan.js';
import { ENGINES_BY_NAME } from '../src/engines/index.js';
import { cpuCounts, parseThreadList, threadLadder, threadRole } from '../src/bench/thread-ladder.js';
import type { Topology } from '../src/environment/topology.js';
import { cliServer } from './helpers.js';

/** This file's command lines, in one process (helpers.ts, cliServer): a refusal and a run. */
const cli = cliServer();

function topology(online: number, cores: number, perCore: number): Topology {
  return {
    online_cpus: online,
    sockets: 1,
    physical_cores: cores,
    threads_per_core: perCore,
    numa_nodes: [],
    cores: [],
    cache_bytes: { l1d: null, l2: null, l3: null },
    vector_extensions: [],
    governors: [],
    frequency_driver: null,
    boost: null,
  };
}

describe('thread ladder', () => {
  it('climbs in powers of two to the physical cores and adds the logical count where SMT doubles it', () => {
    assert.deepEqual(threadLadder({ physical: 96, logical: 192 }), [1, 2, 4, 8, 16, 32, 64, 96, 192]);
    assert.deepEqual(threadLadder({ physical: 8, logical: 16 }), [1, 2, 4, 8, 16]);
    assert.deepEqual(threadLadder({ physical: 2, logical: 2 }), [1, 2]);
    assert.deepEqual(threadLadder({ physical: 1, logical: 1 }), [1]);
    assert.deepEqual(threadLadder({ physical: 6, logical: 6 }), [1, 2, 4, 6]);
  });

  it('counts physical cores from the topology, within what the process may use', () => {
    assert.deepEqual(cpuCounts(topology(192, 96, 2), 192), { physical: 96, logical: 192 });
    // A cpuset of 16 of the 192 CPUs: siblings come in pairs.
    assert.deepEqual(cpuCounts(topology(192, 96, 2), 16), { physical: 8, logical: 16 });
    assert.deepEqual(cpuCounts(topology(16, 16, 1), 16), { physical: 16, logical: 16 });
    // No topology: no SMT assumed.
    assert.deepEqual(cpuCounts({ ...topology(0, 0, 0), online_cpus: null, physical_cores: null, threads_per_core: null }, 12), { physical: 12, logical: 12 });
  });

  it('says which count is which', () => {
    const counts = { physical: 8, logical: 16 };
    assert.equal(threadRole(8, counts), 'physical cores');
    assert.equal(threadRole(16, counts), 'logical CPUs (SMT)');
    assert.equal(threadRole(4, counts), 'within the physical cores');
    assert.equal(threadRole(12, counts), 'between physical and logical (SMT)');
    assert.equal(threadRole(33, counts), 'oversubscribed');
  });

  it('takes words and ranges in --threads, and names --threads in every refusal', () => {
    const counts = { physical: 8, logical: 16 };
    assert.deepEqual(parseThreadList('physical,logical', counts, 256), [8, 16]);
    assert.deepEqual(parseThreadList('1-4', counts, 256), [1, 2, 3, 4]);
    assert.deepEqual(parseThreadList('2-16:4', counts, 256), [2, 6, 10, 14]);
    assert.deepEqual(parseThreadList('1-physical:2,logical,3', counts, 256), [1, 3, 5, 7, 16]);
    for (const [raw, message] of [
      ['0', /--threads expects thread counts from 1 to 256/],
      ['300', /--threads expects thread counts from 1 to 256/],
      ['8-2', /--threads range '8-2' runs backwards/],
      ['1-8:0', /--threads range '1-8:0': the step/],
      ['1-8:x', /--threads range '1-8:x': the step/],
      ['cores', /--threads expects .*'physical' or 'logical'; got 'cores'/],
      ['1,,2', /--threads expects a comma-separated list/],
      ['1.5', /--threads expects/],
    ] as const) {
      assert.throws(() => parseThreadList(raw, counts, 256), message, raw);
    }
  });

  it('refuses a bad --threads on the command line with one line and exit 2', async () => {
    const { code, stderr } = await cli.run(['verify', '--threads', '4-2']);
    assert.equal(code, 2);
    assert.match(stderr, /--threads range '4-2' runs backwards/);
    assert.equal(stderr.trim().split('\n').length, 1);
  });
});

describe('sweep estimate', () => {
  const calibration: Calibration = { referenceNsPerFlop: 1, poolOpenMs: 100, hostOpenMs: 1000 };
  const spec: WorkloadSpec = { shape: { batch: 1000, dIn: 100, dOut: 10 }, choice: { activeFraction: 0.3 } };
  const config = (engine: PlannedConfig['engine'], threads: number): PlannedConfig => ({ engine, kernel: 'js', formulation: 'fused', strategy: 'dense', threads, role: 'gradient' });

  it('adds the build, and per round each configuration\'s opening, untimed steps and window', () => {
    // Reference: 8 * 1000 * 100 * 10 flops at 1 ns = 8 ms; build (with the perturbed W's reference) 2.6 x 8 = 20.8 ms.
    const plan = { rounds: 2, budgetMs: 1000, logicalCpus: 4 };
    const workers = expectedSweepMs([spec], [config('workers', 2)], plan, calibration, ENGINES_BY_NAME);
    // 2 rounds x (100 open + 3 untimed steps of 8/2 ms: warm, opening and closing checks + 1000 window).
    assert.ok(Math.abs(workers - (20.8 + 2 * (100 + 12 + 1000))) < 1e-9, String(workers));
    const host = expectedSweepMs([spec], [config('tfjs-cpu', 1)], plan, calibration, ENGINES_BY_NAME);
    assert.ok(Math.abs(host - (20.8 + 2 * (1000 + 24 + 1000))) < 1e-9, String(host));
  });

  it('takes a calibrated kernel\'s step as its FLOPs at its speed, and its own opening where longer', () => {
    const plan = { rounds: 1, budgetMs: 1000, logicalCpus: 4 };
    const fast: Calibration = { ...calibration, kernelNsPerFlop: { 'workers/js': 0.25 }, kernelOpenMs: { 'workers/js': 300 } };
    // Dense: 8 * 1000 * 100 * 10 flops at 0.25 ns over 2 threads = 1 ms; opening 300 ms, not the pool's 100.
    const dense = expectedSweepMs([spec], [config('workers', 2)], plan, fast, ENGINES_BY_NAME);
    assert.ok(Math.abs(dense - (20.8 + 300 + 3 * 1 + 1000)) < 1e-9, String(dense));
    // Compact at 30 % active: (4 + 4 * 0.3) / 8 of dense's FLOPs.
    const compact = expectedSweepMs([spec], [{ ...config('workers', 2), strategy: 'compact' }], plan, fast, ENGINES_BY_NAME);
    assert.ok(Math.abs(compact - (20.8 + 300 + 3 * (5.2 / 8) + 1000)) < 1e-9, String(compact));
  });

  it('counts a slow step once under the profile\'s rounds, and every round of --rounds', () => {
    // A 4 ms step (8 MFLOP at 1 ns over 2 threads) against a 10 ms window: 3 samples do not fit.
    const slow = { rounds: 100, budgetMs: 10, logicalCpus: 4 };
    const once = 20.8 + 1 * (100 + 12 + 12);
    assert.ok(Math.abs(expectedSweepMs([spec], [config('workers', 2)], slow, calibration, ENGINES_BY_NAME) - once) < 1e-9);
    // Issue 23 item 8: --rounds 100 --time 10 said 2 min and ran 8 s; the sweep now runs every round, and so does the estimate.
    const every = 20.8 + 100 * (100 + 12 + 12);
    assert.ok(Math.abs(expectedSweepMs([spec], [config('workers', 2)], { ...slow, everyRound: true }, calibration, ENGINES_BY_NAME) - every) < 1e-9);
  });

  it('counts only the configurations the profile\'s filter keeps', () => {
    const plan = { rounds: 2, budgetMs: 1000, logicalCpus: 4 };
    const both = [config('workers', 2), config('tfjs-cpu', 1)];
    const workersOnly = expectedSweepMs([spec], both, plan, calibration, ENGINES_BY_NAME, (c) => c.engine === 'workers');
    assert.ok(Math.abs(workersOnly - expectedSweepMs([spec], [config('workers', 2)], plan, calibration, ENGINES_BY_NAME)) < 1e-9, String(workersOnly));
  });

  it('gives a slow configuration one long first window instead of a window per round', () => {
    const big: WorkloadSpec = { shape: { batch: 100_000, dIn: 1000, dOut: 100 }, choice: { activeFraction: 0.3 } };
    // Step 80 s: 3 samples in round one, none after.
    const ms = expectedSweepMs([big], [config('tfjs-cpu', 1)], { rounds: 2, budgetMs: 1000, logicalCpus: 4 }, calibration, ENGINES_BY_NAME);
    assert.ok(Math.abs(ms - (2.6 * 80_000 + 1000 + 3 * 80_000 + 3 * 80_000)) < 1e-6, String(ms));
  });

  it('counts the roofline: a measured tfjs-node start-up per process and concurrent thread, as many at once as CPUs', () => {
    // --threads 256 on 2 CPUs once ran 136 s against an estimate of 28 s: the roofline's 258 start-ups were not in it.
    const plan = { rounds: 1, budgetMs: 1000, logicalCpus: 2 };
    const configs = [config('workers', 256)];
    const without = expectedSweepMs([spec], configs, plan, calibration, ENGINES_BY_NAME);
    const withRoofline = expectedSweepMs([spec], configs, plan, { ...calibration, tfThreadStartMs: 2000 } as Calibration, ENGINES_BY_NAME);
    // Processes for T = 1 and 256, and 256 concurrent threads: 258 start-ups, 2 at a time, 2 s each; three 120 ms windows.
    assert.ok(Math.abs(withRoofline - without - (129 * 2000 + 3 * 120)) < 1e-6, `${withRoofline - without} ms more`);
  });

  it('formats durations for people', () => {
    assert.equal(formatDuration(400), '1 s');
    assert.equal(formatDuration(45_000), '45 s');
    assert.equal(formatDuration(12 * 60_000), '12 min');
    assert.equal(formatDuration(150 * 60_000), '2.5 h');
  });

  it('run prints the expected duration and the configuration count before the sweep, and an ETA per line', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tb-estimate-'));
    // The test entry's --unmeasured-roofs: the calibration the estimate rests on is the product's; the roofline's and memory roof's seconds are not what it tests.
    const { code, stderr } = await cli.run(['run', '--unmeasured-roofs', '--engines', 'workers', '--kernels', 'js', '--threads', '1,2', '--batch', '32', '--dims', '8x4', '--active', '0.3', '--time', '20', '--rounds', '1', '--out', out]);
    assert.equal(code, 0, stderr);
    assert.match(stderr, /expected duration: about \d+ (s|min) for 4 configurations x 1 rounds \(calibrated here: reference [\d.]+ ns\/flop, a pool opens and steps in \d+ ms, (tfjs-node loads in [\d.]+ s, )?1 kernels stepped once\)/);
    const expectedAt = stderr.indexOf('expected duration');
    assert.ok(expectedAt >= 0 && expectedAt < stderr.indexOf('[1/4]'), 'the estimate comes before the first configuration');
    assert.match(stderr, /\[2\/4\] \(ETA \d+ (s|min)\) B=32/);
  });
});
