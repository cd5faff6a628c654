/**
 * The sweep: `rounds` passes over every configuration of every workload at once, each pass
 * in a new seeded shuffled order, so no engine or thread count always runs first on a cool
 * machine, and a phase of the machine's speed (they last tens of seconds to minutes here)
 * falls on every row alike instead of on the one workload timed in it. Each visit opens a
 * configuration, checks it against the reference, times its window and checks it again
 * (closing-check.ts); the visit is the unit of evidence (unit-interval.ts): a row's
 * interval is over its visits, spread over the whole run. Workloads too big to hold
 * together are swept in groups (interleavedGroups). A configuration that fails becomes an
 * `errored` row; the sweep goes on.
 */
import { performance } from 'node:perf_hooks';
import type { Engine, EngineSession } from '../engines/engine.js';
import type { EngineRegistry } from '../engines/index.js';
import { errorMessage } from '../errors.js';
import type { Selection } from '../selection.js';
import { SeededRandom } from '../triplet/random.js';
import type { Workload } from '../workload.js';
import type { LabelledData } from '../data/dataset.js';
import type { PlannedConfig, WorkloadSpec } from './plan.js';
import { effectiveGflops } from '../model/flops.js';
import type { ResultRow } from './rows.js';
import type { ScalingEvidence } from './speedup-interval.js';
import { median, summarize } from './statistics.js';
import { timeSession, type TimingWindow } from './timing.js';
import { unitInterval } from './unit-interval.js';
import { DEFAULT_STEADY_STATE, warmUntilSteady, type SteadyStatePolicy, type WarmUp } from './steady-state.js';
import { DEFAULT_PRECISION_PCT, MIN_UNITS, missedPrecisionReason, unitsStillNeeded, type PrecisionPlan } from './precision.js';
import { workloadMemory } from '../memory.js';
import { DEFAULT_WATCHDOG, openWatched, type WatchdogPolicy } from './watchdog.js';
import { buildWorkloadInThread } from './workload-thread.js';
import { stoppedMs } from './stopped-clock.js';
import { closingCheck, openingCheck } from './closing-check.js';
import { profilePhases } from './phase-profile.js';
import { summarizePhases, type PhaseProfile, type PhaseSample } from '../phases.js';
import { startInterference, type WindowInterference } from '../environment/interference.js';
import { DEFAULT_INTERFERENCE, joinNotes, rowInterference, waitForQuiet, type InterferencePolicy, type QuietWait, type WindowFigures } from './interference.js';

/**
 * A first step faster than this, or than the window, is stepped once more, warm, before
 * the window is sized and the one-window rule decides: a first step also pays for loading
 * (a tfjs kernel's workers load tfjs-node: 250 ms for a 50 ms step), and judged on it a
 * fast configuration would be taken for a slow one and timed in one window only.
 */
const RESTEP_BELOW_MS = 200;


/** Fields every row of a run shares. */
export interface RunContext {
  readonly runId: string;
  readonly host: string;
  readonly cpuModel: string;
  readonly logicalCpus: number;
  readonly nodeVersion: string;
}

/** A measured configuration: its row and the samples behind it. */
export interface Measurement {
  readonly row: ResultRow;
  readonly samplesMs: readonly number[];
  /** Its units (one median per visit) and engine, for every interval (unit-interval.ts, speedup-interval.ts). */
  readonly evidence: ScalingEvidence;
  /** Each timing window's median step, in order, and which visit it came from (several when a visit times more than one). */
  readonly windowMediansMs: readonly number[];
  /** Interference around each of its windows (src/bench/interference.ts), for run.json. */
  readonly windows: readonly WindowFigures[];
  /** Each open of the configuration: its warm-up and how many windows it timed, for run.json. */
  readonly visits: readonly VisitRecord[];
  /** Which visit each of evidence.windowMediansMs came from. */
  readonly windowVisits: readonly number[];
  /** Where its step time goes, over the profiled steps after its windows (phase-profile.ts); absent where the engine cannot say. */
  readonly phases?: PhaseProfile;
}

