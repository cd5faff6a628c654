/**
 * The folder a command writes its files to (`--out`): checked and created before any work,
 * so a bad path is one line and exit 2, not a sweep lost at its first save.
 */
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { danglingLinkOn } from './dangling-link.js';

/**
 * mkdir -p, one level at a time: Node's own recursive mkdirSync never returns on a path
 * under /proc (it retries ENOENT forever, seen on Node 20 and 24).
 */
function makeFolders(path: string): void {
  const missing: string[] = [];
  for (let at = path; !existsSync(at); at = dirname(at)) {
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  for (const folder of missing) mkdirSync(folder);
}

/** Checks that `dir` can hold the reports, creating it; a UsageError naming it otherwise. */
export function prepareOutputDir(dir: string): string {
  // resolve('') is the working directory: never write a run there by accident.
  if (dir.trim() === '') throw new UsageError('--out expects a folder path, got an empty string');
  const path = resolve(dir);
  if (existsSync(path) && !statSync(path).isDirectory()) throw new UsageError(`--out ${dir}: exists and is not a folder`);
  // The link's target is not created for it: a link to a disk not mounted now would have the run written onto the mount point.
  const dangling = danglingLinkOn(path);
  if (dangling) {
    const where = dangling.link === path ? 'is' : `goes through ${dangling.link}, which is`;
    throw new UsageError(`--out ${dir}: ${where} a symbolic link to ${dangling.target}, ${dangling.why}; create the folder it points to, or give another --out`);
  }
  try {
    makeFolders(path);
  } catch (error) {
    throw new UsageError(`--out ${dir}: cannot create the folder (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    accessSync(path, constants.W_OK);
  } catch {
    throw new UsageError(`--out ${dir}: folder is not writable`);
  }
  return path;
}
