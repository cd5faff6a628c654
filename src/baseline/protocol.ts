/** Messages between the `baseline` command and its timing child (one per thread count). */
import type { Formulation, Strategy, TfjsBackend } from '../domain.js';
import type { BatchPayload } from '../engines/tfjs/protocol.js';

/** One configuration to time: the engine's step and the baseline program of the same math. */
export interface BaselinePair {
  readonly formulation: Formulation;
  readonly strategy: Strategy;
}

/** What the child is asked: the batch, the pairs, and how to window them. */
export interface BaselineRequest extends BatchPayload {
  /** The tfjs backend both sides run on, as the tfjs engine of that backend does. */
  readonly backend: TfjsBackend;
  readonly pairs: readonly BaselinePair[];
  readonly windows: number;
  readonly windowMs: number;
}

/** One pair's windows: each window's median step, engine and baseline, in run order. */
export interface PairTiming extends BaselinePair {
  readonly engineMs: readonly number[];
  readonly baselineMs: readonly number[];
  /** max |G_engine - G_baseline| / max |G_baseline| of the first step. */
  readonly gradientRelErr: number;
  readonly engineLoss: number;
  readonly baselineLoss: number;
  readonly engineActive: number;
  readonly baselineActive: number;
}

/** The child's answer. */
export type BaselineReply = { readonly type: 'done'; readonly pairs: readonly PairTiming[] } | { readonly type: 'error'; readonly message: string };
