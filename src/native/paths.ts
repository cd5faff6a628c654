/** Where the native backend's pieces live: the tfjs-node package, its binding, our cache. */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const TFJS_NODE_DIR = join(PROJECT_ROOT, 'node_modules', '@tensorflow', 'tfjs-node');

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

/** A cache shared by checkouts: an extracted TensorFlow wheel is over 1 GB. */
export function cacheDir(): string {
  return process.env['TRIPLET_BENCH_CACHE'] ?? join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'triplet-bench');
}
