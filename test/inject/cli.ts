/**
 * The test entry point: `triplet-bench` with one more option, `--inject-fault
 * KIND[@MATCH]`, that runs the sweep on engines failing on purpose (engines.ts) so tests
 * can prove a real process survives them. Same exit codes and output as bin/triplet-bench.js.
 *
 * Run: node dist/test/inject/cli.js run ... --inject-fault worker-exit@workers/js/fused/dense/T2
 */
import { main } from '../../src/cli.js';
import { errorMessage } from '../../src/errors.js';
import { DEFAULT_WATCHDOG, type WatchdogPolicy } from '../../src/bench/watchdog.js';
import { faultyEngines } from './engines.js';
import { parseFault, type FaultInjection } from './faults.js';

const OPTION = '--inject-fault';
/** Shortens the watchdog's step and close deadlines to this many ms (the warm-up keeps its own). */
const WATCHDOG_OPTION = '--watchdog-ms';

/** argv less `--watchdog-ms MS`, and the policy it makes. */
function takeWatchdog(argv: readonly string[]): { rest: string[]; watchdog: WatchdogPolicy | undefined } {
  const at = argv.indexOf(WATCHDOG_OPTION);
  if (at < 0) return { rest: [...argv], watchdog: undefined };
  const ms = Number(argv[at + 1]);
  if (!(ms > 0)) throw new Error(`${WATCHDOG_OPTION} expects milliseconds`);
  return { rest: [...argv.slice(0, at), ...argv.slice(at + 2)], watchdog: { ...DEFAULT_WATCHDOG, minStepMs: ms, closeMs: ms } };
}

/** argv less `--inject-fault VALUE`, and the injection it named. */
function takeInjection(argv: readonly string[]): { rest: string[]; injection: FaultInjection | undefined } {
  const at = argv.indexOf(OPTION);
  if (at < 0) return { rest: [...argv], injection: undefined };
  const raw = argv[at + 1];
  if (raw === undefined) throw new Error(`${OPTION} expects KIND[@MATCH]`);
  return { rest: [...argv.slice(0, at), ...argv.slice(at + 2)], injection: parseFault(raw) };
}

try {
  const { rest: args, watchdog } = takeWatchdog(process.argv.slice(2));
  const { rest, injection } = takeInjection(args);
  process.exitCode = await main(rest, { ...(injection ? { engines: faultyEngines(injection) } : {}), ...(watchdog ? { watchdog } : {}) });
} catch (error) {
  console.error(`triplet-bench (test entry): ${errorMessage(error)}`);
  process.exitCode = 2;
}
