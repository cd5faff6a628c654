/**
 * tfjs-node does not survive Node's CPU profiler: under `--cpu-prof`, a plain program that
 * runs 300 matMuls of 512x512 on its main thread aborts with glibc's "corrupted size vs.
 * prev_size" (3 of 3 tries, with the libtensorflow 2.21 setup-native installs; never without
 * the flag), and so do worker threads that run TensorFlow ops. Node hands its flags to
 * every worker thread and forked child by default, so the threads and processes that run
 * TensorFlow (the workers engine's pool, the tfjs hosts, the roofline's and the baseline's
 * children) start without the profiler's flags: `--cpu-prof` then profiles the main process,
 * which never runs a TensorFlow op itself.
 */

import { Worker } from 'node:worker_threads';

/** The profiler's flags; the last three take a value, as `--flag=value` or as the next argument. */
const PROFILER_FLAG = /^--cpu-prof(?:$|=)|^--cpu-prof-(dir|name|interval)(=|$)/;

/**
 * The flag that turns the profiler on. Its options alone do nothing, and Node 24's test
 * runner gives every test process the default of every option, `--cpu-prof-interval=1000`
 * among them: that is no profiling, and no reason to change any thread's flags.
 */
const PROFILER_ON = /^--cpu-prof(?:$|=)/;

/** The start of the error Node throws for flags a Worker refuses; the flags follow, joined by ", ". */
const INVALID_WORKER_FLAGS = 'Initiated Worker with invalid execArgv flags: ';

/**
 * The execArgv for a worker thread or child process that may run TensorFlow: `execArgv`
 * without the CPU profiler's flags, or undefined (inherit, Node's default) when `--cpu-prof`
 * itself is not among them.
 */
export function tfExecArgv(execArgv: readonly string[] = process.execArgv): string[] | undefined {
  if (!execArgv.some((flag) => PROFILER_ON.test(flag))) return undefined;
  const kept: string[] = [];
  let dropped = false;
  for (let i = 0; i < execArgv.length; i++) {
    const match = PROFILER_FLAG.exec(execArgv[i]!);
    if (!match) {
      kept.push(execArgv[i]!);
      continue;
    }
    dropped = true;
    // `--cpu-prof-dir DIR`: its value is the next argument.
    if (match[1] !== undefined && match[2] === '') i++;
  }
  if (!dropped) return undefined;
  noteOnce();
  return kept;
}

/**
 * tfExecArgv for a worker thread. A Worker inherits only its parent's per-thread options,
 * but refuses, with ERR_WORKER_INVALID_EXEC_ARGV, any process-wide or V8 option it is given
 * explicitly (`--max-old-space-size`, `--stack-trace-limit`): so those are dropped too. Node
 * names the refused flags only in that error's message, so a probe Worker is built with the
 * flags and the message read back; a probe that is accepted runs an empty script and is
 * terminated. This runs only under the profiler.
 */
export function tfWorkerExecArgv(execArgv: readonly string[] = process.execArgv): string[] | undefined {
  let flags = tfExecArgv(execArgv);
  if (flags === undefined) return undefined;
  // A refused flag whose value came as the next argument leaves that value behind: probe again.
  for (let probe = 0; probe < 3; probe++) {
    const refused = refusedByWorker(flags);
    if (refused.size === 0) return flags;
    flags = flags.filter((flag) => !refused.has(flag));
  }
  return [];
}

function refusedByWorker(flags: readonly string[]): Set<string> {
  try {
    const probe = new Worker('', { eval: true, execArgv: [...flags] });
    probe.unref();
    void probe.terminate();
    return new Set();
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if ((error as { code?: unknown }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV' || !message.startsWith(INVALID_WORKER_FLAGS)) throw error;
    const refused = new Set(message.slice(INVALID_WORKER_FLAGS.length).split(', '));
    // Unreadable (a flag Node spelt differently): refuse them all, the profiler's are gone either way.
    return flags.some((flag) => refused.has(flag)) ? refused : new Set(flags);
  }
}

let noted = false;

function noteOnce(): void {
  if (noted) return;
  noted = true;
  process.stderr.write('note: --cpu-prof profiles this process\'s main thread only: tfjs-node aborts under Node\'s CPU profiler, so the threads and processes that run TensorFlow start without it\n');
}
