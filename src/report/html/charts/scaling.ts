/**
 * Scaling: triplets/s against threads with the ideal line from each line's 1-thread
 * point, and parallel efficiency against threads. One panel per kernel (columns) and per
 * host and workload (rows), so two servers never share a line and a panel holds only
 * dense and compact: a default run has a dozen kernels, too many colours for one plot.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ResultRow } from '../../../bench/rows.js';
import { configurationLabel, hostLabel, kernelLabel, timedRows, workloadLabel } from '../labels.js';
import { CHART_CONFIG, kernelPanels, LEGEND_ON_TOP, PANEL_HEADER, STRATEGY_COLOUR, threadsAxis, type Chart } from './chart.js';

const MEASURED = 'measured';
const IDEAL = 'ideal: linear from 1 thread';

/** A point of the scaling charts: a measured row or its ideal twin. */
export interface ScalingPoint {
  host: string;
  /** Engine/kernel and formulation: a column of panels. */
  kernel: string;
  /** Host and workload: a row of panels. */
  panel: string;
  strategy: string;
  threads: number;
  triplets_per_s: number;
  efficiency: number | null;
  /** The speedup's 95 % interval over threads (src/bench/speedup-interval.ts); null where there is none. */
  efficiency_low: number | null;
  efficiency_high: number | null;
  /** Timing windows the row rests on. */
  windows: number | null;
  kind: typeof MEASURED | typeof IDEAL;
  configuration: string;
}

const lineOf = (p: ScalingPoint) => `${p.panel}|${p.kernel}|${p.strategy}`;

/**
 * Measured points of every line timed at two or more thread counts, and for each line
 * with a 1-thread row, the ideal points T x (triplets/s at T = 1).
 */
export function scalingPoints(rows: readonly ResultRow[]): ScalingPoint[] {
  const all: ScalingPoint[] = timedRows(rows).map((row) => ({
    host: hostLabel(row),
    kernel: kernelLabel(row),
    panel: `${hostLabel(row)} · ${workloadLabel(row)}`,
    strategy: row.strategy,
    threads: row.threads,
    triplets_per_s: row.triplets_per_s as number,
    efficiency: typeof row.efficiency === 'number' ? row.efficiency : null,
    efficiency_low: typeof row.efficiency === 'number' && typeof row.speedup_ci_low === 'number' ? row.speedup_ci_low / row.threads : null,
    efficiency_high: typeof row.efficiency === 'number' && typeof row.speedup_ci_high === 'number' ? row.speedup_ci_high / row.threads : null,
    windows: typeof row.windows === 'number' ? row.windows : null,
    kind: MEASURED,
    configuration: configurationLabel(row),
  }));
  const threadCounts = new Map<string, Set<number>>();
  for (const p of all) threadCounts.set(lineOf(p), (threadCounts.get(lineOf(p)) ?? new Set()).add(p.threads));
  const measured = all.filter((p) => threadCounts.get(lineOf(p))!.size > 1);
  const single = new Map(measured.filter((p) => p.threads === 1).map((p) => [lineOf(p), p.triplets_per_s]));
  const ideal = measured.flatMap((p): ScalingPoint[] => {
    const base = single.get(lineOf(p));
    return base === undefined ? [] : [{ ...p, triplets_per_s: base * p.threads, efficiency: 1, efficiency_low: null, efficiency_high: null, kind: IDEAL, configuration: `ideal ${p.configuration}` }];
  });
  return [...measured, ...ideal];
}

/** Kernels timed at one thread count only (tfjs-wasm, tfjs-cpu): named in the caption, not drawn. */
function unscaledKernels(rows: readonly ResultRow[]): string[] {
  const drawn = new Set(scalingPoints(rows).map((p) => p.kernel));
  return [...new Set(timedRows(rows).map(kernelLabel))].filter((k) => !drawn.has(k)).sort();
}

function absentNote(rows: readonly ResultRow[]): string {
  const unscaled = unscaledKernels(rows);
  return unscaled.length > 0 ? ` Not drawn, timed at one thread count only: ${unscaled.join(', ')} (see the GFLOP/s chart).` : '';
}

/** One panel per kernel (a row per host and workload), each `size`, drawing `layer`. */
function panelled(points: readonly ScalingPoint[], size: { width: number; height: number }, layer: readonly object[]): TopLevelSpec {
  return { ...kernelPanels(points, { ...size, layer }), config: CHART_CONFIG } as TopLevelSpec;
}

const tooltip = [
  { field: 'configuration', title: 'configuration' },
  { field: 'host', title: 'host' },
  { field: 'triplets_per_s', title: 'triplets/s', format: ',.0f' },
  { field: 'efficiency', title: 'efficiency', format: '.2f' },
  { field: 'efficiency_low', title: 'efficiency 95 % low', format: '.2f' },
  { field: 'efficiency_high', title: 'efficiency 95 % high', format: '.2f' },
  { field: 'windows', title: 'windows' },
];

