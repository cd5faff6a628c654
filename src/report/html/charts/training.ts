/**
 * The training chart of train.html: loss and active fraction against step (the hinge
 * focusing the work), and the share of the dense backward work compaction skipped.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { StepRecord } from '../../train-records.js';
import { LEGEND_ON_TOP, STRATEGY_COLOURS } from './chart.js';

/** One vega-lite spec: three panels sharing the step axis. */
export function trainingSpec(records: readonly StepRecord[]): TopLevelSpec {
  const values = records.map((r) => ({ strategy: r.strategy, step: r.step, epoch: r.epoch, loss: r.loss, active: r.active_fraction, skipped: r.skipped_share }));
  // A strategy comparison draws one line per strategy, in the strategies' colours.
  const strategies = [...new Set(records.map((r) => r.strategy))];
  const byStrategy = strategies.length > 1
    ? { color: { field: 'strategy', type: 'nominal', title: 'strategy', scale: { domain: strategies, range: strategies.map((s) => STRATEGY_COLOURS[s]) }, legend: LEGEND_ON_TOP } }
    : {};
  const step = { field: 'step', type: 'quantitative', title: 'step' } as const;
  const panel = (field: string, title: string, colour: string, percent: boolean) => ({
    width: 760,
    height: 170,
    mark: { type: 'line', color: colour, point: records.length <= 60 },
    encoding: {
      ...byStrategy,
      x: step,
      y: { field, type: 'quantitative', title, ...(percent ? { axis: { format: '%' }, scale: { domain: [0, 1] } } : {}) },
      tooltip: [{ field: 'step' }, { field: 'epoch' }, { field, format: percent ? '.1%' : '.4g' }],
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: { values },
    config: { legend: LEGEND_ON_TOP },
    vconcat: [
      panel('loss', 'loss J', '#4c78a8', false),
      panel('active', 'active fraction', '#f58518', true),
      panel('skipped', 'backward skipped', '#54a24b', true),
    ],
  } as TopLevelSpec;
}
