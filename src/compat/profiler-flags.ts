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

/** The profiler's flags; the last three take a value, as `--flag=value` or as the next argument. */
const PROFILER_FLAG = /^--cpu-prof(?:$|=)|^--cpu-prof-(dir|name|interval)(=|$)/;

/**
 * The execArgv for a worker thread or child process that may run TensorFlow: `execArgv`
 * without the CPU profiler's flags, or undefined (inherit, Node's default) when it has none.
 */
export function tfExecArgv(execArgv: readonly string[] = process.execArgv): string[] | undefined {
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

let noted = false;

function noteOnce(): void {
  if (noted) return;
  noted = true;
  process.stderr.write('note: --cpu-prof profiles this process\'s main thread only: tfjs-node aborts under Node\'s CPU profiler, so the threads and processes that run TensorFlow start without it\n');
}
