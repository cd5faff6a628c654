/**
 * The verdict: the three or four numbers that answer the project's first question (the
 * hinge gates the gradient; where does skipping the inactive triplets save work, and how
 * much?), each one sentence of at most 30 words with its 95 % interval, and, beside it,
 * the configuration and run it comes from. A finding resting on a row that missed the
 * precision asked says so. Shown on report.html and in the Markdown summary (src/report/summary-md.ts), printed at the end of `run`.
 */
import type { ResultRow } from '../bench/rows.js';
import { breakEvens, breakEvenText, firstBreakEven, pointsText, type BreakEven, type BreakEvenPoint } from './breakeven.js';
import { rowsRatioInterval, type WindowMediansOf } from './best-ratio.js';
import { missedClause, timesCi } from './interval-text.js';
import { hostLabel, kernelLabel, timedRows } from './html/labels.js';
import { flopRatio } from '../model/flops.js';
import { interferenceFlagged } from './interference-rows.js';
import { NOISY_RME_PCT } from './noisy-rows.js';

/** Most words in a finding's sentence: read in one go. */
export const FINDING_MAX_WORDS = 30;

/** One finding: the sentence, and where its figures come from. */
export interface Finding {
  /** One sentence of at most FINDING_MAX_WORDS words. */
  readonly text: string;
  /** Configuration and run, e.g. "workers/wasm fused, T=2, B=4096 512x128, run 2026-...". */
  readonly source: string;
}

const pct = (fraction: number) => `${(100 * fraction).toFixed(fraction < 0.1 ? 1 : 0)} %`;
const times = (ratio: number) => `${ratio.toFixed(2)}x`;
const threadsText = (threads: number) => `${threads} thread${threads === 1 ? '' : 's'}`;

function source(b: BreakEven, manyHosts: boolean, fraction?: number): string {
  const at = fraction === undefined ? '' : `, active ${pct(fraction)}`;
  return `${b.engine}/${b.kernel} ${b.formulation}, T=${b.threads}, B=${b.batch} ${b.dIn}x${b.dOut}${b.weakScaling ? ' (weak scaling)' : ''}${at}${manyHosts ? `, host ${b.host}` : ''}, run ${b.runId}`;
}

/** The fraction most groups were measured at: the one where kernels compare side by side. */
function commonFraction(groups: readonly BreakEven[]): number | undefined {
  const counts = new Map<string, { fraction: number; n: number }>();
  for (const b of groups) {
    for (const p of b.points) {
      const key = p.activeFraction.toFixed(2);
      counts.set(key, { fraction: p.activeFraction, n: (counts.get(key)?.n ?? 0) + 1 });
    }
  }
  return [...counts.values()].sort((a, b) => b.n - a.n || a.fraction - b.fraction)[0]?.fraction;
}

/** The fastest compact step at a fraction, with its group. */
export function fastestCompactAt(groups: readonly BreakEven[], fraction: number) {
  const key = fraction.toFixed(2);
  let best: { group: BreakEven; point: BreakEvenPoint } | undefined;
  for (const group of groups) {
    const point = group.points.find((p) => p.activeFraction.toFixed(2) === key);
    // Per triplet: groups of different batch sizes compare by time per triplet.
    if (point && (!best || point.compactMs / group.batch < best.point.compactMs / best.group.batch)) best = { group, point };
  }
  return best;
}

/** Largest saving at a group's lowest fraction. */
function largestSaving(groups: readonly BreakEven[]): BreakEven | undefined {
  return [...groups].sort((a, b) => b.lowest.speedup - a.lowest.speedup)[0];
}

/** A group's bound: see breakEvenFinding. Null where compact loses at the lowest fraction. */
function boundOf(b: BreakEven): number | null {
  return b.status === 'crossing' ? b.breakEven : b.status === 'always' ? b.bracket[0] : b.status === 'noisy' ? firstBreakEven(b.points) : null;
}

