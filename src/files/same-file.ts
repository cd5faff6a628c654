/** Whether two paths name one file: any spelling, symbolic or hard link. */
import { statSync } from 'node:fs';

/** True when both exist and are the same file (device and inode, links followed). */
export function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a, { bigint: true });
    const y = statSync(b, { bigint: true });
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false; // one is missing: not the same file
  }
}
