/**
 * The test entry point: `triplet-bench` with one more option, `--inject-fault
 * KIND[@MATCH]`, that runs the sweep on engines failing on purpose (engines.ts) so tests
 * can prove a real process survives them. Same exit codes and output as bin/triplet-bench.js.
 * Its other options shorten the watchdog, hold a run before its final save, or spare a
 * run the seconds of measuring the machine (--unmeasured-machine).
 *
 * Run: node dist/test/inject/cli.js run ... --inject-fault worker-exit@workers/js/fused/dense/T2
 */
import { main } from '../../src/cli.js';
import { errorMessage } from '../../src/errors.js';
import { testEntryOptions } from './entry-options.js';

try {
  const { rest, options } = testEntryOptions(process.argv.slice(2));
  process.exitCode = await main(rest, options);
} catch (error) {
  console.error(`triplet-bench (test entry): ${errorMessage(error)}`);
  process.exitCode = 2;
}