/**
 * Below which fraction compact wins for every group measured at two or more fractions: the
 * limiting group and its bound (undefined when no group bounds anything), with how many
 * groups were measured so and how many are exceptions (compact lost at the lowest fraction).
 */
export function breakEvenBound(groups: readonly BreakEven[]): { curves: number; exceptions: number; limiting: BreakEven | undefined; fraction: number | undefined } {
  const curves = groups.filter((b) => b.points.length >= 2);
  const wins = curves.filter((b) => boundOf(b) !== null);
  const limiting = [...wins].sort((a, b) => boundOf(a)! - boundOf(b)!)[0];
  return { curves: curves.length, exceptions: curves.length - wins.length, limiting, fraction: limiting ? boundOf(limiting)! : undefined };
}

/** The 95 % interval of a point's dense/compact ratio, as "95 % CI 1.90-2.10x". */
function ci(point: BreakEvenPoint, windowMediansOf: WindowMediansOf | undefined): string {
  return `${timesCi(point.rows ? rowsRatioInterval(point.rows.compact, point.rows.dense, windowMediansOf) : null)}`;
}

/** "; a row missed the 3 % precision" when one of the points' rows did. */
function missed(points: readonly BreakEvenPoint[]): string {
  return missedClause(points.flatMap((p) => (p.rows ? [p.rows.dense, p.rows.compact] : [])));
}

/**
 * Below which fraction compact wins for every group measured at two or more fractions.
 * A group where compact loses at the lowest fraction (never, inverted, noisy from a loss)
 * bounds nothing measured: it is named as an exception, in the source.
 */
function breakEvenFinding(groups: readonly BreakEven[], manyHosts: boolean): Finding {
  const curves = groups.filter((b) => b.points.length >= 2);
  if (curves.length === 0) {
    return { text: 'No break-even was measured: every kernel was timed at one active fraction (--active 0.1,0.3,0.7 measures three).', source: 'this run' };
  }
  const { limiting, fraction } = breakEvenBound(groups);
  const exceptions = curves.filter((b) => boundOf(b) === null);
  const exceptionText = exceptions.length === 0
    ? ''
    : `; not so for ${exceptions.map((b) => `${kernelLabel(b)} at ${threadsText(b.threads)} (${b.status === 'noisy' ? `noisy, and compact lost at the lowest fraction: ${pointsText(b.points)}` : breakEvenText(b)})`).join('; ')}`;
  if (!limiting) {
    return {
      text: `Compact beat dense at the lowest fraction for none of the ${curves.length} kernel and thread-count pairs measured at several fractions.`,
      source: `${exceptions.map((b) => source(b, manyHosts)).join('; ')}${exceptionText}`,
    };
  }
  const noisy = curves.filter((b) => b.status === 'noisy').length;
  const how = limiting.status === 'crossing'
    ? `interpolated between ${pointsText(limiting.restsOn)}`
    : limiting.status === 'always'
      ? `no break-even inside the range, compact won at every fraction: ${pointsText(limiting.points)}`
      : `the first crossing of a noisy curve: ${pointsText(limiting.points)}`;
  const all = exceptions.length === 0 ? 'every kernel and thread count' : `${curves.length - exceptions.length} of the ${curves.length} kernel and thread-count pairs`;
  // Where the limit is a highest measured fraction, not a crossing, compact won at every fraction up to and including it.
  const range = limiting.status === 'always' ? `Up to ${pct(fraction!)} active` : `Below ${pct(fraction!)} active`;
  const bracket = limiting.status === 'always' ? 'the highest fraction measured' : `between ${pct(limiting.bracket[0])} and ${pct(limiting.bracket[1])} measured`;
  return {
    text: `${range}, compact beats dense for ${all}; the lowest bound is ${kernelLabel(limiting)} at T=${limiting.threads}, ${bracket}${missed(limiting.restsOn)}.`,
    source: `${source(limiting, manyHosts)} (${how})${noisy > 0 ? `; ${noisy} of the ${curves.length} crossed 1 more than once (timing noise): breakeven.csv gives their brackets` : ''}${exceptionText}`,
  };
}

