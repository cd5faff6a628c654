import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { applyNodeUtilShim, helpersShimmedOnThisNode, missingUtilHelpers } from '../src/compat/node-util-shim.js';

const require = createRequire(import.meta.url);
const nodeUtil = require('node:util') as Record<string, unknown>;
const nodeMajor = Number(process.versions.node.split('.')[0]);

describe('the util shim for tfjs-node on Node 23+', () => {
  it('is a no-op where util.isNullOrUndefined and util.isArray exist: nothing defined, nothing replaced', () => {
    const own = (value: unknown) => value === 'own';
    const util: Record<string, unknown> = { isNullOrUndefined: own, isArray: own };
    assert.deepEqual(applyNodeUtilShim(util), []);
    assert.equal(util['isNullOrUndefined'], own);
    assert.equal(util['isArray'], own);
  });

  it('leaves this Node\'s own util alone where it still has the helpers (Node 22 and earlier)', (t) => {
    if (nodeMajor >= 23) {
      t.skip(`Node ${process.version} removed util.isNullOrUndefined`);
      return;
    }
    const before = nodeUtil['isNullOrUndefined'];
    assert.deepEqual(applyNodeUtilShim(), []);
    assert.equal(nodeUtil['isNullOrUndefined'], before);
  });

  it('defines exactly the missing helpers, with Node\'s old meaning', () => {
    const keep = (value: unknown) => Array.isArray(value);
    const util: Record<string, unknown> = { isArray: keep };
    assert.deepEqual(applyNodeUtilShim(util), ['isNullOrUndefined']);
    assert.equal(util['isArray'], keep);
    const isNullOrUndefined = util['isNullOrUndefined'] as (value: unknown) => boolean;
    assert.deepEqual([null, undefined, 0, '', false, Number.NaN, {}].map(isNullOrUndefined), [true, true, false, false, false, false, false]);
    assert.deepEqual(missingUtilHelpers(util), [], 'a second application has nothing left to define');
    assert.deepEqual(applyNodeUtilShim(util), []);
  });

  it('finds the helpers missing exactly on Node 23 and later, and then defines them', () => {
    const missing = missingUtilHelpers();
    assert.equal(missing.includes('isNullOrUndefined'), nodeMajor >= 23, `Node ${process.version}: missing ${missing.join(', ') || 'nothing'}`);
    assert.deepEqual(applyNodeUtilShim(), missing);
    assert.deepEqual(helpersShimmedOnThisNode(), missing, 'still reported as shimmed once defined (doctor, run.json)');
    assert.equal(typeof nodeUtil['isNullOrUndefined'], 'function');
    assert.equal(typeof nodeUtil['isArray'], 'function');
  });
});
