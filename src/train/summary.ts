/** The totals of a training run, for train.json and the lines printed at its end. */
import type { TrainResult } from './loop.js';

/** Figures of a whole run. */
export interface TrainSummary {
  readonly steps: number;
  readonly stopped_by: TrainResult['stoppedBy'];
  readonly margin: number;
  readonly loss_first: number | null;
  readonly loss_last: number | null;
  readonly active_first: number | null;
  readonly active_last: number | null;
  readonly held_out_triplets: number | null;
  readonly held_out_met_before: number | null;
  readonly held_out_met_after: number | null;
  /** Share of the dense backward FLOPs over the run that compaction did not do. */
  readonly skipped_share: number;
  readonly step_ms_total: number;
  readonly total_ms: number;
}

/** Folds the step records into the run's totals. */
export function summarizeRun(result: TrainResult, totalMs: number): TrainSummary {
  const { records } = result;
  const first = records[0];
  const last = records.at(-1);
  const dense = records.reduce((sum, r) => sum + r.backward_flops_dense, 0);
  const compact = records.reduce((sum, r) => sum + r.backward_flops_compact, 0);
  return {
    steps: records.length,
    stopped_by: result.stoppedBy,
    margin: result.margin,
    loss_first: first?.loss ?? null,
    loss_last: last?.loss ?? null,
    active_first: first?.active_fraction ?? null,
    active_last: last?.active_fraction ?? null,
    held_out_triplets: result.heldOut?.triplets ?? null,
    held_out_met_before: result.heldOut?.before ?? null,
    held_out_met_after: result.heldOut?.after ?? null,
    skipped_share: dense > 0 ? 1 - compact / dense : 0,
    step_ms_total: records.reduce((sum, r) => sum + r.step_ms, 0),
    total_ms: totalMs,
  };
}

const STOP_TEXT: Record<TrainSummary['stopped_by'], string> = {
  steps: 'steps done',
  epochs: 'epochs done',
  'no-active-triplets': 'a whole epoch had no active triplet',
  interrupted: 'interrupted',
};

const pct = (x: number | null) => (x === null ? '-' : `${(100 * x).toFixed(1)} %`);
const num = (x: number | null) => (x === null ? '-' : x.toPrecision(5));

/** The human summary, a few lines. */
export function summaryLines(s: TrainSummary): string[] {
  return [
    `steps:            ${s.steps} (stopped: ${STOP_TEXT[s.stopped_by]})`,
    `margin:           ${num(s.margin)}`,
    `loss:             ${num(s.loss_first)} -> ${num(s.loss_last)}`,
    `active fraction:  ${pct(s.active_first)} -> ${pct(s.active_last)}`,
    `held-out meeting the margin: ${pct(s.held_out_met_before)} -> ${pct(s.held_out_met_after)} of ${s.held_out_triplets ?? 0} triplets`,
    `backward work compaction skipped over the run: ${pct(s.skipped_share)}`,
    `time: ${(s.total_ms / 1000).toFixed(1)} s in all, ${(s.step_ms_total / 1000).toFixed(1)} s in gradient steps`,
  ];
}
