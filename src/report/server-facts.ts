/**
 * The topology and native library of a run.json environment in words, one fact per line:
 * what the report's environment table shows and what `compare` checks between two runs.
 * Reads untyped JSON (any run.json, old ones without these fields included): a fact a
 * run does not have is undefined, never a guess. One exception: TensorFlow's allocator,
 * which moved tfjs-node's times by 10-20 % when this tool began to set it, reads "not
 * recorded" in a run that loaded TensorFlow before then, so `compare` shows the change.
 * Words for records alone: what recorded them is src/environment/, and doctor says the
 * same facts of this machine with these words.
 */

/**
 * The variable that picks TensorFlow's CPU allocator, by name (TF_BFC_ENV of
 * src/native/tf-environment.ts, which sets it; test/tf-environment.test.ts holds the two
 * equal): the report names it without loading the code that starts TensorFlow.
 */
const TF_BFC_VARIABLE = 'TF_CPU_ALLOCATOR_USE_BFC';

type Env = Readonly<Record<string, unknown>>;

const record = (value: unknown): Env | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Env) : undefined);
const KIB = 1024;

function bytesText(value: unknown): string | undefined {
  if (typeof value !== 'number') return undefined;
  return value >= KIB * KIB ? `${+(value / KIB / KIB).toFixed(1)} MiB` : `${+(value / KIB).toFixed(1)} KiB`;
}

function topologyOf(env: Env): Env | undefined {
  return record(env['topology']);
}

/** Facts in display order: name and how each is read from a run.json environment. */
export const SERVER_FACTS: readonly (readonly [string, (env: Env) => string | undefined])[] = [
  ['sockets', (env) => numberText(topologyOf(env)?.['sockets'])],
  [
    'thread counts',
    (env) => {
      const counts = record(env['cpu_counts']);
      const physical = counts?.['physical'];
      const logical = counts?.['logical'];
      if (typeof physical !== 'number' || typeof logical !== 'number') return undefined;
      return logical > physical
        ? `T=${physical} is the physical cores, T=${logical} the logical CPUs (SMT: above ${physical}, threads share cores)`
        : `T=${physical} is every core (no SMT); above it, threads share cores`;
    },
  ],
  [
    'physical cores',
    (env) => {
      const topology = topologyOf(env);
      const cores = topology?.['physical_cores'];
      const perCore = topology?.['threads_per_core'];
      if (typeof cores !== 'number') return undefined;
      return typeof perCore === 'number' && perCore > 1 ? `${cores} (${perCore} SMT threads each: ${cores * perCore} logical)` : `${cores} (no SMT)`;
    },
  ],
  [
    'NUMA nodes',
    (env) => {
      const nodes = topologyOf(env)?.['numa_nodes'];
      if (!Array.isArray(nodes) || nodes.length === 0) return undefined;
      return nodes.map((node) => `node ${record(node)?.['node']}: CPUs ${record(node)?.['cpus']}`).join('; ');
    },
  ],
  [
    'caches',
    (env) => {
      const caches = record(topologyOf(env)?.['cache_bytes']);
      if (!caches) return undefined;
      const parts = (['l1d', 'l2', 'l3'] as const).map((level) => [level, bytesText(caches[level])] as const).filter(([, text]) => text !== undefined);
      return parts.length === 0 ? undefined : parts.map(([level, text]) => `${level.toUpperCase()} ${text}`).join(', ');
    },
  ],
  [
    'vector extensions',
    (env) => {
      const extensions = topologyOf(env)?.['vector_extensions'];
      return Array.isArray(extensions) ? extensions.join(' ') || 'none of interest' : undefined;
    },
  ],
  [
    'frequency governor',
    (env) => {
      const governors = topologyOf(env)?.['governors'];
      if (!Array.isArray(governors)) return undefined;
      return governors.length === 0 ? 'not readable' : governors.join(', ');
    },
  ],
  [
    'boost',
    (env) => {
      const topology = topologyOf(env);
      if (!topology) return undefined;
      const boost = topology['boost'];
      return boost === true ? 'on' : boost === false ? 'off' : 'not readable';
    },
  ],
  [
    'TensorFlow (tfjs-node)',
    (env) => {
      if (!('native_library' in env)) return undefined;
      const library = record(env['native_library']);
      if (library) return `${library['tensorflow'] ?? 'version not reported'} (tfjs-node ${library['tfjs_node'] ?? '?'})`;
      // Runs since native_unavailable say why: on a fleet's page, each node's reason.
      const unavailable = record(env['native_unavailable']);
      return unavailable ? `unavailable: ${String(unavailable['reason'])}${unavailable['fix'] ? `; fix: ${String(unavailable['fix'])}` : ''}` : 'not loaded';
    },
  ],
  [
    'oneDNN',
    (env) => {
      const library = record(env['native_library']);
      if (!library) return undefined;
      const on = library['onednn'];
      return `${on === true ? 'on' : on === false ? 'off' : 'unknown'} (${library['onednn_source']})`;
    },
  ],
  [
    'tfjs kernel shards',
    (env) => {
      const library = record(env['native_library']);
      if (!library || !('thread_safe_binding' in library)) return undefined;
      return tfjsKernelShardsText(library['thread_safe_binding'] === true);
    },
  ],
  [
    'TensorFlow allocator',
    (env) => {
      const library = record(env['native_library']);
      if (!library) return undefined;
      // Runs before the allocator was recorded did not set it: TensorFlow's default, unless the user had.
      if (!('cpu_allocator' in library)) return `not recorded (TensorFlow's default unless ${TF_BFC_VARIABLE} was set)`;
      return allocatorText(library['cpu_allocator'], library['cpu_allocator_source']);
    },
  ],
  ['wasm kernel build', (env) => stringText(record(env['runtime_paths'])?.['wasm_simd'], 'none (kernel unavailable)')],
];

function numberText(value: unknown): string | undefined {
  return typeof value === 'number' ? String(value) : undefined;
}

function stringText(value: unknown, ifNull: string): string | undefined {
  if (value === null) return ifNull;
  return typeof value === 'string' ? value : undefined;
}

/**
 * The facts that differ between two environments, "name: base -> current". A fact
 * either run lacks (an older run.json) is not compared.
 */
export function serverDifferences(base: Env, current: Env): string[] {
  // The oneDNN and allocator texts say where the state came from: compare the state alone.
  const comparable = (name: string, text: string) => (name === 'oneDNN' || name === 'TensorFlow allocator' ? text.replace(/ \(.*$/, '') : text);
  return SERVER_FACTS.flatMap(([name, read]) => {
    const before = read(base);
    const after = read(current);
    if (before === undefined || after === undefined || comparable(name, before) === comparable(name, after)) return [];
    return [`${name}: ${before} -> ${after}`];
  });
}

/** How the workers' tfjs kernel runs its shards, given the binding (src/native/thread-safety.ts). */
export function tfjsKernelShardsText(threadSafeBinding: boolean): string {
  return threadSafeBinding
    ? 'in parallel (binding built thread-safe by setup-native)'
    : 'one at a time (binding not thread-safe: npx triplet-bench setup-native --force)';
}

/** The allocator in words, for doctor and the report's server table. */
export function allocatorText(allocator: unknown, source: unknown): string {
  return `${allocator === 'bfc' ? 'BFC' : 'default'} (${String(source)})`;
}
