/**
 * TensorFlow's start-up lines kept off the terminal where this process loads TensorFlow
 * itself: the workers' tfjs kernel, whose Piscina workers require tfjs-node.
 *
 * TensorFlow 2.21 prints "WARNING: All log messages before absl::InitializeLog() is called
 * are written to STDERR" and "I... port.cc:153] oneDNN custom operations are on ..." while
 * its library loads: absl writes them to fd 2 from the library's static initialisers,
 * before TensorFlow applies TF_CPP_MIN_LOG_LEVEL. Tried here: TF_CPP_MIN_LOG_LEVEL 0-3,
 * ABSL_MIN_LOG_LEVEL, GLOG_minloglevel, TF_CPP_VMODULE; only TF_ENABLE_ONEDNN_OPTS=0
 * silences them, and it changes the kernels being measured. The child processes (tfjs
 * hosts, roofline, baseline, probe) pipe their stderr to us, which drops those lines
 * (src/native/tensorflow-chatter.ts). In this process nothing can filter a native
 * library's writes to fd 2, and Node has no dup2; so, before anything else runs, the
 * library is loaded once with fd 2 parked on /dev/null: fd 2 closed and /dev/null opened,
 * which takes the lowest free descriptor, then the same for the original stderr, reopened
 * through /proc/self/fd. RTLD_NODELETE keeps the library loaded: the workers' tfjs-node
 * finds it there and its initialisers, which print, do not run again. What TensorFlow
 * reads from the environment it reads later, when a worker's tfjs-node starts it (checked:
 * the BFC allocator and TF_NUM_INTRAOP_THREADS set after this load still apply).
 *
 * Only where this is safe and of use: at the CLI's start (no other thread opens files yet,
 * so the lowest free descriptor is 2), stdin and stdout open, stderr a terminal, a pipe or
 * a file stdout does not share (reopened, it would have an offset of its own), not
 * --debug, and only for a command that may run the workers' tfjs kernel (run, verify,
 * train, unless their options leave it out), since the load takes a second or two. Not on
 * a socket (a Node parent's 'pipe', as in the tests' runCli): /proc cannot reopen one, so
 * the two lines reach it.
 */
import { closeSync, constants, existsSync, fstatSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bindingPath, tfjsNodeInstalled } from './paths.js';
import { SIMULATE_MISSING_ENV } from './probe.js';
import { TF_DEBUG_LOG_LEVEL, TF_QUIET_LOG_LEVEL } from './tf-environment.js';

/** dlopen(3) flags (glibc): resolve lazily, never unload. */
const RTLD_LAZY = 0x1;
const RTLD_NODELETE = 0x1000;

/** The libraries tfjs-node's binding links, in its deps/lib (its RUNPATH): the one built by setup-native, then the prebuilt's. */
const LIBRARY_NAMES = ['libtensorflow_cc.so.2', 'libtensorflow.so.2'];

/** The value of `--name` in argv (`--name v` or `--name=v`), or undefined. */
function optionValue(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === name) return argv[i + 1];
    if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
  }
  return undefined;
}

const listHas = (list: string | undefined, item: string) => list === undefined || list.split(',').map((s) => s.trim()).includes(item);

/** Whether the command `argv` runs may load TensorFlow in this process (the workers' tfjs kernel). */
export function mayLoadTensorflowHere(argv: readonly string[]): boolean {
  if (argv.some((arg) => arg === '-h' || arg === '--help' || arg === '-V' || arg === '--version')) return false;
  const command = argv.find((arg) => !arg.startsWith('-'));
  if (command === 'run' || command === 'verify') return listHas(optionValue(argv, '--engines'), 'workers') && listHas(optionValue(argv, '--kernels'), 'tfjs');
  // train steps the workers engine; its default kernel is wasm or js.
  if (command === 'train') return optionValue(argv, '--kernel') === 'tfjs';
  return false;
}

/** The TensorFlow library tfjs-node's binding would load, or undefined. */
function tensorflowLibrary(): string | undefined {
  if (process.env[SIMULATE_MISSING_ENV] || !tfjsNodeInstalled()) return undefined;
  let binding: string;
  try {
    binding = bindingPath();
  } catch {
    return undefined;
  }
  const libDir = join(dirname(binding), '..', '..', 'deps', 'lib');
  return LIBRARY_NAMES.map((name) => join(libDir, name)).find((path) => existsSync(path));
}

/**
 * How stderr is reopened: O_APPEND, so a file goes on at its end, not at 0; O_NONBLOCK, so
 * a pipe nobody reads any more refuses (ENXIO) instead of blocking the open.
 */
const REOPEN = constants.O_WRONLY | constants.O_APPEND | constants.O_NOCTTY | constants.O_NONBLOCK;

const isOpen = (fd: number) => {
  try {
    fstatSync(fd);
    return true;
  } catch {
    return false;
  }
};

/**
 * Sets TensorFlow's log level for this process, the threads and the children it starts
 * (src/native/tf-environment.ts; with --debug, everything TensorFlow logs), and loads its
 * library with fd 2 on /dev/null where that is safe (above). Call first thing in the CLI,
 * before any output, thread or asynchronous file work. Returns whether it loaded it.
 */
export function startTensorflowQuietly(argv: readonly string[]): boolean {
  const debug = argv.includes('--debug');
  process.env['TF_CPP_MIN_LOG_LEVEL'] ??= debug ? TF_DEBUG_LOG_LEVEL : TF_QUIET_LOG_LEVEL;
  if (debug || !mayLoadTensorflowHere(argv)) return false;
  if (!isOpen(0) || !isOpen(1) || !isOpen(2)) return false;
  const stderr = fstatSync(2);
  const stdout = fstatSync(1);
  // A file that stdout also writes (>log 2>&1): a reopened stderr would append past stdout's offset, which would then overwrite it.
  const fileShared = stderr.isFile() && stdout.dev === stderr.dev && stdout.ino === stderr.ino;
  if (!(stderr.isCharacterDevice() || stderr.isFIFO() || stderr.isFile()) || fileShared) return false;
  const library = tensorflowLibrary();
  if (library === undefined) return false;
  let saved: number;
  try {
    saved = openSync('/proc/self/fd/2', REOPEN);
  } catch {
    return false;
  }
  closeSync(2);
  // fd 2: 0 and 1 are open and no other thread opens files yet.
  const parked = openSync('/dev/null', constants.O_WRONLY);
  try {
    process.dlopen({ exports: {} }, library, RTLD_LAZY | RTLD_NODELETE);
  } catch {
    // "Module did not self-register": a library, not an addon; it stays loaded. Or it does not load: tfjs-node will say why.
  }
  closeSync(parked);
  try {
    openSync(`/proc/self/fd/${saved}`, REOPEN);
  } catch {
    // Its reader went away meanwhile: fd 2 must still be taken, or the next file opened would become stderr.
    openSync('/dev/null', constants.O_WRONLY);
  }
  closeSync(saved);
  return true;
}