/** A caveat when the pairs behind the figures missed the precision (or, in rows timed before it, were noisy). */
function noiseFinding(groups: readonly BreakEven[]): Finding | undefined {
  const points = groups.flatMap((b) => b.points);
  const rowsOf = (p: BreakEvenPoint) => (p.rows ? [p.rows.dense, p.rows.compact] : []);
  const withPrecision = points.filter((p) => rowsOf(p).some((r) => r.precision_met === 'yes' || r.precision_met === 'no'));
  if (withPrecision.length > 0) {
    const missing = withPrecision.filter((p) => rowsOf(p).some((r) => r.precision_met === 'no'));
    if (missing.length === 0 || missing.length * 4 < withPrecision.length) return undefined;
    const target = rowsOf(missing[0]!).find((r) => r.precision_met === 'no')!.precision_target_pct;
    const rmes = missing.map((p) => p.rmePct).filter((r): r is number => r !== null).sort((a, b) => a - b);
    const median = rmes.length > 0 ? ` (median ±${rmes[Math.floor(rmes.length / 2)]!.toFixed(0)} %)` : '';
    return {
      text: `Caution: ${missing.length} of the ${withPrecision.length} dense/compact pairs rest on a row that missed the ${target ?? '?'} % precision${median}: rerun on a quieter machine.`,
      source: 'precision_met and rme_pct of results.csv',
    };
  }
  const noisy = points.filter((p) => p.rmePct !== null && p.rmePct > NOISY_RME_PCT);
  if (noisy.length === 0 || noisy.length * 4 < points.length) return undefined;
  const rmes = noisy.map((p) => p.rmePct!).sort((a, b) => a - b);
  return {
    text: `Caution: ${noisy.length} of the ${points.length} dense/compact pairs rest on a row whose rme exceeds ${NOISY_RME_PCT} % ` +
      `(median of those ${rmes[Math.floor(rmes.length / 2)]!.toFixed(0)} %): rerun on a quiet machine.`,
    source: 'rme_pct of results.csv',
  };
}

/**
 * A caveat when rows were measured while other work took the machine (src/bench/interference.ts):
 * unlike a wide rme, one disturbed window is enough, since its samples pool with the rest.
 */
function interferenceFinding(rows: readonly ResultRow[]): Finding | undefined {
  const timed = timedRows(rows);
  const flagged = timed.filter(interferenceFlagged);
  if (flagged.length === 0) return undefined;
  const worst = Math.max(0, ...flagged.map((r) => (typeof r.interference_cores === 'number' ? r.interference_cores : 0)));
  return {
    text: `Caution: ${flagged.length} of the ${timed.length} rows timed here were measured under interference (other processes kept up to ${worst.toFixed(2)} cores busy, ` +
      'or the cgroup throttled): rerun on a quiet machine.',
    source: 'interference_cores and throttled_periods of results.csv; --wait-quiet waits for a quiet machine',
  };
}

/**
 * How close the measured speed-ups come to the FLOP model's at each kernel's lowest
 * fraction: the kernels measured at several fractions where there are any, else all.
 */
