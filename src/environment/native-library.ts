/**
 * The TensorFlow library behind tfjs-node as the loaded library reports it, and whether
 * oneDNN is on. The C API has no call for oneDNN (its banner comes from graph passes that
 * tfjs-node's eager ops never run), so that answer is derived, and says how.
 */

/** What the native probe's child printed (src/native/probe-child.ts). */
export interface ProbedVersions {
  readonly tensorflow: string | null;
  readonly tfjs_node: string | null;
}

/** run.json's `native_library`. */
export interface NativeLibrary extends ProbedVersions {
  /** true on, false off, null unknown. */
  readonly onednn: boolean | null;
  /** How `onednn` was decided. */
  readonly onednn_source: string;
  /**
   * Whether the addon was built thread-safe (src/native/thread-safety.ts): the workers'
   * tfjs kernel then runs its shards in parallel, else one at a time.
   */
  readonly thread_safe_binding?: boolean;
  /** TensorFlow's CPU allocator in every process this tool starts (src/native/tf-environment.ts). */
  readonly cpu_allocator?: 'bfc' | 'default';
  readonly cpu_allocator_source?: string;
}

const ONEDNN_ENV = 'TF_ENABLE_ONEDNN_OPTS';

/**
 * TensorFlow reads TF_ENABLE_ONEDNN_OPTS when set; unset, its x86-64 Linux builds since
 * 2.9 have oneDNN on and other builds off.
 */
export function nativeLibrary(versions: ProbedVersions, env: NodeJS.ProcessEnv = process.env, arch = process.arch): NativeLibrary {
  const set = env[ONEDNN_ENV];
  if (set !== undefined && set !== '') {
    const on = !/^(0|false|off|no)$/i.test(set.trim());
    return { ...versions, onednn: on, onednn_source: `${ONEDNN_ENV}=${set}` };
  }
  const [major, minor] = (versions.tensorflow ?? '').split('.').map(Number);
  if (major === undefined || minor === undefined || !Number.isFinite(major) || !Number.isFinite(minor)) {
    return { ...versions, onednn: null, onednn_source: 'unknown: the library did not report its version' };
  }
  const defaultOn = arch === 'x64' && (major > 2 || (major === 2 && minor >= 9));
  return { ...versions, onednn: defaultOn, onednn_source: `TensorFlow ${versions.tensorflow}'s default on ${arch} (${ONEDNN_ENV} unset; the C API does not report it)` };
}
