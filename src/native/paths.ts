/** Where the native backend's pieces live: the tfjs-node package, its binding, our cache. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT } from '../layout.js';

const require = createRequire(import.meta.url);

/**
 * The tfjs-node package folder as Node resolves it from here: the project's node_modules,
 * an installing project's (npm hoists it above an installed triplet-bench), or, for the
 * bundle, a node_modules above the bundle folder or on NODE_PATH. Where none is found,
 * the place a checkout would have it, so messages name a real path.
 */
export const TFJS_NODE_DIR = locateTfjsNode();

function locateTfjsNode(): string {
  try {
    return dirname(require.resolve('@tensorflow/tfjs-node/package.json'));
  } catch {
    return join(PACKAGE_ROOT, 'node_modules', '@tensorflow', 'tfjs-node');
  }
}

/** The compiled addon tfjs-node loads (lib/napi-v<N>/tfjs_binding.node). */
export function bindingPath(): string {
  const pkg = JSON.parse(readFileSync(join(TFJS_NODE_DIR, 'package.json'), 'utf8')) as {
    binary: { module_path: string; module_name: string; napi_versions: number[] };
  };
  // node-pre-gyp builds for the highest N-API version both the package and this Node support.
  const nodeNapi = Number(process.versions.napi ?? 8);
  const napi = Math.max(...pkg.binary.napi_versions.filter((v) => v <= nodeNapi));
  const modulePath = pkg.binary.module_path.replace('{napi_build_version}', String(napi));
  return join(TFJS_NODE_DIR, modulePath, `${pkg.binary.module_name}.node`);
}

/** Whether the tfjs-node package is installed at all (npm drops it when its own install fails). */
export function tfjsNodeInstalled(): boolean {
  return existsSync(join(TFJS_NODE_DIR, 'package.json'));
}

/** Every node_modules/.bin from tfjs-node's folder up: where npm put node-pre-gyp and node-gyp. */
export function binFoldersAboveTfjsNode(): string[] {
  const folders: string[] = [];
  for (let dir = TFJS_NODE_DIR; dirname(dir) !== dir; dir = dirname(dir)) {
    const bin = join(dir, 'node_modules', '.bin');
    if (existsSync(bin)) folders.push(bin);
  }
  return folders;
}

/** A cache shared by checkouts: an extracted TensorFlow wheel is over 1 GB. */
export function cacheDir(): string {
  return process.env['TRIPLET_BENCH_CACHE'] ?? join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'triplet-bench');
}
