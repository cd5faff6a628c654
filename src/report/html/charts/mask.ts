/**
 * Does the mask save any effort? Step time against the measured active fraction, dense
 * against compact, one panel per kernel, with the time compact would take if it scaled
 * with its FLOPs (DESIGN.md 1): dense x (4 + 4a) / 8 for the fused formulation.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ResultRow } from '../../../bench/rows.js';
import { flopRatio } from '../../summary.js';
import { configurationLabel, hostLabel, timedRows } from '../labels.js';
import { CHART_CONFIG, LEGEND, PANEL_HEADER, type Chart } from './chart.js';

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
      kernel: `${row.engine}/${row.kernel} ${row.formulation}`,
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

/** Step time against active fraction, dense and compact, per kernel and thread count. */
export function maskChart(rows: readonly ResultRow[]): Chart {
  const points = maskPoints(rows);
  const fractions = new Set(points.map((p) => p.active_fraction.toFixed(3)));
  const base = {
    id: 'mask',
    title: 'Does the mask save effort? Step time against active fraction',
    caption: 'Dense multiplies every triplet by its mask, so its time should stay flat; compact gathers the active triplets first, ' +
      'so its time should fall with the active fraction, down to the grey dashed line where time follows FLOPs. ' +
      (fractions.size < 2 ? 'This run measured one active fraction only: run with --active 0.1,0.5,1 (or --profile full) to see the curves. ' : '') +
      'One column per kernel; rows by thread count (and host and workload).',
  };
  if (points.length === 0) return { ...base, spec: null, absentBecause: 'no configuration was timed' };
  const spec = {
    data: { values: points },
    // One column per kernel, so a kernel's thread counts and hosts stack under each other.
    facet: {
      row: { field: 'panel', type: 'nominal', title: null, header: PANEL_HEADER },
      column: { field: 'kernel', type: 'nominal', title: null, header: PANEL_HEADER },
    },
    spec: {
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
          scale: { domain: ['dense', 'compact', FLOP_MODEL], range: ['#d95f02', '#1b9e77', '#999999'] },
          legend: LEGEND,
        },
        // Same field and title as the colour: vega-lite merges the two into one legend.
        strokeDash: { field: 'strategy', type: 'nominal', title: 'strategy', scale: { domain: ['dense', 'compact', FLOP_MODEL], range: [[1, 0], [1, 0], [4, 3]] }, legend: LEGEND },
        tooltip: [
          { field: 'configuration', title: 'configuration' },
          { field: 'host', title: 'host' },
          { field: 'active_fraction', title: 'active fraction', format: '.3f' },
          { field: 'p50_ms', title: 'step ms', format: '.3f' },
        ],
      },
    },
    resolve: { scale: { y: 'independent' } },
    config: CHART_CONFIG,
  };
  return { ...base, spec: spec as TopLevelSpec };
}
