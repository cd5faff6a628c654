import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engineNamed } from '../src/engines/index.js';
import type { EngineConfig } from '../src/engines/engine.js';
import { nativeAvailability } from '../src/native/probe.js';
import { maxRelativeError } from '../src/triplet/problem.js';
import { Workload } from '../src/workload.js';
import { problemOf } from './helpers.js';
import { STRATEGIES, type Formulation } from '../src/domain.js';

const TOLERANCE = 1e-4;
// B = 37 and odd dims: no shard or block size divides them.
const workload = new Workload(problemOf({ batch: 37, dIn: 19, dOut: 7 }), 3);

async function check(config: EngineConfig, on = workload): Promise<void> {
  const engine = engineNamed(config.engine)!;
  const session = await engine.open(on, config);
  try {
    const outcome = await session.step();
    const reference = on.reference();
    assert.equal(outcome.activeCount, reference.activeCount);
    const error = maxRelativeError(outcome.gradient, reference.gradient);
    assert.ok(error <= TOLERANCE, `gradient relative error ${error}`);
    assert.ok(Math.abs(outcome.loss - reference.loss) <= TOLERANCE * Math.max(reference.loss, 1e-30), `loss ${outcome.loss} vs ${reference.loss}`);
  } finally {
    await session.close();
  }
}

describe('the native backend is available here', () => {
  it('loads: CI must not skip the native tests', () => {
    const availability = nativeAvailability();
    assert.ok(availability.available, availability.available ? '' : `${availability.reason}; fix: ${availability.fix}`);
  });
});

const FORMULATIONS: readonly Formulation[] = ['fused', 'autograd'];
for (const [engine, kernel, threadCounts] of [['tfjs-node', 'tensorflow', [1, 2]], ['tfjs-wasm', 'wasm', [1]], ['tfjs-cpu', 'cpu', [1]]] as const) {
  describe(`engine ${engine}`, () => {
    for (const formulation of FORMULATIONS) {
      for (const strategy of STRATEGIES) {
        for (const threads of threadCounts) {
          it(`${formulation} ${strategy} at ${threads} thread(s) equals the reference`, async () => {
            await check({ engine, kernel, formulation, strategy, threads });
          });
        }
      }
    }

    it('returns a zero gradient with no active triplet and the reference with all active', async () => {
      for (const activeFraction of [0, 1]) {
        const edge = new Workload(problemOf({ batch: 21, dIn: 9, dOut: 5 }, { activeFraction }), 1);
        for (const strategy of STRATEGIES) await check({ engine, kernel, formulation: 'fused', strategy, threads: 1 }, edge);
      }
    });
  });
}

describe('workers engine, tfjs kernel (tfjs-node in every worker)', () => {
  for (const strategy of STRATEGIES) {
    for (const threads of [1, 2, 3]) {
      it(`${strategy} at T = ${threads} equals the reference`, async () => {
        await check({ engine: 'workers', kernel: 'tfjs', formulation: 'fused', strategy, threads });
      });
    }
  }
});
