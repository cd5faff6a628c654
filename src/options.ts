/**
 * One place for the selection options shared by `verify` and `run`: how each is parsed,
 * validated (one message naming the option and what was expected) and defaulted.
 */
import { availableParallelism } from 'node:os';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { machineCpuCounts, parseThreadList, threadLadder, type CpuCounts } from './bench/thread-ladder.js';
import type { EngineRegistry } from './engines/index.js';
import type { Engine } from './engines/engine.js';
import { UsageError } from './errors.js';
import { describeNeed, formatBytes, machineAllowance, parseSize, POOL_THREAD_BYTES, workloadMemory, type MemoryAllowance } from './memory.js';
import { REDUCTIONS, type Shape } from './triplet/problem.js';
import { FORMULATIONS, STRATEGIES, type EngineKernel, type EngineName } from './domain.js';
import type { Dims, RawDims, RawSelection, Selection, SelectionDefaults } from './selection.js';

/** The selection's types live in src/selection.ts, which src/bench/ imports without the option parsers. */
export type { Dims, RawDims, RawSelection, Selection, SelectionDefaults } from './selection.js';
export { SELECTION_DEFAULTS } from './selection.js';

/** Upper bounds that catch typos before they allocate gigabytes or start thousands of threads. */
export const LIMITS = {
  threads: Math.max(256, 4 * availableParallelism()),
  batch: 1 << 24,
  dim: 1 << 16,
} as const;

/** 1, 2, 4, ... up to the physical cores, plus the logical CPUs where SMT adds them (src/bench/thread-ladder.ts). */
export function defaultThreadCounts(counts: CpuCounts = machineCpuCounts()): number[] {
  return threadLadder(counts);
}

function items(option: string, raw: string): string[] {
  const parts = raw.split(',').map((part) => part.trim());
  if (parts.some((part) => part === '')) throw new InvalidArgumentError(`${option} expects a comma-separated list with no empty items`);
  return parts;
}

function integerIn(option: string, text: string, min: number, max: number, what: string): number {
  const value = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(`${option} expects ${what} from ${min} to ${max}, got '${text}'`);
  }
  return value;
}

/** A single whole number in [min, max], as a commander argument parser. */
export function integerOption(option: string, min: number, max: number, what: string): (raw: string) => number {
  return (raw) => integerIn(option, raw.trim(), min, max, what);
}

/** One of `allowed`, as a commander argument parser. */
export function choiceOption<T extends string>(option: string, allowed: readonly T[]): (raw: string) => T {
  return (raw) => oneOf(option, raw, allowed);
}

/** A comma-separated list of distinct choices, as a commander argument parser. */
export function choiceListOption<T extends string>(option: string, allowed: readonly T[]): (raw: string) => T[] {
  return (raw) => distinct(items(option, raw).map((text) => oneOf(option, text, allowed)));
}

/** A single finite decimal number, as a commander argument parser. */
export function numberOption(option: string, check?: (value: number) => string | undefined): (raw: string) => number {
  return (raw) => {
    const value = finiteNumber(option, raw.trim());
    const problem = check?.(value);
    if (problem) throw new InvalidArgumentError(`${option} expects ${problem}, got '${raw}'`);
    return value;
  };
}

function finiteNumber(option: string, text: string): number {
  // Number('') is 0 and Number('0x10') is 16: accept decimal notation only.
  const value = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value)) throw new InvalidArgumentError(`${option} expects finite decimal numbers, got '${text}'`);
  return value;
}

function oneOf<T extends string>(option: string, text: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(text)) {
    throw new InvalidArgumentError(`${option} expects one of ${allowed.join(', ')}, got '${text}'`);
  }
  return text as T;
}

function distinct<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** Parsers for each option's raw text, as commander argument parsers. */
export const parse = {
  threads: (raw: string) => parseThreadList(raw, machineCpuCounts(), LIMITS.threads),
  batch: (raw: string) =>
    distinct(items('--batch', raw).map((t) => integerIn('--batch', t, 1, LIMITS.batch, 'batch sizes'))),
  dims: (raw: string): RawDims[] =>
    items('--dims', raw).map((text) => {
      const match = /^(?:(\d+)x)?(\d+)$/.exec(text);
      if (!match) throw new InvalidArgumentError(`--dims expects D_INxD_OUT such as 512x128 (or D_OUT alone with real --data), got '${text}'`);
      return {
        dIn: match[1] === undefined ? undefined : integerIn('--dims', match[1], 1, LIMITS.dim, 'dimensions'),
        dOut: integerIn('--dims', match[2]!, 1, LIMITS.dim, 'dimensions'),
      };
    }),
  active: (raw: string) =>
    distinct(
      items('--active', raw).map((text) => {
        const f = finiteNumber('--active', text);
        if (f < 0 || f > 1) throw new InvalidArgumentError(`--active expects fractions in [0, 1], got '${text}'`);
        return f;
      }),
    ),
  margin: (raw: string) => distinct(items('--margin', raw).map((text) => finiteNumber('--margin', text))),
  seed: (raw: string) => integerIn('--seed', raw.trim(), 0, 0xffff_ffff, 'an integer'),
  kernels: (raw: string) => distinct(items('--kernels', raw)),
  formulations: (raw: string) => distinct(items('--formulations', raw).map((t) => oneOf('--formulations', t, FORMULATIONS))),
  strategies: (raw: string) => distinct(items('--strategies', raw).map((t) => oneOf('--strategies', t, STRATEGIES))),
  reduction: (raw: string) => oneOf('--reduction', raw, REDUCTIONS),
  data: (raw: string) => {
    if (raw.trim() === '') throw new InvalidArgumentError(`--data expects synthetic, mnist or the path of a CSV file, got ''`);
    return raw;
  },
  maxMemory: (raw: string) => {
    const bytes = parseSize(raw);
    if (bytes === undefined) throw new InvalidArgumentError(`--max-memory expects a size such as 512M, 8G or 1.5GiB, got '${raw}'`);
    return bytes;
  },
};

