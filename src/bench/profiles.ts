/**
 * Sweep profiles: `quick` (the default) finishes in about 5 minutes on 2 cores;
 * `full` adds batch sizes, dims and active fractions for a real server. Options given
 * on the command line replace the profile's values.
 */
import type { SelectionDefaults } from '../selection.js';
import { SELECTION_DEFAULTS } from '../selection.js';
import type { ProfileTrim } from './fraction-plan.js';
import type { LeftOut } from './left-out.js';

export type ProfileName = 'quick' | 'full';
export const PROFILE_NAMES: readonly ProfileName[] = ['quick', 'full'];

export interface Profile extends SelectionDefaults {
  /** tinybench's time budget of one timing window, ms. */
  readonly timeMs: number;
  /** Passes over the configurations; each configuration gets one window per pass. */
  readonly rounds: number;
  /** What the profile leaves out where the user did not choose (src/bench/fraction-plan.ts); undefined: nothing. */
  readonly trim?: ProfileTrim;
  /** The precision each row is timed to, percent (`--precision`). */
  readonly precisionPct: number;
  /** The sweep's budget, s (`--budget`): no configuration starts a visit after it. */
  readonly budgetS: number;
  /** Windows each visit times back to back: 1, the visit being the unit (src/bench/unit-interval.ts). */
  readonly windowsPerVisit: number;
  /** Engines, kernels and formulations run only with --references (src/bench/left-out.ts). */
  readonly leftOut?: LeftOut;
}

export const PROFILES: Record<ProfileName, Profile> = {
  // Three fractions for the break-even of every worker kernel and tfjs-node fused; the
  // other configurations at 0.3 only, and the single-thread references left out.
  // Each row: three visits (one 300 ms window each after its warm-up), shuffled over the
  // whole run, then more visits for the rows still wider than 3 %, while the budget lasts.
  // At a 2 % spread between visits a t interval needs about 5 units for 3 %, at 3 % about 9.
  quick: {
    ...SELECTION_DEFAULTS,
    activeFractions: [0.1, 0.3, 0.7],
    timeMs: 300,
    rounds: 3,
    windowsPerVisit: 1,
    precisionPct: 3,
    budgetS: 260,
    trim: { everyConfigurationAt: 0.3, singleThreadFormulations: ['fused'], singleThreadStrategies: ['dense'] },
    leftOut: { engines: ['tfjs-cpu', 'tfjs-wasm'], kernels: ['js'], formulations: ['autograd'] },
  },
  full: {
    batches: [1024, 4096, 16384],
    dims: [{ dIn: 512, dOut: 128 }, { dIn: 2048, dOut: 256 }],
    activeFractions: [0.05, 0.1, 0.3, 0.5, 1],
    timeMs: 1000,
    rounds: 3,
    windowsPerVisit: 1,
    precisionPct: 3,
    budgetS: 3600,
  },
};
