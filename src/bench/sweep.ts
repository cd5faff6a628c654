/**
 * The sweep: for each workload, each configuration in a seeded shuffled order (so no
 * engine or thread count always runs first, on a cool machine), opened warm, checked
 * against the reference, then timed. A configuration that fails becomes an `errored`
 * row; the sweep goes on.
 */
import { performance } from 'node:perf_hooks';
import { engineNamed } from '../engines/index.js';
import type { EngineSession } from '../engines/engine.js';
import { errorMessage } from '../errors.js';
import type { Selection } from '../options.js';
import { SeededRandom } from '../triplet/random.js';
import { maxRelativeError } from '../triplet/problem.js';
import type { Workload } from '../workload.js';
import type { PlannedConfig, WorkloadSpec } from './plan.js';
import { effectiveGflops, type ResultRow } from './rows.js';
import { timeSession, type Timing } from './timing.js';
import { buildWorkload } from './workloads.js';

/** Gradients further than this from the reference make the row `errored`, untimed. */
export const GRADIENT_TOLERANCE = 1e-4;

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
}

/** Callbacks that let the caller draw progress and save reports as rows arrive. */
export interface SweepHooks {
  onWorkload?(spec: WorkloadSpec): void;
  onStart?(config: PlannedConfig, spec: WorkloadSpec): void;
  onMeasured?(measurement: Measurement): void;
}

/** The seeded order configurations of one workload run in. */
export function shuffledConfigs(configs: readonly PlannedConfig[], seed: number): PlannedConfig[] {
  return new SeededRandom(seed ^ 0x5eed).shuffle([...configs]);
}

interface Outcome {
  status: ResultRow['status'];
  note: string;
  activeFraction: number | null;
  maxRelErr: number | null;
  timing?: Timing;
}

async function timedStep(session: EngineSession) {
  const began = performance.now();
  const outcome = await session.step();
  return { outcome, ms: performance.now() - began };
}

/** Opens, warms, checks and times one configuration. */
async function measure(workload: Workload, config: PlannedConfig, budgetMs: number, signal?: AbortSignal): Promise<Outcome> {
  const engine = engineNamed(config.engine)!;
  const availability = engine.availability(config.kernel);
  if (!availability.available) {
    return { status: 'skipped', note: `${availability.reason}; fix: ${availability.fix}`, activeFraction: null, maxRelErr: null };
  }
  const { batch } = workload.problem.shape;
  const session = await engine.open(workload, config);
  try {
    await session.step(); // JIT and caches warm, outside any timing.
    const checked = await timedStep(session);
    let maxRelErr: number | null = null;
    let activeFraction = workload.activeFraction();
    if (config.role === 'gradient') {
      const reference = workload.reference();
      maxRelErr = maxRelativeError(checked.outcome.gradient, reference.gradient);
      activeFraction = checked.outcome.activeCount / batch;
      if (!(maxRelErr <= GRADIENT_TOLERANCE)) {
        return { status: 'errored', note: `gradient off the reference by ${maxRelErr} relative (tolerance ${GRADIENT_TOLERANCE}); not timed`, activeFraction, maxRelErr };
      }
    }
    const timing = await timeSession(session, { budgetMs, stepMs: checked.ms, ...(signal ? { signal } : {}) });
    const note = config.role === 'overhead' ? 'harness overhead: dispatch, barrier and reduction, no arithmetic' : '';
    return { status: 'ok', note, activeFraction, maxRelErr, timing };
  } finally {
    await session.close();
  }
}

function toRow(context: RunContext, selection: Selection, spec: WorkloadSpec, workload: Workload, config: PlannedConfig, outcome: Outcome): ResultRow {
  const { batch, dIn, dOut } = spec.shape;
  const t = outcome.timing;
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
    rme_pct: t?.rmePct ?? null,
    // Throughput and GFLOP/s from the median step: robust to the odd descheduled step.
    triplets_per_s: t ? batch / (t.p50Ms / 1000) : null,
    gflops: t && config.role === 'gradient' ? effectiveGflops(batch, dIn, dOut, t.p50Ms) : null,
    speedup: null,
    efficiency: null,
    max_rel_err: outcome.maxRelErr,
    status: outcome.status,
    note: outcome.note,
    host: context.host,
    cpu_model: context.cpuModel,
    logical_cpus: context.logicalCpus,
    node_version: context.nodeVersion,
    karp_flatt: null,
    harness_overhead_ms: null,
    harness_overhead_pct: null,
    straggler_ratio: t?.stragglerRatio ?? null,
    target_active: 'activeFraction' in spec.choice ? spec.choice.activeFraction : null,
    data: selection.data,
    seed: selection.seed,
  };
}

/** Runs every configuration on every workload; stops early (keeping rows) when aborted. */
export async function runSweep(
  selection: Selection,
  specs: readonly WorkloadSpec[],
  configs: readonly PlannedConfig[],
  options: { context: RunContext; budgetMs: number; signal?: AbortSignal; hooks?: SweepHooks },
): Promise<Measurement[]> {
  const { context, budgetMs, signal, hooks } = options;
  const measurements: Measurement[] = [];
  for (const spec of specs) {
    if (signal?.aborted) break;
    hooks?.onWorkload?.(spec);
    const workload = buildWorkload(spec, selection);
    for (const config of shuffledConfigs(configs, selection.seed)) {
      if (signal?.aborted) break;
      hooks?.onStart?.(config, spec);
      let outcome: Outcome;
      try {
        outcome = await measure(workload, config, budgetMs, signal);
      } catch (error) {
        outcome = { status: 'errored', note: errorMessage(error), activeFraction: null, maxRelErr: null };
      }
      // A configuration cut short by an abort is not a finished measurement: drop it.
      if (signal?.aborted) break;
      const measurement = { row: toRow(context, selection, spec, workload, config, outcome), samplesMs: outcome.timing?.samplesMs ?? [] };
      measurements.push(measurement);
      hooks?.onMeasured?.(measurement);
    }
  }
  return measurements;
}
