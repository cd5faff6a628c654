/**
 * `triplet-bench run`: the thread-count sweep timed with tinybench, written to
 * results.csv and run.json after every configuration, and report.html at the end.
 * Ctrl-C (or SIGTERM) stops after the configuration in flight, keeps every finished row,
 * draws the page from them and exits 130 (143); a second one exits at once.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { plannedCount, trimFilter } from '../bench/fraction-plan.js';
import { engineConfigs, workloadSpecs } from '../bench/plan.js';
import { PROFILE_NAMES, PROFILES, type ProfileName } from '../bench/profiles.js';
import { runSweep, type Measurement, type RunContext } from '../bench/sweep.js';
import type { EngineRegistry } from '../engines/index.js';
import { loadData } from '../data/source.js';
import { runLifecycle } from './lifecycle.js';
import type { WatchdogPolicy } from '../bench/watchdog.js';
import { selectionMismatchWarnings } from '../checks/quiet-mismatches.js';
import { addSelectionOptions, checkLabelColumn, integerOption, memoryAllowance, numberOption, resolveSelection, type RawSelection, type Selection } from '../options.js';
import { readEnvironment } from '../report/environment.js';
import { calibrate, estimateLine, expectedSweepMs } from '../bench/estimate.js';
import { createProgress } from '../report/progress.js';
import { configurationLabel } from '../report/html/labels.js';
import { REPORT_FILE, writeReportHtml } from '../report/html/write.js';
import { prepareOutputDir, RunReport } from '../report/run-report.js';
import { claimRunFolder } from '../files/claim-out.js';
import { uniqueRunId } from '../files/run-id.js';
import { summaryText } from '../report/summary.js';
import { measureRoofline } from '../roofline/measure.js';
import { rooflineLine } from '../roofline/describe.js';
import type { Roofline } from '../roofline/types.js';
import { formatBytes, rooflineMemory, type MemoryAllowance } from '../memory.js';
import { nativeAvailability } from '../native/probe.js';
import type { Shape } from '../triplet/problem.js';
import { BREAK_EVEN_FILE, writeBreakEvenCsv } from '../report/breakeven-csv.js';
import { verdictText } from '../report/verdict.js';
import { noisyRowsWarning } from '../report/noisy-rows.js';
import type { ResultRow } from '../bench/rows.js';
import { DEFAULT_MAX_INTERFERENCE_CORES, interferenceWarnings, type InterferencePolicy } from '../bench/interference.js';

interface RunOptions extends RawSelection {
  profile: ProfileName;
  time?: number;
  rounds?: number;
  out?: string;
  force?: boolean;
  json?: boolean;
  progress: boolean;
  maxInterference: number;
  waitQuiet: number;
}

const parseRounds = integerOption('--rounds', 1, 100, 'a whole number of passes');
const parseTime = integerOption('--time', 10, 3_600_000, 'milliseconds per configuration');
const parseMaxInterference = numberOption('--max-interference', (v) => (v >= 0 ? undefined : 'a share of a core >= 0 (0.25: a quarter core)'));
// Bounded: a machine that never quiets down must not stall the sweep for more than an hour per window.
const parseWaitQuiet = numberOption('--wait-quiet', (v) => (v >= 0 && v <= 3600 ? undefined : 'seconds from 0 to 3600'));

/** Warnings known before the sweep starts: oversubscription, unavailable engines. */
function upfrontWarnings(selection: Selection, engines: EngineRegistry, given: RawSelection): string[] {
  const warnings: string[] = selectionMismatchWarnings(given, selection);
  const logical = availableParallelism();
  const over = selection.threads.filter((t) => t > logical);
  if (over.length > 0) {
    warnings.push(`--threads ${over.join(',')} exceeds the ${logical} CPUs available: those rows measure oversubscription; drop them for scaling figures`);
  }
  for (const name of selection.engines) {
    const engine = engines[name];
    for (const kernel of engine.kernels) {
      const availability = engine.availability(kernel);
      if (!availability.available) warnings.push(`${name}/${kernel} skipped: ${availability.reason}; fix: ${availability.fix}`);
    }
  }
  return warnings;
}

