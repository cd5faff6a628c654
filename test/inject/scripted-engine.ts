/**
 * An engine whose steps take scripted times on a fake clock, for driving the real sweep
 * in-process: each step returns the float64 reference's true gradient at the session's W
 * (so the opening and closing checks pass as on a correct kernel) and advances the clock by
 * its scripted time; a window (`time`, as a tfjs host's) is as many scripted steps as fit,
 * each with a straggler ratio of 1, and a profiled step splits its time in fixed shares
 * of the workers' phases (SCRIPTED_PHASES), as a pool's would be split.
 */
import type { Engine, EngineConfig, EngineSession } from '../../src/engines/engine.js';
import { ENGINES_BY_NAME, type EngineRegistry } from '../../src/engines/index.js';
import { referenceLossAndGradient } from '../../src/triplet/reference.js';
import type { Workload } from '../../src/workload.js';
import type { Phase, PhaseSample } from '../../src/phases.js';

/** The share of a scripted step each phase takes when profiled; `other` is the rest, 5 %. */
export const SCRIPTED_PHASES: Readonly<Partial<Record<Phase, number>>> = { dispatch: 0.05, forward: 0.35, hinge: 0.05, mask: 0.1, backward: 0.3, barrier: 0.05, reduction: 0.05 };

/** A clock a test advances. */
export class FakeClock {
  ms = 0;
  readonly now = () => this.ms;
}

/** The time of the `step`-th step (0-based, counted over every open) of a configuration's `visit`-th open. */
export type StepScript = (config: EngineConfig, visit: number, step: number) => number;

/** The workers engine's kernels and formulations, its steps scripted: every other engine unchanged. `opened`: each open's workload and configuration key, in order. */
export function scriptedRegistry(clock: FakeClock, script: StepScript): EngineRegistry & { opens: Map<string, number>; opened: { workload: Workload; key: string }[] } {
  const product = ENGINES_BY_NAME.workers;
  const opens = new Map<string, number>();
  const opened: { workload: Workload; key: string }[] = [];
  const engine: Engine = {
    ...product,
    availability: () => ({ available: true }),
    async open(workload: Workload, config: EngineConfig): Promise<EngineSession> {
      const key = `${config.kernel} ${config.strategy} T=${config.threads}`;
      const visit = opens.get(key) ?? 0;
      opens.set(key, visit + 1);
      opened.push({ workload, key });
      let weights = workload.problem.weights;
      let step = 0;
      const once = () => {
        clock.ms += script(config, visit, step++);
        const result = referenceLossAndGradient({ ...workload.problem, weights }, workload.reduction);
        return { loss: result.loss, activeCount: result.activeCount, gradient: result.gradient };
      };
      return {
        step: async () => once(),
        time: async ({ budgetMs, minSamples }) => {
          const samplesMs: number[] = [];
          const began = clock.ms;
          let last = once();
          samplesMs.push(clock.ms - began);
          while (clock.ms - began < budgetMs || samplesMs.length < minSamples) {
            const at = clock.ms;
            last = once();
            samplesMs.push(clock.ms - at);
          }
          return { samplesMs, stragglerRatios: samplesMs.map(() => 1), lastOutcome: { ...last, gradient: Float64Array.from(last.gradient) } };
        },
        profilePhases: async (steps): Promise<PhaseSample[]> =>
          Array.from({ length: steps }, () => {
            const at = clock.ms;
            once();
            const stepMs = clock.ms - at;
            return { stepMs, phases: Object.fromEntries(Object.entries(SCRIPTED_PHASES).map(([phase, share]) => [phase, share * stepMs])) };
          }),
        setWeights: async (next) => {
          weights = next;
        },
        close: async () => undefined,
      };
    },
  };
  return Object.assign({ ...ENGINES_BY_NAME, workers: engine }, { opens, opened });
}
