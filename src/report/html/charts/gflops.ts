/**
 * Effective GFLOP/s (8 B D_in D_out / step, whatever the engine did) of every
 * configuration, beside the best native (tfjs-node) row of the same host and workload:
 * how far the threads are from TensorFlow's own kernels.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ResultRow } from '../../../bench/rows.js';
import { configurationLabel, hostLabel, seriesLabel, timedRows, workloadLabel } from '../labels.js';
import { CHART_CONFIG, LEGEND_ON_TOP, panelFacet, type Chart } from './chart.js';

/** The engine whose best row every other is measured against. */
export const NATIVE_ENGINE = 'tfjs-node';

/** A bar: one configuration. */
export interface GflopsBar {
  host: string;
  panel: string;
  bar: string;
  engine: string;
  threads: number;
  gflops: number;
  best_native: boolean;
  configuration: string;
  /** This machine's GEMM roofline at the bar's thread count (results.csv roofline_gflops), or null. */
  roofline: number | null;
  /** A bar at its panel's largest thread count with a roofline: where the roofline rule is drawn. */
  roofline_mark: boolean;
  roofline_label: string;
}

/** One bar per timed configuration; the fastest native row of each panel is flagged. */
export function gflopsBars(rows: readonly ResultRow[]): GflopsBar[] {
  const bars = timedRows(rows)
    .filter((row) => typeof row.gflops === 'number')
    .map((row) => ({
      host: hostLabel(row),
      panel: `${hostLabel(row)} · ${workloadLabel(row)}`,
      bar: `${seriesLabel(row)} T=${row.threads}`,
      engine: row.engine,
      threads: row.threads,
      gflops: row.gflops as number,
      best_native: false,
      configuration: configurationLabel(row),
      roofline: typeof row.roofline_gflops === 'number' ? row.roofline_gflops : null,
      roofline_mark: false,
      // Above the CPUs the roofline is the whole machine's (src/roofline/measure.ts).
      roofline_label: typeof row.roofline_gflops === 'number' ? `GEMM roofline, ${typeof row.logical_cpus === 'number' && row.threads > row.logical_cpus ? `all ${row.logical_cpus} CPUs` : `T=${row.threads}`}` : '',
    }));
  const bestNative = new Map<string, GflopsBar>();
  for (const bar of bars.filter((b) => b.engine === NATIVE_ENGINE)) {
    const best = bestNative.get(bar.panel);
    if (!best || bar.gflops > best.gflops) bestNative.set(bar.panel, bar);
  }
  for (const best of bestNative.values()) best.best_native = true;
  // The machine's roofline is the one at the most threads (the others are subsets of it).
  const mostThreads = new Map<string, GflopsBar>();
  for (const bar of bars.filter((b) => b.roofline !== null)) {
    const most = mostThreads.get(bar.panel);
    if (!most || bar.threads > most.threads) mostThreads.set(bar.panel, bar);
  }
  for (const bar of mostThreads.values()) bar.roofline_mark = true;
  return bars;
}

/** The roofline rule and its label, drawn at the bar flagged roofline_mark in each panel. */
const rooflineLayers = [
  {
    transform: [{ filter: 'datum.roofline_mark' }],
    mark: { type: 'rule', color: '#c0392b', strokeWidth: 1.5, strokeDash: [5, 3] },
    encoding: { x: { field: 'roofline', type: 'quantitative' } },
  },
  {
    transform: [{ filter: 'datum.roofline_mark' }],
    mark: { type: 'text', color: '#c0392b', align: 'right', baseline: 'bottom', dx: -3, y: 0, fontSize: 10 },
    encoding: { x: { field: 'roofline', type: 'quantitative' }, text: { field: 'roofline_label' } },
  },
];

/** Horizontal bars, fastest first, with a rule at the best native row. */
export function gflopsChart(rows: readonly ResultRow[]): Chart {
  const bars = gflopsBars(rows);
  const hasNative = bars.some((b) => b.best_native);
  const hasRoofline = bars.some((b) => b.roofline_mark);
  const base = {
    id: 'gflops',
    title: 'Effective GFLOP/s of every configuration',
    caption: 'Effective GFLOP/s = 8 B D_in D_out / median step, the same scale for every engine. ' +
      (hasNative
        ? 'The black rule marks the best tfjs-node (TensorFlow native) configuration of the panel: bars past it beat TensorFlow.'
        : 'No tfjs-node row in these results: run with --engines workers,tfjs-node to see TensorFlow\'s native backend beside them.') +
      (hasRoofline
        ? ' The dashed red rule is the GEMM roofline at the panel\'s largest thread count: tfjs-node\'s matMul on the workload\'s own shapes, measured before the sweep ' +
          '(results.csv roofline_gflops; roofline_pct is each row\'s performed FLOPs against it). Compact rows may pass it: they skip work the effective scale counts.'
        : ' No GEMM roofline in these results (run.json says why).'),
  };
  if (bars.length === 0) return { ...base, spec: null, absentBecause: 'no configuration was timed' };
  const spec = {
    data: { values: bars },
    ...panelFacet(1),
    spec: {
      width: 520,
      height: { step: 16 },
      layer: [
        {
          mark: { type: 'bar', height: { band: 0.75 } },
          encoding: {
            y: { field: 'bar', type: 'nominal', title: null, sort: '-x' },
            x: { field: 'gflops', type: 'quantitative', title: 'effective GFLOP/s' },
            color: { field: 'engine', type: 'nominal', title: 'engine', scale: { scheme: 'set2' }, legend: LEGEND_ON_TOP },
            tooltip: [
              { field: 'configuration', title: 'configuration' },
              { field: 'host', title: 'host' },
              { field: 'gflops', title: 'GFLOP/s', format: '.3f' },
            ],
          },
        },
        {
          transform: [{ filter: 'datum.best_native' }],
          mark: { type: 'rule', color: 'black', strokeWidth: 1.5 },
          encoding: { x: { field: 'gflops', type: 'quantitative' } },
        },
        // Only with a roofline: an empty layer has no extent and vega warns.
        ...(hasRoofline ? rooflineLayers : []),
      ],
    },
    resolve: { scale: { y: 'independent' } },
    config: CHART_CONFIG,
  };
  return { ...base, spec: spec as TopLevelSpec };
}