/** The end-of-run warnings about timings, labelled as on the page (with several --active values, engine and threads alone repeat). */
function timingWarnings(rows: readonly ResultRow[]): string[] {
  const noisy = noisyRowsWarning(rows, configurationLabel);
  return [...(noisy ? [noisy] : []), ...interferenceWarnings(rows, configurationLabel)];
}


/** The roofline, unless its children would hold more than the allowance: then why it was not measured. */
async function rooflineWithinMemory(shapes: readonly Shape[], threadCounts: readonly number[], allowance: MemoryAllowance): Promise<Roofline> {
  const need = nativeAvailability().available ? rooflineMemory(threadCounts, process.memoryUsage.rss()) : 0;
  if (need <= allowance.bytes) return measureRoofline(shapes, threadCounts);
  const widest = Math.max(...threadCounts);
  return {
    measured: false,
    reason: `its tfjs-node children for --threads up to ${widest} would need ${formatBytes(need)}, more than the ${formatBytes(allowance.bytes)} allowed (${allowance.source}); raise --max-memory or lower --threads to measure it`,
  };
}

async function runCommand(opts: RunOptions, engines: EngineRegistry, watchdog?: WatchdogPolicy): Promise<void> {
  const profile = PROFILES[opts.profile];
  // Bad data is reported before anything is written.
  checkLabelColumn(opts.data, opts.labelColumn);
  const data = await loadData(opts.data, opts.labelColumn, memoryAllowance(opts.maxMemory));
  const selection = resolveSelection(opts, profile, data?.dIn, data?.features.byteLength);
  const budgetMs = opts.time ?? profile.timeMs;
  const rounds = opts.rounds ?? profile.rounds;
  const interference: InterferencePolicy = { maxCores: opts.maxInterference, waitQuietS: opts.waitQuiet };
  const started = new Date();
  const runId = uniqueRunId(started);
  const outDir = prepareOutputDir(opts.out ?? join('reports', runId));
  const lock = claimRunFolder(outDir, runId, started, { force: opts.force ?? false, what: `--out ${opts.out ?? outDir}` });

  const environment = readEnvironment();
  const context: RunContext = {
    runId,
    host: environment.host,
    cpuModel: environment.cpu_model,
    logicalCpus: environment.logical_cpus,
    nodeVersion: environment.node_version,
  };
  const report = new RunReport(outDir, {
    run_id: runId,
    command: process.argv.slice(2),
    options: { ...selection, profile: opts.profile, time_ms: budgetMs, rounds, out: outDir, max_interference_cores: interference.maxCores, wait_quiet_s: interference.waitQuietS },
    environment,
    started_at: started.toISOString(),
  });
  const specs = workloadSpecs(selection);
  const configs = engineConfigs(selection, { overhead: true });
  // The profile trims only what the user left to it: the break-even subjects at every fraction, the rest at one.
  const include = trimFilter(profile.trim, { fractions: opts.active !== undefined || opts.margin !== undefined, formulations: opts.formulations !== undefined, strategies: opts.strategies !== undefined });
  const planned = plannedCount(specs, configs, include);
  let measurements: readonly Measurement[] = [];
  report.save(measurements, 'running');

  const progress = createProgress(planned * rounds, opts.progress);
  for (const warning of upfrontWarnings(selection, engines, opts)) {
    report.warn(warning);
    progress.log(`warning: ${warning}`);
  }
  progress.log(`triplet-bench run ${runId}: ${planned} configurations x ${rounds} rounds of ~${budgetMs} ms, reports in ${outDir}`);
  const calibration = await calibrate(configs, selection.reduction, selection.seed);
  progress.log(estimateLine(expectedSweepMs(specs, configs, { rounds, budgetMs, logicalCpus: environment.logical_cpus }, calibration, include), planned, rounds, calibration));

  let rows: ResultRow[] = [];
  await runLifecycle({
    // First signal: abandon the configuration in flight, save, exit 128+n. Second: exit now.
    onFirstSignal: (signal) => progress.log(`${signal}: stopping the configuration in flight; reports keep every finished one (again to quit at once)`),
    onSecondSignal: () => report.save(measurements, 'interrupted'),
    work: async (signal) => {
      // The roofline first, on an idle machine: this run's GEMM speed at each thread count.
      const roofline = await rooflineWithinMemory(specs.map((spec) => spec.shape), [...new Set(configs.map((config) => config.threads))], selection.memory);
      report.setRoofline(roofline);
      progress.log(rooflineLine(roofline));
      await runSweep(selection, specs, configs, {
        context,
        engines,
        ...(watchdog ? { watchdog } : {}),
        budgetMs,
        rounds,
        signal,
        data,
        interference,
        ...(include ? { include } : {}),
        hooks: {
          onWorkload: (spec) => progress.log(`workload B=${spec.shape.batch} ${spec.shape.dIn}x${spec.shape.dOut} ${'margin' in spec.choice ? `margin ${spec.choice.margin}` : `active ${spec.choice.activeFraction}`}: building batch and reference`),
          onWait: (line) => progress.log(line),
          onStart: (config, spec) => progress.start(config, `B=${spec.shape.batch} ${spec.shape.dIn}x${spec.shape.dOut}`),
          onMeasured: (measurement, all) => {
            measurements = all;
            rows = report.save(measurements, 'running');
            progress.done(measurement);
          },
        },
      });
    },
    save: async (_, status) => {
      for (const warning of timingWarnings(measurements.map((m) => m.row))) report.warn(warning);
      // The status is written last: a disk that fills up on the break-even file or the
      // page leaves run.json saying "running", which the failure path turns into "failed".
      rows = report.rowsOf(measurements);
      writeBreakEvenCsv(outDir, rows);
      // Drawn once: rendering after every configuration would steal CPU from the timing windows.
      await writeReportHtml(outDir, { sources: [report.source(rows, status)], generatedAt: new Date().toISOString() });
      rows = report.save(measurements, status);
    },
    saveFailed: async (error) => {
      const saved = report.saveFailed(measurements, error, (line) => progress.log(line));
      try {
        writeBreakEvenCsv(outDir, saved);
      } catch {
        // A full disk: saveFailed already said what could not be written.
      }
      // The page of a failed run still shows what was measured.
      await writeReportHtml(outDir, { sources: [report.source(saved, 'failed')], generatedAt: new Date().toISOString() });
    },
    release: () => {
      progress.stop();
      lock.release();
    },
    print: () => {
      if (opts.json) console.log(JSON.stringify(rows, null, 2));
      else console.log(`\n${summaryText(rows)}\n\n${verdictText(rows)}`);
      for (const warning of timingWarnings(rows)) console.error(`warning: ${warning}`);
      console.error(`\nresults: ${report.csvPath}\nrun:     ${report.jsonPath}\nreport:  ${join(outDir, REPORT_FILE)}\nbreak-even: ${join(outDir, BREAK_EVEN_FILE)}`);
    },
  });
}

