/**
 * `triplet-bench run`: the thread-count sweep timed with tinybench, written to
 * results.csv and run.json after every configuration, and report.html at the end.
 * Ctrl-C (or SIGTERM) stops after the configuration in flight, keeps every finished row,
 * draws the page from them and exits 130 (143); a second one exits at once.
 */
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { plannedCount, trimFilter, type ConfigFilter } from '../bench/fraction-plan.js';
import { defaultScaling, engineConfigs, runsOn, SCALINGS, workloadSpecs, type Scaling, type WorkloadSpec } from '../bench/plan.js';
import { machineCpuCounts } from '../bench/thread-ladder.js';
import { PROFILE_NAMES, PROFILES, type ProfileName } from '../bench/profiles.js';
import { runSweep, type Measurement, type RunContext } from '../bench/sweep.js';
import type { EngineRegistry } from '../engines/index.js';
import type { Harness, MachineFigures } from '../harness.js';
import { loadData } from '../data/source.js';
import { runLifecycle, stoppedEarly, withStopSignals } from './lifecycle.js';
import type { StopOnSignal } from '../interrupts.js';
import { oversubscriptionWarning, selectionMismatchWarnings } from '../checks/quiet-mismatches.js';
import { addSelectionOptions, checkLabelColumn, checkMemory, integerOption, isCsvSource, memoryAllowance, numberOption, resolveSelection, type RawSelection, type Selection } from '../options.js';
import { readEnvironment } from '../environment/environment.js';
import { calibrate, estimateLine, expectedSweepMs, formatDuration } from '../bench/estimate.js';
import { leaveOut } from '../bench/left-out.js';
import { MAX_UNITS, type PrecisionPlan } from '../bench/precision.js';
import { createProgress } from '../console/progress.js';
import { configurationLabel } from '../report/html/labels.js';
import { RECORD_EXPORTERS, writeReports } from '../report/exporters.js';
import { fileLines } from '../report/exporter.js';
import { RunReport } from '../report/run-report.js';
import { RUN_OUTPUTS } from '../files/manifest.js';
import { uniqueRunId } from '../files/run-id.js';
import { summaryText } from '../console/summary.js';
import { unitMediansLookup } from '../report/html/sources.js';
import { measureRoofline } from '../roofline/measure.js';
import { rooflineLine } from '../roofline/describe.js';
import { measureMemoryRoof, memoryRoofLine } from '../roofline/memory-roof.js';
import { arenaInputBytes } from '../model/bytes.js';
import type { Roofline } from '../roofline/types.js';
import { formatBytes, rooflineMemory, type MemoryAllowance } from '../memory.js';
import { nativeAvailability } from '../native/probe.js';
import type { Shape } from '../triplet/problem.js';
import { verdictText } from '../report/verdict.js';
import { noisyRowsWarning } from '../report/noisy-rows.js';
import type { ResultRow } from '../bench/rows.js';
import { DEFAULT_MAX_INTERFERENCE_CORES, type InterferencePolicy } from '../bench/interference.js';
import { interferenceWarnings } from '../report/interference-rows.js';

interface RunOptions extends RawSelection {
  profile: ProfileName;
  time?: number;
  rounds?: number;
  precision?: number;
  budget?: number;
  references?: boolean;
  scaling?: Scaling;
  out?: string;
  force?: boolean;
  json?: boolean;
  progress: boolean;
  maxInterference: number;
  waitQuiet: number;
}

const parseRounds = integerOption('--rounds', 1, 100, 'a whole number of passes');
const parseTime = integerOption('--time', 10, 3_600_000, 'milliseconds per configuration');
const parsePrecision = numberOption('--precision', (v) => (v > 0 && v <= 50 ? undefined : 'a percent above 0 and at most 50 (3: rows to +-3 %)'));
const parseBudget = numberOption('--budget', (v) => (v >= 1 && v <= 7 * 86_400 ? undefined : 'seconds from 1 to 604800'));
const parseMaxInterference = numberOption('--max-interference', (v) => (v >= 0 ? undefined : 'a share of a core >= 0 (0.25: a quarter core)'));
// Bounded: a machine that never quiets down must not stall the sweep for more than an hour per window.
const parseWaitQuiet = numberOption('--wait-quiet', (v) => (v >= 0 && v <= 3600 ? undefined : 'seconds from 0 to 3600'));

