/**
 * Time to quality in train.html: the share of held-out triplets meeting the margin against
 * each run's own wall time, one line per strategy, with the target rate the comparison
 * times (`train --strategy dense,compact`; the records are src/report/train-records.ts's).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Evaluation } from '../../train-records.js';
import { LEGEND_ON_TOP, STRATEGY_COLOURS } from './chart.js';

/** One vega-lite spec: held-out rate against seconds, coloured by strategy. */
export function timeToQualitySpec(evaluations: readonly Evaluation[], target: number | null): TopLevelSpec {
  const values = evaluations.map((e) => ({ strategy: e.strategy, epoch: e.epoch, seconds: e.elapsed_ms / 1000, rate: e.held_out_rate }));
  const strategies = [...new Set(values.map((v) => v.strategy))];
  const colour = {
    field: 'strategy',
    type: 'nominal',
    title: 'strategy',
    scale: { domain: strategies, range: strategies.map((s) => STRATEGY_COLOURS[s as 'dense' | 'compact'] ?? STRATEGY_COLOURS.model) },
    legend: LEGEND_ON_TOP,
  };
  const line = {
    data: { values },
    mark: { type: 'line', point: values.length <= 120, strokeWidth: 2 },
    encoding: {
      x: { field: 'seconds', type: 'quantitative', title: 'the run\'s own wall time (s)' },
      y: { field: 'rate', type: 'quantitative', title: 'held-out triplets meeting the margin', axis: { format: '%' } },
      color: colour,
      tooltip: [{ field: 'strategy' }, { field: 'epoch' }, { field: 'seconds', format: '.2f' }, { field: 'rate', format: '.1%' }],
    },
  };
  const rule = { mark: { type: 'rule', color: '#555', strokeDash: [3, 3] }, encoding: { y: { datum: target } } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 760,
    height: 260,
    layer: target === null ? [line] : [line, rule],
  } as TopLevelSpec;
}
