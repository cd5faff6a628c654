/**
 * verify says what it is doing (issue 23, item 10): a 100,000-column CSV at the default
 * sizes once ran 75 s with nothing on the terminal. A line on stderr as each workload
 * starts, "still ..." lines while one check runs long; stdout keeps only the rows.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sayingWhileSlow } from '../src/commands/verify-progress.js';
import { clusteredCsv, csvFile } from './data-fixtures.js';
import { runCli } from './helpers.js';
import { WITHOUT_NATIVE } from './without-native.js';

describe('verify progress on stderr', () => {
  it('says which workload it builds and how many checks follow, before building it; stdout stays JSON', () => {
    const path = csvFile('wide.csv', clusteredCsv({ labels: 3, perLabel: 4, dIn: 300 }));
    const { code, stdout, stderr } = runCli(['verify', '--data', path, '--engines', 'workers', '--kernels', 'js', '--threads', '1', '--batch', '16', '--dims', '4', '--no-autograd', '--json'], WITHOUT_NATIVE);
    assert.equal(code, 0, stderr);
    assert.match(stderr, /^verify: workload 1 of 1, B=16 300x4 active 0\.3: building the batch and its reference, then 2 checks$/m);
    assert.equal((JSON.parse(stdout) as unknown[]).length, 2);
  });

  it('says "still" while a check runs past the first delay, then at each interval, and stops when it ends', async () => {
    const lines: string[] = [];
    const result = await sayingWhileSlow('checking workers/js', (line) => lines.push(line), () => new Promise((resolve) => setTimeout(() => resolve(7), 250)), { afterMs: 50, everyMs: 60 });
    assert.equal(result, 7);
    assert.ok(lines.length >= 2, lines.join('\n'));
    for (const line of lines) assert.match(line, /^verify: still checking workers\/js, \d+ s so far$/);
    const after = lines.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(lines.length, after, 'no line after the work ended');
  });
});
