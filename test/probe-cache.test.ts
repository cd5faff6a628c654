/**
 * The native probe remembered per binding (src/native/probe-cache.ts): found again only for
 * the very same files and loader variables, never where no folder is named, and used by
 * the probe in place of its child.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PROBE_CACHE_ENV, probeCacheEntry, rememberedProbe, rememberProbe } from '../src/native/probe-cache.js';

/** A fake tfjs-node install: a binding and one library under deps/lib. */
function fakeInstall(): { dir: string; binding: string; library: string; probe: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tb-probe-cache-'));
  mkdirSync(join(dir, 'deps', 'lib'), { recursive: true });
  const binding = join(dir, 'tfjs_binding.node');
  const library = join(dir, 'deps', 'lib', 'libtensorflow.so.2');
  const probe = join(dir, 'probe-child.js');
  for (const file of [binding, library, probe]) writeFileSync(file, 'bytes');
  return { dir, binding, library, probe };
}

/** Runs `body` with environment variables set, restoring them after. */
function withEnv<T>(vars: Record<string, string | undefined>, body: () => T): T {
  const before = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  const set = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  set(vars);
  try {
    return body();
  } finally {
    set(before);
  }
}

describe('the native probe remembered per binding', () => {
  test('no folder named: nothing is remembered', () => {
    const install = fakeInstall();
    assert.equal(withEnv({ [PROBE_CACHE_ENV]: undefined }, () => probeCacheEntry(install.binding, install.dir, install.probe)), undefined);
    assert.equal(withEnv({ [PROBE_CACHE_ENV]: '' }, () => probeCacheEntry(install.binding, install.dir, install.probe)), undefined);
  });

  test('an outcome is found again for the same files, and missed once any of them or a loader variable changes', () => {
    const install = fakeInstall();
    const folder = join(install.dir, 'cache');
    withEnv({ [PROBE_CACHE_ENV]: folder, LD_LIBRARY_PATH: undefined, LD_PRELOAD: undefined }, () => {
      const entry = () => probeCacheEntry(install.binding, install.dir, install.probe)!;
      const first = entry();
      assert.equal(rememberedProbe(first), undefined, 'nothing remembered yet');
      rememberProbe(first, { tensorflow: '2.9.1', tfjs_node: '4.22.0' });
      assert.equal(entry(), first, 'the same files give the same entry');
      assert.deepEqual(rememberedProbe(entry()), { tensorflow: '2.9.1', tfjs_node: '4.22.0' });

      const later = new Date(Date.now() + 60_000);
      utimesSync(install.binding, later, later);
      const rebuilt = entry();
      assert.notEqual(rebuilt, first, 'a rebuilt binding misses');
      utimesSync(install.library, later, later);
      assert.notEqual(entry(), rebuilt, 'a replaced library misses');
      const now = entry();
      writeFileSync(join(install.dir, 'deps', 'lib', 'libtensorflow_framework.so.2'), 'more');
      assert.notEqual(entry(), now, 'a library added beside it misses');
      const withLibraries = entry();
      writeFileSync(install.probe, 'a newer probe');
      assert.notEqual(entry(), withLibraries, "a changed probe child misses");
      const settled = entry();
      assert.notEqual(withEnv({ LD_LIBRARY_PATH: '/elsewhere' }, entry), settled, 'another LD_LIBRARY_PATH misses');
      assert.notEqual(withEnv({ LD_PRELOAD: '/lib/shim.so' }, entry), settled, 'an LD_PRELOAD misses');
      assert.equal(entry(), settled);
    });
  });

  test('a damaged entry is no outcome, and an unwritable folder costs nothing but the next probe', () => {
    const install = fakeInstall();
    const folder = join(install.dir, 'cache');
    mkdirSync(folder);
    const entry = withEnv({ [PROBE_CACHE_ENV]: folder }, () => probeCacheEntry(install.binding, install.dir, install.probe)!);
    writeFileSync(entry, '{"tensorflow": "2.9');
    assert.equal(rememberedProbe(entry), undefined);
    writeFileSync(entry, '{"something": "else"}\n');
    assert.equal(rememberedProbe(entry), undefined);

    const readOnly = join(install.dir, 'read-only');
    mkdirSync(readOnly);
    chmodSync(readOnly, 0o500);
    const unwritable = withEnv({ [PROBE_CACHE_ENV]: readOnly }, () => probeCacheEntry(install.binding, install.dir, install.probe)!);
    assert.doesNotThrow(() => rememberProbe(unwritable, { tensorflow: '2.9.1', tfjs_node: '4.22.0' }));
    if (process.getuid?.() !== 0) assert.deepEqual(readdirSync(readOnly), []);
  });

  test("the probe takes a remembered outcome in place of its child's, and remembers what its child reported", () => {
    const folder = mkdtempSync(join(tmpdir(), 'tb-probe-cache-real-'));
    const probeModule = fileURLToPath(new URL('../src/native/probe.js', import.meta.url));
    // A process of its own: the probe's answer is kept for the life of a process.
    const probeInChild = () => {
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', `const p = await import(${JSON.stringify(probeModule)}); const a = p.nativeAvailability(); console.log(JSON.stringify({ available: a.available, tensorflow: p.probedNativeLibrary()?.tensorflow ?? null }));`], {
        encoding: 'utf8',
        env: { ...process.env, [PROBE_CACHE_ENV]: folder, TRIPLET_BENCH_NO_NATIVE: '' },
      });
      assert.equal(child.status, 0, child.stderr);
      return JSON.parse(child.stdout.trim().split('\n').pop()!) as { available: boolean; tensorflow: string | null };
    };
    const probed = probeInChild();
    assert.equal(probed.available, true, 'this checkout has tfjs-node built (npm ci builds it)');
    const [entry, ...others] = readdirSync(folder);
    assert.ok(entry !== undefined && others.length === 0, `one entry written: ${readdirSync(folder).join(', ')}`);
    assert.equal((JSON.parse(readFileSync(join(folder, entry), 'utf8')) as { tensorflow: string | null }).tensorflow, probed.tensorflow);

    // An entry that says what no child would: the next process reports it, so it did not probe.
    writeFileSync(join(folder, entry), `${JSON.stringify({ tensorflow: 'remembered', tfjs_node: 'remembered' })}\n`);
    assert.deepEqual(probeInChild(), { available: true, tensorflow: 'remembered' });
  });
});
