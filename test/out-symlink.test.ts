/**
 * An `--out` that is, or goes through, a symbolic link leading nowhere (issue 23, item
 * 12): one line naming the link and its target, exit 2, and the target not created.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from './data-fixtures.js';
import { fixtureRows, writeRunFolder } from './fixtures.js';
import { SIMULATE_MISSING_ENV } from '../src/native/probe.js';
import { cliServer } from './helpers.js';

/**
 * The file's command lines, in one process (helpers.ts, cliServer): what they compute, print
 * and write, not what needs a process of its own. Without the native probe, which loads
 * tfjs-node in a child (about 1.5 CPU-s) to see whether engines these commands do not use can run.
 */
const cli = cliServer({ [SIMULATE_MISSING_ENV]: '1' });

/** The test entry's stand-ins for the machine's figures (calibration, roofline, memory roof): seconds a run, and not what this run tests. */
const RUN = ['run', '--unmeasured-machine', '--engines', 'workers', '--kernels', 'js', '--batch', '32', '--dims', '8x4', '--threads', '1', '--time', '20', '--rounds', '1', '--no-progress'];

describe('--out through a dangling symbolic link', () => {
  it('run --out LINK, LINK to a missing folder: one line, exit 2, nothing created', async () => {
    const dir = tempDir('tb-link-');
    const target = join(dir, 'unmounted', 'results');
    symlinkSync(target, join(dir, 'out'));
    const { code, stderr } = await cli.run([...RUN, '--out', join(dir, 'out')]);
    assert.equal(code, 2, stderr);
    assert.equal(stderr, `triplet-bench: --out ${join(dir, 'out')}: is a symbolic link to ${target}, which does not exist; create the folder it points to, or give another --out\n`);
    assert.ok(!existsSync(join(dir, 'unmounted')), 'target not created');
  });

  it('report --out LINK/sub, and a link to itself', async () => {
    const dir = tempDir('tb-link-');
    const run = writeRunFolder(join(dir, 'run'), fixtureRows());
    symlinkSync('missing', join(dir, 'out'));
    const nested = await cli.run(['report', join(run, 'results.csv'), '--out', join(dir, 'out', 'sub')]);
    assert.equal(nested.code, 2, nested.stderr);
    assert.match(nested.stderr, /^triplet-bench: --out \S+\/out\/sub: goes through \S+\/out, which is a symbolic link to missing, which does not exist; .*\n$/);
    mkdirSync(join(dir, 'loops'));
    symlinkSync('self', join(dir, 'loops', 'self'));
    const loop = await cli.run(['report', join(run, 'results.csv'), '--out', join(dir, 'loops', 'self')]);
    assert.equal(loop.code, 2, loop.stderr);
    assert.match(loop.stderr, /is a symbolic link to self, which loops back on itself/);
  });
});
