/**
 * `triplet-bench baseline`: times a tfjs engine (tfjs-node by default) beside plain tfjs
 * programs of the same math on the same backend (baselines/), the two stepping in turn in
 * one child per thread count, and prints each configuration's step-time ratio engine /
 * baseline with its 95 % interval and whether the engine is within 5 % of the baseline.
 */
import { Option, type Command } from 'commander';
import { BASELINES } from '../../baselines/index.js';
import { timeInChild } from '../baseline/run-child.js';
import { pairedRatio, verdict } from '../baseline/ratio.js';
import type { BaselinePair, PairTiming } from '../baseline/protocol.js';
import { median } from '../bench/statistics.js';
import { FORMULATIONS, STRATEGIES, type Formulation, type Strategy } from '../domain.js';
import { UsageError } from '../errors.js';
import { nativeAvailability } from '../native/probe.js';
import type { TfjsBackend } from '../domain.js';
import { choiceOption, defaultThreadCounts, integerOption, parse, type RawDims } from '../options.js';
import { formatTable } from '../console/table.js';
import { StopOnSignal } from '../interrupts.js';
import { killChildrenNow } from '../child-processes.js';
import { syntheticBatch, withMargin } from '../triplet/synthetic.js';

/** The engine is "within" when the whole 95 % interval of its ratio is at most 1 + this. */
const TOLERANCE = 0.05;

/** Backends and the engines that run them. */
const BACKEND_ENGINES: Record<TfjsBackend, string> = { tensorflow: 'tfjs-node', wasm: 'tfjs-wasm', cpu: 'tfjs-cpu' };

interface BaselineOptions {
  backend: TfjsBackend;
  batch: number[];
  dims: RawDims[];
  active: number[];
  threads?: number[];
  formulations: Formulation[];
  strategies: Strategy[];
  windows: number;
  windowMs: number;
  seed: number;
  json?: boolean;
}

/** One line of the table (and of --json). */
export interface BaselineRow {
  engine: string;
  threads: number;
  batch: number;
  dims: string;
  active: number;
  formulation: Formulation;
  strategy: Strategy;
  engine_ms: number;
  baseline_ms: number;
  ratio: number;
  ci_low: number;
  ci_high: number;
  windows: number;
  within_5pct: string;
  max_rel_err: number;
  same_active: boolean;
}

function rowOf(engine: string, threads: number, batch: number, dims: string, active: number, timing: PairTiming): BaselineRow {
  const estimate = pairedRatio(timing.engineMs, timing.baselineMs);
  return {
    engine,
    threads,
    batch,
    dims,
    active,
    formulation: timing.formulation,
    strategy: timing.strategy,
    engine_ms: median(timing.engineMs),
    baseline_ms: median(timing.baselineMs),
    ratio: estimate.ratio,
    ci_low: estimate.low,
    ci_high: estimate.high,
    windows: estimate.windows,
    within_5pct: verdict(estimate, TOLERANCE),
    max_rel_err: timing.gradientRelErr,
    same_active: timing.engineActive === timing.baselineActive,
  };
}

