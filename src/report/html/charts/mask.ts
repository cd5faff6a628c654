/**
 * Does the mask save any effort? Step time against the measured active fraction, dense
 * against compact, one panel per kernel, with the time compact would take if it scaled
 * with its FLOPs (src/model/flops.ts): dense x (4 + 4a) / 8 for the fused formulation.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ResultRow } from '../../../bench/rows.js';
import { flopRatio } from '../../../model/flops.js';
import { configurationLabel, hostLabel, kernelLabel, timedRows } from '../labels.js';
import { CHART_CONFIG, kernelPanels, LEGEND_ON_TOP, STRATEGY_COLOURS, type Chart } from './chart.js';

const FLOP_MODEL = 'compact if time followed FLOPs';

/** A point of the chart: a measured dense or compact row, or the FLOP model's compact time. */
export interface MaskPoint {
  host: string;
  kernel: string;
  /** Thread count, host and workload: what a row of panels holds fixed. */
  panel: string;
  strategy: string;
  active_fraction: number;
  p50_ms: number;
  configuration: string;
}

/** Measured points, plus a FLOP-model point for every dense one. */
export function maskPoints(rows: readonly ResultRow[]): MaskPoint[] {
  const points: MaskPoint[] = [];
  for (const row of timedRows(rows)) {
    if (typeof row.active_fraction !== 'number' || typeof row.p50_ms !== 'number') continue;
    const point: MaskPoint = {
      host: hostLabel(row),
      kernel: kernelLabel(row),
      panel: `T=${row.threads} · ${hostLabel(row)} · B=${row.batch} ${row.d_in}x${row.d_out}`,
      strategy: row.strategy,
      active_fraction: row.active_fraction,
      p50_ms: row.p50_ms,
      configuration: configurationLabel(row),
    };
    points.push(point);
    if (row.strategy === 'dense') {
      const modelMs = row.p50_ms / flopRatio(row.formulation, row.active_fraction);
      points.push({ ...point, strategy: FLOP_MODEL, p50_ms: modelMs, configuration: `FLOP model of ${point.configuration}` });
    }
  }
  return points;
}

/** A bar of the one-fraction variant: how many times faster compact made one kernel's step. */
export interface MaskSaving {
  host: string;
  kernel: string;
  panel: string;
  active_fraction: number;
  /** Dense step over compact step: 2 = compact took half the time. */
  saving: number;
  /** What the FLOP count predicts for that ratio. */
  flop_model: number;
  dense: string;
  compact: string;
}

/** Dense over compact step time for every kernel timed both ways at one fraction. */
export function maskSavings(points: readonly MaskPoint[]): MaskSaving[] {
  const key = (p: MaskPoint) => `${p.panel}|${p.kernel}|${p.active_fraction}`;
  const compact = new Map(points.filter((p) => p.strategy === 'compact').map((p) => [key(p), p]));
  const model = new Map(points.filter((p) => p.strategy === FLOP_MODEL).map((p) => [key(p), p]));
  return points
    .filter((p) => p.strategy === 'dense' && compact.has(key(p)))
    .map((dense) => {
      const partner = compact.get(key(dense))!;
      return {
        host: dense.host, kernel: dense.kernel, panel: dense.panel, active_fraction: dense.active_fraction,
        saving: dense.p50_ms / partner.p50_ms, flop_model: dense.p50_ms / model.get(key(dense))!.p50_ms,
        dense: dense.configuration, compact: partner.configuration,
      };
    });
}

const WHY = 'Dense multiplies every triplet by its mask, so its work does not change with the active fraction; compact gathers the active triplets first and skips the rest. ';

