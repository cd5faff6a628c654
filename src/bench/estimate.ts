/**
 * How long a sweep will take, said before it starts: from a calibration on this machine
 * (the float64 reference's time per flop, each kernel's time per flop on one thread, how
 * long a pool of the most threads takes to open, how long a tfjs host takes to start) and
 * the plan (workloads, configurations, rounds, the window). An estimate, printed as one;
 * the progress line keeps the ETA.
 */
import { fork } from 'node:child_process';
import { ROOFLINE_CHILD_FILE } from '../layout.js';
import { tensorflowChildOptions } from '../native/tf-environment.js';
import { ROOFLINE_WINDOW_MS } from '../roofline/measure.js';
import type { EngineRegistry } from '../engines/index.js';
import { stepFlops } from '../model/flops.js';
import type { Reduction } from '../triplet/problem.js';
import { referenceLossAndGradient } from '../triplet/reference.js';
import { syntheticBatch, withMargin } from '../triplet/synthetic.js';
import { Workload } from '../workload.js';
import type { ConfigFilter } from './fraction-plan.js';
import type { PlannedConfig, WorkloadSpec } from './plan.js';
import { MIN_TOTAL_SAMPLES as MIN_SAMPLES, takesOneWindow } from './sweep.js';

/** What the calibration measured. */
export interface Calibration {
  /** The float64 reference's nanoseconds per flop of the fused formulation (8 B D_in D_out). */
  readonly referenceNsPerFlop: number;
  /** Opening, stepping twice and closing a workers pool of the most threads; null when no workers configuration runs. */
  readonly poolOpenMs: number | null;
  /** Starting a tfjs host, opening a tiny configuration and closing it; null when no tfjs configuration runs. */
  readonly hostOpenMs: number | null;
  /**
   * Nanoseconds per flop of each `engine/kernel`'s warm step on one thread, at the
   * calibration's shape. A kernel missing here is taken to be as slow as the reference.
   */
  readonly kernelNsPerFlop?: Readonly<Record<string, number>>;
  /** Opening and closing each `engine/kernel` on one thread (a tfjs kernel's workers load tfjs-node). */
  readonly kernelOpenMs?: Readonly<Record<string, number>>;
  /**
   * Starting one process that loads tfjs-node, as the roofline starts one per thread count
   * and a thread per concurrent matMul (src/roofline/measure.ts), each about as long;
   * null where no roofline is measured.
   */
  readonly tfThreadStartMs?: number | null;
}

/**
 * Starts one roofline child as the roofline does (it loads tfjs-node, then says it is
 * ready) and ends it: the start-up, ms. A child, not a thread here: libtensorflow logs
 * to the stderr of whoever loads it, and the child's is not the terminal.
 */
