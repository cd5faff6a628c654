/** Small labelled CSV files for the data and training tests. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeededRandom } from '../src/triplet/random.js';

/** A fresh temporary folder. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `text` to `name` in a fresh folder and returns the path. */
export function csvFile(name: string, text: string): string {
  const dir = tempDir('tb-data-');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/**
 * `labels` clusters of `perLabel` samples in `dIn` features: each label a centre plus
 * noise wide enough that a random embedding leaves many triplets active.
 */
export function clusteredCsv(options: { labels: number; perLabel: number; dIn: number; seed?: number; spread?: number }): string {
  const { labels, perLabel, dIn, seed = 3, spread = 1.2 } = options;
  const random = new SeededRandom(seed);
  const centres = Array.from({ length: labels }, () => Array.from({ length: dIn }, () => random.gaussian()));
  const lines: string[] = [];
  for (let i = 0; i < perLabel; i++) {
    for (let label = 0; label < labels; label++) {
      const x = centres[label]!.map((c) => (c + spread * random.gaussian()).toFixed(5));
      lines.push([`digit${label}`, ...x].join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}
