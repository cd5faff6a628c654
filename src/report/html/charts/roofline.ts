/**
 * The two-roof roofline: each timed row a point at its operational intensity (FLOPs per
 * byte its formulation moves, results.csv intensity_flop_per_byte) and the FLOPs it
 * performs per second, under the compute roof (the GEMM roofline, roofline_gflops) and the
 * memory roofs (sustained bandwidth times intensity: arrays of the arena's size, the roof
 * rows are bounded by, and arrays larger than the last-level cache, run.json memory_roof).
 * One panel per host and thread count, since both roofs rise with threads. Log-log, so a
 * memory roof is a diagonal and the compute roof a flat line.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ResultRow } from '../../../bench/rows.js';
import { formatBytes } from '../../../memory.js';
import { performedGflops } from '../../../roofline/bound.js';
import type { MemoryRoof } from '../../../roofline/memory-roof.js';
import { configurationLabel, hostLabel, seriesLabel, timedRows, workloadLabel } from '../labels.js';
import { CHART_CONFIG, LEGEND_ON_TOP, PANEL_HEADER, SERIES_COLOUR, type Chart, type ChartContext } from './chart.js';

/** The roofs' names, as the legend and the labels say them. */
export const ROOF_NAMES = {
  compute: 'compute roof: GEMM on the rows\' shapes',
  arena: 'memory roof: arena-sized arrays (bounds the rows)',
  dram: 'memory roof: memory-sized arrays (past the cache)',
} as const;
type RoofKind = keyof typeof ROOF_NAMES;

const ROOF_COLOURS: Record<RoofKind, string> = { compute: '#c0392b', arena: '#2166ac', dram: '#67a9cf' };
/** Dashes tell the roofs apart in the legend, whose symbols are not coloured. */
const ROOF_DASH: Record<RoofKind, number[]> = { compute: [1, 0], arena: [8, 3], dram: [2, 2] };

/** A measured row on the roofline. */
export interface RooflinePoint {
  kind: 'row';
  panel: string;
  panel_order: number;
  host: string;
  series: string;
  configuration: string;
  threads: number;
  intensity: number;
  gflops: number;
  bound: string | null;
  bound_pct: number | null;
  /** The fastest row of its panel, the one ringed and named on the chart. */
  best: boolean;
  /** Its name and share of its bound, lines in the panel's top-left corner under the roofs' (label_line). */
  label: string;
  label_line: number;
}

/** One end of a roof's segment. */
export interface RoofVertex {
  kind: 'roof';
  panel: string;
  panel_order: number;
  roof: string;
  roof_kind: RoofKind;
  intensity: number;
  gflops: number;
  /**
   * The roof's figure, said once per panel (label_here) in the panel's top-left corner, line
   * label_line: nothing can be drawn above both roofs, so the corner is always empty.
   */
  label_here: boolean;
  label_line: number;
  label: string;
}

const fmt = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toPrecision(2));

/** A memory roof's bandwidth at T: the figure at T, or at the most threads measured below it. */
function gbpsAt(points: readonly { threads: number; gbps: number }[], threads: number): number | null {
  const below = points.filter((p) => p.threads <= threads).sort((a, b) => a.threads - b.threads);
  return below.at(-1)?.gbps ?? null;
}

