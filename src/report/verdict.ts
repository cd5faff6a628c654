/**
 * The verdict: the three or four numbers that answer the project's first question (the
 * hinge gates the gradient; where does skipping the inactive triplets save work, and how
 * much?), each in plain words with the configuration and run it comes from. Shown at the
 * top of report.html and printed at the end of `run`.
 */
import type { ResultRow } from '../bench/rows.js';
import { breakEvens, breakEvenText, firstBreakEven, pointsText, type BreakEven } from './breakeven.js';
import { hostLabel, timedRows } from './html/labels.js';
import { flopRatio } from '../flops.js';
import { interferenceFlagged } from '../bench/interference.js';
import { NOISY_RME_PCT } from './noisy-rows.js';

/** One finding: the sentence, and where its figures come from. */
export interface Finding {
  readonly text: string;
  /** Configuration and run, e.g. "workers/wasm fused, T=2, B=4096 512x128, run 2026-...". */
  readonly source: string;
}

const pct = (fraction: number) => `${(100 * fraction).toFixed(fraction < 0.1 ? 1 : 0)} %`;
const times = (ratio: number) => `${ratio.toFixed(2)}x`;
const kernelName = (b: { engine: string; kernel: string; formulation: string }) =>
  `${b.engine === 'workers' ? `the workers/${b.kernel} kernel` : b.engine} (${b.formulation})`;
const threadsText = (threads: number) => `${threads} thread${threads === 1 ? '' : 's'}`;

