/**
 * `triplet-bench train`: SGD on the linear embedding W with the sharded gradient, on MNIST
 * or a labelled CSV. Writes train.csv (one row per step) and train.json (options, held-out
 * margin rate before and after, totals) into the output folder, rewritten after every step.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { MININGS, type Mining } from '../data/mining.js';
import { loadData } from '../data/source.js';
import { runLifecycle, stoppedEarly, withStopSignals } from './lifecycle.js';
import { WORKER_KERNELS, workerKernelsFastestFirst, workerKernelsOf } from '../engines/workers/kernels.js';
import { workersEngine } from '../engines/workers/engine.js';
import type { StopOnSignal, StopSignal } from '../interrupts.js';
import { errorMessage, UsageError } from '../errors.js';
import { assertFitsInMemory, checkLabelColumn, choiceListOption, choiceOption, integerOption, isCsvSource, LIMITS, memoryAllowance, numberOption, parse, resolveDims, type RawDims } from '../options.js';
import { recordFailure, writeStatusFile } from '../files/atomic.js';
import { oversubscriptionWarning } from '../checks/quiet-mismatches.js';
import { readEnvironment } from '../environment/environment.js';
import { fileLines, writeExports, writeExportsSync } from '../report/exporter.js';
import { TRAIN_RECORD_EXPORTERS } from '../report/exporters.js';
import type { Harness } from '../harness.js';
import { TRAIN_OUTPUTS } from '../files/manifest.js';
import { uniqueRunId } from '../files/run-id.js';
import { trainJsonExporter, type StepRecord } from '../report/train-records.js';
import { train, type TrainConfig, type TrainResult } from '../train/loop.js';
import { createTrainProgress } from '../console/train-progress.js';
import { summarizeRun, summaryLines } from '../train/summary.js';
import { STRATEGIES, type KernelName, type Strategy } from '../domain.js';
import { runComparison } from './train-compare.js';

/** Defaults: `train --data mnist` runs 800 steps of 1,000 triplets at 784x128, about a minute (compact, wasm) on 2 cores. */
export const TRAIN_DEFAULTS = { data: 'mnist', dOut: 128, batch: 1000, epochs: 100, lr: 0.1, active: 0.5, heldOut: 0.2, seed: 42 } as const;

interface TrainOptions {
  data: string;
  labelColumn?: string;
  engine: string;
  kernel?: string;
  threads: number;
  /** One strategy, or several to compare side by side (src/train/compare.ts). */
  strategy: Strategy[];
  target?: number;
  lr: number;
  steps?: number;
  epochs: number;
  batch: number;
  dims?: RawDims[];
  margin?: number;
  active?: number;
  seed: number;
  mining: Mining;
  heldOut: number;
  out?: string;
  force?: boolean;
  progress: boolean;
  maxMemory?: number;
}


/** How often train.csv and train.json are rewritten while training (and once at the end). */
const SAVE_EVERY_MS = 1000;

/** The engine train steps: the sharded gradient runs only in the workers engine's pool. */
const TRAIN_ENGINE = workersEngine.name;

/** Kernels train can step: those of the workers engine that compute a gradient. */
const TRAIN_KERNELS = workerKernelsOf('gradient');

/** The default where the user names none: the first of these that runs here. */
const PREFERRED_KERNELS = workerKernelsFastestFirst();

/** The kernel asked for, or the fastest that runs here; a UsageError for one that cannot. */
function resolveKernel(engineName: string, kernel: string | undefined): KernelName {
  if (engineName !== TRAIN_ENGINE) {
    throw new UsageError(`--engine ${engineName}: train steps the sharded gradient of engine ${TRAIN_ENGINE} (kernels ${TRAIN_KERNELS.join(', ')}); the tfjs engines are timed by run`);
  }
  if (kernel === undefined) return PREFERRED_KERNELS.find((name) => WORKER_KERNELS[name].availability().available) ?? PREFERRED_KERNELS.at(-1)!;
  const known = TRAIN_KERNELS.find((name) => name === kernel);
  if (known === undefined) throw new UsageError(`--kernel expects one of ${TRAIN_KERNELS.join(', ')}, got '${kernel}'`);
  const availability = WORKER_KERNELS[known].availability();
  if (!availability.available) throw new UsageError(`--kernel ${known}: ${availability.reason}; fix: ${availability.fix}`);
  return known;
}

