/**
 * --data from pipes (issue 15, item 1): process substitution and named pipes are real
 * uses (`--data <(zcat digits.csv.gz)`); a pipe nobody writes gets one "waiting" line,
 * not silence, and Ctrl-C still ends the command.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { clusteredCsv, tempDir } from './data-fixtures.js';
import { SIMULATE_MISSING_ENV } from '../src/native/probe.js';
import { BIN, startCli } from './helpers.js';

const VERIFY = ['verify', '--engines', 'workers', '--kernels', 'js', '--threads', '1', '--batch', '16', '--dims', '2', '--no-autograd'];
const CSV = clusteredCsv({ labels: 3, perLabel: 6, dIn: 4 });
/** No native probe, which loads tfjs-node in a child (about 1.5 CPU-s a command) to see whether engines `verify` here does not use can run. */
const NO_NATIVE = { [SIMULATE_MISSING_ENV]: '1' };

function fifoIn(dir: string): string {
  const path = join(dir, 'digits.csv');
  assert.equal(spawnSync('mkfifo', [path]).status, 0, 'mkfifo');
  return path;
}

// Concurrent: the two silent pipes each wait out the 3 s before the waiting line, together
// rather than one after the other.
describe('--data through pipes', { concurrency: true }, () => {
  it('reads process substitution: --data <(zcat digits.csv.gz)', () => {
    const dir = tempDir('tb-pipe-');
    writeFileSync(join(dir, 'digits.csv.gz'), gzipSync(CSV));
    const script = `exec "${process.execPath}" "${BIN}" ${VERIFY.join(' ')} --data <(zcat "${join(dir, 'digits.csv.gz')}")`;
    const result = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { ...process.env, ...NO_NATIVE }, timeout: 120_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /workers +js/);
  });

  it('says once that it waits for a silent pipe, then reads it when written', async () => {
    const fifo = fifoIn(tempDir('tb-pipe-'));
    const run = startCli([...VERIFY, '--data', fifo], undefined, NO_NATIVE);
    await run.waitFor(/waiting for --data .*digits\.csv \(a pipe\)/);
    const writer = spawn('sh', ['-c', 'cat > "$0"', fifo]);
    writer.stdin.end(CSV);
    const { code, stdout, stderr } = await run.exited;
    assert.equal(code, 0, stderr);
    assert.match(stdout, /workers +js/);
    assert.equal(stderr.match(/waiting for/g)?.length, 1, 'one waiting line');
  });

  it('ends on Ctrl-C while it waits', async () => {
    const fifo = fifoIn(tempDir('tb-pipe-'));
    const run = startCli([...VERIFY, '--data', fifo], undefined, NO_NATIVE);
    await run.waitFor(/waiting for --data/);
    const sent = Date.now();
    run.child.kill('SIGINT');
    await run.exited;
    assert.ok(Date.now() - sent < 5000, 'ended within 5 s');
    assert.ok(run.child.signalCode === 'SIGINT' || run.child.exitCode === 130, `ended by the signal (${run.child.exitCode}, ${run.child.signalCode})`);
  });
});
