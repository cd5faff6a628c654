/**
 * Hostile input (issue 8): command lines and files a real user, a script or an attacker
 * might hand over. Each must end with exit 2 and one line naming the problem, write
 * nothing, and show no stack trace without --debug.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from './helpers.js';

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
  { what: 'a bad injected fault (hidden option)', args: () => [...RUN, '--inject-fault', 'meteor'], names: /--inject-fault/ },
  // Memory: refused before allocating, with the size it needed.
  { what: 'a batch that does not fit in --max-memory', args: () => [...RUN, '--batch', '2000000', '--dims', '1024x256', '--max-memory', '1G'], names: /needs [0-9.]+ GiB .*--max-memory/ },
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
];

describe('hostile input: exit 2, one line naming the problem, nothing written, no stack', () => {
  for (const hostile of CASES) {
    it(hostile.what, () => {
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
      const { code, stdout, stderr } = runCli(args);
      assert.equal(code, 2, `exit ${code}; stderr: ${stderr}`);
      const lines = stderr.trim().split('\n');
      assert.equal(lines.length, 1, `one line, got: ${stderr}`);
      assert.match(lines[0]!, /^triplet-bench: /);
      assert.match(lines[0]!, hostile.names);
      assert.doesNotMatch(stderr, /\n\s+at /, 'stack trace');
      assert.equal(stdout, '');
      assert.ok(!existsSync(out), 'no output folder');
      assert.deepEqual(readdirSync(dir).filter((name) => !made.has(name)), [], 'nothing else written');
    });
  }
});
