/**
 * doctor's fix lines name commands that work where this copy is installed (issue 23,
 * item 12): they said `npm install && npx triplet-bench setup-native` in the bundle,
 * which has neither, and a bare `npm install` in a copy another project installed.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cliCommand, installationOf, installCommand } from '../src/native/fix-commands.js';
import { tempDir } from './data-fixtures.js';

/** A package folder at `relative` under a fresh folder, with the package.json of an installed copy. */
function packageAt(relative: string): { base: string; root: string } {
  const base = tempDir('tb-fix-');
  const root = join(base, relative);
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'triplet-bench', optionalDependencies: { '@tensorflow/tfjs-node': '4.22.0' }, dependencies: { '@tensorflow/tfjs': '4.22.0' } }));
  return { base, root };
}

describe('fix commands by installation', () => {
  it('a checkout: npm install in it, npx triplet-bench', () => {
    const { root } = packageAt('triplet-bench');
    const here = installationOf(root, false);
    assert.deepEqual(here, { kind: 'checkout' });
    assert.equal(cliCommand(here, root), 'npx triplet-bench');
    assert.equal(installCommand(here, root, ['@tensorflow/tfjs-node']), `npm install (in ${root})`);
  });

  it('installed from a tarball into a project: the package, pinned, installed in that project', () => {
    const { base, root } = packageAt(join('app', 'node_modules', 'triplet-bench'));
    const here = installationOf(root, false);
    assert.deepEqual(here, { kind: 'installed', project: join(base, 'app') });
    assert.equal(cliCommand(here, root), 'npx triplet-bench');
    assert.equal(installCommand(here, root, ['@tensorflow/tfjs-node']), `npm install @tensorflow/tfjs-node@4.22.0 (in ${join(base, 'app')})`);
  });

  it('a scoped install is another project\'s package too', () => {
    const { base, root } = packageAt(join('app', 'node_modules', '@team', 'triplet-bench'));
    assert.deepEqual(installationOf(root, false), { kind: 'installed', project: join(base, 'app') });
  });

  it('the bundle: node triplet-bench.js in its folder, tfjs in a node_modules above it', () => {
    const base = tempDir('tb-fix-');
    const root = join(base, 'bundle');
    mkdirSync(root);
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'triplet-bench', bundledVersions: {} }));
    const here = installationOf(root, true);
    assert.equal(cliCommand(here, root), `node ${join(root, 'triplet-bench.js')}`);
    const install = installCommand(here, root, ['@tensorflow/tfjs-node']);
    assert.equal(install, `npm install @tensorflow/tfjs-node (in ${base}, the folder above the bundle)`);
    assert.doesNotMatch(`${cliCommand(here, root)} ${install}`, /npx/);
  });
});
