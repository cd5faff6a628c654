/** Small file helpers shared by the modules that read the system's own files. */
import { readFileSync } from 'node:fs';

/** The text of `path`, or undefined where it cannot be read (absent on this OS, no permission). */
export function readTextIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
