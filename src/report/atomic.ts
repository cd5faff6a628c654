/** Writes a file so that readers see the old content or the new, never half of either. */
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';

/** Why a write failed, in words, by errno code. */
const WRITE_FAILURES: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EIO: 'input/output error',
  EFBIG: 'file too large',
};

/** Why a write failed, in words, with its errno code: "no space left on the device (ENOSPC)". */
export function describeWriteFailure(code: string | undefined): string {
  return `${(code && WRITE_FAILURES[code]) ?? 'write failed'} (${code ?? 'EIO'})`;
}

/** A file that could not be written: its path, why, and the errno code. */
export class WriteError extends Error {
  override readonly name = 'WriteError';
  constructor(
    readonly path: string,
    readonly code: string,
  ) {
    super(`cannot write ${path}: ${describeWriteFailure(code)}`);
  }
}

/**
 * Writes to a temporary file beside `path`, then renames it over `path`. On failure (a
 * full disk) the temporary file is removed, `path` keeps its last complete content, and
 * a WriteError names `path`.
 */
export function writeFileAtomic(path: string, content: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // Never created, or already renamed.
    }
    throw new WriteError(path, (error as NodeJS.ErrnoException).code ?? 'EIO');
  }
}

/**
 * Records that a run failed, as far as the disk allows: every file (`writeAll`); else the
 * small status file alone (`writeStatus`), the others keeping their last complete
 * content; else one line on `log` saying the status file keeps its last status.
 */
export function recordFailure(writeAll: () => void, writeStatus: () => void, statusFile: string, log: (line: string) => void): void {
  try {
    writeAll();
    return;
  } catch {
    // Try the status file alone: it is small, and the others keep their last content.
  }
  try {
    writeStatus();
  } catch (error) {
    log(`warning: ${statusFile} keeps its last status, not "failed": it could not be rewritten either (${error instanceof WriteError ? error.code : String(error)})`);
  }
}
