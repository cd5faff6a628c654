/**
 * The CLI's main() over many command lines in one process, for the tests of bad input:
 * each command line's exit code, stdout and stderr, as bin/triplet-bench.js would end
 * with them (it sets process.exitCode to main's answer, no more), without a process start
 * and tfjs-node's load per command line (captured-main.ts). Nothing is injected: this is
 * the product's main (a test of the test entry's options runs cli-server.ts).
 *
 * Run: node dist/test/inject/cli-batch.js IN.json OUT.json, IN a JSON array of argv
 * arrays; OUT gets one { code, stdout, stderr } per argv, in order. Everything a command
 * writes through process.stdout and process.stderr is caught; what reaches the real
 * descriptors (a native library's log, a direct write) is not, and the tests check that
 * nothing does.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { capturedMain, type CapturedResult } from './captured-main.js';

const [input, output] = process.argv.slice(2);
if (input === undefined || output === undefined) throw new Error('usage: cli-batch.js IN.json OUT.json');
const argvs = JSON.parse(readFileSync(input, 'utf8')) as string[][];
const results: CapturedResult[] = [];
for (const argv of argvs) results.push(await capturedMain(argv, { testEntry: false }));
writeFileSync(output, JSON.stringify(results));
// A pool or timer a command left behind must not hold the batch open: its answers are written.
process.exit(0);
