/** `--data`: which source a command reads, and loading it before any work starts. */
import type { MemoryAllowance } from '../memory.js';
import { loadCsv } from './csv.js';
import type { LabelledData } from './dataset.js';
import { loadMnist } from './mnist.js';
import { dataMemoryCap } from './read-capped.js';

/** `synthetic` (made per batch from the seed), `mnist`, or the path of a CSV file. */
export type DataSource = string;

/**
 * Loads a real data source; undefined for `synthetic`, which has no samples to load. A
 * CSV file or pipe is read up to a cap derived from `allowance` (--max-memory), and a
 * source that stays silent gets one "waiting" line on stderr.
 */
export async function loadData(source: DataSource, labelColumn: string | undefined, allowance: MemoryAllowance): Promise<LabelledData | undefined> {
  if (source === 'synthetic') return undefined;
  if (source === 'mnist') return loadMnist();
  return loadCsv(source, labelColumn, { cap: dataMemoryCap(allowance), onWaiting: (line) => console.error(`triplet-bench: ${line}`) });
}
