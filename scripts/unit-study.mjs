#!/usr/bin/env node
/**
 * Which unit of evidence a row's interval should rest on: windows inside one open, or
 * opens? Runs the harness's own sweep (built dist/, its pools and hosts) over a few
 * configurations, OPENS opens of WINDOWS windows each, in shuffled order, then prints per
 * configuration the spread of window medians inside an open (CV, pooled), the spread of the
 * opens' means, the spread those means would have from the windows alone (within / sqrt(k)),
 * and their ratio. A ratio near 1 means the opens add nothing beyond the windows' own
 * variation: windows are independent enough to be the units. README, "What the intervals mean".
 *
 *   node scripts/unit-study.mjs [--opens 5] [--windows 4] [--window-ms 300] [--batch 4096] [--dims 512x128]
 */
import { parseArgs } from 'node:util';
import { engineConfigs, workloadSpecs } from '../dist/src/bench/plan.js';
import { runSweep } from '../dist/src/bench/sweep.js';
import { ENGINES_BY_NAME } from '../dist/src/engines/index.js';
import { resolveSelection, SELECTION_DEFAULTS } from '../dist/src/options.js';

const { values } = parseArgs({
  options: {
    opens: { type: 'string', default: '5' },
    windows: { type: 'string', default: '4' },
    'window-ms': { type: 'string', default: '300' },
    batch: { type: 'string', default: '4096' },
    dims: { type: 'string', default: '512x128' },
    kernels: { type: 'string', default: 'wasm,tfjs,tensorflow' },
  },
});
const [dIn, dOut] = values.dims.split('x').map(Number);
const kernels = values.kernels.split(',');
const engines = ['workers', 'tfjs-node'].filter((name) => ENGINES_BY_NAME[name].kernels.some((k) => kernels.includes(k)));
const selection = resolveSelection(
  { engines, kernels, formulations: ['fused'], strategies: ['compact'], threads: [1, 2], batch: [Number(values.batch)], dims: [{ dIn, dOut }], active: [0.3], data: 'synthetic', seed: 42, reduction: 'mean' },
  SELECTION_DEFAULTS,
  ENGINES_BY_NAME,
);
const measurements = await runSweep(selection, workloadSpecs(selection), engineConfigs(selection, ENGINES_BY_NAME, { overhead: false }), {
  context: { runId: 'unit-study', host: '', cpuModel: '', logicalCpus: 0, nodeVersion: process.version },
  engines: ENGINES_BY_NAME,
  budgetMs: Number(values['window-ms']),
  rounds: Number(values.opens),
  // A budget of 0: the opens asked for and no top-up.
  precision: { targetPct: 3, budgetMs: 0, windowsPerVisit: Number(values.windows), maxUnits: 1000 },
});

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
const pct = (x) => `${(100 * x).toFixed(1)} %`;
console.log('configuration                         opens  k  within-open CV  opens\' means CV  expected from windows  ratio');
for (const m of measurements) {
  if (m.row.status !== 'ok') {
    console.log(`${m.row.engine}/${m.row.kernel} T=${m.row.threads}: ${m.row.status} ${m.row.note}`);
    continue;
  }
  const groups = new Map();
  m.windowMediansMs.forEach((ms, i) => groups.set(m.windowVisits[i], [...(groups.get(m.windowVisits[i]) ?? []), ms]));
  const opens = [...groups.values()];
  const grand = mean(m.windowMediansMs);
  const within = Math.sqrt(opens.reduce((a, g) => a + g.reduce((b, x) => b + (x - mean(g)) ** 2, 0), 0) / opens.reduce((a, g) => a + g.length - 1, 0)) / grand;
  const k = mean(opens.map((g) => g.length));
  const between = sd(opens.map(mean)) / grand;
  const expected = within / Math.sqrt(k);
  const label = `${m.row.engine}/${m.row.kernel} compact T=${m.row.threads}`.padEnd(38);
  console.log(`${label}${String(opens.length).padStart(5)}  ${k.toFixed(0)}  ${pct(within).padStart(14)}  ${pct(between).padStart(16)}  ${pct(expected).padStart(21)}  ${(between / expected).toFixed(2).padStart(5)}`);
}