async function tfStartMs(now: () => number): Promise<number> {
  const began = now();
  const child = fork(ROOFLINE_CHILD_FILE, ['0'], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'ignore', 'ipc'], ...tensorflowChildOptions(1) });
  try {
    await new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the roofline child exited with code ${code}`)));
    });
    return now() - began;
  } finally {
    child.kill();
  }
}

/**
 * The roofline before the sweep, ms: every tfjs-node process and concurrent thread it
 * starts (one process per thread count, a thread per concurrent matMul up to the widest),
 * each at the measured start-up, as many at once as there are CPUs; then its timing
 * windows. At --threads 256 on 2 CPUs that is 129 start-ups in a row: the 108 s the
 * estimate once left out (issue 23, item 10).
 */
export function expectedRooflineMs(specs: readonly WorkloadSpec[], configs: readonly PlannedConfig[], logicalCpus: number, startMs: number): number {
  const counts = new Set([1, ...configs.map((c) => c.threads)]);
  const widest = Math.max(...counts);
  const starts = counts.size + (widest > 1 ? widest : 0);
  const shapes = new Set(specs.map((s) => `${s.shape.batch}x${s.shape.dIn}x${s.shape.dOut}`)).size;
  // Each shape at each count: the intra-op window, and the concurrent one where T > 1.
  const windows = shapes * (counts.size + (counts.size - 1));
  return Math.ceil(starts / Math.max(1, logicalCpus)) * startMs + windows * ROOFLINE_WINDOW_MS;
}

/**
 * Building a workload (batch, margin, reference) costs about this many reference
 * computations (measured 3.8 s vs 2.4 s), plus one: the closing check's perturbed W has a
 * reference of its own (src/triplet/perturbed.ts).
 */
const BUILD_OVER_REFERENCE = 2.6;
/** Each configuration's window is preceded by a warm step and a checked step, and followed by the closing check's step at a perturbed W. */
const UNTIMED_STEPS = 3;
/**
 * The shape each kernel's speed is measured at: big enough that the arithmetic, not the
 * dispatch, dominates a fast kernel's step (67 MFLOP fused; 3 ms at 20 GFLOP/s), small
 * enough for tfjs's cpu backend (about 0.1 s a step).
 */
const SPEED_SHAPE = { batch: 512, dIn: 256, dOut: 64 };

const fusedFlops = (spec: WorkloadSpec) => 8 * spec.shape.batch * spec.shape.dIn * spec.shape.dOut;
const kernelKey = (config: PlannedConfig) => `${config.engine}/${config.kernel}`;

/** Times `work` on `now`, after one untimed run when `warm`; short work repeated until `atLeastMs` and averaged. */
async function timeIt(work: () => Promise<void> | void, now: () => number, options: { warm: boolean; atLeastMs: number }): Promise<number> {
  const { warm, atLeastMs } = options;
  if (warm) await work();
  let runs = 0;
  const began = now();
  do {
    await work();
    runs++;
  } while (now() - began < atLeastMs);
  return (now() - began) / runs;
}

/** Opens `config` on `problem`, steps it `steps` times, closes it: the open and close time, and the last step's. */
async function openStepClose(context: CalibrationContext, config: PlannedConfig, workload: Workload, steps: number): Promise<{ openCloseMs: number; stepMs: number }> {
  const { engines, now } = context;
  const engine = engines[config.engine];
  const began = now();
  const session = await engine.open(workload, config);
  let stepsMs = 0;
  let stepMs = 0;
  try {
    for (let step = 0; step < steps; step++) {
      const t = now();
      await session.step();
      stepMs = now() - t;
      stepsMs += stepMs;
    }
  } finally {
    await session.close();
  }
  return { openCloseMs: now() - began - stepsMs, stepMs };
}

/** What the calibration runs with: the command's engines and clock (src/harness.ts), and whether the run measures a roofline. */
export interface CalibrationContext {
  readonly engines: EngineRegistry;
  /** The monotonic clock, ms. */
  readonly now: () => number;
  /** Whether a roofline will be measured (tfjs-node loads here): its start-ups are timed only then. */
  readonly roofline: boolean;
}

/**
 * Measures what the estimate needs, in a few seconds (tfjs hosts' starts and tfjs-cpu's
 * steps dominate), opening configurations with the context's engines, as the sweep will,
 * and timing them on its clock.
 */
export async function calibrate(configs: readonly PlannedConfig[], context: CalibrationContext, reduction: Reduction, seed: number): Promise<Calibration> {
  const { engines, now } = context;
  const tiny = withMargin(syntheticBatch({ batch: 512, dIn: 64, dOut: 32 }, seed), { activeFraction: 0.3 });
  const referenceMs = await timeIt(() => void referenceLossAndGradient(tiny, reduction), now, { warm: true, atLeastMs: 50 });
  const referenceNsPerFlop = (referenceMs * 1e6) / (8 * tiny.shape.batch * tiny.shape.dIn * tiny.shape.dOut);

  const runnable = configs.filter((c) => engines[c.engine].availability(c.kernel).available);
  // Once, cold, as the sweep opens every configuration: a new pool of the most threads,
  // stepping its engine's first kernel (the workers' js: the machinery, plain arithmetic).
  const pooled = runnable.filter((c) => engines[c.engine].runsIn === 'pool' && c.role === 'gradient');
  const widest = pooled.reduce<PlannedConfig | undefined>((best, c) => (best && best.threads >= c.threads ? best : c), undefined);
  const poolKernel = widest && engines[widest.engine].kernels[0];
  const poolOpenMs = widest && poolKernel !== undefined
    ? await timeIt(async () => void (await openStepClose(context, { ...widest, kernel: poolKernel }, new Workload(tiny, widest.threads, reduction), UNTIMED_STEPS)), now, { warm: false, atLeastMs: 0 })
    : null;

  // Each kernel's speed on one thread: a warm step at SPEED_SHAPE, fused dense where it runs.
  const speedProblem = withMargin(syntheticBatch(SPEED_SHAPE, seed), { activeFraction: 0.3 });
  const kernelNsPerFlop: Record<string, number> = {};
  const kernelOpenMs: Record<string, number> = {};
  let hostOpenMs: number | null = null;
  const tried = new Set<string>();
  for (const config of runnable) {
    if (config.role !== 'gradient' || tried.has(kernelKey(config))) continue;
    tried.add(kernelKey(config));
    const formulation = runnable.some((c) => kernelKey(c) === kernelKey(config) && c.formulation === 'fused') ? 'fused' : config.formulation;
    const one = { ...config, formulation, strategy: 'dense', threads: 1 } as const;
    let measured: { openCloseMs: number; stepMs: number };
    try {
      measured = await openStepClose(context, one, new Workload(speedProblem, 1, reduction), 2);
    } catch {
      // A kernel that fails here fails its rows in the sweep, which says why; the estimate takes it at the reference's speed.
      continue;
    }
    kernelNsPerFlop[kernelKey(config)] = (measured.stepMs * 1e6) / stepFlops(formulation, 'dense', SPEED_SHAPE, 0);
    kernelOpenMs[kernelKey(config)] = measured.openCloseMs;
    if (engines[config.engine].runsIn === 'child') hostOpenMs = Math.max(hostOpenMs ?? 0, measured.openCloseMs);
  }
  // The roofline's start-ups, where it will run; a thread that fails here fails the roofline, which says why.
  const roofline = configs.length > 0 && context.roofline;
  const tfThread = roofline ? await tfStartMs(now).catch(() => null) : null;
  return { referenceNsPerFlop, poolOpenMs, hostOpenMs, kernelNsPerFlop, kernelOpenMs, tfThreadStartMs: tfThread };
}

/**
 * Expected wall time of the sweep, ms: every workload built once, and per round every
 * configuration opened, stepped three times untimed and timed for one window (longer where
 * MIN_SAMPLES steps exceed it). A step is its FLOPs (src/model/flops.ts, at the workload's active
 * fraction, half where a margin sets it) at its kernel's calibrated speed, divided by its
 * threads: perfect scaling, so multi-thread steps err short; a kernel not calibrated is
 * taken to be as slow as the float64 reference, which errs long.
 */
export function expectedSweepMs(
  specs: readonly WorkloadSpec[],
  configs: readonly PlannedConfig[],
  plan: { readonly rounds: number; readonly budgetMs: number; readonly logicalCpus: number; readonly windowsPerVisit?: number; readonly everyRound?: boolean },
  calibration: Calibration,
  engines: EngineRegistry,
  include?: ConfigFilter,
): number {
  let total = calibration.tfThreadStartMs ? expectedRooflineMs(specs, configs, plan.logicalCpus, calibration.tfThreadStartMs) : 0;
  for (const spec of specs) {
    const referenceMs = (fusedFlops(spec) * calibration.referenceNsPerFlop) / 1e6;
    total += BUILD_OVER_REFERENCE * referenceMs;
    const active = 'activeFraction' in spec.choice ? spec.choice.activeFraction : 0.5;
    // Only what the sweep will visit: a profile runs some configurations at one fraction.
    for (const config of include ? configs.filter((c) => include(c, spec)) : configs) {
      const engine = engines[config.engine];
      const parallel = engine.parallel ? Math.min(config.threads, plan.logicalCpus) : 1;
      const nsPerFlop = calibration.kernelNsPerFlop?.[kernelKey(config)] ?? calibration.referenceNsPerFlop;
      const flops = stepFlops(config.formulation, config.strategy, spec.shape, active * spec.shape.batch);
      const stepMs = config.role === 'overhead' ? 0 : (flops * nsPerFlop) / 1e6 / parallel;
      const ownOpenMs = calibration.kernelOpenMs?.[kernelKey(config)];
      const sharedOpenMs = (engine.runsIn === 'pool' ? calibration.poolOpenMs : engine.runsIn === 'child' ? calibration.hostOpenMs : null) ?? 0;
      const openMs = engine.runsIn === 'pool' ? Math.max(sharedOpenMs, ownOpenMs ?? 0) : (ownOpenMs ?? sharedOpenMs);
      if (plan.windowsPerVisit !== undefined) {
        // To a precision: each visit warms to steady state (two groups of at least 100 ms,
        // src/bench/steady-state.ts) and times its windows, a slow step being one window.
        const warmMs = Math.max(2 * 100, 6 * stepMs);
        total += plan.rounds * (openMs + UNTIMED_STEPS * stepMs + warmMs + plan.windowsPerVisit * Math.max(plan.budgetMs, stepMs));
        continue;
      }
      // The first round takes all MIN_SAMPLES of a slow step; later rounds leave it be.
      const windowMs = Math.max(plan.budgetMs, MIN_SAMPLES * stepMs);
      // As the sweep does (SweepOptions.everyRound): with --rounds, every round.
      const rounds = !plan.everyRound && takesOneWindow(stepMs, plan.budgetMs) ? 1 : plan.rounds;
      total += rounds * (openMs + UNTIMED_STEPS * stepMs + windowMs);
    }
  }
  return total;
}

/** "45 s", "12 min", "2.5 h". */
export function formatDuration(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = seconds / 60;
  if (minutes < 90) return `${Math.round(minutes)} min`;
  return `${(minutes / 60).toFixed(1)} h`;
}

/** The line printed before the sweep; with a precision budget, how long the top-up may add. */
export function estimateLine(expectedMs: number, configurations: number, rounds: number, calibration: Calibration, precisionBudgetMs?: number): string {
  const parts = [`reference ${calibration.referenceNsPerFlop.toFixed(2)} ns/flop`];
  if (calibration.poolOpenMs !== null) parts.push(`a pool opens and steps in ${Math.round(calibration.poolOpenMs)} ms`);
  if (calibration.hostOpenMs !== null) parts.push(`a tfjs host in ${(calibration.hostOpenMs / 1000).toFixed(1)} s`);
  if (calibration.tfThreadStartMs) parts.push(`tfjs-node loads in ${(calibration.tfThreadStartMs / 1000).toFixed(1)} s`);
  // Not the kernels' speeds: at the small calibration shape fast kernels show a fraction of theirs.
  const kernels = Object.keys(calibration.kernelNsPerFlop ?? {}).length;
  if (kernels > 0) parts.push(`${kernels} kernels stepped once`);
  const upTo = precisionBudgetMs !== undefined && precisionBudgetMs > expectedMs
    ? `, up to ${formatDuration(precisionBudgetMs)} if rows need more windows to reach the precision`
    : '';
  return `expected duration: about ${formatDuration(expectedMs)} for ${configurations} configurations x ${rounds} ${precisionBudgetMs === undefined ? 'rounds' : 'visits'}${upTo} (calibrated here: ${parts.join(', ')})`;
}
