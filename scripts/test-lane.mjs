/**
 * One lane of scripts/test.mjs: a process that runs test files one after another, each
 * imported inside a suite named by its path, taking the next file from a queue it shares
 * with the other lanes until the queue is empty. The suite keeps a file's tests together
 * in the TAP and runs the file's own before/after hooks around them. The lane claims the
 * next file once this one's tests have run, and node:test starts a suite only when the one
 * before it has ended, after hooks included: two files of one lane never overlap (a file's
 * CLI server, pools and signal handlers are gone before the next file's tests start).
 *
 * A file is claimed by creating a folder named by its index in the queue: creation is
 * atomic, so each file runs in exactly one lane, and a lane that ends early takes what
 * the slower one has not reached.
 */
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, describe } from 'node:test';
import { pathToFileURL } from 'node:url';

/** Whether this lane took file `index` (its folder under `claims` made here, not by another lane). */
function claim(claims, index) {
  try {
    mkdirSync(join(claims, String(index)));
    return true;
  } catch (error) {
    if (error.code === 'EEXIST') return false;
    throw error;
  }
}

/** Runs the files of `queue` (absolute paths) that no other lane has claimed in `claims`. */
export async function runLane(queue, claims) {
  for (const [index, file] of queue.entries()) {
    if (!claim(claims, index)) continue;
    await new Promise((ended) => {
      describe(relative(process.cwd(), file), async () => {
        try {
          await import(pathToFileURL(file).href);
        } finally {
          // Also when the import threw: the lane goes on to its next file.
          after(ended);
        }
      });
    });
  }
}