/** Callbacks that let the caller draw progress and save reports as rows arrive. */
export interface SweepHooks {
  onWorkload?(spec: WorkloadSpec): void;
  onStart?(config: PlannedConfig, spec: WorkloadSpec): void;
  /**
   * A row measured or updated; `all` is every row so far, in first-measured order. `kept`
   * says why a row was not run again this round (skipped, errored, or measured in full):
   * its figures are an earlier round's, not new ones.
   */
  onMeasured?(measurement: Measurement, all: readonly Measurement[], kept?: string): void;
  /** A line about waiting for a quiet machine (--wait-quiet), printed between configurations. */
  onWait?(line: string): void;
  /** A top-up pass of `visits` more visits begins (precision plans): the progress total grows. */
  onTopUp?(visits: number): void;
}

/** The seeded order configurations (or a group's workload and configuration pairs) run in, in a given round. */
export function shuffledConfigs<T>(configs: readonly T[], seed: number, round = 0): T[] {
  return new SeededRandom((seed ^ 0x5eed) + 7919 * round).shuffle([...configs]);
}

/**
 * Share of the memory a run may use that the workloads swept together may hold at once
 * (their batches and references; pools and hosts come and go with each visit, one at a
 * time, and the run's memory check counts the largest of them).
 */
const INTERLEAVED_MEMORY_SHARE = 0.25;

/**
 * The workloads, in order, cut into groups swept together: as many consecutive ones as
 * fit INTERLEAVED_MEMORY_SHARE of `allowanceBytes` (each at least one). The quick profile's
 * three hold 80 MB: one group; the full profile's biggest (B=16384, 2048x256) 400 MB each.
 */
export function interleavedGroups(specs: readonly WorkloadSpec[], allowanceBytes: number): WorkloadSpec[][] {
  const held = (spec: WorkloadSpec) => {
    const need = workloadMemory(spec.shape, 1, 0);
    return need.batch + need.reference;
  };
  const groups: WorkloadSpec[][] = [];
  let bytes = 0;
  for (const spec of specs) {
    const last = groups[groups.length - 1];
    if (last && bytes + held(spec) <= INTERLEAVED_MEMORY_SHARE * allowanceBytes) {
      last.push(spec);
      bytes += held(spec);
    } else {
      groups.push([spec]);
      bytes = held(spec);
    }
  }
  return groups;
}

/** Fewest samples a row rests on, over all its rounds. */
export const MIN_TOTAL_SAMPLES = 3;

/** Whether a step this slow takes all of a row's samples in its first window. */
export function takesOneWindow(stepMs: number, budgetMs: number): boolean {
  return MIN_TOTAL_SAMPLES * stepMs > budgetMs;
}

/** Size of one timing window. */
interface WindowOptions {
  readonly budgetMs: number;
  /** Fewest steps in the window, so that a row has MIN_TOTAL_SAMPLES over its rounds. */
  readonly minSamples: number;
  /** Windows timed back to back in this visit: 1 but in a study of windows against visits (scripts/unit-study.mjs). */
  readonly count: number;
  /** Whether the visit steps to steady state first (steady-state.ts); the fixed design keeps its two warm steps. */
  readonly steadyState?: SteadyStatePolicy;
  /** The sweep's clock, ms. */
  readonly now: () => number;
  /** Whether a slow step may take all its samples in one window and skip its later rounds (see SweepOptions.everyRound). */
  readonly oneWindowShortcut: boolean;
  /**
   * Whether the visit profiles its step's phases after its windows (phase-profile.ts): a
   * configuration's first visit only, since the steps cost the visit time that the other
   * rows' top-up visits could use, and one visit's steps say where the time goes.
   */
  readonly profilePhases: boolean;
}