/** The names of a registry's engines, in its order. */
function engineNames(engines: EngineRegistry): EngineName[] {
  return Object.values(engines).map((engine) => engine.name);
}

/** A comma-separated list of distinct engines of `engines`, as a commander argument parser. */
export function engineListOption(engines: EngineRegistry): (raw: string) => EngineName[] {
  return choiceListOption('--engines', engineNames(engines));
}

/** Every kernel of an engine, its overhead kernel last. */
function kernelsOf(engine: Engine): EngineKernel[] {
  return [...engine.kernels, ...(engine.overheadKernel ? [engine.overheadKernel] : [])];
}

/** An engine's kernels for --help: `workers: js, wasm, tfjs (and empty)`. */
function kernelHelp(engine: Engine): string {
  return `${engine.name}: ${engine.kernels.join(', ')}${engine.overheadKernel ? ` (and ${engine.overheadKernel})` : ''}`;
}

/** Adds the selection options to a command; --engines and --kernels name those of `engines`. */
export function addSelectionOptions(command: Command, engines: EngineRegistry): Command {
  return command
    .option('--engines <list>', `${engineNames(engines).join(', ')} (default: every available one)`, engineListOption(engines))
    .option('--kernels <list>', `${Object.values(engines).map(kernelHelp).join('; ')} (default: all)`, parse.kernels)
    .option('--formulations <list>', 'fused, autograd (default: each engine\'s own)', parse.formulations)
    .option('--strategies <list>', 'dense, compact', parse.strategies)
    .option('--threads <list>', `thread counts, ranges (1-8, 2-16:2), physical, logical (default: ${defaultThreadCounts().join(',')})`, parse.threads)
    .option('--batch <list>', 'triplets per batch, B (default: 4096)', parse.batch)
    .option('--dims <list>', 'embedding D_INxD_OUT (default: 512x128); with mnist or a CSV, D_IN is the data\'s: give D_OUT alone (default: 128)', parse.dims)
    .addOption(new Option('--active <list>', 'target fractions of active triplets, in [0, 1] (default: run 0.1,0.3,0.7 with --profile quick; verify 0.3)').argParser(parse.active).conflicts('margin'))
    .addOption(new Option('--margin <list>', 'margins alpha, instead of --active').argParser(parse.margin).conflicts('active'))
    .option('--data <source>', 'synthetic; mnist (the 10,000 digits of the mnist package); or a CSV file: label, then numeric features, one sample a line. Real data: triplets from labels, --active picks the margin on that batch', parse.data, 'synthetic')
    .option('--label-column <name>', 'CSV with a header row: the column holding the label (default: the first)')
    .option('--seed <n>', 'seed of the data, the triplets and W', parse.seed, 42)
    .option('--reduction <r>', `loss reduction: ${REDUCTIONS.join(', ')}`, parse.reduction, 'mean')
    .option('--max-memory <size>', 'memory a workload may need, e.g. 8G; larger ones are refused before allocating (default: 90 % of the machine\'s or container\'s)', parse.maxMemory);
}

/** Whether a data source is a CSV path (neither synthetic nor mnist). */
export function isCsvSource(source: string): boolean {
  return source !== 'synthetic' && source !== 'mnist';
}

/**
 * The dimensions to run: as given for synthetic data; for real data D_in is the data's,
 * so D_OUT alone is enough and a different D_IN is refused.
 */
export function resolveDims(raw: readonly RawDims[] | undefined, defaults: readonly Dims[], source: string, dataDIn: number | undefined): Dims[] {
  if (dataDIn === undefined) {
    const partial = raw?.find((d) => d.dIn === undefined);
    if (partial) throw new UsageError(`--dims ${partial.dOut}: synthetic data needs D_INxD_OUT, such as 512x${partial.dOut}`);
    return (raw ?? defaults) as Dims[];
  }
  for (const d of raw ?? []) {
    if (d.dIn !== undefined && d.dIn !== dataDIn) {
      throw new UsageError(`--dims ${d.dIn}x${d.dOut}: --data ${source} has ${dataDIn} features, so D_IN is ${dataDIn}; give D_OUT alone (--dims ${d.dOut})`);
    }
  }
  const dOuts = [...new Set((raw ?? defaults).map((d) => d.dOut))];
  return dOuts.map((dOut) => ({ dIn: dataDIn, dOut }));
}

