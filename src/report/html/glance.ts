/**
 * "At a glance": the few sentences a newcomer should take from the page in ten seconds,
 * per host: the fastest configuration, how it compares with TensorFlow's native backend,
 * how far threads scale, and whether compact beats dense. Each is one sentence of at most
 * 30 words (FINDING_MAX_WORDS) with its 95 % interval, and says when it rests on a row
 * that missed the precision asked.
 */
import type { ResultRow } from '../../bench/rows.js';
import { flopRatio } from '../../model/flops.js';
import { breakEvenSentences } from './breakeven-sentences.js';
import { hostLabel, isWeakScaling, perThreadWorkloadLabel, seriesLabel, timedRows, workloadLabel } from './labels.js';
import { interferenceSentence } from './interference-section.js';
import { interferenceFlagged } from '../interference-rows.js';
import { bestRatio, rowsRatioInterval, type WindowMediansOf } from '../best-ratio.js';
import { tripletsInterval } from '../headline.js';
import { missedClause, thousandsCi, timesCi } from '../interval-text.js';

const thousands = (value: number) => Math.round(value).toLocaleString('en-US');
const times = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)}x`;

function fastest(rows: readonly ResultRow[]): ResultRow | undefined {
  return rows.reduce<ResultRow | undefined>((best, r) => (!best || (r.triplets_per_s as number) > (best.triplets_per_s as number) ? r : best), undefined);
}

/** The best dense/compact pair: the fastest compact row with its dense twin. */
function maskSentence(rows: readonly ResultRow[], windowMediansOf: WindowMediansOf | undefined): string | undefined {
  const compact = fastest(rows.filter((r) => r.strategy === 'compact'));
  if (!compact) return undefined;
  const dense = rows.find((r) => r.strategy === 'dense' && seriesLabel(r).replace(/ dense$/, '') === seriesLabel(compact).replace(/ compact$/, '') &&
    r.threads === compact.threads && workloadLabel(r) === workloadLabel(compact));
  if (!dense || typeof dense.p50_ms !== 'number' || typeof compact.p50_ms !== 'number' || typeof compact.active_fraction !== 'number') return undefined;
  const speedup = dense.p50_ms / compact.p50_ms;
  return `Compact runs ${times(speedup)} as fast as dense (${timesCi(rowsRatioInterval(compact, dense, windowMediansOf))}) for ${compact.engine}/${compact.kernel} at T=${compact.threads}, ` +
    `active ${compact.active_fraction.toFixed(2)}; FLOPs predict ${times(flopRatio(compact.formulation, compact.active_fraction))}${missedClause([dense, compact])}.`;
}

/** How close the fastest row comes to this machine's GEMM roofline (src/roofline/). */
function rooflineSentence(best: ResultRow, rows: readonly ResultRow[]): string | undefined {
  if (typeof best.roofline_pct === 'number' && typeof best.roofline_gflops === 'number') {
    // The share scales with the throughput: its interval is the throughput's, as a share.
    const interval = tripletsInterval(best);
    const share = (tps: number) => ((best.roofline_pct as number) * tps) / (best.triplets_per_s as number);
    const ci = interval && Number.isFinite(interval.high) ? ` (95 % CI ${share(interval.low).toFixed(0)}-${share(interval.high).toFixed(0)} %)` : '';
    // Above the CPUs the roofline is the whole machine's (src/roofline/measure.ts), not T threads'.
    const cpus = best.logical_cpus;
    const where = typeof cpus === 'number' && best.threads > cpus
      ? `with all ${cpus} CPUs (the ${best.threads} threads share them)`
      : `at ${best.threads} thread${best.threads === 1 ? '' : 's'}`;
    return `It performs ${best.roofline_pct.toFixed(0)} %${ci} of the GFLOP/s this machine's GEMM reaches ${where} ` +
      `(${best.roofline_gflops.toFixed(1)} GFLOP/s, tfjs-node matMul).`;
  }
  return rows.some((r) => typeof r.roofline_gflops === 'number') ? undefined : 'No GEMM roofline was measured for these rows (run.json says why).';
}

/**
 * Below this many milliseconds of stepping per window, a tfjs-node row at two or more
 * intra-op threads ran slower than in longer windows here, inside a sweep, while the
 * workers' rows did not move (README, "The tfjs engines at their best": 20.4 to 21.7 ms
 * against 17.8 with TensorFlow's BFC allocator, 20.5 to 26 against 17.7 to 18.9 before it).
 */
const NATIVE_STEADY_WINDOW_MS = 2000;

/** The stepping time of one of a row's windows, ms: its samples' time over its windows. */
function windowMs(row: ResultRow): number | undefined {
  const { samples, mean_ms: mean, windows } = row;
  return typeof samples === 'number' && typeof mean === 'number' && typeof windows === 'number' && windows > 0 ? (samples * mean) / windows : undefined;
}

