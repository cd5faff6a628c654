/**
 * Where does compact start to win? Dense time over compact time against the active
 * fraction, one line per kernel, one panel per thread count (and host and workload), with
 * the FLOP model's ratio and the break-even points of src/report/breakeven.ts on the line
 * at 1, above which compact is faster.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ResultRow } from '../../../bench/rows.js';
import { breakEvens, type BreakEven } from '../../breakeven.js';
import { flopRatio } from '../../../model/flops.js';
import { kernelLabel } from '../labels.js';
import { CHART_CONFIG, LEGEND_ON_TOP, panelFacet, type Chart } from './chart.js';

/** What a point of the chart is. */
type Kind = 'measured' | 'FLOP model' | 'break-even';

/** One mark's datum. */
export interface BreakEvenDatum {
  panel: string;
  host: string;
  kernel: string;
  kind: Kind;
  active_fraction: number;
  speedup: number;
  status: string;
}

const panelOf = (b: BreakEven, manyHosts: boolean) => `T=${b.threads}${manyHosts ? ` · ${b.host}` : ''} · B=${b.batch} ${b.dIn}x${b.dOut}`;

/** Steps of the FLOP model's curve across [0, 1]. */
const MODEL_STEPS = 20;

/** The chart's data: measured ratios, the model's curve per formulation and panel, and break-even points. */
export function breakEvenData(groups: readonly BreakEven[]): BreakEvenDatum[] {
  const manyHosts = new Set(groups.map((b) => b.host)).size > 1;
  const data: BreakEvenDatum[] = [];
  const modelled = new Set<string>();
  for (const b of groups) {
    const panel = panelOf(b, manyHosts);
    const kernel = kernelLabel(b);
    for (const p of b.points) data.push({ panel, host: b.host, kernel, kind: 'measured', active_fraction: p.activeFraction, speedup: p.speedup, status: b.status });
    if (b.breakEven !== null) data.push({ panel, host: b.host, kernel, kind: 'break-even', active_fraction: b.breakEven, speedup: 1, status: b.status });
    const modelKey = `${panel}|${b.formulation}`;
    if (modelled.has(modelKey)) continue;
    modelled.add(modelKey);
    // From 0.05: the model's ratio at 0 is a pole for no formulation, but no kernel measures there.
    for (let i = 1; i <= MODEL_STEPS; i++) {
      const a = i / MODEL_STEPS;
      data.push({ panel, host: b.host, kernel: `FLOP model (${b.formulation})`, kind: 'FLOP model', active_fraction: a, speedup: flopRatio(b.formulation, a), status: '' });
    }
  }
  return data;
}

const CAPTION =
  'Each line: dense step time / compact step time of one kernel, against the active fraction. Above the dashed line at 1 compact (skipping the inactive triplets) is faster; ' +
  'the diamond marks the break-even fraction, interpolated between the two measured fractions around it (breakeven.csv lists them). ' +
  'Grey: what counting FLOPs predicts. A kernel that crosses 1 more than once is noise: breakeven.csv gives its bracket.';

/** The break-even chart of the page. */
export function breakEvenChart(rows: readonly ResultRow[]): Chart {
  const groups = breakEvens(rows);
  const base = { id: 'breakeven', title: 'Break-even: below which active fraction does compact win?', caption: CAPTION };
  if (!groups.some((b) => b.points.length >= 2)) {
    return { ...base, spec: null, absentBecause: 'no kernel was timed dense and compact at two or more active fractions; run with --active 0.1,0.3,0.7 (the default profile does)' };
  }
  const data = breakEvenData(groups.filter((b) => b.points.length >= 2));
  const x = { field: 'active_fraction', type: 'quantitative', title: 'active fraction', scale: { domain: [0, 1] } } as const;
  const y = { field: 'speedup', type: 'quantitative', title: 'dense time / compact time', scale: { type: 'log', base: 2 } } as const;
  const colour = { field: 'kernel', type: 'nominal', title: 'kernel', scale: { scheme: 'tableau10' }, legend: LEGEND_ON_TOP } as const;
  const tooltip = [
    { field: 'kernel', title: 'kernel' },
    { field: 'host', title: 'host' },
    { field: 'active_fraction', title: 'active fraction', format: '.3f' },
    { field: 'speedup', title: 'dense / compact', format: '.2f' },
    { field: 'status', title: 'break-even' },
  ];
  const spec = {
    data: { values: data },
    ...panelFacet(3),
    spec: {
      width: 300,
      height: 200,
      layer: [
        { mark: { type: 'rule', color: '#555', strokeDash: [3, 3] }, encoding: { y: { datum: 1 } } },
        {
          transform: [{ filter: "datum.kind === 'FLOP model'" }],
          mark: { type: 'line', color: '#999999', strokeDash: [4, 3] },
          encoding: { x, y, detail: { field: 'kernel', type: 'nominal' } },
        },
        {
          transform: [{ filter: "datum.kind === 'measured'" }],
          mark: { type: 'line', point: { filled: true, size: 45 }, strokeWidth: 2 },
          encoding: { x, y, color: colour, tooltip },
        },
        {
          transform: [{ filter: "datum.kind === 'break-even'" }],
          mark: { type: 'point', shape: 'diamond', filled: true, size: 110, stroke: '#222', strokeWidth: 1 },
          encoding: { x, y, color: colour, tooltip },
        },
      ],
    },
    config: CHART_CONFIG,
  };
  return { ...base, spec: spec as TopLevelSpec };
}
