/**
 * The test entry's options (cli.ts), read off a command line:
 * - `--inject-fault KIND[@MATCH]`: engines failing on purpose (engines.ts);
 * - `--watchdog-ms`, `--warmup-ms`: shorter deadlines;
 * - `--hold-after-work`: a run held before its final save;
 * - `--unmeasured-machine`: stand-ins for the machine's figures (`--unmeasured-roofs`: for
 *   the roofline and the memory roof only, the calibration kept; `--roofline-only`: for
 *   the calibration and the memory roof, the roofline measured);
 * - `--scripted-steps`: the workers engine's steps take scripted times on a fake clock
 *   (scripted-engine.ts);
 * - `--first-window-ms`: a short window for the first configuration a child times;
 * - `--undrawn-page`: report.html and train.html stand-ins of two lines (undrawn-page.ts).
 * Shared by the test entry and the in-process runners (cli-batch.ts, cli-server.ts), so a
 * command line means the same in a process of its own and in theirs.
 */
import type { CliOptions } from '../../src/cli.js';
import type { MachineFigures } from '../../src/harness.js';
import { calibrate } from '../../src/bench/estimate.js';
import { rooflineWithinMemory } from '../../src/commands/run.js';
import { DEFAULT_WATCHDOG, type WatchdogPolicy } from '../../src/bench/watchdog.js';
import { STOP_SIGNALS } from '../../src/interrupts.js';
import { faultyEngines } from './engines.js';
import { FakeClock, scriptedRegistry } from './scripted-engine.js';
import { ENGINES_BY_NAME, type EngineRegistry } from '../../src/engines/index.js';
import type { Engine, EngineSession } from '../../src/engines/engine.js';
import { HOLD_LINE, parseFault, type FaultInjection } from './faults.js';
import { UNDRAWN_PAGE_REPORTS, UNDRAWN_TRAIN_PAGES } from './undrawn-page.js';

const OPTION = '--inject-fault';
/** Shortens the watchdog's step and close deadlines to this many ms (the warm-up keeps its own). */
const WATCHDOG_OPTION = '--watchdog-ms';
/** Shortens the watchdog's warm-up deadline (opening a pool or a tfjs host) to this many ms. */
const WARMUP_OPTION = '--warmup-ms';
/**
 * Holds `run` between the end of its work and its final save, after a line saying so,
 * until a stop signal or for HOLD_MS: a test sends its signal then, in the ending, on demand.
 */
const HOLD_OPTION = '--hold-after-work';
const HOLD_MS = 60_000;
/**
 * `run` skips measuring the machine (calibration, roofline, memory roof: seconds per run)
 * and records both roofs as not measured, for tests whose subject is elsewhere.
 */
const UNMEASURED_OPTION = '--unmeasured-machine';
const UNMEASURED = `skipped by the test entry's ${UNMEASURED_OPTION}`;
export const UNMEASURED_MACHINE: MachineFigures = {
  calibrate: async () => ({ referenceNsPerFlop: 1, poolOpenMs: null, hostOpenMs: null }),
  roofline: async () => ({ measured: false, reason: UNMEASURED }),
  memoryRoof: async () => ({ measured: false, reason: UNMEASURED }),
};


/** argv less `OPTION MS`, and the milliseconds it gave. */
function takeMs(argv: readonly string[], option: string): { rest: string[]; ms: number | undefined } {
  const at = argv.indexOf(option);
  if (at < 0) return { rest: [...argv], ms: undefined };
  const ms = Number(argv[at + 1]);
  if (!(ms > 0)) throw new Error(`${option} expects milliseconds`);
  return { rest: [...argv.slice(0, at), ...argv.slice(at + 2)], ms };
}

/** argv less `--watchdog-ms MS` and `--warmup-ms MS`, and the policy they make. */
function takeWatchdog(argv: readonly string[]): { rest: string[]; watchdog: WatchdogPolicy | undefined } {
  const step = takeMs(argv, WATCHDOG_OPTION);
  const warmUp = takeMs(step.rest, WARMUP_OPTION);
  if (step.ms === undefined && warmUp.ms === undefined) return { rest: warmUp.rest, watchdog: undefined };
  return {
    rest: warmUp.rest,
    watchdog: { ...DEFAULT_WATCHDOG, ...(step.ms !== undefined ? { minStepMs: step.ms, closeMs: step.ms } : {}), ...(warmUp.ms !== undefined ? { warmUpMs: warmUp.ms } : {}) },
  };
}

