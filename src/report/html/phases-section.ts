/**
 * The page's part on where the time goes: the stacked phases of every profiled
 * configuration (charts/phases.ts) and, for each workload's best compact row, its gap to
 * the roofline in milliseconds and the phases that hold it: what the compute roof (run.json
 * roofline, at its threads) allows for its FLOPs (src/model/flops.ts) and the memory roof
 * (memory_roof, with src/model/bytes.ts's bytes) for its bytes, against its profiled phases.
 */
import type { ResultRow } from '../../bench/rows.js';
import { stepBytes } from '../../model/bytes.js';
import { FORMULATIONS, STRATEGIES, type Formulation, type Strategy } from '../../domain.js';
import { stepFlops } from '../../model/flops.js';
import { PHASES, type Phase } from '../../phases.js';
import { phasesChart, type PhasesOf } from './charts/phases.js';
import type { Chart } from './charts/chart.js';
import { escapeHtml } from './escape.js';
import { part } from './part.js';
import { configurationLabel, hostLabel, timedRows, workloadLabel } from './labels.js';

/** Phases that run the GEMMs, where the step's FLOPs are: all of them, in the FLOP model. */
const GEMM_PHASES: readonly Phase[] = ['forward', 'backward', 'kernel'];

/** Milliseconds as the sentences print them. */
export const ms = (x: number) => (Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));

/** The best compact row of each host and workload with phases and both roofs: the fastest by triplets/s. */
function bestCompactRows(rows: readonly ResultRow[], phasesOf: PhasesOf): ResultRow[] {
  const best = new Map<string, ResultRow>();
  for (const row of timedRows(rows)) {
    if (row.strategy !== 'compact' || !phasesOf(row) || typeof row.roofline_gflops !== 'number' || typeof row.memory_roof_gbps !== 'number') continue;
    if (!(FORMULATIONS as readonly string[]).includes(row.formulation) || typeof row.active_fraction !== 'number') continue;
    const key = `${hostLabel(row)}|${workloadLabel(row)}`;
    const held = best.get(key);
    if (!held || (row.triplets_per_s as number) > (held.triplets_per_s as number)) best.set(key, row);
  }
  return [...best.values()];
}

/** The gap from the step to the nearer roof; a step under it says what that means. */
function gapWords(stepMs: number, roofMs: number, roof: 'compute' | 'memory'): string {
  if (stepMs >= roofMs) return `a gap of ${ms(stepMs - roofMs)} ms to the ${roof} roof's ${ms(roofMs)} ms. `;
  const why = roof === 'memory'
    ? 'the memory roof was measured low (other work while it ran) or the byte model counts traffic the caches keep'
    : 'the compute roof was measured low (other work while it ran)';
  return `its step is ${ms(roofMs - stepMs)} ms under the ${roof} roof's ${ms(roofMs)} ms: ${why}. `;
}

/** The sentence on one row's gap to the roofline, in ms, and which phases hold it. */
export function roofGapSentence(row: ResultRow, phases: Readonly<Record<Phase, number>>): string {
  const shape = { batch: row.batch, dIn: row.d_in, dOut: row.d_out };
  const active = Math.round((row.active_fraction as number) * row.batch);
  const formulation = row.formulation as Formulation;
  const strategy = (STRATEGIES as readonly string[]).includes(row.strategy) ? (row.strategy as Strategy) : 'compact';
  const flops = stepFlops(formulation, strategy, shape, active);
  const bytes = stepBytes(formulation, strategy, shape, active);
  const computeMs = flops / ((row.roofline_gflops as number) * 1e6);
  const memoryMs = bytes / ((row.memory_roof_gbps as number) * 1e6);
  const roofMs = Math.max(computeMs, memoryMs);
  const stepMs = row.p50_ms as number;
  const gemmMs = GEMM_PHASES.reduce((sum, p) => sum + phases[p], 0);
  const profiledMs = PHASES.reduce((sum, p) => sum + phases[p], 0);
  const rest = PHASES.filter((p) => !GEMM_PHASES.includes(p) && phases[p] >= 0.005)
    .sort((a, b) => phases[b] - phases[a])
    .map((p) => `${p} ${ms(phases[p])}`);
  return `${configurationLabel(row)} takes ${ms(stepMs)} ms a step (its windows' median). ` +
    `The compute roof (${(row.roofline_gflops as number).toFixed(1)} GFLOP/s at T=${row.threads}) allows ${ms(computeMs)} ms for its ${(flops / 1e9).toFixed(2)} GFLOP, ` +
    `the memory roof (${(row.memory_roof_gbps as number).toFixed(1)} GB/s) ${ms(memoryMs)} ms for its ${(bytes / 1e6).toFixed(1)} MB: ` +
    gapWords(stepMs, roofMs, computeMs >= memoryMs ? 'compute' : 'memory') +
    `Of its profiled step (${ms(profiledMs)} ms), the phases that run the GEMMs (forward, backward, and kernel time not split) took ${ms(gemmMs)} ms, ` +
    (gemmMs >= computeMs ? `${ms(gemmMs - computeMs)} ms beyond` : `${ms(computeMs - gemmMs)} ms under (the roof is timed on GEMMs of other shapes)`) +
    ` what the compute roof allows their FLOPs; the others, which have no FLOPs to count, took ${ms(profiledMs - gemmMs)} ms` +
    (rest.length > 0 ? ` (${rest.join(', ')} ms).` : '.');
}

/** One sentence per host and workload, on its best compact row. */
export function roofGapSentences(rows: readonly ResultRow[], phasesOf: PhasesOf): string[] {
  return bestCompactRows(rows, phasesOf).map((row) => roofGapSentence(row, phasesOf(row)!));
}

/** The folded part: the sentences, then the stacked bars; `render` draws a chart as the page does. */
export async function phasesPart(rows: readonly ResultRow[], phasesOf: PhasesOf, render: (chart: Chart) => Promise<string>): Promise<string> {
  const chart = phasesChart(rows, phasesOf);
  const sentences = roofGapSentences(rows, phasesOf);
  const gap = sentences.length > 0 ? `<ul>${sentences.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>` : '';
  return part(chart.id, chart.title, `${gap}<p class="caption">${escapeHtml(chart.caption)}</p>${await render(chart)}`);
}