interface Outcome {
  status: ResultRow['status'];
  note: string;
  activeFraction: number | null;
  maxRelErr: number | null;
  /** The visit's timing windows, in order: each is one unit of evidence (unit-interval.ts). */
  timed?: readonly TimingWindow[];
  /** What the visit's warm-up to steady state took (steady-state.ts). */
  warmUp?: WarmUp;
  /** What other work took of the machine during the window. */
  interference?: WindowInterference;
  /** Measured in full already: later rounds leave it be. */
  complete?: boolean;
  /** Errored by the closing check: the row keeps its timing figures, marked errored. */
  samplesKept?: boolean;
  /** Steps profiled after the windows (phase-profile.ts). */
  phaseSamples?: readonly PhaseSample[];
}

/** Everything measured of one configuration so far, over rounds. */
interface Accumulated extends Outcome {
  samplesMs: number[];
  stragglerRatios: number[];
  /** Median step of each window, in round order. */
  windowMediansMs: number[];
  /** Which visit (open) each window came from, 0-based. */
  windowVisits: number[];
  /** One per visit: the geometric mean of its windows' medians (its one window's median by default): the unit of evidence. */
  unitMediansMs: number[];
  /** Wall time of each visit, ms, open to close: what a top-up visit of this row costs. */
  visitMs: number[];
  /** Each visit's warm-up, for run.json. */
  visits: VisitRecord[];
  windows: WindowFigures[];
  /** Set when the run's budget ended while the row was still wider than the precision asked. */
  budgetSpent?: boolean;
}

/** One open of a configuration, as run.json records it. */
export interface VisitRecord {
  readonly warmup_steps: number;
  readonly warmup_ms: number;
  readonly settled: boolean;
  readonly windows: number;
  /** The whole visit, open to close, ms. */
  readonly ms: number;
}

async function timedStep(session: EngineSession, signal?: AbortSignal, now: () => number = () => performance.now()) {
  const began = now();
  const outcome = await untilAborted(session.step(), signal);
  return { outcome, ms: now() - began };
}

/**
 * `work`, or a rejection as soon as `signal` aborts: Ctrl-C must not wait for a step of
 * several seconds. The caller then closes the session, which ends the step's threads or
 * child.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(new Error('aborted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Opens, warms, checks and times one configuration: one visit, of `window.count` windows. */
