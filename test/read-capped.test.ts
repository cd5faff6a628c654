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
import { loadCsv } from '../src/data/csv.js';
import { decodeDataText, firstInvalidUtf8, utf16Order } from '../src/data/decode-text.js';
import { DataError } from '../src/data/dataset.js';
import { dataMemoryCap } from '../src/data/read-capped.js';
import { tempDir } from './data-fixtures.js';

const CAP = dataMemoryCap({ bytes: 4 << 20, source: 'a test cap' });

describe('loading --data: every source, never more than the cap', () => {
  it('stops /dev/zero at the cap on one line, naming the device and how much it read', async () => {
    await assert.rejects(loadCsv('/dev/zero', undefined, { cap: CAP }), (error: unknown) => {
      assert.ok(error instanceof DataError);
      assert.match(error.message, /^--data \/dev\/zero line 1: a character device with a line of more than 128 KiB \(stopped after [0-9.]+ [KM]iB\).*a test cap/);
      return true;
    });
  });

  it('stops an endless pipe of valid rows once the samples pass the cap, naming --max-memory', async () => {
    const fifo = join(tempDir('tb-fifo-'), 'endless.csv');
    await new Promise<void>((resolve, reject) => spawn('mkfifo', [fifo]).on('exit', (code) => (code === 0 ? resolve() : reject(new Error('mkfifo')))));
    const writer = spawn('sh', ['-c', `yes 'a,1,2,3' > '${fifo}'`], { stdio: 'ignore' });
    try {
      await assert.rejects(loadCsv(fifo, undefined, { cap: CAP }), (error: unknown) => {
        assert.ok(error instanceof DataError);
        assert.match(error.message, /^--data .*endless\.csv: [0-9,]+ samples of 3 features read so far, and more to come: more than the 1\.00 MiB loading may hold \(a quarter of the 4\.00 MiB allowed \(a test cap\)\); --max-memory \d+M or more would load it$/);
        return true;
      });
    } finally {
      writer.kill();
    }
  });

  it('reads a pipe as it comes and says once that it waits when the writer is silent', async () => {
    const dir = tempDir('tb-fifo-');
    const fifo = join(dir, 'digits.csv');
    await new Promise<void>((resolve, reject) => spawn('mkfifo', [fifo]).on('exit', (code) => (code === 0 ? resolve() : reject(new Error('mkfifo')))));
    const waiting: string[] = [];
    const read = loadCsv(fifo, undefined, { cap: CAP, waitNoticeMs: 200, onWaiting: (line: string) => waiting.push(line) });
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.equal(waiting.length, 1, 'one waiting line while nobody writes');
    assert.match(waiting[0]!, /waiting for --data .*digits\.csv \(a pipe\).*Ctrl-C/);
    const writer = spawn('sh', ['-c', `printf 'a,1\\nb,2\\na,3\\nb,4\\n' > '${fifo}'`]);
    const written = new Promise((resolve) => writer.on('exit', resolve));
    assert.deepEqual([...(await read).features], [1, 2, 3, 4]);
    await written;
    assert.equal(waiting.length, 1, 'still one line');
  });

  it('derives the cap from --max-memory: a quarter of it', () => {
    assert.equal(dataMemoryCap({ bytes: 64 * 2 ** 20, source: '--max-memory' }).bytes, 16 * 2 ** 20);
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
