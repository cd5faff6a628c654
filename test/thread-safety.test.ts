import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { backendSource, bindingThreadSafe, markThreadSafe, patchBindingSource } from '../src/native/thread-safety.js';

const root = mkdtempSync(join(tmpdir(), 'tb-thread-safety-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A tfjs-node folder whose binding source holds `line` among others. */
function packageWith(name: string, line: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'binding'), { recursive: true });
  writeFileSync(backendSource(dir), `namespace tfnodejs {\n\n${line}\n\nstatic void DeallocTensor() {}\n`);
  return dir;
}

describe('the binding is built with a per-thread attribute-name set', () => {
  it('makes the shared set thread_local, once, and leaves the rest of the source alone', () => {
    const dir = packageWith('tfjs-4.22', 'static std::set<std::string> ATTR_NAME_SET;');
    assert.equal(patchBindingSource(dir), true);
    const once = readFileSync(backendSource(dir), 'utf8');
    assert.match(once, /^static thread_local std::set<std::string> ATTR_NAME_SET;$/m);
    assert.match(once, /static void DeallocTensor\(\) \{\}/);
    assert.equal(patchBindingSource(dir), true);
    assert.equal(readFileSync(backendSource(dir), 'utf8'), once);
  });

  it('refuses a source it does not know, and a package with no source', () => {
    const dir = packageWith('tfjs-other', 'static std::unordered_set<std::string> NAMES;');
    const before = readFileSync(backendSource(dir), 'utf8');
    assert.equal(patchBindingSource(dir), false);
    assert.equal(readFileSync(backendSource(dir), 'utf8'), before);
    assert.equal(patchBindingSource(join(root, 'nowhere')), false);
  });

  it('trusts a binding only while its record matches the file on disk', () => {
    const binding = join(root, 'lib', 'tfjs_binding.node');
    mkdirSync(join(root, 'lib'), { recursive: true });
    writeFileSync(binding, 'addon v1');
    assert.equal(bindingThreadSafe(binding), false, 'no record yet');
    markThreadSafe(binding);
    assert.equal(bindingThreadSafe(binding), true);
    // Rebuilt by other means (another size or time): the record no longer speaks for it.
    writeFileSync(binding, 'addon v2, rebuilt elsewhere');
    assert.equal(bindingThreadSafe(binding), false);
    markThreadSafe(binding);
    utimesSync(binding, new Date(), new Date(Date.now() + 60_000));
    assert.equal(bindingThreadSafe(binding), false);
  });
});
