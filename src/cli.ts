/**
 * The command line: `triplet-bench <command>`. Bad input prints one line naming the
 * option or file and exits 2; a failed check exits 1; stack traces only with --debug.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Command, CommanderError } from 'commander';
import { registerVerify } from './commands/verify.js';
import { registerRun } from './commands/run.js';
import { registerTrain } from './commands/train.js';
import { registerDoctor } from './commands/doctor.js';
import { registerSetupNative } from './commands/setup-native.js';
import { registerReport } from './commands/report.js';
import { registerCompare } from './commands/compare.js';
import { registerBaseline } from './commands/baseline.js';
import { ENGINES_BY_NAME } from './engines/index.js';
import { claimRunFolder } from './files/claim-out.js';
import { PACKAGE_ROOT } from './layout.js';
import { prepareOutputDir } from './files/output-dir.js';
import { REPORT_EXPORTERS, TRAIN_PAGE_EXPORTERS } from './report/exporters.js';
import { errorMessage, UsageError } from './errors.js';
import { abandonedSessions } from './bench/watchdog.js';
import type { Harness } from './harness.js';
import { guardStandardStreams, stdoutFailureLine } from './console/output-guard.js';
import { startTensorflowQuietly } from './native/quiet-load.js';
import { endChildren } from './child-processes.js';
import { NonFiniteInputError } from './triplet/problem.js';

/** Exit codes of the CLI contract (docs/design.md, "The CSV contract"). */
export const ExitCode = { ok: 0, failedCheck: 1, badInput: 2 } as const;

/** Commander puts its suggestion on a second line; the contract is one line. */
function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, ' ');
}

/**
 * What the CLI runs with, where not the product's own: any part of the harness context
 * (tests inject failing engines, test/inject/, or a clock or output folders of their own).
 */
export type CliOptions = Partial<Harness>;

/**
 * The harness context of this command line: the product's engines, clocks, output folders
 * and page writers, each unless the caller gave its own (tests build theirs from it). With
 * src/engines/index.ts, the one place that names the product's registry; every command
 * gets its engines from here.
 */
export function harnessOf(options: CliOptions): Harness {
  return {
    ...options,
    engines: options.engines ?? ENGINES_BY_NAME,
    now: options.now ?? (() => performance.now()),
    date: options.date ?? (() => new Date()),
    files: options.files ?? { prepare: prepareOutputDir, claim: claimRunFolder },
    reports: options.reports ?? REPORT_EXPORTERS,
    trainPages: options.trainPages ?? TRAIN_PAGE_EXPORTERS,
  };
}

function buildProgram(harness: Harness): Command {
  const program = new Command()
    .name('triplet-bench')
    .description('How far Node worker threads carry the masked triplet-loss gradient, against TensorFlow\'s native backend.')
    .option('--debug', 'print stack traces of errors')
    .version(packageVersion(), '-V, --version', 'print the version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`triplet-bench: ${oneLine(text.replace(/^error: /, ''))}\n`) });
  registerRun(program, harness);
  registerVerify(program, harness);
  registerTrain(program, harness);
  registerReport(program, harness);
  registerCompare(program);
  registerBaseline(program);
  registerDoctor(program, harness);
  registerSetupNative(program);
  // Subcommands inherit the error handling, so their parse errors also exit 2.
  for (const command of program.commands) command.exitOverride().configureOutput(program.configureOutput());
  return program;
}

/** The version in package.json (the project's, or the bundle's: src/layout.ts). */
function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Threads stuck in native code that ignored terminate() keep the process alive, and Node's
 * own exit waits to join them (process.exit hangs too): once the command has written its
 * files, the process holding them is ended with SIGKILL, after a line saying why.
 */
function endIfAbandoned(): void {
  const stuck = abandonedSessions();
  if (stuck === 0) return;
  console.error(`triplet-bench: ${stuck} configuration${stuck === 1 ? '' : 's'} left threads stuck in native code that ignored terminate(); files are written; ending the process (SIGKILL)`);
  setTimeout(() => process.kill(process.pid, 'SIGKILL'), 200);
}

/**
 * `help bogus`: commander prints nothing and exits 0, so a script that asks for help on a
 * command it misspelt passes. Bad input like any other: one line, exit 2.
 */
function unknownHelpTopic(program: Command, words: readonly string[]): string | undefined {
  const [first, topic] = words;
  if (first !== 'help' || topic === undefined || topic.startsWith('-')) return undefined;
  const names = program.commands.map((command) => command.name());
  if (names.includes(topic) || topic === 'help') return undefined;
  return `help: unknown command '${topic}' (commands: ${names.join(', ')})`;
}

/** Runs the CLI on argv and resolves to the exit code. */
export async function main(argv: readonly string[], options: CliOptions = {}): Promise<number> {
  // First: it may move fd 2 for a moment (src/native/quiet-load.ts).
  startTensorflowQuietly(argv);
  guardStandardStreams();
  const program = buildProgram(harnessOf(options));
  const debug = argv.includes('--debug');
  if (argv.every((arg) => arg === '--debug')) {
    // No command is a usage error (a script calling us wrong must not pass): usage on stderr, exit 2.
    process.stderr.write(program.helpInformation());
    return ExitCode.badInput;
  }
  const unknownHelp = unknownHelpTopic(program, argv.filter((arg) => arg !== '--debug'));
  if (unknownHelp !== undefined) {
    console.error(`triplet-bench: ${unknownHelp}`);
    return ExitCode.badInput;
  }
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are "errors" to commander; everything else is bad input, already printed.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version') return ExitCode.ok;
      if (error.code === 'commander.executeSubCommandAsync') return ExitCode.ok;
      return ExitCode.badInput;
    }
    if (error instanceof UsageError || error instanceof NonFiniteInputError) {
      console.error(`triplet-bench: ${errorMessage(error)}`);
      if (debug) console.error(error);
      return ExitCode.badInput;
    }
    console.error(`triplet-bench: ${errorMessage(error)}${debug ? '' : ' (run with --debug for details)'}`);
    if (debug) console.error(error);
    return ExitCode.failedCheck;
  } finally {
    // No child the command started outlives it: a stalled tfjs host kept the process alive for good (src/child-processes.ts).
    await endChildren();
  }
  const code = typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  endIfAbandoned();
  // Output that never reached stdout fails the command (src/console/output-guard.ts has already said why).
  return code === ExitCode.ok && stdoutFailureLine() !== undefined ? ExitCode.failedCheck : code;
}
