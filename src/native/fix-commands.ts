/**
 * The commands a fix line names, for the way this copy was installed. doctor used to say
 * `npm install && npx triplet-bench setup-native` everywhere (issue 23, item 12): in the
 * bundle there is no npm project and no `npx triplet-bench`, only `node triplet-bench.js`
 * in its folder, and tfjs comes from a node_modules above it (scripts/bundle.mjs); in a
 * copy installed from a tarball, a bare `npm install` runs in the installing project and
 * does not bring back an optional package whose install failed.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BUNDLED, PACKAGE_ROOT } from '../layout.js';

/** A checkout (npm install in it), a package another project installed, or the bundle folder. */
export type Installation = { readonly kind: 'checkout' } | { readonly kind: 'installed'; readonly project: string } | { readonly kind: 'bundle' };

/** How the copy at `root` was installed: a folder under node_modules is another project's package. */
export function installationOf(root: string, bundled: boolean): Installation {
  if (bundled) return { kind: 'bundle' };
  let modules = dirname(root);
  if (basename(modules).startsWith('@')) modules = dirname(modules);
  return basename(modules) === 'node_modules' ? { kind: 'installed', project: dirname(modules) } : { kind: 'checkout' };
}

/** The command that runs this CLI. */
export function cliCommand(installation: Installation, root: string): string {
  return installation.kind === 'bundle' ? `node ${join(root, 'triplet-bench.js')}` : 'npx triplet-bench';
}

/** The version range this copy's package.json asks for `name`, or undefined (the bundle's names none of tfjs). */
function wantedVersion(root: string, name: string): string | undefined {
  try {
    const own = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
    return own.optionalDependencies?.[name] ?? own.dependencies?.[name];
  } catch {
    return undefined;
  }
}

/** The command that installs the packages `names` where this copy finds them. */
export function installCommand(installation: Installation, root: string, names: readonly string[]): string {
  const specs = names.map((name) => {
    const version = wantedVersion(root, name);
    return version ? `${name}@${version}` : name;
  });
  switch (installation.kind) {
    case 'checkout':
      return `npm install (in ${root})`;
    case 'installed':
      return `npm install ${specs.join(' ')} (in ${installation.project})`;
    case 'bundle':
      // Node resolves packages from node_modules folders above the bundle (or NODE_PATH).
      return `npm install ${specs.join(' ')} (in ${dirname(root)}, the folder above the bundle)`;
  }
}

const HERE = installationOf(PACKAGE_ROOT, BUNDLED);

/** This copy's command for `setup-native` with `flags`, and the LIBTENSORFLOW_DIR variant. */
export function setupNativeFix(...flags: string[]): string {
  const setup = [cliCommand(HERE, PACKAGE_ROOT), 'setup-native', ...flags].join(' ');
  return `${setup} (or LIBTENSORFLOW_DIR=/path/to/libtensorflow ${setup})`;
}

/** This copy's command for installing `names`. */
export function installFix(...names: string[]): string {
  return installCommand(HERE, PACKAGE_ROOT, names);
}
