/**
 * What every chart of the page is: a title, a caption that says what to read off it,
 * and a vega-lite spec, or the reason the rows hold nothing to draw and how to get it.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ResultRow } from '../../../bench/rows.js';
import type { MemoryRoof } from '../../../roofline/memory-roof.js';

/** One chart of the page. */
export interface Chart {
  /** Stable id: the section's anchor, and how tests find the chart. */
  readonly id: string;
  readonly title: string;
  /** What a newcomer reads off the chart. */
  readonly caption: string;
  /** The spec to render, or null when the rows hold nothing for this chart. */
  readonly spec: TopLevelSpec | null;
  /** Why there is no spec, and which run options would give one. */
  readonly absentBecause?: string;
}

/** What a chart may need beyond the rows: run.json's figures that are not per row. */
export interface ChartContext {
  /** A host's memory roof (run.json memory_roof), undefined where no run.json of that host says. */
  readonly memoryRoofOf?: (host: string) => MemoryRoof | undefined;
}

/** Builds one chart from every row of the page (all hosts). */
export type ChartBuilder = (rows: readonly ResultRow[], context?: ChartContext) => Chart;

/** Thread counts on a log2 axis, labelled at the counts measured. */
export function threadsAxis(threads: readonly number[]) {
  const values = [...new Set(threads)].sort((a, b) => a - b);
  return {
    field: 'threads',
    type: 'quantitative' as const,
    title: 'threads',
    scale: { type: 'log' as const, base: 2, domain: [values[0] ?? 1, Math.max(values.at(-1) ?? 2, 2)], nice: false },
    axis: { values, format: 'd', grid: true },
  };
}

/**
 * Text limits in pixels. Rendering with no canvas, vega estimates text width generously,
 * so its default limits (160-180 px) cut configuration names in half.
 */
const NO_CUT = 1000;

/** A legend whose labels and title are never cut. */
export const LEGEND = { labelLimit: NO_CUT, titleLimit: NO_CUT } as const;

/** Above the panels: a wide faceted chart scrolls, and a legend at its right end goes unseen. */
export const LEGEND_ON_TOP = { ...LEGEND, orient: 'top' } as const;

/** Engine/kernel series keep their colour in every chart (paired shades: compact beside dense). */
export const SERIES_COLOUR = { field: 'series', type: 'nominal', title: 'engine/kernel formulation strategy', scale: { scheme: 'tableau20' }, legend: LEGEND } as const;

/** Strategies keep their colour in every chart; the FLOP model is grey. */
export const STRATEGY_COLOURS = { dense: '#d95f02', compact: '#1b9e77', model: '#999999' } as const;

/** Colour by strategy, dense orange and compact green. */
export const STRATEGY_COLOUR = {
  field: 'strategy',
  type: 'nominal',
  title: 'strategy',
  scale: { domain: ['dense', 'compact'], range: [STRATEGY_COLOURS.dense, STRATEGY_COLOURS.compact] },
  legend: LEGEND_ON_TOP,
} as const;

/** Hosts told apart by point shape where a chart does not give each host its own panel. */
export const HOST_SHAPE = { field: 'host', type: 'nominal', title: 'host', legend: LEGEND } as const;

/** A facet header: the panel's label on the left, unrotated. */
export const PANEL_HEADER = { labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelFontWeight: 'bold', labelFontSize: 12, labelOrient: 'top', labelLimit: NO_CUT } as const;

/**
 * Panels by kernel (columns) and by `panel` (rows: host and workload), drawing `spec` in
 * each. A row holds only the kernels timed at its workload, so no panel is empty (a
 * facet grid would leave a blank cell where a kernel ran at one fraction only), and its
 * label is said once, as the row's title, not above every panel of the row.
 */
export function kernelPanels(points: readonly { panel: string }[], spec: object, resolve?: object): object {
  const column = { field: 'kernel', type: 'nominal', title: null, header: PANEL_HEADER };
  const panels = [...new Set(points.map((p) => p.panel))].sort();
  const row = (panel: string) => ({
    title: { text: panel, anchor: 'start', fontSize: 13 },
    data: { values: points.filter((p) => p.panel === panel) },
    facet: { column },
    spec,
    ...(resolve ? { resolve } : {}),
  });
  return panels.length === 1 ? row(panels[0]!) : { vconcat: panels.map(row) };
}

/** One panel per value of `panel` (host and workload), wrapped into rows of `columns`. */
export function panelFacet(columns: number) {
  return { facet: { field: 'panel', type: 'nominal', title: null, header: PANEL_HEADER }, columns } as const;
}

/** Look shared by every chart. */
export const CHART_CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  view: { stroke: '#ccc' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#eee', labelLimit: NO_CUT },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: NO_CUT, titleLimit: NO_CUT },
  header: { labelFontSize: 12 },
} as const;