const speedupInterval = (row: ResultRow) => (typeof row.speedup_ci_low === 'number' && typeof row.speedup_ci_high === 'number' ? { low: row.speedup_ci_low, high: row.speedup_ci_high } : null);

/** Weak scaling of the best row's series at the most threads, said as Gustafson's scaled speedup; undefined without weak rows. */
function weakSentence(rows: readonly ResultRow[], best: ResultRow, maxThreads: number): string | undefined {
  const weak = rows.filter((r) => isWeakScaling(r) && r.threads === maxThreads && typeof r.speedup === 'number');
  const row = weak.find((r) => seriesLabel(r) === seriesLabel(best) && perThreadWorkloadLabel(r) === perThreadWorkloadLabel({ ...best, batch: best.batch * (isWeakScaling(best) ? 1 : best.threads) })) ??
    weak.find((r) => seriesLabel(r) === seriesLabel(best)) ?? weak[0];
  if (!row) return undefined;
  return `Weak scaling (${perThreadWorkloadLabel(row)}, Gustafson's scaled speedup): ${seriesLabel(row)} at ${row.threads} threads, batch ${row.batch}: ` +
    `${times(row.speedup as number)} the 1-thread throughput at ${row.batch / row.threads} (${timesCi(speedupInterval(row))}; scaled efficiency ${(row.efficiency as number).toFixed(2)})${missedClause([row])}.`;
}

/** Sentences for one host's rows. */
function hostSentences(rows: readonly ResultRow[], windowMediansOf: WindowMediansOf | undefined): string[] {
  const best = fastest(rows);
  if (!best) return [];
  const sentences = [`Fastest: ${seriesLabel(best)} at ${best.threads} thread${best.threads === 1 ? '' : 's'}, ${thousands(best.triplets_per_s as number)} triplets/s ` +
    `(${thousandsCi(tripletsInterval(best))}${typeof best.gflops === 'number' ? `, ${best.gflops.toFixed(2)} effective GFLOP/s` : ''}), ${workloadLabel(best)}${missedClause([best])}.`];
  const roofline = rooflineSentence(best, rows);
  if (roofline) sentences.push(roofline);
  const ratio = bestRatio(rows, windowMediansOf);
  if (ratio) {
    const { workers, native } = ratio;
    sentences.push(`The best workers configuration (${workers.kernel}, ${workers.strategy}, T=${workers.threads}) reaches ${times(ratio.ratio)} (${timesCi(ratio.interval)}) ` +
      `the throughput of the best tfjs-node one (${native.formulation}, ${native.strategy}, T=${native.threads})${missedClause(ratio.missedPrecision)}.`);
    const nativeWindow = windowMs(native);
    if (native.threads > 1 && nativeWindow !== undefined && nativeWindow < NATIVE_STEADY_WINDOW_MS) {
      sentences.push(`That TensorFlow row stepped about ${(nativeWindow / 1000).toFixed(1)} s per window; at ${native.threads} intra-op threads such windows ran TensorFlow ` +
        `up to 20 % slow in our sweeps: rerun with --time ${NATIVE_STEADY_WINDOW_MS}.`);
    }
  }
  const maxThreads = Math.max(...rows.map((r) => r.threads));
  // Strong scaling: the best row's own batch at the most threads (a weak row's batch is another).
  const strongBest = isWeakScaling(best) ? fastest(rows.filter((r) => !isWeakScaling(r))) ?? best : best;
  const scaled = rows.filter((r) => r.threads === maxThreads && maxThreads > 1 && !isWeakScaling(r) && typeof r.speedup === 'number' && seriesLabel(r) === seriesLabel(strongBest) && workloadLabel(r) === workloadLabel(strongBest))[0];
  if (scaled) {
    sentences.push(`Strong scaling (the same batch, Amdahl's speedup): ${seriesLabel(scaled)} at ${maxThreads} threads: ${times(scaled.speedup as number)} its 1-thread throughput (${timesCi(speedupInterval(scaled))}; ` +
      `parallel efficiency ${(scaled.efficiency as number).toFixed(2)})${missedClause([scaled])}.`);
  }
  const weak = weakSentence(rows, best, maxThreads);
  if (weak) sentences.push(weak);
  const mask = maskSentence(rows, windowMediansOf);
  if (mask) sentences.push(mask);
  sentences.push(...breakEvenSentences(rows, windowMediansOf));
  // Rows disturbed by other work are said first: every other sentence rests on them.
  const interference = interferenceSentence(rows);
  if (interference) {
    if (rows.some(interferenceFlagged)) sentences.unshift(interference);
    else sentences.push(interference);
  }
  return sentences;
}

/** Sentences per host, hosts in name order. */
export function glance(rows: readonly ResultRow[], windowMediansOf?: WindowMediansOf): { host: string; sentences: string[] }[] {
  const timed = timedRows(rows);
  const hosts = [...new Set(timed.map(hostLabel))].sort();
  return hosts.map((host) => ({ host, sentences: hostSentences(timed.filter((r) => hostLabel(r) === host), windowMediansOf) }));
}