/** Rewrites the run's record (TRAIN_RECORD_EXPORTERS: train.csv, then train.json). */
function writeReports(dir: string, records: readonly StepRecord[], meta: Record<string, unknown>): void {
  writeExportsSync(dir, TRAIN_RECORD_EXPORTERS, { records, meta });
}

async function trainCommand(opts: TrainOptions, harness: Harness, stop: StopOnSignal): Promise<void> {
  const commandStarted = harness.now();
  if (opts.data === 'synthetic') throw new UsageError('--data synthetic has no labels to train on; give --data mnist or a labelled CSV file');
  checkLabelColumn(opts.data, opts.labelColumn);
  const kernel = resolveKernel(opts.engine, opts.kernel);
  if (opts.target !== undefined && opts.strategy.length < 2) throw new UsageError('--target times a comparison: give --strategy dense,compact with it');
  if (opts.dims && opts.dims.length !== 1) throw new UsageError(`--dims: train takes one D_OUT, got ${opts.dims.length}`);
  // Bad data is reported before anything is written.
  const data = (await loadData(opts.data, opts.labelColumn, memoryAllowance(opts.maxMemory)))!;
  const [dims] = resolveDims(opts.dims, [{ dIn: data.dIn, dOut: TRAIN_DEFAULTS.dOut }], opts.data, data.dIn);
  assertFitsInMemory({ batch: opts.batch, dIn: data.dIn, dOut: dims!.dOut }, opts.threads, 0, memoryAllowance(opts.maxMemory));
  // Stopped while the data loaded: nothing is written.
  if (stoppedEarly(stop)) return;
  const started = harness.date();
  const runId = uniqueRunId(started);
  const outDir = harness.files.prepare(opts.out ?? join('reports', `train-${runId}`));
  const lock = harness.files.claim(outDir, runId, started, {
    force: opts.force ?? false,
    what: `--out ${opts.out ?? outDir}`,
    writes: TRAIN_OUTPUTS,
    inputs: isCsvSource(opts.data) ? [{ option: '--data', path: opts.data }] : [],
  });

  const config: TrainConfig = {
    kernel,
    strategy: opts.strategy[0]!,
    threads: opts.threads,
    lr: opts.lr,
    steps: opts.steps,
    epochs: opts.epochs,
    batch: opts.batch,
    dOut: dims!.dOut,
    margin: opts.margin !== undefined ? { margin: opts.margin } : { activeFraction: opts.active ?? TRAIN_DEFAULTS.active },
    seed: opts.seed,
    mining: opts.mining,
    heldOutShare: opts.heldOut,
    reduction: 'mean',
  };
  const meta = {
    run_id: runId,
    // The manifest: what --force may remove when a later run takes this folder (src/files/claim-out.ts).
    files: TRAIN_OUTPUTS,
    command: process.argv.slice(2),
    options: { ...config, strategies: opts.strategy, target: opts.target ?? null, engine: TRAIN_ENGINE, data: opts.data, label_column: opts.labelColumn ?? null, d_in: data.dIn, out: outDir },
    data: { source: data.source, samples: data.count, d_in: data.dIn, labels: data.labelNames.length },
    environment: readEnvironment(),
    started_at: started.toISOString(),
    warnings: [] as string[],
  };
  const progress = createTrainProgress(opts.progress);
  const pageTitle = `${data.source}, ${data.dIn}x${config.dOut}, ${workersEngine.label(kernel)} ${config.strategy} T=${config.threads}, seed ${config.seed}`;
  // What a second signal saves as interrupted: the steps so far and what the run said of itself.
  let info: Record<string, unknown> = {};
  let recorded: readonly StepRecord[] = [];
  // First signal: finish the step in flight, save, exit 128+n. Second: exit now.
  const onFirstSignal = (signal: StopSignal) => progress.log(`${signal}: stopping after the step in flight; train.csv keeps every finished step (again to quit at once)`);
  const onSecondSignal = () => writeReports(outDir, recorded, { ...meta, ...info, status: 'interrupted', ended_at: harness.date().toISOString() });
  // Kept in train.json (meta holds the array, filled as they come).
  const warnings = meta.warnings;
  const over = oversubscriptionWarning([config.threads]);
  if (over) {
    warnings.push(over);
    progress.log(`warning: ${over}`);
  }
  if (opts.strategy.length > 1) {
    // The comparison saves, draws and prints its own reports as it goes (./train-compare.ts).
    await runLifecycle({
      onFirstSignal,
      onSecondSignal,
      work: (signal) => runComparison({
        data, config, strategies: opts.strategy, target: opts.target, outDir, meta, progress, signal, saveEveryMs: SAVE_EVERY_MS, now: harness.now, date: harness.date, pages: harness.trainPages,
        title: `${data.source}, ${data.dIn}x${config.dOut}, ${workersEngine.label(kernel)} T=${config.threads}, seed ${config.seed}`,
        save: (records, withMeta) => {
          recorded = records;
          info = withMeta;
          writeReports(outDir, records, withMeta);
        },
      }),
      save: async () => {},
      saveFailed: async () => {},
      // Hands the terminal back on a second signal too (the comparison stops its bar itself otherwise).
      release: () => progress.stop(),
      print: () => {},
      log: (line) => progress.log(line),
    }, { stop });
    return;
  }
  let lastSaved = harness.now();
  writeReports(outDir, [], { ...meta, status: 'running' });
  let summary: ReturnType<typeof summarizeRun> | undefined;
  await runLifecycle<TrainResult>({
    onFirstSignal,
    onSecondSignal,
    work: (signal) => train(data, config, {
      signal,
      onNote: (line) => progress.log(`note: ${line}`),
      onWarning: (line) => {
        warnings.push(line);
        progress.log(`warning: ${line}`);
      },
      onStart: (start) => {
        info = start;
        progress.log(
          `triplet-bench train on ${data.source}: ${start.trainSamples} training and ${start.heldOutSamples} held-out samples, ` +
            `${data.dIn}x${config.dOut}, B=${start.batch}, margin ${start.margin.toPrecision(4)}, ${start.totalSteps} steps ` +
            `(${start.stepsPerEpoch} per epoch), ${workersEngine.label(kernel)} ${config.strategy} T=${config.threads}; reports in ${outDir}`,
        );
        progress.start(start.totalSteps);
      },
      onStep: (record, all) => {
        progress.step(record);
        recorded = all;
        // At most once a second: rewriting the whole file every step is quadratic in steps.
        if (harness.now() - lastSaved >= SAVE_EVERY_MS) {
          writeReports(outDir, all, { ...meta, ...info, status: 'running' });
          lastSaved = harness.now();
        }
      },
    }),
    save: async (result, status) => {
      summary = summarizeRun(result, harness.now() - commandStarted);
      writeReports(outDir, result.records, { ...meta, ...info, status, ended_at: harness.date().toISOString(), summary });
      // Drawn once at the end, like report.html: a chart per step would cost more than a step.
      await writeExports(outDir, harness.trainPages, { records: result.records, title: pageTitle, summary: summaryLines(summary), status, generatedAt: harness.date().toISOString() });
    },
    saveFailed: async (error) => {
      // A full disk may take train.json alone, or nothing: recordFailure says which.
      const failed = { ...meta, ...info, status: 'failed', failure: errorMessage(error), ended_at: harness.date().toISOString() };
      const statusFile = join(outDir, trainJsonExporter.file);
      recordFailure(() => writeReports(outDir, recorded, failed), () => writeStatusFile(statusFile, failed), statusFile, (line) => console.error(line));
      // The page of a failed run still shows its steps.
      await writeExports(outDir, harness.trainPages, { records: recorded, title: pageTitle, summary: [], status: 'failed', generatedAt: harness.date().toISOString() });
    },
    release: () => {
      progress.stop();
      lock.release();
    },
    print: () => {
      console.log(summaryLines(summary!).join('\n'));
      console.error(`\n${fileLines(outDir, [...TRAIN_RECORD_EXPORTERS, ...harness.trainPages], 11)}`);
    },
    log: (line) => progress.log(line),
  }, { stop });
}

