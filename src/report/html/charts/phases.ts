/**
 * Where each configuration's step time goes: one stacked bar per configuration, a segment
 * per phase (src/phases.ts), timed on untimed steps after its windows, with a tick at its
 * windows' median step so a profile far from the timed steps shows. Drawn from run.json's
 * phases_ms, so a page made from a results.csv alone has none.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ResultRow } from '../../../bench/rows.js';
import { PHASES, PHASE_WORDS, type Phase } from '../../../phases.js';
import { configurationLabel, hostLabel } from '../labels.js';
import { CHART_CONFIG, LEGEND_ON_TOP, type Chart } from './chart.js';

/** A row's phases, ms, where its run profiled them. */
export type PhasesOf = (row: ResultRow) => Readonly<Record<Phase, number>> | undefined;

/** Phases in a step's order, each its own colour; the harness's in greys. */
const PHASE_COLOURS: Readonly<Record<Phase, string>> = {
  dispatch: '#bdbdbd', forward: '#1f77b4', hinge: '#17becf', mask: '#ff7f0e', backward: '#2ca02c',
  readout: '#9467bd', kernel: '#8c564b', barrier: '#7f7f7f', reduction: '#d62728', other: '#e7e7e7',
};

/** The stacked bars, or why there are none. */
export function phasesChart(rows: readonly ResultRow[], phasesOf: PhasesOf): Chart {
  const profiled = rows.filter((row) => row.status === 'ok' && phasesOf(row) !== undefined)
    .sort((a, b) => configurationLabel(a).localeCompare(configurationLabel(b), 'en', { numeric: true }));
  const base = {
    id: 'phases',
    title: 'Where the time goes: each step\'s phases',
    caption: 'One bar per configuration: its step cut into phases, means over the middle half of a few untimed steps after each visit\'s windows ' +
      '(up to five a visit; the timed steps are never marked). The tick is the median step of its timing windows. ' +
      PHASES.map((p) => `${p}: ${PHASE_WORDS[p]}`).join('; ') + '.',
  };
  if (profiled.length === 0) {
    return { ...base, spec: null, absentBecause: 'no row has phases: they are in run.json (phases_ms) from this version on, so run again, and report a run folder rather than a results.csv alone' };
  }
  // A page of several hosts gives each host's configurations bars of their own.
  const hosts = new Set(profiled.map(hostLabel));
  const bar = (row: ResultRow) => (hosts.size > 1 ? `${configurationLabel(row)} on ${hostLabel(row)}` : configurationLabel(row));
  const bars = profiled.flatMap((row) => {
    const phases = phasesOf(row)!;
    return PHASES.map((phase, order) => ({ bar: bar(row), configuration: configurationLabel(row), host: hostLabel(row), phase, order, ms: Math.max(0, phases[phase]) }));
  });
  const ticks = profiled.map((row) => ({ bar: bar(row), configuration: configurationLabel(row), host: hostLabel(row), p50_ms: row.p50_ms }));
  const y = { field: 'bar', type: 'nominal', title: null, sort: [...new Set(profiled.map(bar))], axis: { labelLimit: 1000 } } as const;
  const spec = {
    config: CHART_CONFIG,
    width: 520,
    layer: [
      {
        data: { values: bars },
        mark: { type: 'bar' },
        encoding: {
          y,
          x: { field: 'ms', type: 'quantitative', stack: 'zero', title: 'ms per step' },
          color: { field: 'phase', type: 'nominal', title: 'phase', scale: { domain: [...PHASES], range: PHASES.map((p) => PHASE_COLOURS[p]) }, legend: { ...LEGEND_ON_TOP, columns: 5 } },
          order: { field: 'order', type: 'quantitative' },
          tooltip: [{ field: 'configuration' }, { field: 'host' }, { field: 'phase' }, { field: 'ms', title: 'ms', format: '.3f' }],
        },
      },
      {
        data: { values: ticks },
        mark: { type: 'tick', color: 'black', thickness: 2 },
        encoding: { y, x: { field: 'p50_ms', type: 'quantitative' }, tooltip: [{ field: 'configuration' }, { field: 'host' }, { field: 'p50_ms', title: 'window median, ms', format: '.3f' }] },
      },
    ],
  } as unknown as TopLevelSpec;
  return { ...base, spec };
}
