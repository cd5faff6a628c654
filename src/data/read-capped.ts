/**
 * Reading a `--data` source whatever it is (a file, a pipe, `<(zcat digits.csv.gz)`, a
 * device) with a cap on the bytes taken: `/dev/zero` would otherwise fill the memory,
 * and a pipe that nobody writes would hang without a word.
 */
import { createReadStream, statSync, type Stats } from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import { errorMessage } from '../errors.js';
import { formatBytes, type MemoryAllowance } from '../memory.js';
import { DataError } from './dataset.js';

/**
 * Share of the memory allowance a data file's bytes may take: parsing holds the text,
 * every cell as a string (tens of bytes for a 4-byte cell) and the float32 features.
 */
export const DATA_SHARE_OF_ALLOWANCE = 1 / 8;

/** After this long with no bytes from the source, say once that the command waits for it. */
export const WAIT_NOTICE_MS = 3000;

/** The most bytes a data file may have under `allowance`, and why, for messages. */
export interface ReadCap {
  readonly bytes: number;
  readonly why: string;
}

/** The cap for an allowance: an eighth of it, and never more than one string can hold. */
export function dataReadCap(allowance: MemoryAllowance): ReadCap {
  const share = Math.floor(allowance.bytes * DATA_SHARE_OF_ALLOWANCE);
  // The text becomes one string: Node cannot make a longer one, whatever the memory.
  const longest = bufferConstants.MAX_STRING_LENGTH;
  return share <= longest
    ? { bytes: share, why: `an eighth of the ${formatBytes(allowance.bytes)} allowed (${allowance.source}); raise --max-memory for a larger file` }
    : { bytes: longest, why: `the longest text Node can hold as one string` };
}

/** What a path is, in words: "a file", "a pipe", ... */
function kindOf(stats: Stats): string {
  if (stats.isFile()) return 'a file';
  if (stats.isFIFO()) return 'a pipe';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** How reading reports that it waits; the CLI prints the line on stderr. */
export interface ReadCappedOptions {
  readonly cap: ReadCap;
  readonly onWaiting?: (line: string) => void;
  /** Tests shorten the wait; WAIT_NOTICE_MS otherwise. */
  readonly waitNoticeMs?: number;
}

/**
 * Every byte of `path`, or a DataError naming it: missing, a folder, unreadable, or more
 * than the cap (a regular file by its size, before reading; anything else once it has
 * given more). Pipes are read as they come; a source silent for a few seconds gets one
 * "waiting" line, and Ctrl-C still ends the process.
 */
export async function readCapped(path: string, options: ReadCappedOptions): Promise<Buffer> {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataError(`--data ${path}: ${code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? errorMessage(error)})`}`);
  }
  if (stats.isDirectory()) throw new DataError(`--data ${path}: is a folder; expected a CSV file`);
  const kind = kindOf(stats);
  const { cap } = options;
  if (stats.isFile() && stats.size > cap.bytes) {
    throw new DataError(`--data ${path}: ${kind} of ${formatBytes(stats.size)}, more than the ${formatBytes(cap.bytes)} a data file may have (${cap.why})`);
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let waited = false;
    let timer: NodeJS.Timeout | undefined;
    const armWaitNotice = () => {
      if (waited || !options.onWaiting) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        waited = true;
        options.onWaiting!(`waiting for --data ${path} (${kind}): no data for ${Math.round((options.waitNoticeMs ?? WAIT_NOTICE_MS) / 1000)} s; Ctrl-C to stop`);
      }, options.waitNoticeMs ?? WAIT_NOTICE_MS);
    };
    const stream = createReadStream(path, { highWaterMark: 1 << 20 });
    const finish = (error: Error | undefined, bytes?: Buffer) => {
      clearTimeout(timer);
      stream.removeAllListeners();
      stream.on('error', () => undefined);
      if (error) {
        stream.destroy();
        reject(error);
      } else resolve(bytes!);
    };
    armWaitNotice();
    stream.on('data', (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      total += bytes.length;
      if (total > cap.bytes) {
        finish(new DataError(`--data ${path}: ${kind} that gave more than ${formatBytes(cap.bytes)} (stopped after ${formatBytes(total)}), the most a data file may have (${cap.why})`));
        return;
      }
      chunks.push(bytes);
      armWaitNotice();
    });
    stream.on('error', (error: NodeJS.ErrnoException) => finish(new DataError(`--data ${path}: cannot read it (${error.code ?? errorMessage(error)})`)));
    stream.on('end', () => finish(undefined, Buffer.concat(chunks, total)));
  });
}