/** Warnings known before the sweep starts: oversubscription, unavailable engines. */
function upfrontWarnings(selection: Selection, engines: EngineRegistry, given: RawSelection): string[] {
  const over = oversubscriptionWarning(selection.threads);
  const warnings: string[] = [...selectionMismatchWarnings(given, selection, engines), ...(over ? [over] : [])];
  for (const name of selection.engines) {
    const engine = engines[name];
    // Only the kernels this run selected: `--kernels js` has no business with a missing tfjs.
    for (const kernel of engine.kernels.filter((k) => selection.kernels?.includes(k) ?? true)) {
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

/** The roofline, unless its children would hold more than the allowance: then why it was not measured. Exported for its test (test/thread-memory.test.ts). */
export async function rooflineWithinMemory(shapes: readonly Shape[], threadCounts: readonly number[], allowance: MemoryAllowance): Promise<Roofline> {
  const need = nativeAvailability().available ? rooflineMemory(threadCounts, process.memoryUsage.rss()) : 0;
  if (need <= allowance.bytes) return measureRoofline(shapes, threadCounts);
  const widest = Math.max(...threadCounts);
  return {
    measured: false,
    reason: `its tfjs-node children for --threads up to ${widest} would need ${formatBytes(need)}, more than the ${formatBytes(allowance.bytes)} allowed (${allowance.source}); raise --max-memory or lower --threads to measure it`,
  };
}

/**
 * What `run` measures of the machine before its sweep, the product's own: the estimate's
 * calibration, the roofline and the memory roof, several seconds together. A test whose
 * subject is not them injects stand-ins through the harness (test/inject/cli.ts,
 * --unmeasured-machine).
 */
const MEASURED_MACHINE: MachineFigures = { calibrate, roofline: rooflineWithinMemory, memoryRoof: measureMemoryRoof };

/** "B=4096 512x128", and its active fraction or margin when `choice`. */
function workloadLabel(spec: WorkloadSpec, choice: boolean): string {
  const shape = `B=${spec.shape.batch} ${spec.shape.dIn}x${spec.shape.dOut}`;
  if (!choice) return shape;
  return `${shape} ${'margin' in spec.choice ? `margin ${spec.choice.margin}` : `active ${spec.choice.activeFraction}`}`;
}

async function runCommand(opts: RunOptions, harness: Harness, stop: StopOnSignal): Promise<void> {
  const { engines, watchdog, afterWork, now } = harness;
  const machine = harness.machine ?? MEASURED_MACHINE;

  const profile = PROFILES[opts.profile];
  // Bad data is reported before anything is written.
  checkLabelColumn(opts.data, opts.labelColumn);
  const data = await loadData(opts.data, opts.labelColumn, memoryAllowance(opts.maxMemory));
  const defaults = leaveOut(opts, opts.references ? undefined : profile.leftOut, engines);
  const selection = resolveSelection(defaults.raw, profile, engines, data?.dIn, data?.features.byteLength);
  const budgetMs = opts.time ?? profile.timeMs;
  const rounds = opts.rounds ?? profile.rounds;
  // --time or --rounds: the fixed design, one window per round, as many rounds as asked.
  const fixed = opts.time !== undefined || opts.rounds !== undefined;
  const precision: PrecisionPlan | undefined = fixed
    ? undefined
    : { targetPct: opts.precision ?? profile.precisionPct, budgetMs: 1000 * (opts.budget ?? profile.budgetS), windowsPerVisit: profile.windowsPerVisit, maxUnits: MAX_UNITS };
  // Rounds the user chose are honoured for every row; the profile's let a slow step take one window.
  const everyRound = opts.rounds !== undefined;
  const interference: InterferencePolicy = { maxCores: opts.maxInterference, waitQuietS: opts.waitQuiet };
  const scaling = opts.scaling ?? defaultScaling(machineCpuCounts().physical);
  const specs = workloadSpecs(selection, scaling);
  // Weak scaling's largest batch (T x b) against --max-memory too, before any is built or any file written.
  checkMemory(selection, engines, data?.features.byteLength ?? 0, specs.map((spec) => spec.shape.batch));
  // Stopped while the data loaded: nothing is written.
  if (stoppedEarly(stop)) return;
  const started = harness.date();
  const runId = uniqueRunId(started);
  const outDir = harness.files.prepare(opts.out ?? join('reports', runId));
  const lock = harness.files.claim(outDir, runId, started, {
    force: opts.force ?? false,
    what: `--out ${opts.out ?? outDir}`,
    writes: RUN_OUTPUTS,
    inputs: isCsvSource(opts.data) ? [{ option: '--data', path: opts.data }] : [],
  });

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
    options: { ...selection, scaling, profile: opts.profile, time_ms: budgetMs, rounds, precision_pct: precision?.targetPct ?? null, budget_s: precision ? precision.budgetMs / 1000 : null, windows_per_visit: precision?.windowsPerVisit ?? 1, left_out: defaults.line, out: outDir, max_interference_cores: interference.maxCores, wait_quiet_s: interference.waitQuietS },
    environment,
    started_at: started.toISOString(),
  }, harness.date);
  const configs = engineConfigs(selection, engines, { overhead: true });
  // The profile trims only what the user left to it: the break-even subjects at every fraction, the rest at one.
  const trim = trimFilter(profile.trim, { fractions: opts.active !== undefined || opts.margin !== undefined, formulations: opts.formulations !== undefined, strategies: opts.strategies !== undefined }, engines);
  const weak = specs.some((spec) => spec.weakThreads !== undefined);
  const include: ConfigFilter | undefined = weak ? (config, spec) => runsOn(config, spec) && (trim?.(config, spec) ?? true) : trim;
  const planned = plannedCount(specs, configs, include);
  let measurements: readonly Measurement[] = [];
  report.save(measurements, 'running');

  const progress = createProgress(planned * rounds, opts.progress);
  for (const warning of upfrontWarnings(selection, engines, opts)) {
    report.warn(warning);
    progress.log(`warning: ${warning}`);
  }
  if (defaults.line) progress.log(defaults.line);
  progress.log(precision
    ? `triplet-bench run ${runId}: ${planned} configurations to ±${precision.targetPct} %, ${rounds} visits of ${precision.windowsPerVisit === 1 ? 'one window' : `${precision.windowsPerVisit} windows`} of ~${budgetMs} ms each, interleaved, more for the rows still wider, within ${formatDuration(precision.budgetMs)}; reports in ${outDir}`
    : `triplet-bench run ${runId}: ${planned} configurations x ${rounds} rounds of ~${budgetMs} ms, reports in ${outDir}`);
  // The roofline is measured where tfjs-node loads (rooflineWithinMemory); the calibration times its start-ups then.
  const calibration = await machine.calibrate(configs, { engines, now, roofline: nativeAvailability().available }, selection.reduction, selection.seed);
  const plan = { rounds, budgetMs, logicalCpus: environment.logical_cpus, everyRound, ...(precision ? { windowsPerVisit: precision.windowsPerVisit } : {}) };
  progress.log(estimateLine(expectedSweepMs(specs, configs, plan, calibration, engines, include), planned, rounds, calibration, precision?.budgetMs));

  let rows: ResultRow[] = [];
  await runLifecycle({
    // First signal: abandon the configuration in flight, save, exit 128+n. Second: exit now.
    onFirstSignal: (signal) => progress.log(`${signal}: stopping the configuration in flight; reports keep every finished one (again to quit at once)`),
    onSecondSignal: () => report.save(measurements, 'interrupted'),
    log: (line) => progress.log(line),
    work: async (signal) => {
      // Stopped before the sweep began (listenFromStart): an empty run, saved interrupted.
      if (signal.aborted) return;
      // The roofline first, on an idle machine: this run's GEMM speed at each thread count.
      const roofline = await machine.roofline(specs.map((spec) => spec.shape), [...new Set(configs.map((config) => config.threads))], selection.memory);
      report.setRoofline(roofline);
      progress.log(rooflineLine(roofline));
      // The memory roof beside it, on arrays of the largest arena's size and on memory-sized ones.
      const memoryRoof = await machine.memoryRoof([...new Set(configs.map((config) => config.threads))], Math.max(...specs.map((spec) => arenaInputBytes(spec.shape))));
      report.setMemoryRoof(memoryRoof);
      progress.log(memoryRoofLine(memoryRoof));
      await runSweep(selection, specs, configs, {
        context,
        engines,
        now,
        ...(watchdog ? { watchdog } : {}),
        budgetMs,
        rounds,
        ...(precision ? { precision } : {}),
        everyRound,
        signal,
        data,
        interference,
        ...(include ? { include } : {}),
        hooks: {
          onWorkload: (spec) => progress.log(`workload ${workloadLabel(spec, true)}: building batch and reference`),
          onWait: (line) => progress.log(line),
          onTopUp: (visits) => progress.grow(visits),
          // The workloads' visits interleave: each line names its workload's fraction when there are several.
          onStart: (config, spec) => progress.start(config, workloadLabel(spec, specs.length > 1)),
          onMeasured: (measurement, all, kept) => {
            measurements = all;
            // A row kept from an earlier round changed nothing to save.
            if (kept === undefined) rows = report.save(measurements, 'running');
            progress.done(measurement, kept);
          },
        },
      });
    },
    save: async (_, status) => {
      for (const warning of timingWarnings(measurements.map((m) => m.row))) report.warn(warning);
      // The status is written last: a disk that fills up on a file of the report leaves
      // run.json saying "running", which the failure path turns into "failed".
      rows = report.rowsOf(measurements);
      // Drawn once: rendering after every configuration would steal CPU from the timing windows.
      await writeReports(outDir, harness.reports, { sources: [report.source(rows, status, measurements)], generatedAt: harness.date().toISOString() });
      rows = report.save(measurements, status);
    },
    saveFailed: async (error) => {
      const saved = report.saveFailed(measurements, error, (line) => progress.log(line));
      // The report of a failed run still shows what was measured, each file as far as the
      // disk allows: saveFailed already said what could not be written.
      await writeReports(outDir, harness.reports, { sources: [report.source(saved, 'failed', measurements)], generatedAt: harness.date().toISOString() }, { bestEffort: true });
    },
    release: () => {
      progress.stop();
      lock.release();
    },
    print: () => {
      if (opts.json) console.log(JSON.stringify(rows, null, 2));
      else {
        const windowsOf = unitMediansLookup([{ rows, unitMediansMs: measurements.map((m) => m.evidence.unitMediansMs) }]);
        console.log(`\n${summaryText(rows, windowsOf)}\n\n${verdictText(rows, windowsOf)}`);
      }
      for (const warning of timingWarnings(rows)) console.error(`warning: ${warning}`);
      console.error(`\n${fileLines(outDir, [...RECORD_EXPORTERS, ...harness.reports], 8)}`);
    },
  }, { stop, ...(afterWork ? { afterWork } : {}) });
}

/**
 * Registers `run` on the program: its options, plan, calibration and sweep ask and open
 * the harness's engines; `afterWork`, where the harness has one, is awaited between the
 * end of the work and the final save (src/commands/lifecycle.ts); `machine`, where it has
 * one, stands in for the machine's figures.
 */
export function registerRun(program: Command, harness: Harness): void {
  const command = program
    .command('run')
    .description('time every selected configuration with tinybench and write results.csv, run.json, report.html and summary.md');
  addSelectionOptions(command, harness.engines)
    .addOption(new Option('--scaling <kind>', 'strong (one batch, more threads), weak (--batch triplets per thread, B = T x --batch) or both (default: both above 8 physical cores, else strong)').choices(SCALINGS))
    .addOption(new Option('--profile <name>', 'quick (about 5 min on 2 cores) or full (more batches, dims, active fractions)').choices(PROFILE_NAMES).default('quick'))
    .option('--time <ms>', 'a fixed design: time budget of each timing window, ms, one window per round (default: the profile\'s windows, to --precision)', parseTime)
    .option('--rounds <n>', 'a fixed design: passes over the configurations, each reshuffled, one window each; a row pools its windows', parseRounds)
    .addOption(new Option('--precision <pct>', 'time each row until the 95 % interval of its step time is within this percent (default: 3)').argParser(parsePrecision).conflicts(['time', 'rounds']))
    .addOption(new Option('--budget <seconds>', 'the sweep\'s time budget for reaching --precision (default: the profile\'s, 260 s for quick)').argParser(parseBudget).conflicts(['time', 'rounds']))
    .option('--references', 'also run the slow references the profile leaves out (tfjs-cpu, tfjs-wasm, the js kernel, autograd)')
    .option('--out <dir>', 'output folder (default: reports/<time>-<host>-<pid>-<random>)')
    .option('--force', 'let --out replace the files of an earlier run')
    .option('--json', 'print the rows as JSON on stdout')
    .option('--no-progress', 'no progress bar or per-configuration lines')
    .option('--max-interference <cores>', 'flag a row when other processes kept more than this many cores busy during one of its windows', parseMaxInterference, DEFAULT_MAX_INTERFERENCE_CORES)
    .option('--wait-quiet <seconds>', 'before each window, wait up to this long for other processes to fall below --max-interference (0: do not wait)', parseWaitQuiet, 0)
    .action((opts: RunOptions) => withStopSignals((stop) => runCommand(opts, harness, stop)));
}
