#!/usr/bin/env node
/**
 * postinstall: in an installed tarball (`npm install ./triplet-bench-*.tgz`), sets up the
 * native backend where it can (`setup-native --if-possible`: never fails the install,
 * see README "The native backend, offline"). In a checkout it does nothing: there
 * dist/ is built later, by `prepare`, which runs setup-native itself.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const checkout = existsSync(new URL('../src/cli.ts', import.meta.url));
const built = existsSync(new URL('../dist/src/cli.js', import.meta.url));
if (!checkout && built) {
  const result = spawnSync(process.execPath, [fileURLToPath(new URL('../bin/triplet-bench.js', import.meta.url)), 'setup-native', '--if-possible'], { cwd: root, stdio: 'inherit' });
  // --if-possible exits 0 whatever it found; anything else is a bug worth seeing, not a failed install.
  if (result.status !== 0) console.error(`triplet-bench postinstall: setup-native exited ${result.status ?? result.signal}; the workers engine still runs`);
}
