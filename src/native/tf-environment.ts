/**
 * The process environment every TensorFlow this tool starts gets: the engine's hosts, the
 * workers' tfjs kernel, the roofline's GEMM children and the baseline programs. One
 * statement, so the two sides of a comparison run with the same settings.
 *
 * - TF_NUM_INTRAOP_THREADS: the configuration's thread count; TF_NUM_INTEROP_THREADS 1
 *   (eager ops run one at a time from JavaScript).
 * - TF_CPU_ALLOCATOR_USE_BFC=true unless the user set it: TensorFlow's default CPU allocator
 *   takes every tensor from malloc, and a step's U, V (B x D_in each) and products are
 *   large enough that malloc returns them to the kernel and takes them back page by page,
 *   every step. Measured (B = 4096, 512x128, fused compact, one thread): ~2100 page faults
 *   a step with the default allocator, ~300 with BFC, which keeps the memory it grew to;
 *   the tfjs-node engine's dense step at T=1 51.0 -> 40.9 ms, the workers' compact step at
 *   T=2 20.7 -> 18.0 ms (medians of alternating runs: README, "TensorFlow's allocator").
 *   The baseline programs run with it too, so the engine is still checked against plain
 *   programs with the same setting. The cost: BFC keeps the memory it grew to until its
 *   process ends (TensorFlow caps it at 64 GiB; TF_CPU_BFC_MEM_LIMIT_IN_MB changes that). A
 *   tfjs host ends with its configuration; the workers' tfjs kernel shares one allocator in
 *   this process, which so holds its largest configuration's tensors to the end of the run.
 */

import { tfExecArgv } from '../compat/profiler-flags.js';

/**
 * TF_CPP_MIN_LOG_LEVEL unless the user set one: errors only (no INFO or WARNING lines on the
 * terminal); with --debug, all (src/native/quiet-load.ts sets it at the CLI's start). The
 * lines TensorFlow prints while its library loads ignore it: src/native/quiet-load.ts.
 */
export const TF_QUIET_LOG_LEVEL = '2';
export const TF_DEBUG_LOG_LEVEL = '0';

/** TensorFlow reads this once, at its first allocation (ProcessState::GetCPUAllocator). */
export const TF_BFC_ENV = 'TF_CPU_ALLOCATOR_USE_BFC';

/** The variables a TensorFlow with `intraOpThreads` threads is started with. */
export function tensorflowEnvironment(intraOpThreads: number, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const bfc = env[TF_BFC_ENV];
  return {
    TF_NUM_INTRAOP_THREADS: String(intraOpThreads),
    TF_NUM_INTEROP_THREADS: '1',
    TF_CPP_MIN_LOG_LEVEL: env['TF_CPP_MIN_LOG_LEVEL'] ?? TF_QUIET_LOG_LEVEL,
    [TF_BFC_ENV]: bfc === undefined || bfc === '' ? 'true' : bfc,
  };
}

/**
 * fork() options for a child process that runs TensorFlow on `intraOpThreads` threads: this
 * environment, and Node's flags without the CPU profiler's (src/compat/profiler-flags.ts).
 */
export function tensorflowChildOptions(intraOpThreads: number): { env: NodeJS.ProcessEnv; execArgv?: string[] } {
  const execArgv = tfExecArgv();
  return { env: { ...process.env, ...tensorflowEnvironment(intraOpThreads) }, ...(execArgv ? { execArgv } : {}) };
}

/** Which CPU allocator TensorFlow uses under `env` as this tool completes it, and why. */
export interface TensorflowAllocator {
  readonly allocator: 'bfc' | 'default';
  readonly source: string;
}

/** TensorFlow's reading of the variable: true/1 and false/0, any case; anything else leaves its default. */
export function tensorflowAllocator(env: NodeJS.ProcessEnv = process.env): TensorflowAllocator {
  const set = env[TF_BFC_ENV];
  if (set === undefined || set === '') return { allocator: 'bfc', source: `${TF_BFC_ENV}=true, set by triplet-bench` };
  // Compared as TensorFlow does: lower-cased, not trimmed.
  const value = set.toLowerCase();
  if (value === 'true' || value === '1') return { allocator: 'bfc', source: `${TF_BFC_ENV}=${set}, from the environment` };
  if (value === 'false' || value === '0') return { allocator: 'default', source: `${TF_BFC_ENV}=${set}, from the environment` };
  return { allocator: 'default', source: `${TF_BFC_ENV}=${set}, from the environment: not true, false, 1 or 0, so TensorFlow keeps its default` };
}
