/**
 * Reading --data (issue 15, items 1 and 9): a cap on the bytes taken from any source, pipes
 * read as they come with one "waiting" line when silent, and bytes that are not UTF-8
 * text named for what they are, with the line and byte offset.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decodeDataText, firstInvalidUtf8, utf16Order } from '../src/data/decode-text.js';
import { DataError } from '../src/data/dataset.js';
import { dataReadCap, readCapped } from '../src/data/read-capped.js';
import { csvFile, tempDir } from './data-fixtures.js';

const CAP = { bytes: 1 << 20, why: 'a test cap' };

describe('readCapped: every source, never more than the cap', () => {
  it('stops /dev/zero at the cap, naming the device and how much it read', async () => {
    await assert.rejects(readCapped('/dev/zero', { cap: CAP }), (error: unknown) => {
      assert.ok(error instanceof DataError);
      assert.match(error.message, /^--data \/dev\/zero: a character device that gave more than 1\.00 MiB \(stopped after [0-9.]+ [KM]iB\).*a test cap/);
      return true;
    });
  });

  it('refuses a regular file larger than the cap by its size, before reading it', async () => {
    const path = csvFile('big.csv', 'a,1\n'.repeat(300_000));
    await assert.rejects(readCapped(path, { cap: CAP }), /big\.csv: a file of 1\.14 MiB, more than the 1\.00 MiB/);
  });

  it('reads a pipe as it comes and says once that it waits when the writer is silent', async () => {
    const dir = tempDir('tb-fifo-');
    const fifo = join(dir, 'digits.csv');
    await new Promise<void>((resolve, reject) => spawn('mkfifo', [fifo]).on('exit', (code) => (code === 0 ? resolve() : reject(new Error('mkfifo')))));
    const waiting: string[] = [];
    const read = readCapped(fifo, { cap: CAP, waitNoticeMs: 200, onWaiting: (line) => waiting.push(line) });
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.equal(waiting.length, 1, 'one waiting line while nobody writes');
    assert.match(waiting[0]!, /waiting for --data .*digits\.csv \(a pipe\).*Ctrl-C/);
    const writer = spawn('sh', ['-c', `printf 'a,1\\nb,2\\n' > '${fifo}'`]);
    const written = new Promise((resolve) => writer.on('exit', resolve));
    assert.equal((await read).toString(), 'a,1\nb,2\n');
    await written;
    assert.equal(waiting.length, 1, 'still one line');
  });

  it('derives the cap from --max-memory: an eighth of it', () => {
    assert.equal(dataReadCap({ bytes: 64 * 2 ** 20, source: '--max-memory' }).bytes, 8 * 2 ** 20);
  });
});

describe('decodeDataText: UTF-8 only, the rest named', () => {
  it('rejects Latin-1 with the line and byte offset of the first bad byte', () => {
    const latin1 = Buffer.from('label,x\n\xe9,1\n\xe8,2\n', 'latin1');
    assert.throws(() => decodeDataText('l1.csv', latin1), /l1\.csv line 2, byte offset 8: not valid UTF-8 \(byte 0xE9\).*iconv/);
  });

  it('accepts UTF-8 labels, with or without a BOM', () => {
    assert.equal(decodeDataText('u.csv', Buffer.from('é,1\nè,2\n')), 'é,1\nè,2\n');
    assert.equal(decodeDataText('u.csv', Buffer.from('\ufeffa,1\n')), '\ufeffa,1\n');
  });

  it('names UTF-16 by its byte-order mark or by its NUL bytes', () => {
    assert.throws(() => decodeDataText('w.csv', Buffer.from('\ufeffa,1\nb,2\n', 'utf16le')), /--data w\.csv: UTF-16LE text; expected UTF-8/);
    assert.throws(() => decodeDataText('w.csv', Buffer.from('a,1\nb,2\na,3\n', 'utf16le')), /UTF-16LE text/);
    assert.equal(utf16Order(Buffer.from('a,1\u0000\nb,2\na,3\nb,4\n')), undefined, 'a stray NUL is not UTF-16');
  });

  it('names gzip by its magic bytes, with the pipe that reads it', () => {
    assert.throws(() => decodeDataText('d.csv.gz', gzipSync('a,1\nb,2\n')), /--data d\.csv\.gz: gzip-compressed data, not text.*zcat/);
  });

  it('finds overlong forms, surrogates and cut sequences', () => {
    assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0x80])), 1, 'overlong NUL');
    assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0x62, 0xed, 0xa0, 0x80])), 2, 'a surrogate');
    assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0xe2, 0x82])), 1, 'cut at the end');
    assert.equal(firstInvalidUtf8(Buffer.from('€ 𝄞 ok')), -1);
  });
});
