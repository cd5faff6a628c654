/**
 * Finding a TensorFlow C library to build tfjs-node's binding against, in this order:
 * LIBTENSORFLOW_DIR (lib/ + include/), a TensorFlow installed for Python, a
 * tensorflow-cpu wheel that pip can download (README.md, "The native backend, offline").
 * Google's own libtensorflow download, which tfjs-node's install script tries, answers
 * 403 since August 2026.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './paths.js';

/** A TensorFlow C library: the two shared objects and the header tree. */
export interface TensorFlowLibrary {
  readonly origin: string;
  /** Exports the C API tfjs-node calls (TFE_*). */
  readonly ccLibrary: string;
  /** Exports the rest (TF_NewStatus, ...). */
  readonly frameworkLibrary: string;
  /** Holds tensorflow/c/c_api.h and the xla/ and tsl/ trees it includes. */
  readonly includeDir: string;
}

/** Why a source gave nothing, for the setup's report. */
export interface SourceMiss {
  readonly origin: string;
  readonly reason: string;
}

function firstExisting(dir: string, names: readonly string[]): string | undefined {
  return names.map((name) => join(dir, name)).find((path) => existsSync(path));
}

/** A folder laid out as libtensorflow (lib/, include/) or as a Python tensorflow package. */
export function libraryIn(dir: string, origin: string): TensorFlowLibrary | SourceMiss {
  const libDir = existsSync(join(dir, 'lib')) ? join(dir, 'lib') : dir;
  const includeDir = join(dir, 'include');
  const ccLibrary = firstExisting(libDir, ['libtensorflow_cc.so.2', 'libtensorflow.so.2', 'libtensorflow.so']);
  const frameworkLibrary = firstExisting(libDir, ['libtensorflow_framework.so.2', 'libtensorflow_framework.so']);
  if (!ccLibrary || !frameworkLibrary) return { origin, reason: `no libtensorflow(_cc).so.2 and libtensorflow_framework.so.2 in ${libDir}` };
  if (!existsSync(join(includeDir, 'tensorflow', 'c', 'c_api.h'))) return { origin, reason: `no tensorflow/c/c_api.h under ${includeDir}` };
  return { origin, ccLibrary, frameworkLibrary, includeDir };
}

/** LIBTENSORFLOW_DIR, when set. */
export function fromEnvironment(): TensorFlowLibrary | SourceMiss {
  const dir = process.env['LIBTENSORFLOW_DIR'];
  if (!dir) return { origin: 'LIBTENSORFLOW_DIR', reason: 'not set' };
  return libraryIn(dir, `LIBTENSORFLOW_DIR=${dir}`);
}

/** A TensorFlow installed for python3, found without importing it (which takes seconds). */
export function fromPython(): TensorFlowLibrary | SourceMiss {
  try {
    const script = "import importlib.util as u; s = u.find_spec('tensorflow'); print(s.submodule_search_locations[0] if s else '')";
    const dir = execFileSync('python3', ['-c', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 }).trim();
    if (!dir) return { origin: 'python3', reason: 'no tensorflow package installed for python3' };
    return libraryIn(dir, `python3 tensorflow at ${dir}`);
  } catch {
    return { origin: 'python3', reason: 'python3 not found' };
  }
}

/** Members of the wheel the build needs: the two libraries and the headers. */
const WHEEL_MEMBERS = ['tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2', 'tensorflow/include/'];

/** Downloads the tensorflow-cpu wheel with pip (once) and extracts what the build needs. */
export function fromPipWheel(log: (line: string) => void): TensorFlowLibrary | SourceMiss {
  const origin = 'pip download tensorflow-cpu';
  const wheels = join(cacheDir(), 'wheels');
  mkdirSync(wheels, { recursive: true });
  const findWheel = () => readdirSync(wheels).filter((f) => /^tensorflow_cpu-.*\.whl$/.test(f)).sort().at(-1);
  if (!findWheel()) {
    log(`downloading the tensorflow-cpu wheel with pip into ${wheels} (about 270 MB)`);
    try {
      execFileSync('python3', ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', 'tensorflow-cpu', '-d', wheels], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 900_000 });
    } catch (error) {
      const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim().split('\n').at(-1) ?? '';
      return { origin, reason: `pip could not download tensorflow-cpu${stderr ? `: ${stderr}` : ''}` };
    }
  }
  const wheel = findWheel();
  if (!wheel) return { origin, reason: `pip left no tensorflow_cpu wheel in ${wheels}` };
  const target = join(cacheDir(), wheel.replace(/\.whl$/, ''));
  if (!existsSync(join(target, 'tensorflow', 'libtensorflow_cc.so.2'))) {
    log(`extracting the library and headers from ${wheel} into ${target}`);
    const partial = `${target}.partial`;
    rmSync(partial, { recursive: true, force: true });
    // A wheel is a zip; python3's zipfile is there wherever pip is.
    const script = [
      'import sys, zipfile',
      'z = zipfile.ZipFile(sys.argv[1])',
      'wanted = sys.argv[3:]',
      'z.extractall(sys.argv[2], [n for n in z.namelist() if any(n == w or (w.endswith("/") and n.startswith(w)) for w in wanted)])',
    ].join('\n');
    try {
      execFileSync('python3', ['-c', script, join(wheels, wheel), partial, ...WHEEL_MEMBERS], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 900_000 });
    } catch (error) {
      return { origin, reason: `could not extract ${wheel}: ${String((error as { stderr?: Buffer }).stderr ?? error).trim().split('\n').at(-1)}` };
    }
    rmSync(target, { recursive: true, force: true });
    renameSync(partial, target);
  }
  return libraryIn(join(target, 'tensorflow'), `${origin} (${wheel})`);
}

/** Whether a source gave a library. */
export function isLibrary(found: TensorFlowLibrary | SourceMiss): found is TensorFlowLibrary {
  return 'ccLibrary' in found;
}