/** argv less `--hold-after-work`, and the hold it asks for. */
function takeHold(argv: readonly string[]): { rest: string[]; afterWork: (() => Promise<void>) | undefined } {
  const at = argv.indexOf(HOLD_OPTION);
  if (at < 0) return { rest: [...argv], afterWork: undefined };
  // Until a signal comes (the product's listeners act on it too), or HOLD_MS.
  const afterWork = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(end, HOLD_MS);
      function end() {
        clearTimeout(timer);
        for (const signal of STOP_SIGNALS) process.off(signal, end);
        resolve();
      }
      for (const signal of STOP_SIGNALS) process.on(signal, end);
      process.stderr.write(`${HOLD_LINE}\n`);
    });
  return { rest: [...argv.slice(0, at), ...argv.slice(at + 1)], afterWork };
}

/** argv less `--unmeasured-machine`, and the stand-ins it asks for. */
/**
 * `run` keeps its calibration (and so its estimate line) but skips the roofline and the
 * memory roof, recorded as not measured: for a test of the estimate, whose roofs are
 * seconds more (a tfjs-node GEMM child per thread count, bandwidth threads).
 */
const UNMEASURED_ROOFS_OPTION = '--unmeasured-roofs';
const UNMEASURED_ROOFS = `skipped by the test entry's ${UNMEASURED_ROOFS_OPTION}`;
const UNMEASURED_ROOFS_MACHINE: MachineFigures = {
  calibrate,
  roofline: async () => ({ measured: false, reason: UNMEASURED_ROOFS }),
  memoryRoof: async () => ({ measured: false, reason: UNMEASURED_ROOFS }),
};

/**
 * `run` measures the roofline only, as run does (rooflineWithinMemory: its tfjs-node GEMM
 * children started as a run starts them, after the check that they fit in --max-memory,
 * which thread-memory.test.ts tests), the calibration and the memory roof stood in for:
 * for a test of what the roofline's children do (print, inherit flags).
 */
const ROOFLINE_ONLY_OPTION = '--roofline-only';
const ROOFLINE_ONLY = `skipped by the test entry's ${ROOFLINE_ONLY_OPTION}`;
const ROOFLINE_ONLY_MACHINE: MachineFigures = {
  calibrate: UNMEASURED_MACHINE.calibrate,
  roofline: rooflineWithinMemory,
  memoryRoof: async () => ({ measured: false, reason: ROOFLINE_ONLY }),
};

/** argv less `--unmeasured-machine`, `--unmeasured-roofs` or `--roofline-only`, and the stand-ins it asks for. */
function takeUnmeasured(argv: readonly string[]): { rest: string[]; machine: MachineFigures | undefined } {
  const choices = [[UNMEASURED_OPTION, UNMEASURED_MACHINE], [UNMEASURED_ROOFS_OPTION, UNMEASURED_ROOFS_MACHINE], [ROOFLINE_ONLY_OPTION, ROOFLINE_ONLY_MACHINE]] as const;
  for (const [option, machine] of choices) {
    const at = argv.indexOf(option);
    if (at >= 0) return { rest: [...argv.slice(0, at), ...argv.slice(at + 1)], machine };
  }
  return { rest: [...argv], machine: undefined };
}

/** argv less `--inject-fault VALUE`, and the injection it named. */
function takeInjection(argv: readonly string[]): { rest: string[]; injection: FaultInjection | undefined } {
  const at = argv.indexOf(OPTION);
  if (at < 0) return { rest: [...argv], injection: undefined };
  const raw = argv[at + 1];
  if (raw === undefined) throw new Error(`${OPTION} expects KIND[@MATCH]`);
  return { rest: [...argv.slice(0, at), ...argv.slice(at + 2)], injection: parseFault(raw) };
}

/**
 * `run` on the workers engine whose every step takes a scripted time on a fake clock, the
 * run's clock: the sweep's windows, warm-ups, rounds, rows and files as on real kernels, at
 * no cost and the same every time (scripted-engine.ts: each step returns the reference's
 * gradient). SPEC: a step's ms for every kernel (`100`), or per kernel (`js=100,empty=0.1`),
 * a bare figure for the kernels not named.
 */
const SCRIPTED_OPTION = '--scripted-steps';

/** The step time of each kernel SPEC names (`undefined`: the bare figure, for the rest). */
function parseScript(raw: string): Map<string | undefined, number> {
  const times = new Map<string | undefined, number>();
  for (const part of raw.split(',')) {
    const [kernel, ms] = part.includes('=') ? part.split('=') : [undefined, part];
    const value = Number(ms);
    if (!(value > 0)) throw new Error(`${SCRIPTED_OPTION} expects MS or KERNEL=MS,..., got '${raw}'`);
    times.set(kernel, value);
  }
  return times;
}

