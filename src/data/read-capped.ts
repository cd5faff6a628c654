/**
 * Reading a `--data` source whatever it is (a file, a pipe, `<(zcat digits.csv.gz)`, a
 * device) as a stream, under a cap on the memory the loaded data may take: the bytes are
 * parsed as they come and never held whole (src/data/csv.ts), so `/dev/zero` or an
 * endless pipe is stopped at the cap, and a pipe that nobody writes gets one "waiting" line.
 */
import { createReadStream, statSync, type ReadStream, type Stats } from 'node:fs';
import { errorMessage } from '../errors.js';
import { formatBytes, type MemoryAllowance } from '../memory.js';
import { DataError } from './dataset.js';

/**
 * Share of the memory allowance the loaded data may take while loading: its float32
 * features and labels, held twice at the end (the blocks they are parsed into, then the
 * one array they are joined into). The workload's thread takes its own copy later, which
 * the workload's need counts apart ("data copy", src/memory.ts).
 */
export const DATA_SHARE_OF_ALLOWANCE = 1 / 4;

/** After this long with no bytes from the source, say once that the command waits for it. */
export const WAIT_NOTICE_MS = 3000;

/** The most bytes loading a data set may hold under `allowance`, and why, for messages. */
export interface DataCap {
  readonly bytes: number;
  readonly allowance: MemoryAllowance;
}

/** The cap for an allowance: a quarter of it. */
export function dataMemoryCap(allowance: MemoryAllowance): DataCap {
  return { bytes: Math.floor(allowance.bytes * DATA_SHARE_OF_ALLOWANCE), allowance };
}

/** "a quarter of the 400 MiB allowed (--max-memory)", for messages. */
export function describeCap(cap: DataCap): string {
  return `a quarter of the ${formatBytes(cap.allowance.bytes)} allowed (${cap.allowance.source})`;
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
  readonly cap: DataCap;
  readonly onWaiting?: (line: string) => void;
  /** Tests shorten the wait; WAIT_NOTICE_MS otherwise. */
  readonly waitNoticeMs?: number;
}

/** An open `--data` source: its bytes as a stream, what it is, and its size when a regular file. */
export interface DataSource {
  readonly stream: ReadStream;
  readonly kind: string;
  readonly size: number | undefined;
}

/** Opens `path` for reading, or a DataError naming it: missing, a folder, unreadable. */
export function openDataSource(path: string): DataSource {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataError(`--data ${path}: ${code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? errorMessage(error)})`}`);
  }
  if (stats.isDirectory()) throw new DataError(`--data ${path}: is a folder; expected a CSV file`);
  return { stream: createReadStream(path, { highWaterMark: 1 << 16 }), kind: kindOf(stats), size: stats.isFile() ? stats.size : undefined };
}

/**
 * Says once, through `options.onWaiting`, that `source` gave no bytes for a few seconds
 * (Ctrl-C still ends the process); returns the function that stops watching.
 */
export function watchSilence(path: string, source: DataSource, options: ReadCappedOptions): () => void {
  const { onWaiting } = options;
  if (!onWaiting) return () => undefined;
  const ms = options.waitNoticeMs ?? WAIT_NOTICE_MS;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      source.stream.off('data', arm);
      onWaiting(`waiting for --data ${path} (${source.kind}): no data for ${Math.round(ms / 1000)} s; Ctrl-C to stop`);
    }, ms);
  };
  arm();
  source.stream.on('data', arm);
  return () => {
    clearTimeout(timer);
    source.stream.off('data', arm);
  };
}

/** The read error of a source as a DataError naming it. */
export function readError(path: string, error: unknown): Error {
  if (error instanceof DataError) return error;
  return new DataError(`--data ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`);
}
