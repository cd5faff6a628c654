/**
 * Scaling: triplets/s against threads with the ideal line from each series' 1-thread
 * point, and parallel efficiency against threads. One panel per host and workload, so
 * two servers never share a line.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ResultRow } from '../../../bench/rows.js';
import { configurationLabel, hostLabel, seriesLabel, timedRows, workloadLabel } from '../labels.js';
import { CHART_CONFIG, LEGEND, panelFacet, SERIES_COLOUR, threadsAxis, type Chart } from './chart.js';

const MEASURED = 'measured';
const IDEAL = 'ideal: linear from 1 thread';

/** A point of the throughput chart: a measured row or its ideal twin. */
export interface ThroughputPoint {
  host: string;
  workload: string;
  /** Host and workload: one panel each, so two servers never share a line. */
  panel: string;
  series: string;
  threads: number;
  triplets_per_s: number;
  efficiency: number | null;
  kind: typeof MEASURED | typeof IDEAL;
  configuration: string;
}

/**
 * Measured points, and for every series with a 1-thread row, the ideal points
 * T x (triplets/s at T = 1) at each thread count that series measured.
 */
export function throughputPoints(rows: readonly ResultRow[]): ThroughputPoint[] {
  const measured: ThroughputPoint[] = timedRows(rows).map((row) => ({
    host: hostLabel(row),
    workload: workloadLabel(row),
    panel: `${hostLabel(row)} · ${workloadLabel(row)}`,
    series: seriesLabel(row),
    threads: row.threads,
    triplets_per_s: row.triplets_per_s as number,
    efficiency: typeof row.efficiency === 'number' ? row.efficiency : null,
    kind: MEASURED,
    configuration: configurationLabel(row),
  }));
  const lineOf = (p: ThroughputPoint) => `${p.host}|${p.workload}|${p.series}`;
  const single = new Map(measured.filter((p) => p.threads === 1).map((p) => [lineOf(p), p.triplets_per_s]));
  const ideal = measured.flatMap((p): ThroughputPoint[] => {
    const base = single.get(lineOf(p));
    return base === undefined ? [] : [{ ...p, triplets_per_s: base * p.threads, efficiency: 1, kind: IDEAL, configuration: `ideal ${p.configuration}` }];
  });
  return [...measured, ...ideal];
}

const tooltip = [
  { field: 'configuration', title: 'configuration' },
  { field: 'host', title: 'host' },
  { field: 'triplets_per_s', title: 'triplets/s', format: ',.0f' },
  { field: 'efficiency', title: 'efficiency', format: '.2f' },
];

/** Three panels a row: on a laptop screen each stays wide enough to read. */
const PANELS_PER_ROW = 3;

/** triplets/s against threads, log-log, so the ideal line is a straight diagonal. */
export function throughputChart(rows: readonly ResultRow[]): Chart {
  const points = throughputPoints(rows);
  const base = {
    id: 'throughput',
    title: 'Throughput against threads',
    caption: 'Solid: measured triplets/s (median step). Dashed: ideal linear scaling from the same series at 1 thread. ' +
      'The further a solid line falls below its dashed twin, the less the extra threads buy. Both axes are logarithmic.',
  };
  if (points.length === 0) return { ...base, spec: null, absentBecause: 'no configuration was timed' };
  const threads = points.map((p) => p.threads);
  const spec = {
    data: { values: points },
    ...panelFacet(PANELS_PER_ROW),
    spec: {
      width: 300,
      height: 220,
      layer: [
        {
          mark: { type: 'line', strokeWidth: 2 },
          encoding: {
            x: threadsAxis(threads),
            y: { field: 'triplets_per_s', type: 'quantitative', title: 'triplets/s', scale: { type: 'log' }, axis: { format: '~s' } },
            color: SERIES_COLOUR,
            strokeDash: { field: 'kind', type: 'nominal', title: 'line', legend: LEGEND, scale: { domain: [MEASURED, IDEAL], range: [[1, 0], [5, 4]] } },
            detail: { field: 'series' },
          },
        },
        {
          transform: [{ filter: `datum.kind === '${MEASURED}'` }],
          mark: { type: 'point', filled: true, size: 50 },
          encoding: {
            x: threadsAxis(threads),
            y: { field: 'triplets_per_s', type: 'quantitative' },
            color: SERIES_COLOUR,
            tooltip,
          },
        },
      ],
    },
    config: CHART_CONFIG,
  };
  return { ...base, spec: spec as TopLevelSpec };
}

/** speedup / threads against threads; 1 is perfect, the rule marks it. */
export function efficiencyChart(rows: readonly ResultRow[]): Chart {
  const points = throughputPoints(rows).filter((p) => p.kind === MEASURED && p.efficiency !== null);
  const base = {
    id: 'efficiency',
    title: 'Parallel efficiency against threads',
    caption: 'Efficiency = speedup over 1 thread / threads. 1 (the grey rule) is perfect scaling; 0.5 at 2 threads means the second thread added nothing.',
  };
  if (points.length === 0) return { ...base, spec: null, absentBecause: 'no series has a 1-thread row to scale from: include 1 in --threads' };
  const threads = points.map((p) => p.threads);
  const spec = {
    data: { values: points },
    ...panelFacet(PANELS_PER_ROW),
    spec: {
      width: 300,
      height: 200,
      layer: [
        { mark: { type: 'rule', color: '#999', strokeDash: [2, 2] }, encoding: { y: { datum: 1 } } },
        {
          mark: { type: 'line', point: { filled: true, size: 50 }, strokeWidth: 2 },
          encoding: {
            x: threadsAxis(threads),
            y: { field: 'efficiency', type: 'quantitative', title: 'parallel efficiency', scale: { domain: [0, Math.max(1.1, ...points.map((p) => p.efficiency as number))] } },
            color: SERIES_COLOUR,
            tooltip,
          },
        },
      ],
    },
    config: CHART_CONFIG,
  };
  return { ...base, spec: spec as TopLevelSpec };
}
