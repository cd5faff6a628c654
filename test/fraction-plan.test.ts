/** Which configurations the quick profile runs at which active fraction. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plannedCount, trimFilter } from '../src/bench/fraction-plan.js';
import type { PlannedConfig, WorkloadSpec } from '../src/bench/plan.js';
import { PROFILES } from '../src/bench/profiles.js';
import { ENGINES_BY_NAME } from '../src/engines/index.js';

const shape = { batch: 4096, dIn: 512, dOut: 128 };
const at = (activeFraction: number): WorkloadSpec => ({ shape, choice: { activeFraction } });
const config = (engine: string, kernel: string, formulation: 'fused' | 'autograd', threads: number, role: PlannedConfig['role'] = 'gradient', strategy: PlannedConfig['strategy'] = 'dense'): PlannedConfig =>
  ({ engine, kernel, formulation, strategy, threads, role }) as PlannedConfig;

const configs = [
  config('workers', 'wasm', 'fused', 2),
  config('workers', 'empty', 'fused', 2, 'overhead'),
  config('tfjs-node', 'tensorflow', 'fused', 2),
  config('tfjs-node', 'tensorflow', 'autograd', 2),
  config('tfjs-cpu', 'cpu', 'fused', 1),
  config('tfjs-cpu', 'cpu', 'autograd', 1),
  config('tfjs-cpu', 'cpu', 'fused', 1, 'gradient', 'compact'),
  config('workers', 'wasm', 'fused', 2, 'gradient', 'compact'),
];
const names = (list: readonly PlannedConfig[]) => list.map((c) => `${c.engine}/${c.kernel} ${c.formulation}`);

describe('quick profile trim', () => {
  const { trim, activeFractions } = PROFILES.quick;

  const nothingAsked = { fractions: false, formulations: false, strategies: false };

  it('covers three fractions for the worker kernels and tfjs-node fused, everything else at 0.3, the references fused dense', () => {
    assert.ok(activeFractions.length >= 3);
    const filter = trimFilter(trim, nothingAsked, ENGINES_BY_NAME)!;
    assert.deepEqual(names(configs.filter((c) => filter(c, at(0.1)))), ['workers/wasm fused', 'tfjs-node/tensorflow fused', 'workers/wasm fused']);
    assert.deepEqual(names(configs.filter((c) => filter(c, at(0.3)))), ['workers/wasm fused', 'workers/empty fused', 'tfjs-node/tensorflow fused', 'tfjs-node/tensorflow autograd', 'tfjs-cpu/cpu fused', 'workers/wasm fused']);
    assert.ok(!filter(config('tfjs-cpu', 'cpu', 'fused', 1, 'gradient', 'compact'), at(0.3)));
    assert.equal(plannedCount(activeFractions.map(at), configs, filter), 3 + 6 + 3);
  });

  it('trims nothing the user chose: --active keeps every fraction, --formulations autograd, --strategies compact', () => {
    const fractions = trimFilter(trim, { ...nothingAsked, fractions: true }, ENGINES_BY_NAME)!;
    assert.equal(configs.filter((c) => fractions(c, at(0.7))).length, 6);
    const formulations = trimFilter(trim, { ...nothingAsked, formulations: true }, ENGINES_BY_NAME)!;
    assert.ok(formulations(config('tfjs-cpu', 'cpu', 'autograd', 1), at(0.3)));
    const strategies = trimFilter(trim, { ...nothingAsked, strategies: true }, ENGINES_BY_NAME)!;
    assert.ok(strategies(config('tfjs-cpu', 'cpu', 'fused', 1, 'gradient', 'compact'), at(0.3)));
    assert.equal(trimFilter(trim, { fractions: true, formulations: true, strategies: true }, ENGINES_BY_NAME), undefined);
    assert.equal(trimFilter(PROFILES.full.trim, nothingAsked, ENGINES_BY_NAME), undefined);
  });

  it('runs every configuration at margin workloads', () => {
    const filter = trimFilter(trim, nothingAsked, ENGINES_BY_NAME)!;
    assert.ok(filter(config('workers', 'empty', 'fused', 2, 'overhead'), { shape, choice: { margin: 2 } }));
  });
});
