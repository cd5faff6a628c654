/**
 * Builds tfjs-node's binding against a TensorFlow C library found locally (README.md,
 * "The native backend, offline"): the headers and libraries are linked into the package's deps/ under the names the
 * addon records, then node-pre-gyp builds it from source.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fromEnvironment, fromPipWheel, fromPython, isLibrary, libraryIn, type SourceMiss, type TensorFlowLibrary } from './sources.js';
import { binFoldersAboveTfjsNode, bindingPath, TFJS_NODE_DIR, tfjsNodeInstalled } from './paths.js';
import { bindingThreadSafe, markThreadSafe, patchBindingSource } from './thread-safety.js';

/** How a setup ended. */
export type SetupResult =
  | { readonly ok: true; readonly binding: string; readonly library?: TensorFlowLibrary; readonly alreadyBuilt: boolean; readonly threadSafe: boolean }
  | { readonly ok: false; readonly reason: string; readonly misses: readonly SourceMiss[] };

/** The library a setup would use: --from first, then the sources in order. */
export function locateLibrary(from: string | undefined, log: (line: string) => void): { library?: TensorFlowLibrary; misses: SourceMiss[] } {
  const misses: SourceMiss[] = [];
  const sources = from !== undefined ? [() => libraryIn(from, `--from ${from}`)] : [fromEnvironment, fromPython, () => fromPipWheel(log)];
  for (const source of sources) {
    const found = source();
    if (isLibrary(found)) return { library: found, misses };
    misses.push(found);
  }
  return { misses };
}

/** Links the library into deps/ under every name the build and the addon's rpath look for. */
function linkDeps(library: TensorFlowLibrary): void {
  const deps = join(TFJS_NODE_DIR, 'deps');
  rmSync(deps, { recursive: true, force: true });
  mkdirSync(join(deps, 'lib'), { recursive: true });
  symlinkSync(library.includeDir, join(deps, 'include'));
  const links: Record<string, string> = {
    'libtensorflow.so': library.ccLibrary,
    'libtensorflow_cc.so.2': library.ccLibrary,
    'libtensorflow.so.2': library.ccLibrary,
    // tfjs-node's install script takes this file as "libtensorflow is here".
    'libtensorflow.so.2.9.1': library.ccLibrary,
    'libtensorflow_framework.so': library.frameworkLibrary,
    'libtensorflow_framework.so.2': library.frameworkLibrary,
  };
  for (const [name, target] of Object.entries(links)) symlinkSync(target, join(deps, 'lib', name));
}

/**
 * Builds the addon from its source, made safe across worker threads first where the
 * source is the one thread-safety.ts knows; records that it is.
 */
function buildBinding(log: (line: string) => void): boolean {
  const patched = patchBindingSource(TFJS_NODE_DIR);
  if (!patched) log('this tfjs-node binding source is not the one the thread-safety patch knows: the workers\' tfjs kernel will run its shards one at a time');
  const env = { ...process.env };
  env['PATH'] = [...binFoldersAboveTfjsNode(), env['PATH'] ?? ''].join(delimiter);
  // Without a nodedir, node-gyp downloads Node's headers, which these machines cannot.
  if (!env['npm_config_nodedir'] && existsSync('/usr/include/node/node.h')) env['npm_config_nodedir'] = '/usr';
  log('building the tfjs-node binding with node-gyp (about 30 s)');
  execFileSync('node-pre-gyp', ['install', '--build-from-source'], { cwd: TFJS_NODE_DIR, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 900_000 });
  const binding = bindingPath();
  if (patched && existsSync(binding)) markThreadSafe(binding);
  return patched;
}

/** Whether deps/ holds the links an earlier setup made, so the addon can be rebuilt as it is. */
function depsLinked(): boolean {
  return existsSync(join(TFJS_NODE_DIR, 'deps', 'lib', 'libtensorflow.so'));
}

function build(binding: string, library: TensorFlowLibrary | undefined, misses: SourceMiss[], log: (line: string) => void): SetupResult {
  let threadSafe: boolean;
  try {
    threadSafe = buildBinding(log);
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? error).trim().split('\n').slice(-3).join(' | ');
    return { ok: false, reason: `building the binding failed: ${stderr}`, misses };
  }
  if (!existsSync(binding)) return { ok: false, reason: `the build left no ${binding}`, misses };
  return { ok: true, binding, ...(library ? { library } : {}), alreadyBuilt: false, threadSafe };
}

/** Makes the native backend loadable, or says why it could not. */
export function setupNative(options: { from?: string; force?: boolean; log: (line: string) => void }): SetupResult {
  const { log } = options;
  if (!tfjsNodeInstalled()) {
    return { ok: false, reason: '@tensorflow/tfjs-node is not installed (npm drops an optional package whose install failed)', misses: [] };
  }
  const binding = bindingPath();
  if (existsSync(binding) && !options.force && options.from === undefined) {
    if (bindingThreadSafe(binding)) return { ok: true, binding, alreadyBuilt: true, threadSafe: true };
    // An addon built before the thread-safety patch: rebuild it against the same deps/.
    if (!depsLinked()) return { ok: true, binding, alreadyBuilt: true, threadSafe: false };
    log('rebuilding the binding so that worker threads can run TensorFlow at once');
    return build(binding, undefined, [], log);
  }
  const { library, misses } = locateLibrary(options.from, log);
  if (!library) return { ok: false, reason: 'no TensorFlow C library found', misses };
  log(`using TensorFlow from ${library.origin}`);
  linkDeps(library);
  return build(binding, library, misses, log);
}
