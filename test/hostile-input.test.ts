/**
 * Hostile input (issue 8): command lines and files a real user, a script or an attacker
 * might hand over. Each must end with exit 2 and one line naming the problem, write
 * nothing, and show no stack trace without --debug.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { runCli, runCliBatch, type CliResult } from './helpers.js';

/** A scratch folder per case: files it needs, and where the run would have written. */
interface Scratch {
  readonly dir: string;
  /** Writes `content` to `name` in the scratch folder and returns its path. */
  file(name: string, content: string | Buffer): string;
  /** A folder inside the scratch folder, made now. */
  folder(name: string): string;
}

interface HostileCase {
  readonly what: string;
  /** The command line; may create files in the scratch folder first. */
  readonly args: (scratch: Scratch) => string[];
  /** The one line must name this (the option, the file, the problem). */
  readonly names: RegExp;
}

/**
 * Labelled data of two features, for a case whose subject is not the data: mnist's 10,000
 * digits take about a second to load, once per command line.
 */
const SMALL_CSV = 'a,1,2\nb,3,4\na,5,6\nb,7,8\n';

/** A run that would otherwise start: tiny, so a case that wrongly passes ends fast. */
const RUN = ['run', '--engines', 'workers', '--kernels', 'js', '--batch', '16', '--dims', '4x2', '--threads', '1', '--time', '10', '--rounds', '1', '--no-progress'];

