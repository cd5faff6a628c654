/** `--data`: which source a command reads, and loading it before any work starts. */
import { loadCsv } from './csv.js';
import type { LabelledData } from './dataset.js';
import { loadMnist } from './mnist.js';

/** `synthetic` (made per batch from the seed), `mnist`, or the path of a CSV file. */
export type DataSource = string;

/** Loads a real data source; undefined for `synthetic`, which has no samples to load. */
export function loadData(source: DataSource, labelColumn?: string): LabelledData | undefined {
  if (source === 'synthetic') return undefined;
  if (source === 'mnist') return loadMnist();
  return loadCsv(source, labelColumn);
}