async function baselineCommand(opts: BaselineOptions): Promise<void> {
  const engine = BACKEND_ENGINES[opts.backend];
  const native = nativeAvailability();
  if (opts.backend === 'tensorflow' && !native.available) throw new Error(`tfjs-node is not available, nothing to time: ${native.reason}; fix: ${native.fix}`);
  // Only TensorFlow has intra-op threads; the other backends run on one, as their engines do.
  // Asked for more, they used to time one thread under the label the user gave (issue 23, item 12).
  const many = opts.backend === 'tensorflow' ? [] : (opts.threads ?? []).filter((t) => t > 1);
  if (many.length > 0) throw new UsageError(`--threads ${many.join(',')}: the ${opts.backend} backend runs on one thread (${engine}, like its engine); drop --threads, or time intra-op threads with --backend tensorflow`);
  const threads = opts.backend === 'tensorflow' ? (opts.threads ?? defaultThreadCounts()) : [1];
  const pairs: BaselinePair[] = opts.formulations.flatMap((formulation) => opts.strategies.map((strategy) => ({ formulation, strategy })));
  for (const pair of pairs) if (!BASELINES[`${pair.formulation}/${pair.strategy}`]) throw new UsageError(`no baseline program for ${pair.formulation} ${pair.strategy}`);
  for (const raw of opts.dims) if (raw.dIn === undefined) throw new UsageError(`--dims expects D_INxD_OUT such as 512x128, got ${raw.dOut} alone`);
  // A signal ends the child in flight before this process exits, then the table shows the
  // finished configurations and the exit code is 128 + n; a second signal exits at once,
  // its children killed (src/interrupts.ts, src/child-processes.ts).
  const stop = new StopOnSignal({
    onFirst: (signal) => console.error(`${signal}: ending the timing child in flight; the table shows the finished configurations (again to quit at once)`),
    onSecond: () => killChildrenNow(),
  });
  const rows: BaselineRow[] = [];
  try {
    sweep: for (const batch of opts.batch) {
      for (const raw of opts.dims) {
        const shape = { batch, dIn: raw.dIn!, dOut: raw.dOut };
        const dims = `${shape.dIn}x${shape.dOut}`;
        for (const active of opts.active) {
          const problem = withMargin(syntheticBatch(shape, opts.seed), { activeFraction: active });
          for (const t of threads) {
            if (stop.signal.aborted) break sweep;
            if (!opts.json) console.error(`timing ${engine} B=${batch} ${dims} active ${active} at ${t} intra-op thread(s): ${pairs.length} pairs x ${opts.windows} windows x ${opts.windowMs} ms`);
            let timings: readonly PairTiming[];
            try {
              timings = await timeInChild(t, { ...problem, backend: opts.backend, pairs, windows: opts.windows, windowMs: opts.windowMs }, stop.signal);
            } catch (error) {
              if (stop.signal.aborted) break sweep;
              throw error;
            }
            rows.push(...timings.map((timing) => rowOf(engine, t, batch, dims, active, timing)));
          }
        }
      }
    }
  } finally {
    stop.dispose();
  }
  if (stop.exitCode !== undefined) process.exitCode = stop.exitCode;
  if (opts.json) {
    console.log(JSON.stringify(rows, null, 2));
    return;
  }
  const fixed = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : '-');
  console.log(
    formatTable(
      ['engine', 'threads', 'B', 'dims', 'active', 'formulation', 'strategy', 'engine ms', 'baseline ms', 'ratio', '95 % interval', `within ${TOLERANCE * 100} %`, 'grad rel err'],
      rows.map((r) => [r.engine, r.threads, r.batch, r.dims, r.active, r.formulation, r.strategy, fixed(r.engine_ms, 2), fixed(r.baseline_ms, 2), fixed(r.ratio, 3), `${fixed(r.ci_low, 3)}-${fixed(r.ci_high, 3)}`, r.within_5pct, r.max_rel_err.toExponential(1)]),
    ),
  );
  console.log(`ratio: engine step time / baseline step time (geometric mean over ${opts.windows} windows of each side's median step, the two stepping in turn; below 1: the engine is faster)`);
  if (rows.some((r) => !r.same_active)) console.log('warning: an engine and its baseline counted different active triplets');
}

/** Registers `baseline`. */
export function registerBaseline(program: Command): void {
  program
    .command('baseline')
    .description('time a tfjs engine beside plain tfjs programs of the same math (baselines/), stepping in turn, with a 95 % interval on the ratio')
    .option('--backend <name>', 'tensorflow (engine tfjs-node), wasm (tfjs-wasm) or cpu (tfjs-cpu)', choiceOption('--backend', ['tensorflow', 'wasm', 'cpu'] as const), 'tensorflow')
    .addOption(new Option('--batch <list>', 'triplets per batch, B').argParser(parse.batch).default([4096], '4096'))
    .addOption(new Option('--dims <list>', 'embedding D_INxD_OUT').argParser(parse.dims).default([{ dIn: 512, dOut: 128 }], '512x128'))
    .addOption(new Option('--active <list>', 'target fractions of active triplets, in [0, 1]').argParser(parse.active).default([0.3], '0.3'))
    .option('--threads <list>', `intra-op thread counts, tensorflow only (default: ${defaultThreadCounts().join(',')})`, parse.threads)
    .addOption(new Option('--formulations <list>', 'fused, autograd').argParser(parse.formulations).default([...FORMULATIONS], FORMULATIONS.join(',')))
    .addOption(new Option('--strategies <list>', 'dense, compact').argParser(parse.strategies).default([...STRATEGIES], STRATEGIES.join(',')))
    .option('--windows <n>', 'paired windows per configuration', integerOption('--windows', 2, 1000, 'a whole number of windows'), 10)
    .option('--window-ms <ms>', 'length of one window', integerOption('--window-ms', 10, 600_000, 'milliseconds'), 600)
    .option('--seed <n>', 'seed of the data and W', parse.seed, 42)
    .option('--json', 'print the rows as JSON')
    .action(baselineCommand);
}
