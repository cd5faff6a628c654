/**
 * What a training run records: one StepRecord per step (train.csv's rows, written here)
 * and one Evaluation per held-out check (train.json's `held_out_checks`), the records
 * train.html charts. train.csv's columns that depend only on the options and seed come
 * first; the timing columns (`*_ms`) last, so a comparison can drop them.
 */
import { Parser } from '@json2csv/plainjs';
import { string as stringFormatter } from '@json2csv/formatters';
import type { Strategy } from '../domain.js';
import { defuseFormula } from './csv.js';
import type { Exporter } from './exporter.js';

export const TRAIN_COLUMNS = [
  'strategy', 'step', 'epoch', 'batch', 'margin', 'loss', 'active_count', 'active_fraction',
  'backward_flops_dense', 'backward_flops_compact', 'skipped_share', 'step_ms', 'mine_ms', 'elapsed_ms',
] as const;

/** Columns that vary from run to run on the same options: wall times. */
export const TIMING_COLUMNS: readonly TrainColumn[] = ['step_ms', 'mine_ms', 'elapsed_ms'];

type TrainColumn = (typeof TRAIN_COLUMNS)[number];
/** One step: its strategy (dense or compact), then numbers. */
export type StepRecord = Record<Exclude<TrainColumn, 'strategy'>, number> & { strategy: Strategy };

/** One held-out check: after `epoch` (0: before the first step), at the run's own clock. */
export interface Evaluation {
  readonly strategy: Strategy;
  readonly epoch: number;
  readonly step: number;
  /** The run's own time when checked: the sum of its turns so far, ms. */
  readonly elapsed_ms: number;
  /** Share of the held-out triplets meeting the margin. */
  readonly held_out_rate: number;
}

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

/** One save of a training run: what train.csv and train.json are rendered from. */
export interface TrainRecord {
  readonly records: readonly StepRecord[];
  /** train.json's document: the options, the environment, the status, the manifest (`files`), the summary. */
  readonly meta: Readonly<Record<string, unknown>>;
}

/** train.csv, rewritten with train.json as the run goes (src/commands/train.ts). */
export const trainCsvExporter: Exporter<TrainRecord, string> = {
  file: 'train.csv',
  label: 'train.csv',
  render: (record) => trainCsv(record.records),
};

/** train.json, the training run's status file, indented (src/files/atomic.ts, writeStatusFile, on a full disk). */
export const trainJsonExporter: Exporter<TrainRecord, string> = {
  file: 'train.json',
  label: 'train.json',
  render: (record) => `${JSON.stringify(record.meta, null, 2)}\n`,
};
