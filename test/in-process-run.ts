/**
 * `run`'s sweep in-process, its rows saved as `run` saves them (results.csv and run.json,
 * by RunReport): for tests whose subject is the sweep and the rows it writes, without a
 * process, the calibration, the roofline, the memory roof and the report page that a
 * spawned `run` pays for before and after a few tiny configurations.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineConfigs, workloadSpecs } from '../src/bench/plan.js';
import { runSweep, type Measurement } from '../src/bench/sweep.js';
import type { WatchdogPolicy } from '../src/bench/watchdog.js';
import { ENGINES_BY_NAME, type EngineRegistry } from '../src/engines/index.js';
import type { Selection } from '../src/options.js';
import { readEnvironment } from '../src/environment/environment.js';
import { RunReport } from '../src/report/run-report.js';

/** How a run in-process is timed: `--time`, `--rounds` (which also gives every row every round). */
export interface InProcessRunOptions {
  readonly budgetMs: number;
  readonly rounds: number;
  readonly watchdog?: WatchdogPolicy;
}

/** Sweeps `selection`'s configurations (no overhead rows) on `engines`, and saves the rows, completed, in a new folder. */
export async function runInProcess(selection: Selection, engines: EngineRegistry, options: InProcessRunOptions): Promise<{ out: string; measurements: Measurement[] }> {
  const environment = readEnvironment();
  const runId = 'in-process';
  const context = { runId, host: environment.host, cpuModel: environment.cpu_model, logicalCpus: environment.logical_cpus, nodeVersion: environment.node_version };
  const measurements = await runSweep(selection, workloadSpecs(selection), engineConfigs(selection, ENGINES_BY_NAME, { overhead: false }), {
    context,
    engines,
    budgetMs: options.budgetMs,
    rounds: options.rounds,
    everyRound: true,
    ...(options.watchdog ? { watchdog: options.watchdog } : {}),
  });
  const out = mkdtempSync(join(tmpdir(), 'tb-in-process-'));
  const report = new RunReport(out, { run_id: runId, command: [], options: selection, environment, started_at: new Date().toISOString() }, () => new Date());
  report.save(measurements, 'completed');
  return { out, measurements };
}