/** argv less `--scripted-steps SPEC`, and the scripted engines and the fake clock it asks for. */
function takeScripted(argv: readonly string[]): { rest: string[]; scripted: { engines: EngineRegistry; now: () => number } | undefined } {
  const at = argv.indexOf(SCRIPTED_OPTION);
  if (at < 0) return { rest: [...argv], scripted: undefined };
  const raw = argv[at + 1];
  if (raw === undefined) throw new Error(`${SCRIPTED_OPTION} expects MS or KERNEL=MS,...`);
  const times = parseScript(raw);
  const clock = new FakeClock();
  const { workers } = scriptedRegistry(clock, (config) => {
    const ms = times.get(config.kernel) ?? times.get(undefined);
    if (ms === undefined) throw new Error(`${SCRIPTED_OPTION} ${raw} gives the ${config.kernel} kernel no step time`);
    return ms;
  });
  // The registry alone: the record of opens it carries besides is not an engine.
  return { rest: [...argv.slice(0, at), ...argv.slice(at + 2)], scripted: { engines: { ...ENGINES_BY_NAME, workers }, now: clock.now } };
}

/**
 * The first configuration opened times its windows on this many ms instead of --time,
 * where a child process times them (a tfjs host's `time`): a test that signals a run in
 * the second configuration's long window does not wait out as long a first one.
 */
const FIRST_WINDOW_OPTION = '--first-window-ms';

/** `engines`, the first session opened of any that times its own windows timing them on `ms`. */
function shortFirstWindow(engines: EngineRegistry, ms: number): EngineRegistry {
  let shortened = false;
  const wrap = (engine: Engine): Engine => ({
    ...engine,
    async open(workload, config): Promise<EngineSession> {
      const session = await engine.open(workload, config);
      const time = session.time?.bind(session);
      if (shortened || !time) return session;
      shortened = true;
      return {
        step: () => session.step(),
        time: (options) => time({ ...options, budgetMs: ms }),
        setWeights: (weights) => session.setWeights(weights),
        ...(session.profilePhases ? { profilePhases: (steps: number) => session.profilePhases!(steps) } : {}),
        close: () => session.close(),
      };
    },
  });
  return Object.fromEntries(Object.entries(engines).map(([name, engine]) => [name, wrap(engine)])) as EngineRegistry;
}

/** `run`, `report` and `train` write their page's stand-in (undrawn-page.ts) for tests whose subject is not the page. */
const UNDRAWN_PAGE_OPTION = '--undrawn-page';

/** argv less `flag`, and whether it was there. */
function takeFlag(argv: readonly string[], flag: string): { rest: string[]; given: boolean } {
  const at = argv.indexOf(flag);
  return at < 0 ? { rest: [...argv], given: false } : { rest: [...argv.slice(0, at), ...argv.slice(at + 1)], given: true };
}

/** argv less the test entry's options, and the CLI options they ask for. */
export function testEntryOptions(argv: readonly string[]): { rest: string[]; options: CliOptions } {
  const { rest: args, watchdog } = takeWatchdog(argv);
  const { rest: unheld, afterWork } = takeHold(args);
  const { rest: measured, machine } = takeUnmeasured(unheld);
  const { rest: unscripted, scripted } = takeScripted(measured);
  const { rest: injected, injection } = takeInjection(unscripted);
  const { rest: windowed, ms: firstWindowMs } = takeMs(injected, FIRST_WINDOW_OPTION);
  const { rest, given: undrawnPage } = takeFlag(windowed, UNDRAWN_PAGE_OPTION);
  if (scripted && injection) throw new Error(`${SCRIPTED_OPTION} and ${OPTION} each replace the engines: one at a time`);
  let engines = injection ? faultyEngines(injection) : scripted?.engines;
  if (firstWindowMs !== undefined) engines = shortFirstWindow(engines ?? ENGINES_BY_NAME, firstWindowMs);
  return {
    rest,
    options: {
      ...(engines ? { engines } : {}),
      ...(scripted ? { now: scripted.now } : {}),
      ...(watchdog ? { watchdog } : {}),
      ...(afterWork ? { afterWork } : {}),
      ...(machine ? { machine } : {}),
      ...(undrawnPage ? { reports: UNDRAWN_PAGE_REPORTS, trainPages: UNDRAWN_TRAIN_PAGES } : {}),
    },
  };
}
