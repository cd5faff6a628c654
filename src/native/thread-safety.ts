/**
 * tfjs-node 4.22's binding keeps one process-wide `std::set` of attribute names
 * (`ATTR_NAME_SET` in binding/tfjs_backend.cc) and inserts into it on every op it runs.
 * Each worker thread loads its own copy of the addon state (N-API instance data), but that
 * set is shared: two workers running ops at once corrupt it (double free, SIGSEGV, or an
 * op built with another op's attribute name). Nothing else in the binding is shared.
 *
 * Since we build the binding from source anyway (setup.ts), the build makes the set
 * `thread_local`, one per thread, and records that it did beside the addon. The workers'
 * tfjs kernel runs its shards in parallel only where that record matches the addon on
 * disk; elsewhere (a binding built by other means) it runs them one at a time under a lock.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const SHARED_SET = 'static std::set<std::string> ATTR_NAME_SET;';
const PER_THREAD_SET = 'static thread_local std::set<std::string> ATTR_NAME_SET;';
const MARKER_NAME = 'triplet-bench-thread-safe.json';

/** The binding source file the patch edits. */
export function backendSource(tfjsNodeDir: string): string {
  return join(tfjsNodeDir, 'binding', 'tfjs_backend.cc');
}

/**
 * Makes the attribute-name set per thread in the binding's source, before a build.
 * Returns false when the source is not the one this patch knows (another tfjs-node version).
 */
export function patchBindingSource(tfjsNodeDir: string): boolean {
  const file = backendSource(tfjsNodeDir);
  if (!existsSync(file)) return false;
  const source = readFileSync(file, 'utf8');
  if (source.includes(PER_THREAD_SET)) return true;
  if (!source.includes(SHARED_SET)) return false;
  writeFileSync(file, source.replace(SHARED_SET, PER_THREAD_SET));
  return true;
}

interface Marker {
  readonly patch: string;
  readonly bindingBytes: number;
  readonly bindingMtimeMs: number;
}

function markerPath(binding: string): string {
  return join(dirname(binding), MARKER_NAME);
}

/** Records, beside a binding just built from the patched source, that it is thread-safe. */
export function markThreadSafe(binding: string): void {
  const stat = statSync(binding);
  const marker: Marker = { patch: PER_THREAD_SET, bindingBytes: stat.size, bindingMtimeMs: stat.mtimeMs };
  writeFileSync(markerPath(binding), `${JSON.stringify(marker, null, 2)}\n`);
}

/** Whether this binding was built from the patched source (its record matches the file). */
export function bindingThreadSafe(binding: string): boolean {
  try {
    const marker = JSON.parse(readFileSync(markerPath(binding), 'utf8')) as Partial<Marker>;
    const stat = statSync(binding);
    return marker.patch === PER_THREAD_SET && marker.bindingBytes === stat.size && marker.bindingMtimeMs === stat.mtimeMs;
  } catch {
    return false;
  }
}