/** Registers `train` on the program; its run id and output folder come from the harness. */
export function registerTrain(program: Command, harness: Harness): void {
  const d = TRAIN_DEFAULTS;
  program
    .command('train')
    .description('train the linear embedding W by SGD with the sharded gradient; log loss, active fraction and the backward work compaction skips; write train.csv')
    .option('--data <source>', `mnist, or a CSV file: label then numeric features, one sample a line`, parse.data, d.data)
    .option('--label-column <name>', 'CSV with a header row: the column holding the label (default: the first)')
    .option('--engine <name>', `${TRAIN_ENGINE}: the only engine train steps`, TRAIN_ENGINE)
    .option('--kernel <name>', `kernel of the workers: ${TRAIN_KERNELS.join(', ')} (default: ${PREFERRED_KERNELS.join(' where it runs, else ')})`)
    .option('--threads <n>', 'worker threads', integerOption('--threads', 1, LIMITS.threads, 'a thread count'), availableParallelism())
    .addOption(
      new Option('--strategy <list>', 'dense or compact backward; dense,compact trains both side by side from the same seed, W and batches, steps alternated, and times each to a held-out margin rate')
        .argParser(choiceListOption('--strategy', STRATEGIES))
        .default(['compact'], 'compact'),
    )
    .option('--target <rate>', 'with --strategy dense,compact: the held-out margin rate to time both to (default: the final rate of the slower)', numberOption('--target', (v) => (v > 0 && v <= 1 ? undefined : 'a rate in (0, 1]')))
    .option('--lr <rate>', 'SGD learning rate', numberOption('--lr', (v) => (v > 0 ? undefined : 'a positive rate')), d.lr)
    .addOption(new Option('--steps <n>', 'total steps, instead of --epochs').argParser(integerOption('--steps', 1, 1e9, 'a step count')).conflicts('epochs'))
    .addOption(new Option('--epochs <n>', 'passes over the training samples').argParser(integerOption('--epochs', 1, 1e6, 'an epoch count')).default(d.epochs).conflicts('steps'))
    .option('--batch <n>', 'triplets per step, B', integerOption('--batch', 1, LIMITS.batch, 'a batch size'), d.batch)
    .option('--dims <d>', `D_OUT of the embedding, or D_INxD_OUT with D_IN the data's features (default: ${d.dOut})`, parse.dims)
    .addOption(new Option('--margin <alpha>', 'the margin alpha').argParser(numberOption('--margin', (v) => (v >= 0 ? undefined : 'a margin >= 0'))).conflicts('active'))
    .addOption(
      new Option('--active <f>', `instead of --margin: the margin making this fraction of the first batch active at the starting W (default: ${d.active})`)
        .argParser(numberOption('--active', (v) => (v >= 0 && v <= 1 ? undefined : 'a fraction in [0, 1]')))
        .conflicts('margin'),
    )
    .addOption(new Option('--mining <m>', 'negatives: random, or semihard (FaceNet: nearest negative farther than the positive; else the farthest)').argParser(choiceOption('--mining', MININGS)).default('random'))
    .option('--held-out <share>', 'share of each label\'s samples held out to measure the margin rate', numberOption('--held-out', (v) => (v >= 0 && v < 1 ? undefined : 'a share in [0, 1)')), d.heldOut)
    .option('--seed <n>', 'seed of the split, the triplets and W', parse.seed, d.seed)
    .option('--out <dir>', 'output folder (default: reports/train-<time>-<host>-<pid>-<random>)')
    .option('--force', 'let --out replace the files of an earlier run')
    .option('--max-memory <size>', 'memory a step may need, e.g. 8G; more is refused before allocating (default: 90 % of the machine\'s or container\'s)', parse.maxMemory)
    .option('--no-progress', 'no progress bar or per-step lines')
    .action((opts: TrainOptions) => withStopSignals((stop) => trainCommand(opts, harness, stop)));
}
