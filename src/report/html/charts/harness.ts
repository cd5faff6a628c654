/**
 * What the harness costs: the `empty` kernel's step (dispatch, barrier and reduction with
 * no arithmetic) and its share of each real step; and the straggler ratio, the slowest
 * shard's compute time over the mean shard's, timed inside the workers.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ResultRow } from '../../../bench/rows.js';
import { configurationLabel, hostLabel, overheadRows, seriesLabel, timedRows, workloadLabel } from '../labels.js';
import { CHART_CONFIG, HOST_SHAPE, SERIES_COLOUR, threadsAxis, type Chart } from './chart.js';

/** The fields every point of these charts carries, for tooltips and tests. */
function pointOf(row: ResultRow) {
  return { host: hostLabel(row), workload: workloadLabel(row), series: seriesLabel(row), threads: row.threads, configuration: configurationLabel(row) };
}

const tooltip = (field: string, title: string, format: string) => [
  { field: 'configuration', title: 'configuration' },
  { field: 'host', title: 'host' },
  { field, title, format },
];

/** Left: the empty kernel's step in ms. Right: that step as a share of each real step. */
export function overheadChart(rows: readonly ResultRow[]): Chart {
  const empty = overheadRows(rows).map((row) => ({ ...pointOf(row), p50_ms: row.p50_ms as number }));
  const shares = timedRows(rows)
    .filter((row) => typeof row.harness_overhead_pct === 'number')
    .map((row) => ({ ...pointOf(row), overhead_pct: row.harness_overhead_pct as number }));
  const base = {
    id: 'overhead',
    title: 'Harness overhead: the empty kernel',
    caption: 'Left: the median step of the empty kernel, which dispatches, meets at the barrier and reduces but does no arithmetic: ' +
      'the floor under every workers step. Right: that floor as a percentage of each real configuration\'s step; ' +
      'a few percent is fine, tens of percent mean the batch is too small for that many threads.',
  };
  if (empty.length === 0) {
    return { ...base, spec: null, absentBecause: 'no empty-kernel rows: run the workers engine without --kernels, or with --kernels js,empty' };
  }
  const threads = [...empty, ...shares].map((p) => p.threads);
  const spec = {
    hconcat: [
      {
        data: { values: empty },
        width: 300,
        height: 220,
        mark: { type: 'line', point: { filled: true, size: 50 }, strokeWidth: 2 },
        encoding: {
          x: threadsAxis(threads),
          y: { field: 'p50_ms', type: 'quantitative', title: 'empty-kernel step, median (ms)', scale: { zero: true } },
          // Colour alone tells hosts apart here; a shape too would repeat the host legend.
          color: { ...HOST_SHAPE, scale: { scheme: 'dark2' } },
          detail: { field: 'workload' },
          tooltip: tooltip('p50_ms', 'step ms', '.3f'),
        },
      },
      {
        data: { values: shares },
        width: 300,
        height: 220,
        mark: { type: 'line', point: { filled: true, size: 50 }, strokeWidth: 2 },
        encoding: {
          x: threadsAxis(threads),
          y: { field: 'overhead_pct', type: 'quantitative', title: 'harness share of the step (%)', scale: { zero: true } },
          color: SERIES_COLOUR,
          shape: HOST_SHAPE,
          detail: { field: 'workload' },
          tooltip: tooltip('overhead_pct', 'overhead %', '.1f'),
        },
      },
    ],
    resolve: { scale: { color: 'independent', shape: 'shared' } },
    config: CHART_CONFIG,
  };
  return { ...base, spec: spec as TopLevelSpec };
}

/** Slowest shard over mean shard against threads; 1 means perfectly even shards. */
export function stragglerChart(rows: readonly ResultRow[]): Chart {
  const points = timedRows(rows)
    .filter((row) => typeof row.straggler_ratio === 'number')
    .map((row) => ({ ...pointOf(row), straggler_ratio: row.straggler_ratio as number }));
  const base = {
    id: 'straggler',
    title: 'Straggler ratio: slowest shard over mean shard',
    caption: 'Each step waits for its slowest worker. 1 (the grey rule) means every shard took the same time; ' +
      '1.5 means the slowest took half as long again as the average, and the others idled at the barrier meanwhile.',
  };
  if (points.length === 0) return { ...base, spec: null, absentBecause: 'no workers-engine rows: the straggler ratio is timed inside the Piscina workers' };
  const spec = {
    data: { values: points },
    width: 400,
    height: 220,
    layer: [
      { mark: { type: 'rule', color: '#999', strokeDash: [2, 2] }, encoding: { y: { datum: 1 } } },
      {
        mark: { type: 'line', point: { filled: true, size: 50 }, strokeWidth: 2 },
        encoding: {
          x: threadsAxis(points.map((p) => p.threads)),
          y: { field: 'straggler_ratio', type: 'quantitative', title: 'slowest shard / mean shard', scale: { zero: false } },
          color: SERIES_COLOUR,
          shape: HOST_SHAPE,
          detail: { field: 'workload' },
          tooltip: tooltip('straggler_ratio', 'straggler ratio', '.2f'),
        },
      },
    ],
    config: CHART_CONFIG,
  };
  return { ...base, spec: spec as TopLevelSpec };
}