/** Registers `run` on the program; its sweep opens configurations with `engines`. */
export function registerRun(program: Command, engines: EngineRegistry, watchdog?: WatchdogPolicy): void {
  const command = program
    .command('run')
    .description('time every selected configuration with tinybench and write results.csv, run.json and report.html');
  addSelectionOptions(command)
    .addOption(new Option('--profile <name>', 'quick (about 3 min on 2 cores) or full (more batches, dims, active fractions)').choices(PROFILE_NAMES).default('quick'))
    .option('--time <ms>', 'time budget of each timing window, ms (default: the profile\'s)', parseTime)
    .option('--rounds <n>', 'passes over the configurations, each reshuffled; a row pools its windows (default: the profile\'s)', parseRounds)
    .option('--out <dir>', 'output folder (default: reports/<time>-<host>-<pid>-<random>)')
    .option('--force', 'let --out replace the files of an earlier run')
    .option('--json', 'print the rows as JSON on stdout')
    .option('--no-progress', 'no progress bar or per-configuration lines')
    .option('--max-interference <cores>', 'flag a row when other processes kept more than this many cores busy during one of its windows', parseMaxInterference, DEFAULT_MAX_INTERFERENCE_CORES)
    .option('--wait-quiet <seconds>', 'before each window, wait up to this long for other processes to fall below --max-interference (0: do not wait)', parseWaitQuiet, 0)
    .action((opts: RunOptions) => runCommand(opts, engines, watchdog));
}