/** `--label-column` only means something for a CSV file. */
export function checkLabelColumn(source: string, labelColumn: string | undefined): void {
  if (labelColumn !== undefined && !isCsvSource(source)) throw new UsageError(`--label-column applies to a CSV file given as --data, not to --data ${source}`);
}

/**
 * Cross-option checks and defaults: the resolved selection, or a UsageError; kernels,
 * formulations and memory as `registry`'s engines declare them. `dataDIn`: the feature
 * count of the loaded real data (undefined for synthetic).
 */
export function resolveSelection(raw: RawSelection, defaults: SelectionDefaults, registry: EngineRegistry, dataDIn?: number, dataBytes = 0): Selection {
  checkLabelColumn(raw.data, raw.labelColumn);
  const engines = (raw.engines ?? engineNames(registry)) as EngineName[];
  const known: readonly string[] = engines.flatMap((name) => kernelsOf(registry[name]));
  const isKnown = (kernel: string): kernel is EngineKernel => known.includes(kernel);
  const unknown = raw.kernels?.find((kernel) => !isKnown(kernel));
  if (unknown !== undefined) throw new UsageError(`--kernels expects kernels of the selected engines (${known.join(', ')}), got '${unknown}'`);
  if (raw.formulations) {
    const offered = engines.flatMap((name) => registry[name].formulations);
    const missing = raw.formulations.filter((f) => !offered.includes(f));
    if (missing.length === raw.formulations.length) {
      throw new UsageError(`--formulations: no selected engine offers ${missing.join(', ')} (engines: ${engines.join(', ')})`);
    }
  }
  const selection: Selection = {
    engines,
    kernels: raw.kernels?.filter(isKnown),
    formulations: raw.formulations,
    strategies: raw.strategies ?? [...STRATEGIES],
    threads: raw.threads ?? defaultThreadCounts(),
    batches: raw.batch ?? defaults.batches,
    dims: resolveDims(raw.dims, defaults.dims, raw.data, dataDIn),
    activeFractions: raw.margin ? undefined : (raw.active ?? defaults.activeFractions),
    margins: raw.margin,
    data: raw.data,
    labelColumn: raw.labelColumn,
    seed: raw.seed,
    reduction: raw.reduction,
    memory: memoryAllowance(raw.maxMemory),
  };
  checkMemory(selection, registry, dataBytes);
  return selection;
}

/**
 * Refuses, before anything is allocated, a workload that needs more memory than allowed,
 * as `engines` declare theirs; `batches` other than the selection's where a command builds
 * others (weak scaling's T x b).
 */
export function checkMemory(selection: Selection, engines: EngineRegistry, dataBytes: number, batches: readonly number[] = selection.batches): void {
  const slots = Math.max(...selection.threads);
  const threadBytes = poolThreadBytes(selection, engines);
  for (const batch of batches) {
    for (const { dIn, dOut } of selection.dims) {
      const shape = { batch, dIn, dOut };
      const hostBytes = Math.max(0, ...selection.engines.map((name) => engines[name].hostMemory?.(shape) ?? 0));
      assertFitsInMemory(shape, slots, hostBytes, selection.memory, dataBytes, threadBytes);
    }
  }
}

/**
 * A UsageError, with the size needed by part, when one workload of `shape` would not fit;
 * `hostBytes`: what a host child of the selected engines holds besides (Engine.hostMemory).
 */
export function assertFitsInMemory(shape: Shape, slots: number, hostBytes: number, allowance: MemoryAllowance, dataBytes = 0, threadBytes = POOL_THREAD_BYTES): void {
  const need = workloadMemory(shape, slots, hostBytes, dataBytes, { threadBytes, processBytes: process.memoryUsage.rss() });
  if (need.total <= allowance.bytes) return;
  const { batch, dIn, dOut } = shape;
  throw new UsageError(
    `--batch ${batch} with --dims ${dIn}x${dOut} on ${slots} thread${slots === 1 ? '' : 's'} needs ${formatBytes(need.total)} (${describeNeed(need)}), ` +
      `more than the ${formatBytes(allowance.bytes)} allowed (${allowance.source}); lower --batch, --dims or --threads, or raise --max-memory`,
  );
}

/** Memory of each pool thread the selection may start, as its engines declare it (Engine.poolThreadBytes): 0 where none runs a pool. */
function poolThreadBytes(selection: Selection, engines: EngineRegistry): number {
  return Math.max(0, ...selection.engines.map((name) => engines[name].poolThreadBytes?.(selection.kernels) ?? 0));
}

/** The allowance from --max-memory, or the machine's. */
export function memoryAllowance(maxMemory: number | undefined): MemoryAllowance {
  return maxMemory === undefined ? machineAllowance() : { bytes: maxMemory, source: '--max-memory' };
}