/** Step time against active fraction, dense and compact, per kernel and thread count. */
export function maskChart(rows: readonly ResultRow[]): Chart {
  const points = maskPoints(rows);
  const fractions = new Set(points.map((p) => p.active_fraction.toFixed(2)));
  if (points.length > 0 && fractions.size < 2) return savingChart(points, [...fractions][0]!);
  const base = {
    id: 'mask',
    title: 'Does the mask save effort? Step time against active fraction',
    caption: WHY + 'So dense should stay flat, and compact should fall with the active fraction, down to the grey dashed line where time follows FLOPs. ' +
      'One column per kernel; rows by thread count (and host and workload).',
  };
  if (points.length === 0) return { ...base, spec: null, absentBecause: 'no configuration was timed' };
  // One column per kernel, a row of panels per thread count (and host and workload).
  const spec = {
    ...kernelPanels(points, {
      width: 220,
      height: 160,
      mark: { type: 'line', point: { filled: true, size: 45 }, strokeWidth: 2 },
      encoding: {
        x: { field: 'active_fraction', type: 'quantitative', title: 'active fraction', scale: { domain: [0, 1] } },
        y: { field: 'p50_ms', type: 'quantitative', title: 'step time, median (ms)', scale: { zero: true } },
        color: {
          field: 'strategy',
          type: 'nominal',
          title: 'strategy',
          scale: { domain: ['dense', 'compact', FLOP_MODEL], range: [STRATEGY_COLOURS.dense, STRATEGY_COLOURS.compact, STRATEGY_COLOURS.model] },
          legend: LEGEND_ON_TOP,
        },
        // Same field and title as the colour: vega-lite merges the two into one legend.
        strokeDash: { field: 'strategy', type: 'nominal', title: 'strategy', scale: { domain: ['dense', 'compact', FLOP_MODEL], range: [[1, 0], [1, 0], [4, 3]] }, legend: LEGEND_ON_TOP },
        tooltip: [
          { field: 'configuration', title: 'configuration' },
          { field: 'host', title: 'host' },
          { field: 'active_fraction', title: 'active fraction', format: '.3f' },
          { field: 'p50_ms', title: 'step ms', format: '.3f' },
        ],
      },
    }, { scale: { y: 'independent' } }),
    config: CHART_CONFIG,
  };
  return { ...base, spec: spec as TopLevelSpec };
}

/**
 * With one active fraction there is no curve to draw, and kernels' step times differ a
 * hundredfold; the ratio dense / compact answers the question on one scale.
 */
function savingChart(points: readonly MaskPoint[], fraction: string): Chart {
  const savings = maskSavings(points);
  const base = {
    id: 'mask',
    title: `Does the mask save effort? Compact against dense at active fraction ${fraction}`,
    caption: WHY + 'Each bar: dense step time / compact step time, how many times faster skipping the inactive triplets made the step. ' +
      'The grey tick is what counting FLOPs predicts; the dashed rule at 1 means no saving at all. ' +
      'This run measured one active fraction: run with --active 0.1,0.5,1 (or --profile full) to see step time against it.',
  };
  if (savings.length === 0) return { ...base, spec: null, absentBecause: 'no kernel was timed with both --strategies dense and compact' };
  // One chart per panel, stacked: each lists only its own kernels (single-thread engines
  // have no bar at T=2), which a facet with independent scales draws with a warning.
  const panels = [...new Set(savings.map((saving) => saving.panel))].sort();
  const spec = {
    vconcat: panels.map((panel) => ({
      title: { text: panel, anchor: 'start', fontSize: 12 },
      data: { values: savings.filter((saving) => saving.panel === panel) },
      width: 420,
      height: { step: 20 },
      layer: [
        {
          mark: { type: 'bar', color: STRATEGY_COLOURS.compact, height: { band: 0.7 } },
          encoding: {
            y: { field: 'kernel', type: 'nominal', title: null },
            x: { field: 'saving', type: 'quantitative', title: 'dense time / compact time', scale: { zero: true } },
            tooltip: [
              { field: 'compact', title: 'configuration' },
              { field: 'dense', title: 'against' },
              { field: 'host', title: 'host' },
              { field: 'saving', title: 'dense / compact', format: '.2f' },
              { field: 'flop_model', title: 'FLOP model', format: '.2f' },
            ],
          },
        },
        {
          mark: { type: 'tick', color: STRATEGY_COLOURS.model, thickness: 3 },
          encoding: { y: { field: 'kernel', type: 'nominal' }, x: { field: 'flop_model', type: 'quantitative' } },
        },
        { mark: { type: 'rule', color: '#555', strokeDash: [3, 3] }, encoding: { x: { datum: 1 } } },
      ],
    })),
    config: CHART_CONFIG,
  };
  return { ...base, spec: spec as TopLevelSpec };
}