const CASES: readonly HostileCase[] = [
  // Numbers out of range, in the wrong notation, or absurdly large.
  { what: 'a batch beyond 2^53', args: () => [...RUN, '--batch', '99999999999999999999'], names: /--batch/ },
  { what: 'a batch of 10,000 digits', args: () => [...RUN, '--batch', '9'.repeat(10_000)], names: /--batch/ },
  { what: 'hex thread count', args: () => [...RUN, '--threads', '0x10'], names: /--threads/ },
  { what: 'exponent dims', args: () => [...RUN, '--dims', '1e3x5'], names: /--dims/ },
  { what: 'a unicode multiplication sign in dims', args: () => [...RUN, '--dims', '512×128'], names: /--dims/ },
  { what: 'time beyond a double', args: () => [...RUN, '--time', '1e309'], names: /--time/ },
  { what: 'zero rounds', args: () => [...RUN, '--rounds', '0'], names: /--rounds/ },
  { what: 'rounds past the limit', args: () => [...RUN, '--rounds', '101'], names: /--rounds/ },
  { what: 'a margin that overflows to Infinity', args: () => [...RUN, '--margin', '1e400'], names: /--margin/ },
  { what: 'a hex margin', args: () => [...RUN, '--margin', '0x1'], names: /--margin/ },
  { what: 'a negative seed', args: () => [...RUN, '--seed', '-1'], names: /--seed/ },
  { what: 'a seed beyond 32 bits', args: () => [...RUN, '--seed', '99999999999'], names: /--seed/ },
  { what: 'an empty batch list', args: () => [...RUN, '--batch', ''], names: /--batch/ },
  // Wrong separators and stray characters.
  { what: 'semicolon-separated threads', args: () => [...RUN, '--threads', '1;2'], names: /--threads/ },
  { what: 'space-separated threads', args: () => [...RUN, '--threads', '1 2'], names: /--threads/ },
  { what: 'semicolon-separated strategies', args: () => [...RUN, '--strategies', 'dense;compact'], names: /--strategies/ },
  { what: 'a decimal comma in --active', args: () => [...RUN, '--active', '0,3'], names: /--active/ },
  { what: 'control characters in an engine name', args: () => [...RUN, '--engines', '\u0001\u0002workers'], names: /--engines/ },
  { what: 'a trailing comma', args: () => [...RUN, '--dims', '4x2,'], names: /--dims/ },
  // Conflicting or impossible combinations.
  { what: '--margin with --active', args: () => [...RUN, '--margin', '1', '--active', '0.3'], names: /--margin|--active/ },
  { what: 'a kernel of an engine not selected', args: () => [...RUN, '--kernels', 'tensorflow'], names: /--kernels/ },
  { what: 'a formulation no selected engine offers', args: () => [...RUN, '--formulations', 'autograd'], names: /--formulations/ },
  { what: 'an unknown option', args: () => [...RUN, '--theads', '2'], names: /--theads/ },
  { what: 'an extra argument', args: () => [...RUN, 'fast'], names: /too many arguments/ },
  { what: 'an unknown command', args: () => ['bench'], names: /bench/ },
  { what: 'the tests\' --inject-fault, which the product does not have', args: () => [...RUN, '--inject-fault', 'meteor'], names: /--inject-fault/ },
  // Memory: refused before allocating, with the size it needed.
  { what: 'a batch that does not fit in --max-memory', args: () => [...RUN, '--batch', '2000000', '--dims', '1024x256', '--max-memory', '1G'], names: /needs [0-9.]+ GiB .*--max-memory/ },
  // The whole line (issue 8): the size needed, its parts, and the limit it exceeds.
  { what: 'a batch that does not fit in --max-memory, with the size it needed', args: () => [...RUN, '--batch', '2000000', '--dims', '1024x256', '--max-memory', '4G'], names: /^triplet-bench: --batch 2000000 with --dims 1024x256 on 1 thread needs [0-9.]+ GiB \(batch [0-9.]+ GiB \+ arena .*\), more than the 4\.00 GiB allowed \(--max-memory\)/ },
  { what: 'a batch that does not fit in this machine', args: () => [...RUN, '--batch', '16777216', '--dims', '65536x65536'], names: /needs [0-9.]+ [PT]iB .*this machine/ },
  { what: 'a max-memory of zero', args: () => [...RUN, '--max-memory', '0'], names: /--max-memory/ },
  { what: 'a negative max-memory', args: () => [...RUN, '--max-memory', '-1G'], names: /--max-memory/ },
  { what: 'a max-memory in an unknown unit', args: () => [...RUN, '--max-memory', '3 parsecs'], names: /--max-memory/ },
  // Output where it cannot go.
  { what: '--out is a file', args: (s) => [...RUN, '--out', s.file('taken', 'x')], names: /--out .*not a folder/ },
  { what: '--out under a file', args: (s) => [...RUN, '--out', join(s.file('taken', 'x'), 'run')], names: /--out .*cannot create/ },
  { what: '--out is empty', args: () => [...RUN, '--out', ''], names: /--out expects a folder path/ },
  { what: '--out is unwritable (/proc)', args: () => [...RUN, '--out', '/proc/triplet-bench'], names: /--out/ },
  // Files and folders where the other is expected.
  { what: 'setup-native --from a missing folder', args: (s) => ['setup-native', '--from', join(s.dir, 'nowhere')], names: /--from .*expected a folder/ },
  { what: 'setup-native --from a file', args: (s) => ['setup-native', '--from', s.file('lib.so', 'garbage')], names: /--from .*expected a folder/ },
  // Data files (--data PATH): each names the file, and the line where there is one.
  { what: 'a data file that does not exist', args: (s) => [...RUN, '--data', join(s.dir, 'missing.csv')], names: /missing\.csv/ },
  { what: 'a folder given as the data file', args: (s) => [...RUN, '--data', s.folder('digits')], names: /digits/ },
  { what: 'an empty data file', args: (s) => [...RUN, '--data', s.file('empty.csv', '')], names: /empty\.csv.*empty/ },
  { what: 'semicolon-separated data', args: (s) => [...RUN, '--data', s.file('semi.csv', 'a;1;2\nb;3;4\na;5;6\nb;7;8\n')], names: /semi\.csv/ },
  { what: 'tab-separated data', args: (s) => [...RUN, '--data', s.file('tabs.csv', 'a\t1\t2\nb\t3\t4\na\t5\t6\nb\t7\t8\n')], names: /tabs\.csv/ },
  { what: 'a number of 400 digits', args: (s) => [...RUN, '--data', s.file('huge.csv', `a,1,2\nb,3,4\na,${'9'.repeat(400)},6\nb,7,8\n`)], names: /huge\.csv.*line 3/ },
  { what: 'a NaN feature', args: (s) => [...RUN, '--data', s.file('nan.csv', 'a,1,2\nb,NaN,4\na,5,6\nb,7,8\n')], names: /nan\.csv.*line 2/ },
  { what: 'a BOM in the middle of the file', args: (s) => [...RUN, '--data', s.file('bom.csv', 'a,1,2\nb,\ufeff3,4\na,5,6\nb,7,8\n')], names: /bom\.csv.*line 2/ },
  { what: 'a ragged CRLF file', args: (s) => [...RUN, '--data', s.file('crlf.csv', 'a,1,2\r\nb,3\r\na,5,6\r\nb,7,8\r\n')], names: /crlf\.csv.*line 2/ },
  { what: 'a line of a million characters', args: (s) => [...RUN, '--data', s.file('long.csv', `a,1,2\nb,3,4\na,${'x'.repeat(1_000_000)},6\nb,7,8\n`)], names: /long\.csv.*line 3/ },
  { what: 'binary garbage', args: (s) => [...RUN, '--data', s.file('garbage.csv', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)))], names: /garbage\.csv/ },
  { what: 'a NUL byte in a feature', args: (s) => [...RUN, '--data', s.file('nul.csv', 'a,1,2\nb,3\u00004,4\na,5,6\nb,7,8\n')], names: /nul\.csv.*line 2/ },
  { what: 'one label only (no negatives)', args: (s) => [...RUN, '--data', s.file('one-label.csv', 'a,1,2\na,3,4\na,5,6\n')], names: /one-label\.csv/ },
  { what: 'a label with one sample (no positive)', args: (s) => [...RUN, '--data', s.file('lonely.csv', 'a,1,2\nb,3,4\na,5,6\nc,0,0\nb,7,8\n')], names: /lonely\.csv.*line 4/ },
  { what: '--label-column naming no column', args: (s) => [...RUN, '--data', s.file('named.csv', 'label,x\na,1\nb,2\na,3\nb,4\n'), '--label-column', 'kind'], names: /named\.csv.*kind/ },
  { what: 'a lonely label holding a line break', args: (s) => [...RUN, '--data', s.file('break.csv', 'a,1,2\nb,3,4\na,5,6\n"x\ny",0,0\nb,7,8\n')], names: /break\.csv.*'x\\u000ay'/ },
  { what: 'a header of 10,000 characters without the --label-column', args: (s) => [...RUN, '--data', s.file('wide.csv', `${'h'.repeat(10_000)},x\na,1\nb,2\na,3\nb,4\n`), '--label-column', 'kind'], names: /wide\.csv.*\(10003 characters\)/ },
  // Sources that never end, and bytes that are not UTF-8 text (issue 15, items 1 and 9).
  // /dev/zero under --max-memory 8M: its line cap is 256 KiB. A character device is read to
  // the cap in small pieces: to 64M's 2 MiB cap it took about 1.5 CPU-s a command line, to
  // 256 KiB a tenth of that, and the cap's arithmetic is the same.
  { what: '/dev/zero as data: stopped at the cap from --max-memory', args: () => [...RUN, '--data', '/dev/zero', '--max-memory', '8M'], names: /--data \/dev\/zero line 1: a character device with a line of more than 256 KiB \(stopped after .*an eighth of the 2\.00 MiB loading may hold, a quarter of the 8\.00 MiB allowed \(--max-memory\)/ },
  { what: '/dev/urandom as data, for train', args: () => ['train', '--data', '/dev/urandom', '--max-memory', '64M'], names: /\/dev\/urandom line \d+, byte offset \d+: not valid UTF-8/ },
  { what: '/dev/zero as data, for verify', args: () => ['verify', '--data', '/dev/zero', '--max-memory', '8M'], names: /\/dev\/zero line 1: a character device with a line of more than/ },
  { what: 'a data file of one line longer than the cap (a sparse file of NULs)', args: (s) => { const path = s.file('sparse.csv', 'a,1\n'); truncateSync(path, 2 ** 27); return [...RUN, '--data', path, '--max-memory', '64M']; }, names: /sparse\.csv line 2: a file with a line of more than 2\.00 MiB \(stopped after [0-9.]+ MiB\)/ },
  { what: 'Latin-1 labels', args: (s) => [...RUN, '--data', s.file('latin1.csv', Buffer.from('a,1,2\n\xe9,3,4\na,5,6\n\xe8,7,8\n', 'latin1'))], names: /latin1\.csv line 2, byte offset 6: not valid UTF-8 \(byte 0xE9\)/ },
  { what: 'UTF-16 data with a byte-order mark', args: (s) => [...RUN, '--data', s.file('wide16.csv', Buffer.from('\ufeffa,1\nb,2\na,3\nb,4\n', 'utf16le'))], names: /wide16\.csv: UTF-16LE text; expected UTF-8/ },
  { what: 'gzip-compressed data', args: (s) => [...RUN, '--data', s.file('digits.csv.gz', gzipSync('a,1\nb,2\na,3\nb,4\n'))], names: /digits\.csv\.gz: gzip-compressed data.*zcat/ },
  // Conflicts between options and data.
  { what: '--label-column with --data mnist', args: () => [...RUN, '--data', 'mnist', '--label-column', 'digit'], names: /--label-column/ },
  { what: 'a D_IN that is not the data\'s', args: (s) => [...RUN, '--data', s.file('two-features.csv', SMALL_CSV), '--dims', '100x8'], names: /--dims 100x8/ },
  { what: 'train on data without labels', args: () => ['train', '--data', 'synthetic'], names: /--data synthetic/ },
  { what: 'train with --steps and --epochs', args: () => ['train', '--data', 'mnist', '--steps', '5', '--epochs', '2'], names: /--steps|--epochs/ },
  { what: 'train on a tfjs engine', args: () => ['train', '--data', 'mnist', '--engine', 'tfjs-node'], names: /--engine/ },
  { what: 'train with a zero learning rate', args: () => ['train', '--data', 'mnist', '--lr', '0'], names: /--lr/ },
  { what: 'train holding out every sample', args: () => ['train', '--data', 'mnist', '--held-out', '1'], names: /--held-out/ },
  { what: 'train whose batch does not fit in --max-memory', args: () => ['train', '--data', 'mnist', '--batch', '1000000', '--max-memory', '100M'], names: /needs [0-9.]+ GiB .*--max-memory/ },
  { what: 'train into an unwritable folder', args: (s) => ['train', '--data', s.file('digits.csv', SMALL_CSV), '--out', '/proc/triplet-bench'], names: /--out/ },
];

