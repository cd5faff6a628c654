/**
 * A labelled data set: n samples of D_in float32 features, each with a label index.
 * Every loader ends in `checkLabels`, so a set that reaches the math can always make
 * triplets: at least two labels (negatives exist) and two samples of each (positives exist).
 */
import { printable, UsageError } from '../errors.js';

/** Samples in row-major order and their labels, as loaded from one source. */
export interface LabelledData {
  /** Where it came from, for messages: `mnist` or the CSV path. */
  readonly source: string;
  readonly count: number;
  readonly dIn: number;
  /** count x dIn, row-major. */
  readonly features: Float32Array;
  /** Index into labelNames of each sample's label. */
  readonly labels: Int32Array;
  readonly labelNames: readonly string[];
}

/** Bad data: one line naming the file (and line, where one is to blame) and what was wrong; exit 2. */
export class DataError extends UsageError {}

/** Where each sample of a label sits, per label index. */
export function samplesByLabel(labels: Int32Array, labelCount: number): number[][] {
  const groups: number[][] = Array.from({ length: labelCount }, () => []);
  for (let i = 0; i < labels.length; i++) groups[labels[i]!]!.push(i);
  return groups;
}

/**
 * Checks that the set can make triplets. `lineOf` maps a sample to its line in the
 * file, so the message can point at the lonely sample.
 */
export function checkLabels(data: LabelledData, lineOf: (sample: number) => string = () => ''): void {
  if (data.count === 0) throw new DataError(`${data.source}: no samples`);
  if (data.labelNames.length < 2) {
    throw new DataError(`${data.source}: every sample has the label '${printable(data.labelNames[0] ?? '')}'; triplets need a second label for their negatives`);
  }
  const groups = samplesByLabel(data.labels, data.labelNames.length);
  const lonely = groups.findIndex((group) => group.length < 2);
  if (lonely >= 0) {
    const sample = groups[lonely]![0]!;
    throw new DataError(`${data.source}${lineOf(sample)}: the label '${printable(data.labelNames[lonely] ?? '')}' has one sample; triplets need two of each label (anchor and positive)`);
  }
}