/** Measured and ideal lines of triplets/s against threads, and the measured points (`pointSize` each): the full chart's panels and the first screen's. */
function throughputLayers(threads: readonly number[], pointSize: number) {
  return [
    {
      mark: { type: 'line', strokeWidth: 2 },
      encoding: {
        x: threadsAxis(threads),
        y: { field: 'triplets_per_s', type: 'quantitative', title: 'triplets/s', scale: { type: 'log' }, axis: { format: '~s' } },
        color: STRATEGY_COLOUR,
        strokeDash: { field: 'kind', type: 'nominal', title: 'line', legend: LEGEND_ON_TOP, scale: { domain: [MEASURED, IDEAL], range: [[1, 0], [5, 4]] } },
      },
    },
    {
      transform: [{ filter: `datum.kind === '${MEASURED}'` }],
      mark: { type: 'point', filled: true, size: pointSize, opacity: 1 },
      encoding: { x: threadsAxis(threads), y: { field: 'triplets_per_s', type: 'quantitative' }, color: STRATEGY_COLOUR, tooltip },
    },
  ];
}

/** triplets/s against threads, log-log, so the ideal line is a straight diagonal. */
export function throughputChart(rows: readonly ResultRow[]): Chart {
  const points = scalingPoints(rows);
  const base = {
    id: 'throughput',
    title: 'Throughput against threads',
    caption: 'Solid: measured triplets/s (median step), dense and compact. Dashed: ideal linear scaling from the same line at 1 thread. ' +
      'The further a solid line falls below its dashed twin, the less the extra threads buy. Both axes are logarithmic; ' +
      'one column per kernel, one row per host and workload.' + absentNote(rows),
  };
  if (points.length === 0) return { ...base, spec: null, absentBecause: 'no kernel was timed at two or more thread counts: give --threads a list, e.g. 1,2' };
  const threads = points.map((p) => p.threads);
  return {
    ...base,
    spec: panelled(points, { width: 200, height: 200 }, [
      ...throughputLayers(threads, 50),
    ]),
  };
}

/** speedup / threads against threads; 1 is perfect, the rule marks it. */
export function efficiencyChart(rows: readonly ResultRow[]): Chart {
  const points = scalingPoints(rows).filter((p) => p.kind === MEASURED && p.efficiency !== null);
  const base = {
    id: 'efficiency',
    title: 'Parallel efficiency against threads',
    caption: 'Efficiency = speedup over 1 thread / threads. 1 (the grey rule) is perfect scaling; 0.5 at 2 threads means the second thread added nothing, ' +
      'below 0.5 it made the step slower. Vertical bars: the 95 % interval of the speedup over threads, from the drift between timing windows ' +
      '(none where a row or its 1-thread row rests on one window). Single-thread engines have no efficiency to draw.' + absentNote(rows),
  };
  if (points.length === 0) return { ...base, spec: null, absentBecause: 'no kernel was timed at 1 thread and more: give --threads a list starting at 1' };
  const threads = points.map((p) => p.threads);
  return {
    ...base,
    spec: panelled(points, { width: 200, height: 160 }, [
      { mark: { type: 'rule', color: '#999', strokeDash: [2, 2] }, encoding: { y: { datum: 1 } } },
      {
        mark: { type: 'line', point: { filled: true, size: 50, opacity: 1 }, strokeWidth: 2 },
        encoding: {
          x: threadsAxis(threads),
          y: { field: 'efficiency', type: 'quantitative', title: 'parallel efficiency', scale: { domain: [0, Math.max(1.1, ...points.map((p) => p.efficiency_high ?? (p.efficiency as number)))] } },
          color: STRATEGY_COLOUR,
          tooltip,
        },
      },
      {
        transform: [{ filter: 'isValid(datum.efficiency_low) && isValid(datum.efficiency_high)' }],
        mark: { type: 'rule', strokeWidth: 1.5 },
        encoding: { x: threadsAxis(threads), y: { field: 'efficiency_low', type: 'quantitative' }, y2: { field: 'efficiency_high' }, color: STRATEGY_COLOUR, tooltip },
      },
    ]),
  };
}

/** The id of the first screen's scaling chart. */
export const HEADLINE_SCALING_ID = 'scaling-headline';

/**
 * The first screen's thread-scaling chart: the throughput chart of one host and workload
 * (`panel`, as scalingPoints names it), one small panel per kernel timed there.
 */
export function headlineScalingChart(rows: readonly ResultRow[], panel: string): Chart {
  const points = scalingPoints(rows).filter((p) => p.panel === panel);
  const base = {
    id: HEADLINE_SCALING_ID,
    title: `Thread scaling at ${panel}`,
    caption: 'Solid: measured triplets/s; dashed: linear from 1 thread. Log axes; the full chart, every workload, is below.',
  };
  if (points.length === 0) return { ...base, spec: null, absentBecause: 'no kernel was timed at two or more thread counts at this workload: give --threads a list, e.g. 1,2' };
  const threads = points.map((p) => p.threads);
  const layer = throughputLayers(threads, 40);
  // The panel is the chart's title on the page: no title inside the SVG to repeat it.
  const facet = { data: { values: points }, facet: { column: { field: 'kernel', type: 'nominal', title: null, header: PANEL_HEADER } }, spec: { width: 150, height: 120, layer } };
  return { ...base, spec: { ...facet, config: CHART_CONFIG } as TopLevelSpec };
}
