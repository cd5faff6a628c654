/**
 * Scaling. Strong (the batch fixed, Amdahl's speedup): triplets/s against threads with the
 * ideal line from each line's 1-thread point, and parallel efficiency against threads.
 * Weak (the triplets per thread fixed, --scaling weak|both): Gustafson's scaled speedup
 * against threads, in a chart of its own, since its points are other workloads. One panel per kernel (columns) and per
 * host and workload (rows), so two servers never share a line and a panel holds only
 * dense and compact: a default run has a dozen kernels, too many colours for one plot.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ResultRow } from '../../../bench/rows.js';
import { configurationLabel, hostLabel, isWeakScaling, kernelLabel, perThreadWorkloadLabel, timedRows, workloadLabel } from '../labels.js';
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
  // Strong scaling only: a weak row's batch grows with its threads (weakScalingChart draws those).
  const all: ScalingPoint[] = timedRows(rows).filter((row) => !isWeakScaling(row)).map((row) => ({
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
  return [...new Set(timedRows(rows).filter((row) => !isWeakScaling(row)).map(kernelLabel))].filter((k) => !drawn.has(k)).sort();
}

function absentNote(rows: readonly ResultRow[]): string {
  const unscaled = unscaledKernels(rows);
  return unscaled.length > 0 ? ` Not drawn, timed at one thread count only: ${unscaled.join(', ')} (see the GFLOP/s chart).` : '';
}

/** One panel per kernel (a row per host and workload), each `size`, drawing `layer`. */
function panelled(points: readonly { panel: string }[], size: { width: number; height: number }, layer: readonly object[]): TopLevelSpec {
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
    title: 'Throughput against threads (strong scaling): the same batch at every thread count',
    caption: 'Strong scaling: every thread count solves the same batch, so the speedup is Amdahl\'s. ' +
      'Solid: measured triplets/s (median step), dense and compact. Dashed: ideal linear scaling from the same line at 1 thread. ' +
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
    title: 'Parallel efficiency against threads (strong scaling): the same batch at every thread count',
    caption: 'Strong scaling (the same batch at every thread count). Efficiency = speedup over 1 thread / threads. 1 (the grey rule) is perfect scaling; 0.5 at 2 threads means the second thread added nothing, ' +
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

/** A point of the weak-scaling chart: a weak row at T, or the 1-thread row of its triplets per thread. */
export interface WeakScalingPoint {
  host: string;
  kernel: string;
  /** Host and the workload per thread: a row of panels. */
  panel: string;
  strategy: string;
  threads: number;
  batch: number;
  /** Gustafson's scaled speedup: triplets/s at T (batch T x per thread) over triplets/s at 1 thread (batch per thread); 1 at T = 1. */
  scaled_speedup: number;
  scaled_speedup_low: number | null;
  scaled_speedup_high: number | null;
  scaled_efficiency: number;
  configuration: string;
}

/** The weak rows with a scaled speedup, and the 1-thread rows they were divided by. */
export function weakScalingPoints(rows: readonly ResultRow[]): WeakScalingPoint[] {
  const weak = timedRows(rows).filter((row) => isWeakScaling(row) && typeof row.speedup === 'number');
  const lineOfRow = (row: ResultRow) => `${hostLabel(row)}|${kernelLabel(row)}|${row.strategy}|${perThreadWorkloadLabel(row)}`;
  const lines = new Set(weak.map(lineOfRow));
  const bases = timedRows(rows).filter((row) => row.threads === 1 && !isWeakScaling(row) && lines.has(lineOfRow(row)));
  return [...bases, ...weak].map((row) => {
    const speedup = row.threads === 1 ? 1 : (row.speedup as number);
    return {
      host: hostLabel(row),
      kernel: kernelLabel(row),
      panel: `${hostLabel(row)} · ${perThreadWorkloadLabel(row)}`,
      strategy: row.strategy,
      threads: row.threads,
      batch: row.batch,
      scaled_speedup: speedup,
      scaled_speedup_low: row.threads > 1 && typeof row.speedup_ci_low === 'number' ? row.speedup_ci_low : null,
      scaled_speedup_high: row.threads > 1 && typeof row.speedup_ci_high === 'number' ? row.speedup_ci_high : null,
      scaled_efficiency: speedup / row.threads,
      configuration: configurationLabel(row),
    };
  });
}

/** Gustafson's scaled speedup against threads, log-log, with the ideal (T) as a dashed diagonal. */
export function weakScalingChart(rows: readonly ResultRow[]): Chart {
  const points = weakScalingPoints(rows);
  const base = {
    id: 'weak-scaling',
    title: 'Scaled speedup against threads (weak scaling): a fixed batch per thread',
    caption: 'Weak scaling (--scaling weak or both): T threads solve T times the triplets per thread, so the speedup is Gustafson\'s scaled speedup, ' +
      'triplets/s at T over triplets/s of the 1-thread row of the same triplets per thread. Dashed grey: ideal, T. ' +
      'It is not the strong-scaling speedup above (same batch, Amdahl\'s): a small batch that scales badly strong may scale well weak. ' +
      'Vertical bars: the 95 % interval over visits. Both axes are logarithmic; one column per kernel, one row per host and triplets per thread.',
  };
  if (points.length === 0) return { ...base, spec: null, absentBecause: 'no weak-scaling rows: run with --scaling weak (or both) and a --threads list, e.g. 1,2' };
  const threads = points.map((p) => p.threads);
  const tooltipWeak = [
    { field: 'configuration', title: 'configuration' },
    { field: 'host', title: 'host' },
    { field: 'scaled_speedup', title: 'scaled speedup', format: '.2f' },
    { field: 'scaled_efficiency', title: 'scaled efficiency', format: '.2f' },
  ];
  const y = { field: 'scaled_speedup', type: 'quantitative', title: 'scaled speedup (Gustafson)', scale: { type: 'log', base: 2 }, axis: { format: '~g' } };
  const layer = [
    // The ideal is T itself: the threads field on the y axis.
    { mark: { type: 'line', color: '#999', strokeDash: [5, 4] }, encoding: { x: threadsAxis(threads), y: { field: 'threads', type: 'quantitative' }, detail: { field: 'strategy' } } },
    {
      mark: { type: 'line', point: { filled: true, size: 50, opacity: 1 }, strokeWidth: 2 },
      encoding: { x: threadsAxis(threads), y, color: STRATEGY_COLOUR, tooltip: tooltipWeak },
    },
    // Only with intervals: an empty layer has no extent and vega warns.
    ...(points.some((p) => p.scaled_speedup_low !== null && p.scaled_speedup_high !== null) ? [{
      transform: [{ filter: 'isValid(datum.scaled_speedup_low) && isValid(datum.scaled_speedup_high)' }],
      mark: { type: 'rule', strokeWidth: 1.5 },
      encoding: { x: threadsAxis(threads), y: { field: 'scaled_speedup_low', type: 'quantitative' }, y2: { field: 'scaled_speedup_high' }, color: STRATEGY_COLOUR },
    }] : []),
  ];
  return { ...base, spec: panelled(points, { width: 200, height: 180 }, layer) };
}
