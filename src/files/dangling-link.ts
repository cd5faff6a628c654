/**
 * A symbolic link that leads nowhere on the way to an output folder: `mkdir` fails on it
 * with EEXIST, a message that says nothing of the link (issue 23, item 12).
 */
import { existsSync, lstatSync, readlinkSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** A link that leads nowhere: where it is, what it names, and why that cannot be reached. */
export interface DanglingLink {
  readonly link: string;
  readonly target: string;
  readonly why: string;
}

/** Why the link at `link` cannot be followed, in words. */
function deadEnd(link: string): string {
  try {
    statSync(link);
    return 'which cannot be reached';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOENT') return 'which does not exist';
    if (code === 'ELOOP') return 'which loops back on itself';
    return `which cannot be reached (${code})`;
  }
}

/** The dangling link at absolute `path` or at a missing folder above it, if any. */
export function danglingLinkOn(path: string): DanglingLink | undefined {
  for (let at = path; !existsSync(at); at = dirname(at)) {
    let isLink = false;
    try {
      isLink = lstatSync(at).isSymbolicLink();
    } catch {
      // No entry at all: a folder to create.
    }
    if (isLink) return { link: at, target: readlinkSync(at), why: deadEnd(at) };
    if (dirname(at) === at) break;
  }
  return undefined;
}
