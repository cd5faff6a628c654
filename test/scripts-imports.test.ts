/**
 * The study scripts under scripts/ (unit-study, phase-overhead, compact-variants) import the
 * built modules by path, outside the compiler's sight: a moved file or a renamed export
 * breaks them silently, as a folder move and a registry argument both did. Every module
 * a script imports from dist/ must exist and export each name the script takes from it.
 * A changed signature still gets past this check; running a script finds that.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';

const SCRIPTS = fileURLToPath(new URL('../../scripts/', import.meta.url));

/** Each `import { a, b as c } from '../dist/...'` of a script: the path and the names. */
function distImports(text: string): { path: string; names: string[] }[] {
  const found: { path: string; names: string[] }[] = [];
  for (const match of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'(\.\.\/dist\/[^']+)'/g)) {
    const names = match[1]!.split(',').map((n) => n.trim().split(/\s+as\s+/)[0]!).filter((n) => n !== '');
    found.push({ path: match[2]!, names });
  }
  return found;
}

describe('the study scripts\' imports of dist/', () => {
  const scripts = readdirSync(SCRIPTS).filter((name) => name.endsWith('.mjs'));
  for (const script of scripts) {
    const imports = distImports(readFileSync(join(SCRIPTS, script), 'utf8'));
    if (imports.length === 0) continue;
    it(`${script}: every module exists and exports what it takes`, async () => {
      for (const { path, names } of imports) {
        const module = (await import(pathToFileURL(join(SCRIPTS, path)).href)) as Record<string, unknown>;
        for (const name of names) assert.ok(name in module, `${script}: ${path} exports no ${name}`);
      }
    });
  }

  it('finds the imports it checks', () => {
    assert.deepEqual(distImports("import { a, b as c } from '../dist/src/x.js';\nimport { d } from 'node:util';"), [{ path: '../dist/src/x.js', names: ['a', 'b'] }]);
  });
});
