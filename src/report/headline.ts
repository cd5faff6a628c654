/**
 * The headline: what a reader should take from a run before anything else, shared by the
 * page's first screen, the Markdown summary and the end-of-run terminal summary. Per host: the best
 * configuration of each engine with its triplets/s and 95 % interval, the best workers /
 * best tfjs-node ratio with its interval (src/report/best-ratio.ts), and the
 * dense-versus-compact answer in at most three sentences, with the break-even.
 */
import type { ResultRow } from '../bench/rows.js';
import type { Interval } from '../bench/speedup-interval.js';
import { bestRatio, rowsRatioInterval, type BestRatio, type WindowMediansOf } from './best-ratio.js';
import { breakEvens, type BreakEven } from './breakeven.js';
import { hostLabel, kernelLabel, timedRows, workloadLabel } from './html/labels.js';
import { flopRatio } from '../model/flops.js';
import { breakEvenBound, fastestCompactAt } from './verdict.js';
import { missedClause, precisionText, thousands, thousandsInterval, times, timesCi, timesInterval } from './interval-text.js';

/** One engine's best row and the 95 % interval of its triplets/s. */
export interface EngineBest {
  readonly row: ResultRow;
  readonly interval: Interval | null;
}

/** One host's headline. */
export interface Headline {
  readonly host: string;
  readonly best: readonly EngineBest[];
  readonly ratio: BestRatio | undefined;
  /** Dense against compact, with the break-even: at most three sentences. */
  readonly answer: readonly string[];
}

const pct = (fraction: number) => `${(100 * fraction).toFixed(fraction < 0.1 ? 1 : 0)} %`;

/** "T=2" as a configuration says it. */
export function shortConfiguration(row: ResultRow): string {
  return `${kernelLabel(row)} ${row.strategy} T=${row.threads}, ${workloadLabel(row)}`;
}

/**
 * The 95 % interval of a row's triplets/s: batch over the ends of its step-time interval
 * (p50_ci_low_ms .. p50_ci_high_ms, over its visits). A lower step bound at or below zero
 * (a t interval over very scattered windows) leaves the upper throughput bound open.
 */
export function tripletsInterval(row: ResultRow): Interval | null {
  const { p50_ci_low_ms: low, p50_ci_high_ms: high } = row;
  if (typeof low !== 'number' || typeof high !== 'number' || !(high > 0)) return null;
  return { low: (1000 * row.batch) / high, high: low > 0 ? (1000 * row.batch) / low : Number.POSITIVE_INFINITY };
}

/** Dense against compact in at most three sentences: where compact wins, by how much, and on what. */
export function denseCompactAnswer(rows: readonly ResultRow[], windowMediansOf?: WindowMediansOf): string[] {
  const groups = breakEvens(rows);
  if (groups.length === 0) return ['No kernel was timed both dense and compact, so this run does not say whether skipping inactive triplets pays.'];
  const sentences: string[] = [];
  const bound = breakEvenBound(groups);
  if (bound.curves === 0) {
    sentences.push('Every kernel was timed at one active fraction, so no break-even was measured (--active 0.1,0.3,0.7 measures one).');
  } else if (!bound.limiting) {
    sentences.push(`Compact (skipping inactive triplets) beat dense (masking them) at no fraction measured, for none of the ${bound.curves} kernel and thread-count pairs.`);
  } else {
    const range = bound.limiting.status === 'always' ? `up to ${pct(bound.fraction!)} active, the highest measured` : `below ${pct(bound.fraction!)} active`;
    const who = bound.exceptions === 0 ? `every one of the ${bound.curves} kernel and thread-count pairs` : `${bound.curves - bound.exceptions} of the ${bound.curves} kernel and thread-count pairs`;
    sentences.push(`Compact (skipping inactive triplets) beats dense (masking them) ${range} for ${who}; the lowest break-even is ${kernelLabel(rowOf(bound.limiting))} at T=${bound.limiting.threads}.`);
  }
  const fastest = fastestCompactAt(groups, Math.min(...groups.flatMap((b) => b.points.map((p) => p.activeFraction))));
  if (fastest) {
    const { group, point } = fastest;
    const interval = point.rows ? rowsRatioInterval(point.rows.compact, point.rows.dense, windowMediansOf) : null;
    const missed = point.rows ? missedClause([point.rows.dense, point.rows.compact]) : '';
    sentences.push(`At ${pct(point.activeFraction)} active, compact made the fastest compact configuration (${kernelLabel(rowOf(group))}, T=${group.threads}) ` +
      `${times(point.speedup)} as fast as dense (${timesCi(interval)}; FLOPs predict ${times(flopRatio(group.formulation, point.activeFraction))})${missed}.`);
  }
  return sentences.slice(0, 3);
}

/** A row standing for a break-even group: its engine, kernel and formulation. */
function rowOf(b: BreakEven): ResultRow {
  return { engine: b.engine, kernel: b.kernel, formulation: b.formulation } as ResultRow;
}

/** Best triplets/s per engine. */
export function bestPerEngine(rows: readonly ResultRow[]): ResultRow[] {
  const best = new Map<string, ResultRow>();
  for (const row of timedRows(rows)) {
    const current = best.get(row.engine);
    if (!current || (row.triplets_per_s as number) > (current.triplets_per_s as number)) best.set(row.engine, row);
  }
  return [...best.values()];
}

/** One headline per host, hosts in name order. */
export function headlines(rows: readonly ResultRow[], windowMediansOf?: WindowMediansOf): Headline[] {
  const timed = timedRows(rows);
  const hosts = [...new Set(timed.map(hostLabel))].sort();
  return hosts.map((host) => {
    const own = timed.filter((r) => hostLabel(r) === host);
    return {
      host,
      best: bestPerEngine(own).map((row) => ({ row, interval: tripletsInterval(row) })),
      ratio: bestRatio(own, windowMediansOf),
      answer: denseCompactAnswer(own, windowMediansOf),
    };
  });
}

/** The headline as a table: one line per engine, then the ratio; shared by the page, the Markdown summary and the terminal. */
export function headlineTable(headline: Headline): { header: string[]; lines: string[][] } {
  const lines = headline.best.map(({ row, interval }) => [row.engine, shortConfiguration(row), thousands(row.triplets_per_s as number), thousandsInterval(interval), precisionText(row)]);
  const { ratio } = headline;
  if (ratio) {
    lines.push([
      'workers / tfjs-node',
      `${shortConfiguration(ratio.workers)} against ${kernelLabel(ratio.native)} ${ratio.native.strategy} T=${ratio.native.threads}`,
      times(ratio.ratio),
      timesInterval(ratio.interval),
      ratio.missedPrecision.length > 0
        ? `missed by the ${ratio.missedPrecision.map((r) => r.engine).join(' and ')} row${ratio.missedPrecision.length > 1 ? 's' : ''}`
        : ratio.workers.precision_met === 'yes' && ratio.native.precision_met === 'yes' ? 'met by both rows' : '-',
    ]);
  }
  return { header: ['engine', 'best configuration', 'triplets/s', '95 % interval', 'precision'], lines };
}