/** Every row with an intensity and a performed speed, one panel per host and thread count; the fastest of each named. */
export function rooflinePoints(rows: readonly ResultRow[]): RooflinePoint[] {
  const hosts = [...new Set(timedRows(rows).map(hostLabel))].sort();
  const points = timedRows(rows).flatMap((row): RooflinePoint[] => {
    const gflops = performedGflops(row);
    if (typeof row.intensity_flop_per_byte !== 'number' || gflops === null || !(gflops > 0)) return [];
    const host = hostLabel(row);
    const share = typeof row.bound_pct === 'number' && typeof row.bound === 'string' ? `\n${row.bound_pct.toFixed(0)} % of its ${row.bound} bound` : '';
    return [{
      kind: 'row',
      panel: `${host} · T=${row.threads}`,
      panel_order: hosts.indexOf(host) * 1e6 + row.threads,
      host,
      series: seriesLabel(row),
      configuration: configurationLabel(row),
      threads: row.threads,
      intensity: row.intensity_flop_per_byte,
      gflops,
      bound: typeof row.bound === 'string' ? row.bound : null,
      bound_pct: typeof row.bound_pct === 'number' ? row.bound_pct : null,
      best: false,
      label_line: 0,
      label: `ringed, the fastest: ${seriesLabel(row)}\n${workloadLabel(row)}${share}`,
    }];
  });
  const best = new Map<string, RooflinePoint>();
  for (const p of points) if ((best.get(p.panel)?.gflops ?? -1) < p.gflops) best.set(p.panel, p);
  for (const p of best.values()) p.best = true;
  return points;
}

/** A panel's roofs in GFLOP/s and GB/s; null where not measured. */
interface PanelRoofs {
  readonly compute: number | null;
  readonly arena: number | null;
  readonly dram: number | null;
}

function roofsOf(panel: readonly RooflinePoint[], rows: readonly ResultRow[], memoryRoof: MemoryRoof | undefined): PanelRoofs {
  const first = panel[0]!;
  const inPanel = timedRows(rows).filter((r) => hostLabel(r) === first.host && r.threads === first.threads);
  const computes = inPanel.map((r) => r.roofline_gflops).filter((v): v is number => typeof v === 'number');
  const arenaRow = inPanel.map((r) => r.memory_roof_gbps).find((v): v is number => typeof v === 'number');
  return {
    compute: computes.length > 0 ? Math.max(...computes) : null,
    arena: memoryRoof?.measured ? gbpsAt(memoryRoof.arena, first.threads) : arenaRow ?? null,
    dram: memoryRoof?.measured ? gbpsAt(memoryRoof.dram, first.threads) : null,
  };
}

/** Where the memory roofs meet the compute roof. */
const ridges = (r: PanelRoofs) => (r.compute === null ? [] : [r.arena, r.dram].filter((b): b is number => b !== null).map((b) => r.compute! / b));

/** One panel's roofs over [low, high] FLOP/byte: the memory roofs stop where they meet the compute roof. */
function roofVertices(panel: RooflinePoint, roofs: PanelRoofs, low: number, high: number): RoofVertex[] {
  const base = { kind: 'roof' as const, panel: panel.panel, panel_order: panel.panel_order };
  const vertices: RoofVertex[] = [];
  let line = 0;
  if (roofs.compute !== null) {
    const label = `compute (GEMM): ${fmt(roofs.compute)} GFLOP/s`;
    vertices.push(
      { ...base, roof: ROOF_NAMES.compute, roof_kind: 'compute', intensity: low, gflops: roofs.compute, label_here: true, label_line: line++, label },
      { ...base, roof: ROOF_NAMES.compute, roof_kind: 'compute', intensity: high, gflops: roofs.compute, label_here: false, label_line: 0, label },
    );
  }
  const memory: [RoofKind, number | null, string][] = [['arena', roofs.arena, 'memory, arena-sized arrays'], ['dram', roofs.dram, 'memory, memory-sized arrays']];
  for (const [kind, gbps, words] of memory) {
    if (gbps === null) continue;
    const end = roofs.compute === null ? high : Math.min(high, roofs.compute / gbps);
    const label = `${words}: ${fmt(gbps)} GB/s`;
    vertices.push(
      { ...base, roof: ROOF_NAMES[kind], roof_kind: kind, intensity: low, gflops: gbps * low, label_here: true, label_line: line++, label },
      { ...base, roof: ROOF_NAMES[kind], roof_kind: kind, intensity: end, gflops: gbps * end, label_here: false, label_line: 0, label },
    );
  }
  return vertices;
}

