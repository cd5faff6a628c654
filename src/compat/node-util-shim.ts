/**
 * tfjs-node 4.22 (its last release) calls `util.isNullOrUndefined` and `util.isArray`,
 * legacy helpers that Node 23 removed; its ops then throw
 * "(0 , util_1.isNullOrUndefined) is not a function". The fix is merged upstream
 * (tensorflow/tfjs PR 8425) but unreleased (tensorflow/tfjs issue 8609). Delete this
 * module once a tfjs-node release carries the fix.
 *
 * The shim defines the two helpers on the `util` module only where they are missing. It
 * must run before tfjs-node is first required in each thread and process: `loadTfjs` and
 * `requireTfjsNode` (src/native/load-tfjs.ts) and `workerTfjsNode` (workers/kernels/tfjs-node.ts),
 * the only places tfjs-node is loaded, call it.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** The CommonJS `util` module object: the one tfjs-node's `require('util')` returns. */
const nodeUtil = require('node:util') as Record<string, unknown>;

const HELPERS: Readonly<Record<string, (value: unknown) => boolean>> = {
  isNullOrUndefined: (value) => value === null || value === undefined,
  isArray: (value) => Array.isArray(value),
};

/** What the shim defined on this process's `util`: once defined, they no longer look missing. */
const definedHere = new Set<string>();

/** The helpers tfjs-node needs that `util` lacks: empty on Node 22 and earlier. */
export function missingUtilHelpers(util: Record<string, unknown> = nodeUtil): string[] {
  return Object.keys(HELPERS).filter((name) => typeof util[name] !== 'function');
}

/** The helpers this Node lacks, whether or not the shim has defined them in this process yet. */
export function helpersShimmedOnThisNode(): string[] {
  return Object.keys(HELPERS).filter((name) => definedHere.has(name) || typeof nodeUtil[name] !== 'function');
}

/** Defines the missing helpers (and only those); returns their names. Idempotent. */
export function applyNodeUtilShim(util: Record<string, unknown> = nodeUtil): string[] {
  const missing = missingUtilHelpers(util);
  for (const name of missing) util[name] = HELPERS[name];
  if (util === nodeUtil) for (const name of missing) definedHere.add(name);
  return missing;
}
