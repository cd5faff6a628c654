/**
 * train.csv: one row per step. The columns that depend only on the options and seed come
 * first; the timing columns (`*_ms`) last, so a comparison can drop them.
 */
import { Parser } from '@json2csv/plainjs';
import { string as stringFormatter } from '@json2csv/formatters';
import type { Strategy } from '../domain.js';
import { defuseFormula } from '../report/csv.js';

export const TRAIN_COLUMNS = [
  'strategy', 'step', 'epoch', 'batch', 'margin', 'loss', 'active_count', 'active_fraction',
  'backward_flops_dense', 'backward_flops_compact', 'skipped_share', 'step_ms', 'mine_ms', 'elapsed_ms',
] as const;

/** Columns that vary from run to run on the same options: wall times. */
export const TIMING_COLUMNS: readonly TrainColumn[] = ['step_ms', 'mine_ms', 'elapsed_ms'];

type TrainColumn = (typeof TRAIN_COLUMNS)[number];
/** One step: its strategy (dense or compact), then numbers. */
export type StepRecord = Record<Exclude<TrainColumn, 'strategy'>, number> & { strategy: Strategy };

const quoted = stringFormatter();

/** The CSV text of the steps: header, then one line per step. */
export function trainCsv(records: readonly StepRecord[]): string {
  if (records.length === 0) return `${TRAIN_COLUMNS.map((c) => `"${c}"`).join(',')}\n`;
  const parser = new Parser({
    fields: [...TRAIN_COLUMNS],
    defaultValue: '',
    formatters: { string: (value: string) => quoted(defuseFormula(value)) },
  });
  return `${parser.parse(records as StepRecord[])}\n`;
}