async function measure(engines: EngineRegistry, workload: Workload, config: PlannedConfig, window: WindowOptions, signal?: AbortSignal, watchdog = DEFAULT_WATCHDOG): Promise<Outcome> {
  const engine = engines[config.engine];
  const availability = engine.availability(config.kernel);
  if (!availability.available) {
    return { status: 'skipped', note: `${availability.reason}; fix: ${availability.fix}`, activeFraction: null, maxRelErr: null };
  }
  const { batch } = workload.problem.shape;
  // Every warm-up, step, window and close under a deadline (watchdog.ts): a stuck configuration becomes an errored row.
  const opening = openWatched(engine.open(workload, config), workload.problem.shape, config, watchdog);
  let session: EngineSession;
  try {
    session = await untilAborted(opening, signal);
  } catch (error) {
    // Aborted while opening: close the session whenever it finishes opening.
    opening.then((late) => late.close(), () => undefined).catch(() => undefined);
    throw error;
  }
  try {
    // The first step warms the JIT and caches and is the one checked; a fast configuration
    // takes a second, warm step to size the timing window from.
    const first = await timedStep(session, signal, window.now);
    const checked = first.ms < Math.max(RESTEP_BELOW_MS, window.budgetMs) ? { ...first, ms: (await timedStep(session, signal, window.now)).ms } : first;
    let maxRelErr: number | null = null;
    let activeFraction = workload.activeFraction();
    if (config.role === 'gradient') {
      // The gate at the opening (src/bench/closing-check.ts): gradient, loss and active count.
      const verdict = openingCheck(checked.outcome, workload);
      maxRelErr = verdict.maxRelErr;
      activeFraction = checked.outcome.activeCount / batch;
      if (!verdict.ok) return { status: 'errored', note: `${verdict.reason}; not timed`, activeFraction, maxRelErr };
    }
    // Stepped until the step time has settled, so no window times a warm-up (steady-state.ts).
    const warmUp = window.steadyState
      ? await warmUntilSteady(async () => (await timedStep(session, signal, window.now)).ms, first === checked ? [first.ms] : [first.ms, checked.ms], window.steadyState, window.now)
      : undefined;
    let stepMs = warmUp?.stepMs ?? checked.ms;
    // A step too slow for a row's fewest samples to fit one window gets them all in this
    // window: its later rounds would cost minutes and add little (slow steps shrug off
    // short noise). The row then rests on one window (src/bench/estimate.ts plans the same).
    // With a precision to reach, a slow step is instead a window of its own, one unit each.
    // One warm step can be one the machine slowed (under load a 1 ms step took 15 here, and its
    // row lost a round): a step judged slow but under RESTEP_BELOW_MS is stepped again and the
    // faster counts, since other work only ever slows a step down.
    const shortcut = !window.steadyState && window.oneWindowShortcut;
    if (shortcut && takesOneWindow(stepMs, window.budgetMs) && stepMs < RESTEP_BELOW_MS) {
      stepMs = Math.min(stepMs, (await timedStep(session, signal, window.now)).ms);
    }
    const slow = shortcut && takesOneWindow(stepMs, window.budgetMs);
    const minSamples = window.steadyState ? 1 : slow ? MIN_TOTAL_SAMPLES : window.minSamples;
    const timing = { ...window, minSamples, stepMs, ...(signal ? { signal } : {}) };
    // Around the whole visit's windows, in this process: a tfjs host's CPU counts as this process tree's own.
    const sampler = startInterference();
    const timed: TimingWindow[] = [];
    for (let w = 0; w < Math.max(1, window.count); w++) {
      for (let attempt = 1; ; attempt++) {
        const stoppedBefore = stoppedMs();
        const one = await untilAborted(session.time ? session.time(timing) : timeSession(session, timing), signal);
        // A window the command was stopped in (Ctrl-Z) holds a step as long as the stop: it is
        // timed again, the session still open (src/bench/stopped-clock.ts).
        if (stoppedMs() === stoppedBefore || attempt >= STOPPED_WINDOW_ATTEMPTS) {
          timed.push(one);
          break;
        }
      }
    }
    const interference = sampler.end(); // at once: whatever follows the window is not its
    const lastOutcome = timed[timed.length - 1]!.lastOutcome;
    const seen = { activeFraction, maxRelErr, timed, interference, ...(warmUp ? { warmUp } : {}) };
    if (config.role === 'gradient') {
      // The gate at the closing: the last timed step, then one untimed step at a perturbed W.
      const closing = await closingCheck(session, workload, lastOutcome, () => untilAborted(session.step(), signal));
      // The worst of the opening and closing checks (Math.max keeps a NaN).
      seen.maxRelErr = Math.max(maxRelErr ?? 0, closing.maxRelErr ?? 0);
      if (!closing.ok) return { status: 'errored', note: `${closing.reason}; its samples are kept`, ...seen, samplesKept: true };
    }
    const note = config.role === 'overhead' ? 'harness overhead: dispatch, barrier and reduction, no arithmetic' : '';
    // Where the time goes, on a few untimed steps after the windows of its first visit (phase-profile.ts).
    const phaseSamples = window.profilePhases ? await untilAborted(profilePhases(session, timed), signal) : [];
    return { status: 'ok', note, ...seen, complete: slow, phaseSamples };
  } finally {
    await session.close();
  }
}

/** Timings of a window the command was stopped in, at most: a window stopped every time is kept as it is. */
const STOPPED_WINDOW_ATTEMPTS = 3;