/** A case's command line, with --out in its scratch folder for the commands that write, and where that is. */
interface Prepared {
  readonly hostile: HostileCase;
  readonly args: string[];
  readonly dir: string;
  readonly out: string;
  /** What the case made in its scratch folder: anything else there was written by the command. */
  readonly made: ReadonlySet<string>;
}

function prepare(hostile: HostileCase): Prepared {
  const dir = mkdtempSync(join(tmpdir(), 'tb-hostile-'));
  const made = new Set<string>();
  const scratch: Scratch = {
    dir,
    file: (name, content) => {
      writeFileSync(join(dir, name), content);
      made.add(name);
      return join(dir, name);
    },
    folder: (name) => {
      mkdirSync(join(dir, name), { recursive: true });
      made.add(name);
      return join(dir, name);
    },
  };
  let args = hostile.args(scratch);
  const out = join(dir, 'out');
  if (['run', 'train'].includes(args[0]!) && !args.includes('--out')) args = [...args, '--out', out];
  return { hostile, args, dir, out, made };
}

/** Exit 2, one line naming the problem, no stack, nothing on stdout, nothing written. */
function assertRefused({ hostile, dir, out, made }: Prepared, { code, stdout, stderr }: CliResult) {
  assert.equal(code, 2, `exit ${code}; stderr: ${stderr}`);
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got: ${stderr}`);
  assert.match(lines[0]!, /^triplet-bench: /);
  assert.match(lines[0]!, hostile.names);
  assert.doesNotMatch(stderr, /\n\s+at /, 'stack trace');
  assert.equal(stdout, '');
  assert.ok(!existsSync(out), 'no output folder');
  assert.deepEqual(readdirSync(dir).filter((name) => !made.has(name)), [], 'nothing else written');
}

describe('hostile input: exit 2, one line naming the problem, nothing written, no stack', () => {
  it(`tries at least 40 hostile command lines and files (${CASES.length})`, () => {
    assert.ok(CASES.length >= 40);
  });

  // Every case in one process (test/inject/cli-batch.ts): each spawned its own, about a
  // second apiece; none gets as far as opening a pool or a tfjs host.
  let prepared: Prepared[] = [];
  let results: CliResult[] = [];
  before(() => {
    prepared = CASES.map(prepare);
    results = runCliBatch(prepared.map((p) => p.args));
  });

  for (const [index, hostile] of CASES.entries()) {
    it(hostile.what, () => {
      assertRefused(prepared[index]!, results[index]!);
    });
  }

  it('in a process of its own, the bin refuses the same way (a data file, an option)', () => {
    for (const what of ['a NaN feature', 'an unknown option']) {
      const index = CASES.findIndex((c) => c.what === what);
      const again = prepare(CASES[index]!);
      const spawned = runCli(again.args);
      assertRefused(again, spawned);
      assert.equal(spawned.stderr.replaceAll(again.dir, '<scratch>'), results[index]!.stderr.replaceAll(prepared[index]!.dir, '<scratch>'));
    }
  });
});
