/**
 * The selection of `run` and `verify` as values: what the option parsers of src/options.ts
 * produce and what src/bench/ plans and sweeps, in a module of its own so the bench takes
 * no dependency on commander or the parsers. src/options.ts re-exports all of it.
 */
import type { EngineKernel, EngineName, Formulation, Strategy } from './domain.js';
import type { MemoryAllowance } from './memory.js';
import type { Reduction } from './triplet/problem.js';

/** Dimensions of the embedding: D_in inputs to D_out outputs. */
export interface Dims {
  readonly dIn: number;
  readonly dOut: number;
}

/** Dimensions as given: D_in may be left to the data (`--dims 128` with real data). */
export interface RawDims {
  readonly dIn: number | undefined;
  readonly dOut: number;
}

/** The selection, resolved and validated: every list non-empty, every value in range. */
export interface Selection {
  readonly engines: readonly EngineName[];
  /** Kernels asked for; undefined means every kernel of each engine. */
  readonly kernels: readonly EngineKernel[] | undefined;
  readonly formulations: readonly Formulation[] | undefined;
  readonly strategies: readonly Strategy[];
  readonly threads: readonly number[];
  readonly batches: readonly number[];
  readonly dims: readonly Dims[];
  /** Exactly one of activeFractions and margins is set. */
  readonly activeFractions: readonly number[] | undefined;
  readonly margins: readonly number[] | undefined;
  /** `synthetic`, `mnist` or a CSV path (README: Real data). */
  readonly data: string;
  /** The label column a CSV header names; undefined: the first column. */
  readonly labelColumn: string | undefined;
  readonly seed: number;
  readonly reduction: Reduction;
  /** Bytes a workload may need, from --max-memory or the machine. */
  readonly memory: MemoryAllowance;
}

/** The raw values commander hands back for the selection options. */
export interface RawSelection {
  engines?: string[];
  kernels?: string[];
  formulations?: Formulation[];
  strategies?: Strategy[];
  threads?: number[];
  batch?: number[];
  dims?: RawDims[];
  active?: number[];
  margin?: number[];
  data: string;
  labelColumn?: string;
  seed: number;
  reduction: Reduction;
  maxMemory?: number;
}

/** Defaults a command gives where the user said nothing. */
export interface SelectionDefaults {
  readonly batches: readonly number[];
  readonly dims: readonly Dims[];
  readonly activeFractions: readonly number[];
}

/** The embedded default a newcomer gets: B = 4096, dims 512x128, 30 % active. */
export const SELECTION_DEFAULTS: SelectionDefaults = { batches: [4096], dims: [{ dIn: 512, dOut: 128 }], activeFractions: [0.3] };