function toRow(context: RunContext, selection: Selection, spec: WorkloadSpec, workload: Workload, config: PlannedConfig, outcome: Accumulated, policy: InterferencePolicy, precision?: PrecisionPlan): ResultRow {
  const { batch, dIn, dOut } = spec.shape;
  // A row errored by its closing check keeps its timing: it was measured, then found wrong.
  const timed = outcome.status === 'ok' || outcome.samplesKept === true;
  const t = timed && outcome.samplesMs.length > 0 ? summarize(outcome.samplesMs) : undefined;
  // Only a timed row is flagged: an errored or skipped one has no time to distrust.
  const interference = outcome.status === 'ok' ? rowInterference(outcome.windows, policy) : undefined;
  const units = t ? unitInterval(outcome.unitMediansMs) : null;
  const targetPct = precision?.targetPct ?? DEFAULT_PRECISION_PCT;
  const met = units !== null && units.units >= MIN_UNITS && units.halfWidthPct <= targetPct;
  // Said in the note only where the run was asked to reach a precision: a fixed design reports it, no more.
  const missed = t && precision && outcome.status === 'ok' && !met
    ? missedPrecisionReason({ unitMediansMs: outcome.unitMediansMs, budgetSpent: outcome.budgetSpent === true, interfered: interference?.note !== undefined && interference.note !== '' }, precision)
    : '';
  return {
    run_id: context.runId,
    engine: config.engine,
    kernel: config.kernel,
    formulation: config.formulation,
    strategy: config.strategy,
    threads: config.threads,
    batch,
    d_in: dIn,
    d_out: dOut,
    margin: workload.problem.margin,
    active_fraction: outcome.activeFraction,
    samples: t?.samples ?? null,
    mean_ms: t?.meanMs ?? null,
    p50_ms: t?.p50Ms ?? null,
    p99_ms: t?.p99Ms ?? null,
    sd_ms: t?.sdMs ?? null,
    // Over the row's visits, not its steps or windows: those of one visit are not independent (unit-interval.ts).
    rme_pct: units?.halfWidthPct ?? null,
    // Throughput and GFLOP/s from the median step: robust to the odd descheduled step.
    triplets_per_s: t ? batch / (t.p50Ms / 1000) : null,
    gflops: t && config.role === 'gradient' ? effectiveGflops(batch, dIn, dOut, t.p50Ms) : null,
    speedup: null,
    efficiency: null,
    max_rel_err: outcome.maxRelErr,
    status: outcome.status,
    note: joinNotes(joinNotes(outcome.note, interference?.note ?? ''), missed),
    host: context.host,
    cpu_model: context.cpuModel,
    logical_cpus: context.logicalCpus,
    node_version: context.nodeVersion,
    karp_flatt: null,
    harness_overhead_ms: null,
    harness_overhead_pct: null,
    straggler_ratio: outcome.stragglerRatios.length > 0 ? median(outcome.stragglerRatios) : null,
    target_active: 'activeFraction' in spec.choice ? spec.choice.activeFraction : null,
    data: selection.data,
    seed: selection.seed,
    // Filled from the run's roofline when the rows are saved (src/roofline/columns.ts).
    roofline_gflops: null,
    roofline_pct: null,
    // Filled from the whole set of rows (rows.ts deriveScaling).
    speedup_ci_low: null,
    speedup_ci_high: null,
    karp_flatt_ci_low: null,
    karp_flatt_ci_high: null,
    // A row resting on one window (a slow configuration) says so here, and the report marks it.
    windows: t ? outcome.windowMediansMs.length : null,
    interference_cores: interference?.interference_cores ?? null,
    interference_limit: interference ? interference.interference_limit : null,
    throttled_periods: interference?.throttled_periods ?? null,
    p50_ci_low_ms: units?.lowMs ?? null,
    p50_ci_high_ms: units?.highMs ?? null,
    precision_target_pct: t ? targetPct : null,
    precision_met: t ? (met ? 'yes' : 'no') : null,
    // Filled from the run's memory roof when the rows are saved (src/roofline/bound.ts).
    intensity_flop_per_byte: null,
    memory_roof_gbps: null,
    bound: null,
    bound_pct: null,
    scaling: spec.weakThreads === undefined ? 'strong' : 'weak',
  };
}

/** Geometric mean: a visit's unit from its windows' medians, on the log scale the interval works on. */
function geometricMean(values: readonly number[]): number {
  if (values.length === 1) return values[0]!; // exactly, not exp(log(x))
  return Math.exp(values.reduce((sum, x) => sum + Math.log(x), 0) / values.length);
}

