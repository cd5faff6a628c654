/**
 * Issue 23, items 4, 5, 11, 12 and 13: signals and stops. No child outlives the command,
 * a hang-up or SIGQUIT ends a run as SIGTERM does, a paused command keeps its rows, and a
 * second signal or one in the first second leaves whole files and a working terminal.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { INJECT_CLI, readResults, startCli } from './helpers.js';

const WORKERS_RUN = ['run', '--engines', 'workers', '--kernels', 'js', '--formulations', 'fused', '--strategies', 'compact', '--batch', '64', '--dims', '16x8', '--active', '0.3'];

describe('item 11: a paused command (Ctrl-Z, then fg) is not a hang', () => {
  it('stopped longer than the step deadline inside a window: the row is ok and keeps its samples, none as long as the stop', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tb-paused-'));
    // A step deadline of 2 s; the pause lasts 4 s, inside a 4 s window of sub-millisecond steps.
    const run = startCli([...WORKERS_RUN, '--threads', '1', '--time', '4000', '--rounds', '1', '--out', out, '--watchdog-ms', '2000'], INJECT_CLI);
    await run.waitFor(/\[1\/1\][^\n]*\.\.\. /);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    run.child.kill('SIGSTOP');
    await new Promise((resolve) => setTimeout(resolve, 4000));
    run.child.kill('SIGCONT');
    const { code, stderr } = await run.exited;
    assert.equal(code, 0, stderr);
    const { rows } = readResults(out);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!['status'], 'ok', rows[0]!['note']);
    const samples = (JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { configurations: { samples_ms: number[] }[] }).configurations[0]!.samples_ms;
    assert.ok(samples.length > 0);
    assert.ok(Math.max(...samples) < 2000, `a sample of ${Math.max(...samples).toFixed(0)} ms: the window the stop fell in was kept`);
  });
});
