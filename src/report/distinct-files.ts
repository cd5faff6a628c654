/**
 * `report a.csv a.csv` drew every row twice; the same file given again (under any path
 * spelling) is now used once, with a warning.
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';

function identity(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return resolve(file); // missing: the reader names it
  }
}

/** `files` without repeats of one file, in order; `warn` is told of each repeat. */
export function distinctFiles(files: readonly string[], warn: (line: string) => void): string[] {
  const seen = new Map<string, string>();
  const kept: string[] = [];
  for (const file of files) {
    const id = identity(file);
    const first = seen.get(id);
    if (first !== undefined) {
      warn(`${file} is ${first} again: read once`);
      continue;
    }
    seen.set(id, file);
    kept.push(file);
  }
  return kept;
}
