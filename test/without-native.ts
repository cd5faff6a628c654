/**
 * Commands whose subject is not the native backend, run without the native probe: every
 * `run` and `verify` process probes tfjs-node in a child that loads it (src/native/probe.ts),
 * about a CPU-second, even where it steps the workers' js kernel only. The product's own
 * TRIPLET_BENCH_NO_NATIVE says tfjs-node is missing instead; a command that needs it
 * (a tfjs-node engine, the roofline, the workers' tfjs kernel) must not run so.
 */
import { SIMULATE_MISSING_ENV } from '../src/native/probe.js';
import { startCli } from './helpers.js';

/** The environment that skips the probe (for runCli, cliServer). */
export const WITHOUT_NATIVE: NodeJS.ProcessEnv = { [SIMULATE_MISSING_ENV]: '1' };

/** startCli (helpers.ts) without the native probe: it spawns with this process's environment, so that is set for the call. */
export function startCliWithoutNative(...args: Parameters<typeof startCli>): ReturnType<typeof startCli> {
  const before = process.env[SIMULATE_MISSING_ENV];
  process.env[SIMULATE_MISSING_ENV] = '1';
  try {
    return startCli(...args);
  } finally {
    if (before === undefined) delete process.env[SIMULATE_MISSING_ENV];
    else process.env[SIMULATE_MISSING_ENV] = before;
  }
}
