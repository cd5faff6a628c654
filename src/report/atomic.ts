/** Writes a file so that readers see the old content or the new, never half of either. */
import { renameSync, writeFileSync } from 'node:fs';

/** Writes to a temporary file beside `path`, then renames it over `path`. */
export function writeFileAtomic(path: string, content: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}
