import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stepBytes } from '../src/model/bytes.js';
import { stepFlops } from '../src/model/flops.js';
import { PHASES, type Phase } from '../src/phases.js';
import { phasesChart } from '../src/report/html/charts/phases.js';
import { ms, roofGapSentence, roofGapSentences } from '../src/report/html/phases-section.js';
import { phasesLookup, sourceFromCsv } from '../src/report/html/sources.js';
import { plainRow, writeRunFolder } from './fixtures.js';

const phasesOf = (figures: Partial<Record<Phase, number>>): Record<Phase, number> =>
  Object.fromEntries(PHASES.map((p) => [p, figures[p] ?? 0])) as Record<Phase, number>;

const compact = plainRow({ strategy: 'compact', threads: 2, batch: 4096, d_in: 512, d_out: 128, active_fraction: 0.3, p50_ms: 20, triplets_per_s: 204_800, roofline_gflops: 100, memory_roof_gbps: 10 });
const slower = plainRow({ ...compact, engine: 'tfjs-node', kernel: 'tensorflow', p50_ms: 25, triplets_per_s: 163_840 });
const phases = phasesOf({ dispatch: 0.5, forward: 6, hinge: 1, mask: 2, backward: 4, readout: 0.5, kernel: 0.5, barrier: 3, reduction: 1.5, other: 0 });

describe('the gap to the roofline', () => {
  it('says in ms what the compute and memory roofs allow the best compact row, and which phases hold the rest', () => {
    const flops = stepFlops('fused', 'compact', { batch: 4096, dIn: 512, dOut: 128 }, Math.round(0.3 * 4096));
    const bytes = stepBytes('fused', 'compact', { batch: 4096, dIn: 512, dOut: 128 }, Math.round(0.3 * 4096));
    const computeMs = flops / (100 * 1e6);
    const memoryMs = bytes / (10 * 1e6);
    const roofMs = Math.max(computeMs, memoryMs);
    const sentence = roofGapSentence(compact, phases);
    assert.match(sentence, new RegExp(`allows ${ms(computeMs)} ms for its ${(flops / 1e9).toFixed(2)} GFLOP`));
    assert.match(sentence, new RegExp(`${ms(memoryMs)} ms for its ${(bytes / 1e6).toFixed(1)} MB`));
    assert.match(sentence, new RegExp(`a gap of ${ms(20 - roofMs)} ms`));
    assert.match(sentence, new RegExp(`the GEMMs .* took 10\\.5 ms, ${ms(computeMs - 10.5)} ms under`));
    assert.match(sentence, /took 8\.50 ms \(barrier 3\.00, mask 2\.00, reduction 1\.50, hinge 1\.00, dispatch 0\.50, readout 0\.50 ms\)/);
  });

  it('says what a step under the nearer roof means rather than a negative gap', () => {
    const sentence = roofGapSentence({ ...compact, memory_roof_gbps: 1 }, phases);
    assert.match(sentence, /its step is [0-9.]+ ms under the memory roof's [0-9.]+ ms: the memory roof was measured low/);
    assert.doesNotMatch(sentence, /gap of -/);
  });

  it('speaks of the fastest compact row with phases, one per workload', () => {
    const lookup = (row: unknown) => (row === compact || row === slower ? phases : undefined);
    const sentences = roofGapSentences([slower, compact, plainRow({ strategy: 'dense' })], lookup);
    assert.equal(sentences.length, 1);
    assert.match(sentences[0]!, /^workers\/js fused compact T=2/);
    assert.deepEqual(roofGapSentences([compact], () => undefined), []);
  });
});

describe('the phases chart', () => {
  it('stacks each profiled configuration\'s phases, and says how to get them when none is', () => {
    const absent = phasesChart([compact], () => undefined);
    assert.equal(absent.spec, null);
    assert.match(absent.absentBecause!, /phases_ms/);
    const chart = phasesChart([compact, slower], () => phases);
    const layer = (chart.spec as unknown as { layer: { data: { values: { configuration: string; ms?: number }[] } }[] }).layer;
    const bars = layer[0]!.data.values;
    assert.equal(bars.length, 2 * PHASES.length);
    const first = bars.filter((b) => b.configuration === bars[0]!.configuration).reduce((sum, b) => sum + b.ms!, 0);
    assert.ok(Math.abs(first - 19) < 1e-9, `segments sum to the profiled step: ${first}`);
    assert.equal(layer[1]!.data.values.length, 2, 'a tick at each window median');
  });

  it('reads phases_ms from the run.json beside a results.csv', () => {
    const dir = writeRunFolder(mkdtempSync(join(tmpdir(), 'tb-phases-page-')), [compact, slower]);
    const runJson = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { configurations: Record<string, unknown>[] };
    runJson.configurations[0]!['phases_ms'] = phases;
    runJson.configurations[1]!['phases_ms'] = null;
    writeFileSync(join(dir, 'run.json'), JSON.stringify(runJson));
    const source = sourceFromCsv(join(dir, 'results.csv'));
    const lookup = phasesLookup([source]);
    assert.deepEqual(lookup(source.rows[0]!), phases);
    assert.equal(lookup(source.rows[1]!), undefined);
  });
});
