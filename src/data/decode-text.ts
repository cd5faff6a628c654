/**
 * Bytes of a data file to text, refusing what is not UTF-8: a Latin-1 `é` decoded
 * leniently becomes U+FFFD, and two labels silently merge. Compressed files and UTF-16
 * are named as such, with how to convert them.
 */
import { isUtf8 } from 'node:buffer';
import { DataError } from './dataset.js';

/** Formats a data file can be in by mistake, told by their first bytes. */
const MAGIC: readonly { readonly bytes: readonly number[]; readonly what: string; readonly fix: string }[] = [
  { bytes: [0x1f, 0x8b], what: 'gzip-compressed', fix: 'decompress it first (gunzip), or read it through a pipe: --data <(zcat FILE)' },
  { bytes: [0x42, 0x5a, 0x68], what: 'bzip2-compressed', fix: 'decompress it first (bunzip2), or --data <(bzcat FILE)' },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'xz-compressed', fix: 'decompress it first (unxz), or --data <(xzcat FILE)' },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], what: 'zstd-compressed', fix: 'decompress it first (unzstd), or --data <(zstdcat FILE)' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive', fix: 'extract the CSV from it first (unzip)' },
];

const startsWith = (bytes: Uint8Array, prefix: readonly number[]) => bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);

/** 'LE' or 'BE' when the bytes look like UTF-16 (a byte-order mark, or NULs in every other byte); undefined otherwise. */
export function utf16Order(bytes: Uint8Array): 'LE' | 'BE' | undefined {
  if (startsWith(bytes, [0xff, 0xfe])) return 'LE';
  if (startsWith(bytes, [0xfe, 0xff])) return 'BE';
  // ASCII text in UTF-16 has a NUL in every other byte; a stray NUL in a cell does not.
  const sample = Math.min(bytes.length, 4096) & ~1;
  if (sample < 4) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < sample; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = sample / 2;
  if (oddNul >= 0.4 * pairs && evenNul < 0.1 * pairs) return 'LE';
  if (evenNul >= 0.4 * pairs && oddNul < 0.1 * pairs) return 'BE';
  return undefined;
}

/** Offset of the first byte that does not start a valid UTF-8 sequence (RFC 3629); -1 when all are valid. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let i = 0; i < n; ) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) low = 0xa0; // overlong
      if (b === 0xed) high = 0x9f; // surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) low = 0x90; // overlong
      if (b === 0xf4) high = 0x8f; // beyond U+10FFFF
    } else return i;
    const second = bytes[i + 1];
    if (second === undefined || second < low || second > high) return i;
    for (let k = 2; k <= need; k++) {
      const next = bytes[i + k];
      if (next === undefined || next < 0x80 || next > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** Bytes the head checks look at: the magic numbers, and utf16Order's sample. */
export const HEAD_BYTES = 4096;

/** A DataError naming `path` when the first bytes are a compressed file, an archive or UTF-16. */
export function checkDataHead(path: string, head: Uint8Array): void {
  const magic = MAGIC.find((m) => startsWith(head, m.bytes));
  if (magic) throw new DataError(`--data ${path}: ${magic.what} data, not text; expected a plain-text CSV: ${magic.fix}`);
  const order = utf16Order(head);
  if (order) throw new DataError(`--data ${path}: UTF-16${order} text; expected UTF-8: convert it, e.g. iconv -f UTF-16${order} -t UTF-8`);
}

/** The DataError for invalid UTF-8 at `offset` of the whole file, on `line`. */
function invalidUtf8(path: string, line: number, offset: number, byte: number): DataError {
  const hex = byte.toString(16).toUpperCase().padStart(2, '0');
  return new DataError(`${path} line ${line}, byte offset ${offset}: not valid UTF-8 (byte 0x${hex}); expected UTF-8 text: convert it, e.g. iconv -f LATIN1 -t UTF-8`);
}

/** Where the incomplete UTF-8 sequence at the end of `bytes` starts (bytes.length when none is cut). */
function cutSequenceStart(bytes: Uint8Array): number {
  for (let i = bytes.length - 1; i >= Math.max(0, bytes.length - 4); i--) {
    const b = bytes[i]!;
    if (b < 0x80) break;
    if (b < 0xc0) continue; // a continuation byte: look further back for its lead
    const need = b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : 1;
    return bytes.length - i - 1 < need ? i : bytes.length;
  }
  return bytes.length;
}

/**
 * Checks a data file's bytes as they stream, chunk by chunk, without holding them: a
 * sequence cut between two chunks is carried to the next. The first invalid byte is a
 * DataError with its line and byte offset in the whole file, as decodeDataText gives.
 */
export class Utf8Check {
  private offset = 0;
  private line = 1;
  private carry: Buffer = Buffer.alloc(0);

  constructor(private readonly path: string) {}

  /** Checks the next chunk; the bytes it returns (the complete sequences, with the carry before) are safe to decode. */
  push(chunk: Buffer): Buffer {
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const cut = cutSequenceStart(bytes);
    const whole = bytes.subarray(0, cut);
    if (!isUtf8(whole)) this.fail(whole, firstInvalidUtf8(whole));
    for (let at = whole.indexOf(0x0a); at >= 0; at = whole.indexOf(0x0a, at + 1)) this.line++;
    this.offset += whole.length;
    this.carry = Buffer.from(bytes.subarray(cut));
    return whole;
  }

  /** At the end of the file: a sequence still cut is invalid. */
  end(): void {
    if (this.carry.length > 0) this.fail(this.carry, 0);
  }

  private fail(bytes: Uint8Array, at: number): never {
    let line = this.line;
    for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) line++;
    throw invalidUtf8(this.path, line, this.offset + at, bytes[at]!);
  }
}

/** The text of a data file's bytes; a DataError naming `path` for anything but UTF-8 (a UTF-8 BOM is fine). */
export function decodeDataText(path: string, bytes: Buffer): string {
  checkDataHead(path, bytes.subarray(0, HEAD_BYTES));
  const check = new Utf8Check(path);
  check.push(bytes);
  check.end();
  return bytes.toString('utf8');
}
