/** Messages between the sweep and a tfjs host child process (one per configuration). */
import type { Reduction, Shape } from '../../triplet/problem.js';
import type { TimingWindow } from '../engine.js';
import type { Formulation, Strategy, TfjsBackend } from '../../domain.js';
import type { PhaseSample } from '../../phases.js';

/** A batch and W as they cross to a child process: the tfjs host, the baseline child. */
export interface BatchPayload {
  readonly shape: Shape;
  readonly margin: number;
  readonly anchors: Float32Array;
  readonly positives: Float32Array;
  readonly negatives: Float32Array;
  readonly weights: Float32Array;
}

export type HostRequest =
  | ({
      readonly type: 'open';
      readonly backend: TfjsBackend;
      readonly formulation: Formulation;
      readonly strategy: Strategy;
      readonly reduction: Reduction;
    } & BatchPayload)
  | { readonly type: 'step' }
  | { readonly type: 'weights'; readonly weights: Float32Array }
  | { readonly type: 'time'; readonly budgetMs: number; readonly stepMs: number; readonly minSamples: number }
  | { readonly type: 'phases'; readonly steps: number };

export type HostReply =
  | { readonly type: 'opened'; readonly backend: string }
  | { readonly type: 'stepped'; readonly loss: number; readonly activeCount: number; readonly gradient: Float32Array }
  | { readonly type: 'weightsSet' }
  | ({ readonly type: 'timed' } & TimingWindow)
  | { readonly type: 'profiled'; readonly samples: readonly PhaseSample[] }
  | { readonly type: 'error'; readonly message: string };
