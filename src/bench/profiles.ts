/**
 * Sweep profiles: `quick` (the default) finishes within about 3 minutes on 2 cores;
 * `full` adds batch sizes, dims and active fractions for a real server. Options given
 * on the command line replace the profile's values.
 */
import type { SelectionDefaults } from '../options.js';
import { SELECTION_DEFAULTS } from '../options.js';

export type ProfileName = 'quick' | 'full';
export const PROFILE_NAMES: readonly ProfileName[] = ['quick', 'full'];

export interface Profile extends SelectionDefaults {
  /** tinybench's time budget of one timing window, ms. */
  readonly timeMs: number;
  /** Passes over the configurations; each configuration gets one window per pass. */
  readonly rounds: number;
}

export const PROFILES: Record<ProfileName, Profile> = {
  quick: { ...SELECTION_DEFAULTS, timeMs: 1000, rounds: 2 },
  full: {
    batches: [1024, 4096, 16384],
    dims: [{ dIn: 512, dOut: 128 }, { dIn: 2048, dOut: 256 }],
    activeFractions: [0.05, 0.1, 0.3, 0.5, 1],
    timeMs: 2500,
    rounds: 2,
  },
};
