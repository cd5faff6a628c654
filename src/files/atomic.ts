/** Writes a file so that readers see the old content or the new, never half of either. */
import { closeSync, fstatSync, ftruncateSync, openSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';

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
 * Overwrites `path` with `content` in its own blocks, refusing (ENOSPC) when `content` is
 * longer than the file: a full disk gives no room for a new one.
 */
function overwriteInPlace(path: string, content: string): void {
  const bytes = Buffer.from(content);
  const fd = openSync(path, 'r+');
  try {
    if (fstatSync(fd).size < bytes.length) throw Object.assign(new Error('no room in place'), { code: 'ENOSPC' });
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset, offset);
    ftruncateSync(fd, bytes.length);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a JSON status file that must say how a run ended even on a full disk. Atomically
 * first; where the disk has no room for the temporary copy (run.json, with every sample,
 * is the largest file of a run: 146 KB of a 300 KiB tmpfs), the same document without
 * indentation, about two thirds of the size, over the old file in place. That write is not
 * atomic, but it is the only one a full disk allows, and a status left at "running" would
 * tell every reader the run is still going (issue 23, item 7).
 */
export function writeStatusFile(path: string, document: unknown): void {
  try {
    writeFileAtomic(path, `${JSON.stringify(document, null, 2)}\n`);
  } catch (error) {
    try {
      overwriteInPlace(path, `${JSON.stringify(document)}\n`);
    } catch {
      throw error;
    }
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
