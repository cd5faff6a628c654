/**
 * What the commands run with, built once in main() (src/cli.ts) and handed down: the
 * engines that option resolution, the plan, the calibration and the sweep ask and open,
 * the clocks they read, and the output folder the commands make and claim. Nothing below
 * main() reads the product's registry from a global, so a test hands a command (or any
 * step of one) engines, a clock or folders of its own (test/inject/), as hyperfine's loop
 * takes its executor.
 */
import type { calibrate } from './bench/estimate.js';
import type { WatchdogPolicy } from './bench/watchdog.js';
import type { MemoryAllowance } from './memory.js';
import type { measureMemoryRoof } from './roofline/memory-roof.js';
import type { Roofline } from './roofline/types.js';
import type { Shape } from './triplet/problem.js';
import type { EngineRegistry } from './engines/index.js';
import type { ClaimOptions } from './files/claim-out.js';
import type { RunLock } from './files/run-lock.js';
import type { ReportExporter } from './report/exporter.js';
import type { TrainPageExporter } from './report/exporters.js';

/**
 * Where `run`, `train` and `report` put their files: the two file-system steps they take
 * themselves before their writers (src/report/) fill the folder.
 */
export interface OutputFolders {
  /** Makes the --out folder and returns its absolute path; a UsageError where it cannot be one (src/files/output-dir.ts). */
  readonly prepare: (dir: string) => string;
  /** Locks the folder for one run, refusing another run's files unless forced (src/files/claim-out.ts). */
  readonly claim: (dir: string, runId: string, started: Date, options: ClaimOptions) => RunLock;
}

/**
 * What `run` measures of the machine before its sweep: the estimate's calibration, the
 * roofline (within the memory allowed) and the memory roof, several seconds together.
 */
export interface MachineFigures {
  readonly calibrate: typeof calibrate;
  readonly roofline: (shapes: readonly Shape[], threadCounts: readonly number[], allowance: MemoryAllowance) => Promise<Roofline>;
  readonly memoryRoof: typeof measureMemoryRoof;
}

/** The harness context of one command line. */
export interface Harness {
  /** The engines, by name: the product's (src/engines/index.ts), or a test's. */
  readonly engines: EngineRegistry;
  /** The monotonic clock, ms (performance.now): the calibration's timings, the sweep's budget. */
  readonly now: () => number;
  /** The wall clock: a run's id and started_at, the page's generated_at. */
  readonly date: () => Date;
  /** The output folders the commands make and claim. */
  readonly files: OutputFolders;
  /**
   * The report's files `run` and `report` draw from the rows, in order: REPORT_EXPORTERS
   * (src/report/exporters.ts), or a test's stand-in for the page where the page is not its
   * subject (test/inject/entry-options.ts, --undrawn-page).
   */
  readonly reports: readonly ReportExporter[];
  /** The page `train` draws once it ends: TRAIN_PAGE_EXPORTERS, or a test's stand-in, as for `reports`. */
  readonly trainPages: readonly TrainPageExporter[];
  /** Deadlines of the sweep's watchdog, where not the default (tests shorten them; src/bench/watchdog.ts). */
  readonly watchdog?: WatchdogPolicy;
  /** A test's seam: awaited by `run` between its work and its final save (src/commands/lifecycle.ts). */
  readonly afterWork?: () => Promise<void>;
  /** A test's seam: stand-ins for what `run` measures of the machine before its sweep (test/inject/cli.ts, --unmeasured-machine). */
  readonly machine?: MachineFigures;
}
