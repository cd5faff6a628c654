/**
 * Whether the native backend loads here, and if not, why and what fixes it. Loading it
 * maps a library of most of a gigabyte, so the probe runs in a child, once per process,
 * or once per binding where a folder is named to remember it in (src/native/probe-cache.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { NATIVE_PROBE_FILE, PACKAGE_ROOT } from '../layout.js';
import type { Availability } from '../engines/engine.js';
import { nativeLibrary, type NativeLibrary, type ProbedVersions } from '../environment/native-library.js';
import { bindingPath, TFJS_NODE_DIR, tfjsNodeInstalled } from './paths.js';
import { probeCacheEntry, rememberedProbe, rememberProbe } from './probe-cache.js';
import { bindingThreadSafe } from './thread-safety.js';
import { tensorflowAllocator } from './tf-environment.js';
import { installFix, setupNativeFix } from './fix-commands.js';


let cached: Availability | undefined;
let library: NativeLibrary | undefined;

/** The library behind tfjs-node as the probe's child saw it; undefined until a probe loaded it. */
export function probedNativeLibrary(): NativeLibrary | undefined {
  return library;
}

/** Simulates a machine without the native library (tests, and users checking the fallback). */
export const SIMULATE_MISSING_ENV = 'TRIPLET_BENCH_NO_NATIVE';

/** Availability of @tensorflow/tfjs-node's binding, probed once. */
export function nativeAvailability(): Availability {
  if (cached) return cached;
  cached = probe();
  return cached;
}

function probe(): Availability {
  if (process.env[SIMULATE_MISSING_ENV]) {
    return { available: false, reason: `native backend disabled by ${SIMULATE_MISSING_ENV}`, fix: `unset ${SIMULATE_MISSING_ENV}` };
  }
  if (!tfjsNodeInstalled()) {
    return { available: false, reason: '@tensorflow/tfjs-node is not installed', fix: `${installFix('@tensorflow/tfjs-node')}, then ${setupNativeFix()}` };
  }
  const binding = bindingPath();
  if (!existsSync(binding)) return { available: false, reason: `tfjs-node's binding is not built (${binding})`, fix: setupNativeFix() };
  const entry = probeCacheEntry(binding, TFJS_NODE_DIR, NATIVE_PROBE_FILE);
  const remembered = entry && rememberedProbe(entry);
  if (remembered) return loaded(binding, remembered);
  const result = spawnSync(process.execPath, [NATIVE_PROBE_FILE], {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' },
    timeout: 120_000,
  });
  if (result.status !== 0) {
    const why = (result.stderr.split('\n').find((line) => /Error/.test(line)) ?? `exit ${result.status ?? result.signal}`).trim();
    return { available: false, reason: `tfjs-node does not load: ${why}`, fix: setupNativeFix('--force') };
  }
  const reported = result.stdout.trim().split('\n').pop() ?? '';
  let versions: ProbedVersions;
  try {
    versions = JSON.parse(reported) as ProbedVersions;
  } catch {
    versions = { tensorflow: null, tfjs_node: null };
  }
  if (entry) rememberProbe(entry, versions);
  return loaded(binding, versions);
}

/** Available: records the library the probe's child loaded, as run.json shows it. */
function loaded(binding: string, versions: ProbedVersions): Availability {
  const { allocator, source } = tensorflowAllocator();
  library = { ...nativeLibrary(versions), thread_safe_binding: bindingThreadSafe(binding), cpu_allocator: allocator, cpu_allocator_source: source };
  return { available: true };
}