/** Folds one visit's outcome (and the wait for quiet before it, and its wall time) into what a configuration has so far. */
function accumulate(previous: Accumulated | undefined, outcome: Outcome, visitMs: number, wait?: QuietWait): Accumulated {
  const timed = outcome.timed ?? [];
  const samplesMs = [...(previous?.samplesMs ?? []), ...timed.flatMap((w) => w.samplesMs)];
  const waited = wait ? { waited_s: wait.waited_s, quiet_after_wait: wait.quiet } : {};
  const windows = [...(previous?.windows ?? []), ...(outcome.interference ? [{ ...outcome.interference, ...waited }] : [])];
  const stragglerRatios = [...(previous?.stragglerRatios ?? []), ...timed.flatMap((w) => w.stragglerRatios)];
  const medians = timed.filter((w) => w.samplesMs.length > 0).map((w) => median(w.samplesMs));
  const windowMediansMs = [...(previous?.windowMediansMs ?? []), ...medians];
  const visitIndex = previous?.visits.length ?? 0;
  const windowVisits = [...(previous?.windowVisits ?? []), ...medians.map(() => visitIndex)];
  const unitMediansMs = [...(previous?.unitMediansMs ?? []), ...(medians.length > 0 ? [geometricMean(medians)] : [])];
  const visit: VisitRecord | undefined = outcome.timed
    ? { warmup_steps: outcome.warmUp?.steps ?? 0, warmup_ms: outcome.warmUp?.ms ?? 0, settled: outcome.warmUp?.settled ?? true, windows: medians.length, ms: visitMs }
    : undefined;
  const visits = [...(previous?.visits ?? []), ...(visit ? [visit] : [])];
  // The worst round decides: one mismatch or failure makes the whole row errored.
  const maxRelErr = outcome.maxRelErr === null ? (previous?.maxRelErr ?? null) : Math.max(outcome.maxRelErr, previous?.maxRelErr ?? 0);
  const phaseSamples = [...(previous?.phaseSamples ?? []), ...(outcome.phaseSamples ?? [])];
  return { ...outcome, maxRelErr, samplesMs, stragglerRatios, windowMediansMs, windowVisits, unitMediansMs, visitMs: [...(previous?.visitMs ?? []), visitMs], visits, windows, phaseSamples };
}

/** Why a configuration is not run again in a later round, for the progress line. */
function keptReason(so: Accumulated): string {
  if (so.status !== 'ok') return `${so.status} in an earlier round`;
  return `measured in full in its first window (a slow step: ${so.samplesMs.length} samples); --rounds gives it every round`;
}

/** Whether an engine runs on one thread whatever is asked. */
function isSingleThreadEngine(engine: Engine): boolean {
  return !engine.parallel;
}

/** Options of a sweep. */
export interface SweepOptions {
  readonly context: RunContext;
  /**
   * The engines that open each configuration: the product's registry (ENGINES_BY_NAME), or
   * in tests one whose engines fail on purpose (test/inject/), as a benchmark runner takes
   * its executor.
   */
  readonly engines: EngineRegistry;
  /** tinybench time budget of one window, ms. */
  readonly budgetMs: number;
  /** Passes over every configuration of every workload (with a precision plan: the first passes, before any top-up). */
  readonly rounds: number;
  /**
   * Time rows to a precision (src/bench/precision.ts): visits warmed to steady state, then
   * more visits for the rows still too wide, within a budget. Without it the design is
   * fixed: `rounds` visits of one window each, the first warm step their only warm-up.
   */
  readonly precision?: PrecisionPlan;
  /**
   * Every timed row gets a window in every round, however slow its step: the user chose
   * --rounds. Otherwise (the profile's rounds) a step too slow for MIN_TOTAL_SAMPLES to fit
   * one window takes them all in its first and skips the rest (takesOneWindow). Judged on
   * one warm step, that shortcut took `--rounds 100 --time 10` to 1 or 2 windows a row.
   */
  readonly everyRound?: boolean;
  readonly signal?: AbortSignal;
  readonly hooks?: SweepHooks;
  /** The loaded samples of a real --data source; undefined for synthetic. */
  readonly data?: LabelledData;
  /** Deadlines of each configuration's phases; DEFAULT_WATCHDOG unless a test shortens them. */
  readonly watchdog?: WatchdogPolicy;
  /** Which configurations a workload runs (src/bench/fraction-plan.ts); undefined: all. */
  readonly include?: (config: PlannedConfig, spec: WorkloadSpec) => boolean;
  /** When a row is flagged for interference, and how long to wait for quiet; DEFAULT_INTERFERENCE unless given. */
  readonly interference?: InterferencePolicy;
  /** When a configuration has warmed up (precision plans only); DEFAULT_STEADY_STATE unless a test gives one. */
  readonly steadyState?: SteadyStatePolicy;
  /** The clock the budget is kept on, ms; performance.now unless a test fakes it. */
  readonly now?: () => number;
}

