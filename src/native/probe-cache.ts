/**
 * The native probe's passing outcome, remembered per binding in a folder the user names
 * (TRIPLET_BENCH_PROBE_CACHE), so that many commands in a row (a fleet script, the test
 * suite: scripts/test.mjs) pay the second of loading tfjs-node in a child once, not once
 * each. Unset, nothing is remembered and every process probes (src/native/probe.ts).
 *
 * An outcome is found again only for the very same files: the binding, the libraries under
 * tfjs-node's deps/lib that it loads, the probe's own child, and the Node that ran it, each
 * by path, size, modification time and inode, and the variables that steer the dynamic
 * loader. Rebuilding, reinstalling or upgrading any of them misses the cache and probes
 * again; a failed probe is never remembered, so a broken install is always reported.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../files/atomic.js';
import type { ProbedVersions } from '../environment/native-library.js';

/** The folder where passing probes are remembered; unset, none is. */
export const PROBE_CACHE_ENV = 'TRIPLET_BENCH_PROBE_CACHE';

/** Loader variables that can make the same binding load or fail. */
const LOADER_VARIABLES = ['LD_LIBRARY_PATH', 'LD_PRELOAD', 'DYLD_LIBRARY_PATH'] as const;

/** What identifies one file: a rebuilt or replaced file differs in at least one of these. */
function identity(path: string): string {
  try {
    const stat = statSync(path);
    return `${path}:${stat.size}:${stat.mtimeMs}:${stat.ino}`;
  } catch {
    return `${path}:absent`;
  }
}

/** The libraries beside tfjs-node's binding that it loads at start (deps/lib), or none. */
function libraries(tfjsNodeDir: string): string[] {
  const lib = join(tfjsNodeDir, 'deps', 'lib');
  try {
    return readdirSync(lib).sort().map((name) => join(lib, name));
  } catch {
    return [];
  }
}

/** The cache file of one probe: a hash of every file and variable its outcome rests on. */
function entryFile(folder: string, binding: string, tfjsNodeDir: string, probeFile: string): string {
  const files = [binding, ...libraries(tfjsNodeDir), probeFile, process.execPath];
  const variables = LOADER_VARIABLES.map((name) => `${name}=${process.env[name] ?? ''}`);
  const key = [...files.map(identity), ...variables, process.version, process.arch].join('\n');
  return join(folder, `native-probe-${createHash('sha256').update(key).digest('hex').slice(0, 32)}.json`);
}

/** Where this probe's outcome would be kept: undefined when no folder is named. */
export function probeCacheEntry(binding: string, tfjsNodeDir: string, probeFile: string): string | undefined {
  const folder = process.env[PROBE_CACHE_ENV];
  return folder ? entryFile(folder, binding, tfjsNodeDir, probeFile) : undefined;
}

/** The versions a passing probe of these very files reported, if one was remembered. */
export function rememberedProbe(entry: string): ProbedVersions | undefined {
  try {
    const versions = JSON.parse(readFileSync(entry, 'utf8')) as Partial<ProbedVersions>;
    return 'tensorflow' in versions && 'tfjs_node' in versions ? (versions as ProbedVersions) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Remembers a passing probe's versions. Best effort: a folder that cannot be written costs
 * the next command its probe, nothing else.
 */
export function rememberProbe(entry: string, versions: ProbedVersions): void {
  try {
    mkdirSync(join(entry, '..'), { recursive: true });
    writeFileAtomic(entry, `${JSON.stringify(versions)}\n`);
  } catch {
    // Unwritable: the next command probes again.
  }
}
