import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { serverDifferences, SERVER_FACTS } from '../src/report/server-facts.js';
import { nativeLibrary } from '../src/environment/native-library.js';
import { parseCacheSize, parseCpuList, readTopology } from '../src/environment/topology.js';
import { readEnvironment } from '../src/environment/environment.js';
import { fixtureRows, writeRunFolder } from './fixtures.js';
import { runCli } from './helpers.js';

/** Writes `files` (path under root -> content) into a fresh folder: a fake /sys and /proc. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'tb-topology-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), `${content}\n`);
  }
  return root;
}

const CPU = 'sys/devices/system/cpu';

/**
 * Two sockets of two cores with two SMT threads each, numbered the way Linux numbers a
 * dual-socket Xeon: CPUs 0-3 are the first thread of each core, 4-7 their siblings.
 */
function dualSocketServer(): Record<string, string> {
  const files: Record<string, string> = {
    [`${CPU}/online`]: '0-7',
    'sys/devices/system/node/node0/cpulist': '0-1,4-5',
    'sys/devices/system/node/node1/cpulist': '2-3,6-7',
    'sys/devices/system/node/has_cpu': '0-1',
    [`${CPU}/cpu0/cache/index0/level`]: '1',
    [`${CPU}/cpu0/cache/index0/type`]: 'Data',
    [`${CPU}/cpu0/cache/index0/size`]: '48K',
    [`${CPU}/cpu0/cache/index1/level`]: '1',
    [`${CPU}/cpu0/cache/index1/type`]: 'Instruction',
    [`${CPU}/cpu0/cache/index1/size`]: '32K',
    [`${CPU}/cpu0/cache/index2/level`]: '2',
    [`${CPU}/cpu0/cache/index2/type`]: 'Unified',
    [`${CPU}/cpu0/cache/index2/size`]: '2048K',
    [`${CPU}/cpu0/cache/index3/level`]: '3',
    [`${CPU}/cpu0/cache/index3/type`]: 'Unified',
    [`${CPU}/cpu0/cache/index3/size`]: '107520K',
    [`${CPU}/cpu0/cpufreq/scaling_driver`]: 'intel_pstate',
    [`${CPU}/intel_pstate/no_turbo`]: '0',
    'proc/cpuinfo': 'processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu sse4_2 avx avx2 fma avx512f avx512bw avx512vl avx512_vnni amx_tile\n\nprocessor\t: 1',
  };
  for (let cpu = 0; cpu < 8; cpu++) {
    files[`${CPU}/cpu${cpu}/topology/physical_package_id`] = String(Math.floor((cpu % 4) / 2));
    files[`${CPU}/cpu${cpu}/topology/core_id`] = String(cpu % 2);
    files[`${CPU}/cpu${cpu}/cpufreq/scaling_governor`] = cpu === 5 ? 'powersave' : 'performance';
  }
  return files;
}