/** What the caption says of the memory roofs' arrays, from the first host's run.json. */
function arraysWords(roofs: readonly (MemoryRoof | undefined)[]): string {
  const roof = roofs.find((r) => r?.measured);
  if (!roof?.measured) return 'Only the arena-sized roof is known here (results.csv memory_roof_gbps): no run.json beside these results records the memory-sized one (memory_roof).';
  const fits = roof.arena_fits_cache === null ? 'the cache size is unknown here' : roof.arena_fits_cache ? 'they fit the last-level cache' : 'they exceed the last-level cache';
  return `Long-dashed blue: STREAM bandwidth on arrays the size of the largest workload's arena (${formatBytes(roof.arena[0]?.array_bytes ?? 0)} each; ${fits}), ` +
    `the roof bound and bound_pct use. Short-dashed light blue: arrays of ${formatBytes(roof.dram[0]?.array_bytes ?? 0)} each, past the last-level cache: the machine's memory bandwidth.`;
}

/** The roofline chart: rows as points under both roofs, the fastest of each panel named. */
export function rooflineChart(rows: readonly ResultRow[], context: ChartContext = {}): Chart {
  const points = rooflinePoints(rows);
  const panels = [...new Set(points.map((p) => p.panel))];
  const roofOf = (host: string) => context.memoryRoofOf?.(host);
  const panelRoofs = panels.map((panel) => {
    const inPanel = points.filter((p) => p.panel === panel);
    return { first: inPanel[0]!, roofs: roofsOf(inPanel, rows, roofOf(inPanel[0]!.host)) };
  });
  // One domain for every panel (a facet shares its scales): every point and ridge, with room around them.
  const xs = [...points.map((p) => p.intensity), ...panelRoofs.flatMap((p) => ridges(p.roofs))];
  const low = Math.min(...xs) / 2;
  const high = Math.max(...xs) * 2;
  const roofs = panelRoofs.flatMap((p) => roofVertices(p.first, p.roofs, low, high));
  for (const best of points.filter((p) => p.best)) best.label_line = roofs.filter((r) => r.panel === best.panel && r.label_here).length;
  const ys = [...points.map((p) => p.gflops), ...roofs.map((r) => r.gflops)];
  // Headroom above the highest roof for the corner's labels.
  const yDomain = [Math.min(...ys) / 2, Math.max(...ys) * 20];
  const hasCompute = roofs.some((r) => r.roof_kind === 'compute');
  const base = {
    id: 'roofline',
    title: 'Roofline: FLOPs per byte against GFLOP/s',
    caption: 'Each point is a row: across, its operational intensity (the FLOPs its formulation performs per byte it moves, results.csv intensity_flop_per_byte); ' +
      'up, the FLOPs it performs per second (not the effective scale: compact performs fewer). ' +
      (hasCompute
        ? 'Solid red: the compute roof, this machine\'s GEMM speed (tfjs-node matMul) at the panel\'s thread count, the highest over its shapes. '
        : 'No compute roof in these results (the GEMM roofline needs tfjs-node; run.json says why). ') +
      arraysWords(panels.map((panel) => roofOf(points.find((p) => p.panel === panel)!.host))) +
      ' A row under the diagonal is bound by memory, under the flat line by compute; the ringed point is the panel\'s fastest, named in its corner, with its share of its bound (bound_pct). Both axes are logarithmic; one panel per host and thread count.',
  };
  if (points.length === 0) return { ...base, spec: null, absentBecause: 'no timed row has an operational intensity (results.csv intensity_flop_per_byte, filled since the byte model): rerun with this version' };
  const kinds = (Object.keys(ROOF_NAMES) as RoofKind[]).filter((kind) => roofs.some((r) => r.roof_kind === kind));
  const roofLayer = (kind: RoofKind) => ({
    transform: [{ filter: `datum.kind === 'roof' && datum.roof_kind === '${kind}'` }],
    mark: { type: 'line', color: ROOF_COLOURS[kind], strokeWidth: 2 },
    encoding: {
      x: { field: 'intensity', type: 'quantitative' },
      y: { field: 'gflops', type: 'quantitative' },
      strokeDash: { field: 'roof', type: 'nominal', title: 'roof', legend: { ...LEGEND_ON_TOP, direction: 'vertical', symbolStrokeWidth: 2 }, scale: { domain: kinds.map((k) => ROOF_NAMES[k]), range: kinds.map((k) => ROOF_DASH[k]) } },
      detail: { field: 'roof' },
    },
  });
  // The roofs' figures, a line each in the panel's top-left corner, in the roof's colour.
  const roofLabel = (kind: RoofKind) => ({
    transform: [{ filter: `datum.kind === 'roof' && datum.roof_kind === '${kind}' && datum.label_here` }, { calculate: '4 + 14 * datum.label_line', as: 'label_y' }],
    mark: { type: 'text', fontSize: 11, color: ROOF_COLOURS[kind], align: 'left', baseline: 'top', x: 4 },
    encoding: { y: { field: 'label_y', type: 'quantitative', scale: null }, text: { field: 'label' } },
  });
  // The fastest row: ringed, and named in the corner under the roofs (beside the point, a name would cover its neighbours).
  const bestLayers = [
    {
      transform: [{ filter: "datum.kind === 'row' && datum.best" }],
      mark: { type: 'point', shape: 'circle', filled: false, size: 260, color: 'black', strokeWidth: 1.5 },
      encoding: { x: { field: 'intensity', type: 'quantitative' }, y: { field: 'gflops', type: 'quantitative' } },
    },
    {
      transform: [{ filter: "datum.kind === 'row' && datum.best" }, { calculate: '4 + 14 * datum.label_line', as: 'label_y' }],
      mark: { type: 'text', fontSize: 11, align: 'left', baseline: 'top', x: 4, lineBreak: '\n', lineHeight: 14 },
      encoding: { y: { field: 'label_y', type: 'quantitative', scale: null }, text: { field: 'label' } },
    },
  ];
  const layer = [
    // Only roofs present: an empty layer has no extent and vega warns.
    ...kinds.map(roofLayer),
    ...kinds.map(roofLabel),
    {
      transform: [{ filter: "datum.kind === 'row'" }],
      mark: { type: 'point', filled: true, size: 60, opacity: 0.9 },
      encoding: {
        x: { field: 'intensity', type: 'quantitative', title: 'operational intensity (FLOP/byte)', scale: { type: 'log', domain: [low, high], nice: false }, axis: { format: '~g' } },
        y: { field: 'gflops', type: 'quantitative', title: 'performed GFLOP/s', scale: { type: 'log', domain: yDomain, nice: false }, axis: { format: '~g' } },
        color: { ...SERIES_COLOUR, legend: { ...LEGEND_ON_TOP, direction: 'vertical' } },
        tooltip: [
          { field: 'configuration', title: 'configuration' },
          { field: 'host', title: 'host' },
          { field: 'intensity', title: 'FLOP/byte', format: '.2f' },
          { field: 'gflops', title: 'performed GFLOP/s', format: '.2f' },
          { field: 'bound', title: 'bound' },
          { field: 'bound_pct', title: '% of bound', format: '.0f' },
        ],
      },
    },
    ...bestLayers,
  ];
  const spec = {
    data: { values: [...points, ...roofs] },
    facet: { field: 'panel', type: 'nominal', title: null, header: PANEL_HEADER, sort: { field: 'panel_order', op: 'min' } },
    columns: 2,
    spec: { width: 340, height: 260, layer },
    config: CHART_CONFIG,
  };
  return { ...base, spec: spec as TopLevelSpec };
}
