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
  gflops: number;
  best_native: boolean;
  configuration: string;
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
      gflops: row.gflops as number,
      best_native: false,
      configuration: configurationLabel(row),
    }));
  const bestNative = new Map<string, GflopsBar>();
  for (const bar of bars.filter((b) => b.engine === NATIVE_ENGINE)) {
    const best = bestNative.get(bar.panel);
    if (!best || bar.gflops > best.gflops) bestNative.set(bar.panel, bar);
  }
  for (const best of bestNative.values()) best.best_native = true;
  return bars;
}

/** Horizontal bars, fastest first, with a rule at the best native row. */
export function gflopsChart(rows: readonly ResultRow[]): Chart {
  const bars = gflopsBars(rows);
  const hasNative = bars.some((b) => b.best_native);
  const base = {
    id: 'gflops',
    title: 'Effective GFLOP/s of every configuration',
    caption: 'Effective GFLOP/s = 8 B D_in D_out / median step, the same scale for every engine. ' +
      (hasNative
        ? 'The black rule marks the best tfjs-node (TensorFlow native) configuration of the panel: bars past it beat TensorFlow.'
        : 'No tfjs-node row in these results: run with --engines workers,tfjs-node to see TensorFlow\'s native backend beside them.'),
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
      ],
    },
    resolve: { scale: { y: 'independent' } },
    config: CHART_CONFIG,
  };
  return { ...base, spec: spec as TopLevelSpec };
}