describe('server topology', () => {
  it('parses kernel CPU lists and cache sizes', () => {
    assert.deepEqual(parseCpuList('0-3,8,10-11'), [0, 1, 2, 3, 8, 10, 11]);
    assert.deepEqual(parseCpuList(''), []);
    assert.deepEqual(parseCpuList('0-3,x'), []);
    assert.equal(parseCacheSize('48K'), 48 * 1024);
    assert.equal(parseCacheSize('32M'), 32 * 1024 * 1024);
    assert.equal(parseCacheSize('big'), null);
  });

  it('reads sockets, NUMA nodes, cores and SMT siblings, caches, extensions, governors and boost', () => {
    const topology = readTopology(tree(dualSocketServer()));
    assert.equal(topology.online_cpus, 8);
    assert.equal(topology.sockets, 2);
    assert.equal(topology.physical_cores, 4);
    assert.equal(topology.threads_per_core, 2);
    assert.deepEqual(topology.numa_nodes, [{ node: 0, cpus: '0-1,4-5' }, { node: 1, cpus: '2-3,6-7' }]);
    assert.deepEqual(topology.cores.map((core) => core.cpus), [[0, 4], [1, 5], [2, 6], [3, 7]]);
    assert.deepEqual(topology.cores.map((core) => core.socket), [0, 0, 1, 1]);
    assert.deepEqual(topology.cache_bytes, { l1d: 48 * 1024, l2: 2048 * 1024, l3: 107520 * 1024 });
    assert.deepEqual(topology.vector_extensions, ['sse4_2', 'avx', 'avx2', 'fma', 'avx512f', 'avx512bw', 'avx512vl', 'avx512_vnni', 'amx_tile']);
    assert.deepEqual(topology.governors, ['performance', 'powersave']);
    assert.equal(topology.frequency_driver, 'intel_pstate');
    assert.equal(topology.boost, true);
  });

  it('says null, not a guess, where the files are missing, and reads cpufreq/boost and Arm features', () => {
    const empty = readTopology(tree({}));
    assert.deepEqual(
      [empty.online_cpus, empty.sockets, empty.physical_cores, empty.threads_per_core, empty.boost, empty.frequency_driver],
      [null, null, null, null, null, null],
    );
    assert.deepEqual([empty.numa_nodes, empty.cores, empty.vector_extensions, empty.governors], [[], [], [], []]);
    assert.deepEqual(empty.cache_bytes, { l1d: null, l2: null, l3: null });
    const arm = readTopology(tree({ [`${CPU}/online`]: '0', [`${CPU}/cpufreq/boost`]: '0', 'proc/cpuinfo': 'processor\t: 0\nFeatures\t: fp asimd sve sve2' }));
    assert.equal(arm.boost, false);
    assert.deepEqual(arm.vector_extensions, ['asimd', 'sve', 'sve2']);
    assert.equal(arm.physical_cores, null, 'no topology files: cores unknown');
  });

  it('run.json carries this machine\'s topology and the tfjs-node library version as it reports itself', () => {
    const environment = readEnvironment();
    assert.ok(environment.topology.online_cpus === null || environment.topology.online_cpus >= 1);
    if (environment.native_library) assert.match(environment.native_library.tensorflow ?? '', /^\d+\.\d+/);
  });

  it('decides oneDNN from TF_ENABLE_ONEDNN_OPTS, else from the version, and says how', () => {
    const versions = { tensorflow: '2.21.0', tfjs_node: '4.22.0' };
    assert.equal(nativeLibrary(versions, {}, 'x64').onednn, true);
    assert.match(nativeLibrary(versions, {}, 'x64').onednn_source, /default/);
    assert.equal(nativeLibrary(versions, { TF_ENABLE_ONEDNN_OPTS: '0' }, 'x64').onednn, false);
    assert.equal(nativeLibrary({ tensorflow: '2.8.0', tfjs_node: null }, {}, 'x64').onednn, false);
    assert.equal(nativeLibrary(versions, {}, 'arm64').onednn, false);
    assert.equal(nativeLibrary({ tensorflow: null, tfjs_node: null }, {}, 'x64').onednn, null);
  });

  it('describes the facts in words and lists those that differ', () => {
    const env = (root: string, tensorflow: string, wasm: string) => ({
      topology: readTopology(root),
      native_library: nativeLibrary({ tensorflow, tfjs_node: '4.22.0' }, {}, 'x64'),
      runtime_paths: { wasm_simd: wasm },
    });
    const server = env(tree(dualSocketServer()), '2.21.0', 'relaxed');
    const text = Object.fromEntries(SERVER_FACTS.map(([name, read]) => [name, read(server)]));
    assert.equal(text['physical cores'], '4 (2 SMT threads each: 8 logical)');
    assert.equal(SERVER_FACTS.find(([name]) => name === 'thread counts')![1]({ cpu_counts: { physical: 4, logical: 8 } }), 'T=4 is the physical cores, T=8 the logical CPUs (SMT: above 4, threads share cores)');
    assert.equal(text['caches'], 'L1D 48 KiB, L2 2 MiB, L3 105 MiB');
    assert.equal(text['TensorFlow (tfjs-node)'], '2.21.0 (tfjs-node 4.22.0)');
    const laptop = env(tree({ [`${CPU}/online`]: '0-1', [`${CPU}/cpu0/topology/physical_package_id`]: '0', [`${CPU}/cpu0/topology/core_id`]: '0', [`${CPU}/cpu1/topology/physical_package_id`]: '0', [`${CPU}/cpu1/topology/core_id`]: '1', 'sys/devices/system/node/node0/cpulist': '0-1', 'proc/cpuinfo': 'flags\t: avx2 fma' }), '2.9.1', 'simd128');
    const differences = serverDifferences(server, laptop);
    for (const fact of ['sockets', 'physical cores', 'NUMA nodes', 'vector extensions', 'boost', 'TensorFlow (tfjs-node)', 'wasm kernel build']) {
      assert.ok(differences.some((line) => line.startsWith(`${fact}:`)), `${fact} in ${differences.join(' | ')}`);
    }
    assert.deepEqual(serverDifferences(server, server), []);
    // An older run.json without these fields is not a difference.
    assert.deepEqual(serverDifferences(server, {}), []);
  });

  it('compare warns when the two runs\' topology or TensorFlow differ', () => {
    const base = writeRunFolder(mkdtempSync(join(tmpdir(), 'tb-topology-base-')), fixtureRows());
    const current = writeRunFolder(mkdtempSync(join(tmpdir(), 'tb-topology-current-')), fixtureRows());
    const withEnvironment = (dir: string, extra: Record<string, unknown>) => {
      const file = join(dir, 'run.json');
      const runJson = JSON.parse(readFileSync(file, 'utf8')) as { environment: Record<string, unknown> };
      Object.assign(runJson.environment, extra);
      writeFileSync(file, JSON.stringify(runJson));
    };
    const topology = readTopology(tree(dualSocketServer()));
    withEnvironment(base, { topology, native_library: nativeLibrary({ tensorflow: '2.21.0', tfjs_node: '4.22.0' }, {}, 'x64') });
    withEnvironment(current, { topology: { ...topology, boost: false, governors: ['powersave'] }, native_library: nativeLibrary({ tensorflow: '2.9.1', tfjs_node: '4.22.0' }, {}, 'x64') });
    const { code, stdout, stderr } = runCli(['compare', base, current, '--format', 'json']);
    assert.equal(code, 0, stderr);
    const warnings = (JSON.parse(stdout) as { warnings: string[] }).warnings.join('\n');
    assert.match(warnings, /boost: on -> off/);
    assert.match(warnings, /frequency governor: performance, powersave -> powersave/);
    assert.match(warnings, /TensorFlow \(tfjs-node\): 2\.21\.0 \(tfjs-node 4\.22\.0\) -> 2\.9\.1/);
  });
});