function modelFinding(groups: readonly BreakEven[], manyHosts: boolean, windowMediansOf: WindowMediansOf | undefined): Finding | undefined {
  const curves = groups.filter((b) => b.points.length >= 2);
  const ratios = (curves.length >= 2 ? curves : groups).map((b) => ({ b, ratio: b.lowest.speedup / b.flopModelAtLowest }));
  if (ratios.length < 2) return undefined;
  ratios.sort((x, y) => x.ratio - y.ratio);
  const median = ratios[Math.floor(ratios.length / 2)]!;
  const low = ratios[0]!;
  const high = ratios.at(-1)!;
  // The interval of a share of the prediction: the speed-up's, over the same prediction.
  const share = (r: typeof low) => {
    const interval = r.b.lowest.rows ? rowsRatioInterval(r.b.lowest.rows.compact, r.b.lowest.rows.dense, windowMediansOf) : null;
    return `${r.ratio.toFixed(2)} (${interval ? `95 % CI ${(interval.low / r.b.flopModelAtLowest).toFixed(2)}-${(interval.high / r.b.flopModelAtLowest).toFixed(2)}` : 'no interval'})`;
  };
  const at = (r: typeof low) => `${kernelLabel(r.b)} at ${threadsText(r.b.threads)}, ${pct(r.b.lowest.activeFraction)} active: ${times(r.b.lowest.speedup)} measured, ${times(r.b.flopModelAtLowest)} predicted`;
  return {
    text: `Compact's speed-up was ${share(low)} to ${share(high)} of what FLOP counting predicts at each kernel's lowest fraction, median ${median.ratio.toFixed(2)}${missed([low.b.lowest, high.b.lowest])}.`,
    source: `${at(low)}, ${source(low.b, manyHosts, low.b.lowest.activeFraction)}; ${at(high)}, ${source(high.b, manyHosts, high.b.lowest.activeFraction)}. ` +
      'Below 1, work that does not shrink with the active count (gathering, dispatch, the forward pass) eats into the saving; above 1, dense costs more than its FLOPs',
  };
}

/**
 * The findings of these rows, most telling first; empty when no kernel was timed both
 * ways. `windowMediansOf` gives the intervals over visits; without it, the rows' own.
 */
export function verdict(rows: readonly ResultRow[], windowMediansOf?: WindowMediansOf): Finding[] {
  const groups = breakEvens(rows);
  if (groups.length === 0) return [];
  const manyHosts = new Set(timedRows(rows).map(hostLabel)).size > 1;
  const findings: Finding[] = [];
  const common = commonFraction(groups);
  const fastest = common === undefined ? undefined : fastestCompactAt(groups, common);
  if (fastest) {
    const { group, point } = fastest;
    findings.push({
      text: `At ${pct(point.activeFraction)} active, compact made ${kernelLabel(group)} at T=${group.threads} ${times(point.speedup)} as fast as dense ` +
        `(${ci(point, windowMediansOf)}); FLOP counting predicts ${times(flopRatio(group.formulation, point.activeFraction))}${missed([point])}.`,
      source: `the fastest compact configuration at that fraction: ${source(group, manyHosts, point.activeFraction)}`,
    });
  }
  const largest = largestSaving(groups);
  if (largest && (largest !== fastest?.group || largest.lowest !== fastest.point)) {
    findings.push({
      text: `Largest saving: at ${pct(largest.lowest.activeFraction)} active, compact made ${kernelLabel(largest)} at T=${largest.threads} ${times(largest.lowest.speedup)} as fast as dense ` +
        `(${ci(largest.lowest, windowMediansOf)}); FLOPs predict ${times(largest.flopModelAtLowest)}${missed([largest.lowest])}.`,
      source: `${source(largest, manyHosts, largest.lowest.activeFraction)}: ${largest.lowest.denseMs.toFixed(1)} ms dense against ${largest.lowest.compactMs.toFixed(1)} ms compact a step`,
    });
  }
  findings.push(breakEvenFinding(groups, manyHosts));
  const model = modelFinding(groups, manyHosts, windowMediansOf);
  if (model) findings.push(model);
  const noise = noiseFinding(groups);
  if (noise) findings.push(noise);
  const interference = interferenceFinding(rows);
  if (interference) findings.push(interference);
  return findings;
}

/** The verdict for the terminal: a heading and one numbered finding a paragraph. */
export function verdictText(rows: readonly ResultRow[], windowMediansOf?: WindowMediansOf): string {
  const findings = verdict(rows, windowMediansOf);
  if (findings.length === 0) return 'Verdict: no kernel was timed both dense and compact, so this run says nothing about the saving.';
  return ['Verdict: where skipping inactive triplets saves work', ...findings.map((f, i) => `  ${i + 1}. ${f.text}\n     (${f.source})`)].join('\n');
}