function source(b: BreakEven, manyHosts: boolean, fraction?: number): string {
  const at = fraction === undefined ? '' : `, active ${pct(fraction)}`;
  return `${b.engine}/${b.kernel} ${b.formulation}, T=${b.threads}, B=${b.batch} ${b.dIn}x${b.dOut}${at}${manyHosts ? `, host ${b.host}` : ''}, run ${b.runId}`;
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
function fastestCompactAt(groups: readonly BreakEven[], fraction: number) {
  const key = fraction.toFixed(2);
  let best: { group: BreakEven; point: BreakEven['points'][number] } | undefined;
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

/**
 * Below which fraction compact wins for every group measured at two or more fractions.
 * A group's bound: its break-even (crossing), the highest fraction measured (always), or
 * its first crossing (noisy, when compact wins at the lowest fraction). A group where
 * compact loses at the lowest fraction (never, inverted, noisy from a loss) bounds nothing
 * measured: it is named as an exception.
 */
function breakEvenFinding(groups: readonly BreakEven[], manyHosts: boolean): Finding {
  const curves = groups.filter((b) => b.points.length >= 2);
  if (curves.length === 0) {
    return {
      text: 'The break-even active fraction was not measured: every kernel was timed at one active fraction. The default profile times 0.1, 0.3 and 0.7; or pass --active 0.1,0.3,0.7.',
      source: 'this run',
    };
  }
  const bound = (b: BreakEven): number | null =>
    b.status === 'crossing' ? b.breakEven : b.status === 'always' ? b.bracket[0] : b.status === 'noisy' ? firstBreakEven(b.points) : null;
  const wins = curves.filter((b) => bound(b) !== null);
  const exceptions = curves.filter((b) => bound(b) === null);
  const limiting = [...wins].sort((a, b) => bound(a)! - bound(b)!)[0];
  const exceptionText = exceptions.length === 0
    ? ''
    : ` Not so for ${exceptions.map((b) => `${kernelName(b)} at ${threadsText(b.threads)} (${b.status === 'noisy' ? `noisy, and compact lost at the lowest fraction: ${pointsText(b.points)}` : breakEvenText(b)})`).join('; ')}.`;
  if (!limiting) {
    return { text: `No kernel measured at several fractions had compact winning at its lowest fraction.${exceptionText}`, source: exceptions.map((b) => source(b, manyHosts)).join('; ') };
  }
  const noisy = curves.filter((b) => b.status === 'noisy').length;
  const how = limiting.status === 'crossing'
    ? `the lowest break-even, interpolated between ${pointsText(limiting.restsOn)}`
    : limiting.status === 'always'
      ? `no break-even inside the range: the highest fraction measured, where compact still won (${pointsText(limiting.points)})`
      : `the first crossing of a noisy curve (${pointsText(limiting.points)})`;
  const all = exceptions.length === 0 ? 'every kernel and thread count' : `${wins.length} of the ${curves.length} kernel and thread-count pairs`;
  // Where the limit is a highest measured fraction, not a crossing, compact won at every fraction up to and including it.
  const range = limiting.status === 'always' ? `Up to ${pct(bound(limiting)!)} active` : `Below ${pct(bound(limiting)!)} active`;
  return {
    text: `${range}, compact beats dense for ${all} measured at several fractions (${how}, ${kernelName(limiting)} at ${threadsText(limiting.threads)}).` +
      `${noisy > 0 ? ` ${noisy} of the ${curves.length} crossed 1 more than once (timing noise): breakeven.csv gives their brackets.` : ''}${exceptionText}`,
    source: source(limiting, manyHosts),
  };
}


/** A caveat when the pairs behind the figures were timed on a busy machine. */
function noiseFinding(groups: readonly BreakEven[]): Finding | undefined {
  const points = groups.flatMap((b) => b.points);
  const noisy = points.filter((p) => p.rmePct !== null && p.rmePct > NOISY_RME_PCT);
  if (noisy.length === 0 || noisy.length * 4 < points.length) return undefined;
  const rmes = noisy.map((p) => p.rmePct!).sort((a, b) => a - b);
  return {
    text: `Caution: ${noisy.length} of the ${points.length} dense/compact pairs behind these figures rest on a row whose relative margin of error exceeds ${NOISY_RME_PCT} % ` +
      `(median of those ${rmes[Math.floor(rmes.length / 2)]!.toFixed(0)} %): the machine was busy. Quote them only after a rerun on a quiet machine, or with a longer --time.`,
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
      'or the cgroup throttled the run): figures resting on them are the machine\'s as much as the code\'s. Quote them only after a rerun on a quiet machine (--wait-quiet waits for one).',
    source: 'interference_cores and throttled_periods of results.csv',
  };
}

/**
 * How close the measured speed-ups come to the FLOP model's at each kernel's lowest
 * fraction: the kernels measured at several fractions where there are any, else all.
 */
function modelFinding(groups: readonly BreakEven[], manyHosts: boolean): Finding | undefined {
  const curves = groups.filter((b) => b.points.length >= 2);
  const ratios = (curves.length >= 2 ? curves : groups).map((b) => ({ b, ratio: b.lowest.speedup / b.flopModelAtLowest }));
  if (ratios.length < 2) return undefined;
  ratios.sort((x, y) => x.ratio - y.ratio);
  const median = ratios[Math.floor(ratios.length / 2)]!;
  const low = ratios[0]!;
  const high = ratios.at(-1)!;
  const at = (r: typeof low) => `${kernelName(r.b)} at ${threadsText(r.b.threads)}, ${pct(r.b.lowest.activeFraction)} active: ${times(r.b.lowest.speedup)} measured, ${times(r.b.flopModelAtLowest)} predicted`;
  return {
    text: `Measured against FLOP counting at each kernel's lowest fraction, compact's speed-up ranged from ${low.ratio.toFixed(2)} of the prediction (${at(low)}) ` +
      `to ${high.ratio.toFixed(2)} (${at(high)}), median ${median.ratio.toFixed(2)}: below 1, work that does not shrink with the active count (gathering, dispatch, the forward pass) eats into the saving; above 1, dense costs more than its FLOPs.`,
    source: `${source(low.b, manyHosts, low.b.lowest.activeFraction)}; ${source(high.b, manyHosts, high.b.lowest.activeFraction)}`,
  };
}

/** The findings of these rows, most telling first; empty when no kernel was timed both ways. */
export function verdict(rows: readonly ResultRow[]): Finding[] {
  const groups = breakEvens(rows);
  if (groups.length === 0) return [];
  const manyHosts = new Set(timedRows(rows).map(hostLabel)).size > 1;
  const findings: Finding[] = [];
  const common = commonFraction(groups);
  const fastest = common === undefined ? undefined : fastestCompactAt(groups, common);
  if (fastest) {
    const { group, point } = fastest;
    findings.push({
      text: `At ${pct(point.activeFraction)} active, skipping the inactive triplets (compact) made ${kernelName(group)}, the fastest compact configuration there, ` +
        `${times(point.speedup)} as fast as masking them (dense) at ${threadsText(group.threads)}; FLOP counting predicts ${times(flopRatio(group.formulation, point.activeFraction))}.`,
      source: source(group, manyHosts, point.activeFraction),
    });
  }
  const largest = largestSaving(groups);
  if (largest && (largest !== fastest?.group || largest.lowest !== fastest.point)) {
    findings.push({
      text: `The largest saving measured: at ${pct(largest.lowest.activeFraction)} active, compact made ${kernelName(largest)} ${times(largest.lowest.speedup)} as fast as dense ` +
        `at ${threadsText(largest.threads)} (${largest.lowest.denseMs.toFixed(1)} ms against ${largest.lowest.compactMs.toFixed(1)} ms a step); FLOP counting predicts ${times(largest.flopModelAtLowest)}.`,
      source: source(largest, manyHosts, largest.lowest.activeFraction),
    });
  }
  findings.push(breakEvenFinding(groups, manyHosts));
  const model = modelFinding(groups, manyHosts);
  if (model) findings.push(model);
  const noise = noiseFinding(groups);
  if (noise) findings.push(noise);
  const interference = interferenceFinding(rows);
  if (interference) findings.push(interference);
  return findings;
}

/** The verdict for the terminal: a heading and one numbered finding a paragraph. */
export function verdictText(rows: readonly ResultRow[]): string {
  const findings = verdict(rows);
  if (findings.length === 0) return 'Verdict: no kernel was timed both dense and compact, so this run says nothing about the saving.';
  return ['Verdict: where skipping inactive triplets saves work', ...findings.map((f, i) => `  ${i + 1}. ${f.text}\n     (${f.source})`)].join('\n');
}