/** A configuration of a workload, and what it has measured so far. */
interface Pair {
  readonly spec: WorkloadSpec;
  readonly workload: Workload;
  readonly config: PlannedConfig;
  so?: Accumulated;
  /** Its place in the measurements, set on its first visit. */
  index?: number;
}

/**
 * Runs every configuration on every workload, `rounds` times, each round over all
 * workloads of a group in one shuffled order, then (with a precision plan) again for the
 * rows still wider than the target, while the budget lasts; stops early (keeping what
 * finished) when aborted. `onMeasured` receives each row as it stands after each visit.
 */
export async function runSweep(
  selection: Selection,
  specs: readonly WorkloadSpec[],
  configs: readonly PlannedConfig[],
  options: SweepOptions,
): Promise<Measurement[]> {
  const { context, engines, budgetMs, rounds, signal, hooks, precision } = options;
  const policy = options.interference ?? DEFAULT_INTERFERENCE;
  const now = options.now ?? (() => performance.now());
  const began = now();
  const measurements: Measurement[] = [];
  const ownedBy = (spec: WorkloadSpec) => (options.include ? configs.filter((config) => options.include!(config, spec)) : configs);
  const plannedTotal = specs.reduce((sum, spec) => sum + ownedBy(spec).length, 0);
  let plannedSoFar = 0;

  const publish = (pair: Pair, so: Accumulated, kept?: string) => {
    const { spec, workload, config } = pair;
    const evidence = { unitMediansMs: so.unitMediansMs, singleThreadEngine: isSingleThreadEngine(engines[config.engine]) };
    const measurement: Measurement = {
      row: toRow(context, selection, spec, workload, config, so, policy, precision),
      samplesMs: so.samplesMs,
      evidence,
      windowMediansMs: so.windowMediansMs,
      windows: so.windows,
      visits: so.visits,
      windowVisits: so.windowVisits,
    };
    const phases = summarizePhases(so.phaseSamples ?? []);
    pair.index ??= measurements.length;
    pair.so = so;
    measurements[pair.index] = phases ? { ...measurement, phases } : measurement;
    hooks?.onMeasured?.(measurement, measurements, kept);
  };

  /** One visit of the pair (unless it is done), `windows` windows long; false when aborted. */
  const visit = async (pair: Pair, windows: number): Promise<boolean> => {
    const { spec, workload, config } = pair;
    const previous = pair.so;
    const rerun = !(previous && (previous.status !== 'ok' || previous.complete));
    // Only before a window that will be timed, and before the progress line starts, so
    // that the wait's messages get lines of their own.
    const willTime = rerun && engines[config.engine].availability(config.kernel).available;
    const wait = willTime ? await waitForQuiet(policy, { ...(hooks?.onWait ? { onWait: hooks.onWait } : {}), ...(signal ? { signal } : {}) }) : undefined;
    if (signal?.aborted) return false;
    hooks?.onStart?.(config, spec);
    if (!rerun) {
      publish(pair, previous!, keptReason(previous!)); // skipped, errored or complete: not run again
      return true;
    }
    const window: WindowOptions = {
      budgetMs,
      minSamples: Math.ceil(MIN_TOTAL_SAMPLES / rounds),
      count: windows,
      now,
      oneWindowShortcut: !options.everyRound,
      profilePhases: (previous?.phaseSamples?.length ?? 0) === 0,
      ...(precision ? { steadyState: options.steadyState ?? DEFAULT_STEADY_STATE } : {}),
    };
    const visitBegan = now();
    let outcome: Outcome;
    try {
      outcome = await measure(engines, workload, config, window, signal, options.watchdog);
    } catch (error) {
      outcome = { status: 'errored', note: errorMessage(error), activeFraction: null, maxRelErr: null };
    }
    // A window cut short by an abort is not a finished measurement: drop it.
    if (signal?.aborted) return false;
    publish(pair, accumulate(previous, outcome, now() - visitBegan, wait));
    return true;
  };

  for (const group of interleavedGroups(specs, selection.memory.bytes)) {
    if (signal?.aborted) break;
    const pairs: Pair[] = [];
    for (const spec of group) {
      hooks?.onWorkload?.(spec);
      let workload: Workload;
      try {
        workload = await buildWorkloadInThread(spec, selection, options.data, signal);
      } catch (error) {
        if (signal?.aborted) return measurements;
        throw error;
      }
      for (const config of ownedBy(spec)) pairs.push({ spec, workload, config });
    }
    // This group's share of the budget ends where its configurations' share of the run does.
    plannedSoFar += pairs.length;
    const deadline = precision ? began + (precision.budgetMs * plannedSoFar) / Math.max(1, plannedTotal) : Number.POSITIVE_INFINITY;

    let round = 0;
    for (; round < rounds && !signal?.aborted; round++) {
      for (const pair of shuffledConfigs(pairs, selection.seed, round)) {
        if (signal?.aborted || !(await visit(pair, precision?.windowsPerVisit ?? 1))) break;
      }
    }
    if (!precision) continue;
    // Top-up passes over the rows still wider than the target, one visit each per pass, in
    // a new shuffled order each pass, the budget spent on the rows it can bring to the target.
    const needing = () => pairs.filter((pair) => pair.so !== undefined && pair.so.status === 'ok' && unitsStillNeeded(pair.so.unitMediansMs, precision) > 0);
    for (let pending = needing(); pending.length > 0 && !signal?.aborted; pending = needing(), round++) {
      if (now() >= deadline) {
        for (const pair of pending) publish(pair, { ...pair.so!, budgetSpent: true });
        break;
      }
      const pass = affordable(pending, deadline - now(), precision);
      hooks?.onTopUp?.(pass.length);
      for (const pair of shuffledConfigs(pass, selection.seed, round)) {
        if (signal?.aborted || now() >= deadline) break;
        if (!(await visit(pair, precision.windowsPerVisit))) break;
      }
    }
  }
  return measurements;
}

/**
 * The rows a top-up pass visits: those whose remaining visits (at what their visits took
 * so far) fit the budget left, cheapest first, so that the budget buys as many rows their
 * precision as it can instead of a few more units for a row that cannot reach it; all of
 * them when none fits (the rest of the budget still narrows their intervals).
 */
export function affordable<P extends { readonly so?: { readonly visitMs: readonly number[]; readonly unitMediansMs: readonly number[] } | undefined }>(
  pending: readonly P[],
  leftMs: number,
  precision: Pick<PrecisionPlan, 'targetPct' | 'maxUnits'>,
): P[] {
  const costed = pending.map((pair) => {
    const visitMs = pair.so!.visitMs.length > 0 ? median(pair.so!.visitMs) : 0;
    return { pair, cost: unitsStillNeeded(pair.so!.unitMediansMs, precision) * visitMs };
  });
  costed.sort((a, b) => a.cost - b.cost);
  let spent = 0;
  const fits = costed.filter(({ cost }) => (spent += cost) <= leftMs).map(({ pair }) => pair);
  return fits.length > 0 ? fits : [...pending];
}
