/**
 * How long a sweep will take, said before it starts: from a calibration on this machine
 * (the float64 reference's time per flop, how long a pool of the most threads takes to
 * open, how long a tfjs host takes to start) and the plan (workloads, configurations,
 * rounds, the window). An estimate, printed as one; the progress line keeps the ETA.
 */
import { performance } from 'node:perf_hooks';
import { engineNamed } from '../engines/index.js';
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
}

/** Building a workload (batch, margin, reference) costs about this many reference computations (measured 3.8 s vs 2.4 s). */
const BUILD_OVER_REFERENCE = 1.6;
/** Each configuration's window is preceded by a warm step and a checked step. */
const UNTIMED_STEPS = 2;

const fusedFlops = (spec: WorkloadSpec) => 8 * spec.shape.batch * spec.shape.dIn * spec.shape.dOut;

/** Times `work`, after one untimed run when `warm`; short work repeated until `atLeastMs` and averaged. */
async function timeIt(work: () => Promise<void> | void, options: { warm: boolean; atLeastMs: number }): Promise<number> {
  const { warm, atLeastMs } = options;
  if (warm) await work();
  let runs = 0;
  const began = performance.now();
  do {
    await work();
    runs++;
  } while (performance.now() - began < atLeastMs);
  return (performance.now() - began) / runs;
}

/** Measures what the estimate needs, in a second or two (a tfjs host start dominates). */
export async function calibrate(configs: readonly PlannedConfig[], reduction: Reduction, seed: number): Promise<Calibration> {
  const shape = { batch: 512, dIn: 64, dOut: 32 };
  const problem = withMargin(syntheticBatch(shape, seed), { activeFraction: 0.3 });
  const referenceMs = await timeIt(() => void referenceLossAndGradient(problem, reduction), { warm: true, atLeastMs: 50 });
  const referenceNsPerFlop = (referenceMs * 1e6) / (8 * shape.batch * shape.dIn * shape.dOut);

  const openAndClose = async (config: PlannedConfig): Promise<number> => {
    const workload = new Workload(problem, config.threads, reduction);
    const engine = engineNamed(config.engine)!;
    // Once, cold, as the sweep opens every configuration: a new pool or child each time.
    return timeIt(async () => {
      const session = await engine.open(workload, config);
      try {
        for (let step = 0; step < UNTIMED_STEPS; step++) await session.step();
      } finally {
        await session.close();
      }
    }, { warm: false, atLeastMs: 0 });
  };
  const runnable = configs.filter((c) => engineNamed(c.engine)?.availability(c.kernel).available);
  const workers = runnable.filter((c) => c.engine === 'workers' && c.role === 'gradient');
  const widest = workers.reduce<PlannedConfig | undefined>((best, c) => (best && best.threads >= c.threads ? best : c), undefined);
  const poolOpenMs = widest ? await openAndClose({ ...widest, kernel: 'js' }) : null;
  const tfjs = runnable.find((c) => c.engine !== 'workers');
  const hostOpenMs = tfjs ? await openAndClose({ ...tfjs, threads: 1 }) : null;
  return { referenceNsPerFlop, poolOpenMs, hostOpenMs };
}

/**
 * Expected wall time of the sweep, ms: every workload built once, and per round every
 * configuration opened, stepped twice untimed and timed for one window (longer where
 * MIN_SAMPLES steps exceed it). A step is taken as the reference's time over the
 * threads (the compiled kernels beat the float64 reference; tfjs's cpu backend is slower).
 */
export function expectedSweepMs(
  specs: readonly WorkloadSpec[],
  configs: readonly PlannedConfig[],
  plan: { readonly rounds: number; readonly budgetMs: number; readonly logicalCpus: number },
  calibration: Calibration,
  include?: ConfigFilter,
): number {
  let total = 0;
  for (const spec of specs) {
    const referenceMs = (fusedFlops(spec) * calibration.referenceNsPerFlop) / 1e6;
    total += BUILD_OVER_REFERENCE * referenceMs;
    // Only what the sweep will visit: a profile runs some configurations at one fraction.
    for (const config of include ? configs.filter((c) => include(c, spec)) : configs) {
      const parallel = config.engine === 'workers' || config.engine === 'tfjs-node' ? Math.min(config.threads, plan.logicalCpus) : 1;
      const stepMs = config.role === 'overhead' ? 0 : referenceMs / parallel;
      const openMs = (config.engine === 'workers' ? calibration.poolOpenMs : calibration.hostOpenMs) ?? 0;
      // The first round takes all MIN_SAMPLES of a slow step; later rounds leave it be.
      const windowMs = Math.max(plan.budgetMs, MIN_SAMPLES * stepMs);
      const rounds = takesOneWindow(stepMs, plan.budgetMs) ? 1 : plan.rounds;
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

/** The line printed before the sweep. */
export function estimateLine(expectedMs: number, configurations: number, rounds: number, calibration: Calibration): string {
  const parts = [`reference ${calibration.referenceNsPerFlop.toFixed(2)} ns/flop`];
  if (calibration.poolOpenMs !== null) parts.push(`a pool opens and steps in ${Math.round(calibration.poolOpenMs)} ms`);
  if (calibration.hostOpenMs !== null) parts.push(`a tfjs host in ${(calibration.hostOpenMs / 1000).toFixed(1)} s`);
  return `expected duration: about ${formatDuration(expectedMs)} for ${configurations} configurations x ${rounds} rounds (calibrated here: ${parts.join(', ')})`;
}
