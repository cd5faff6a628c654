/**
 * The glance's break-even sentences: one per kernel (and workload), saying below which
 * active fraction compact beats dense at each thread count, and compact's speed-up at
 * the lowest fraction, with its 95 % interval, beside the FLOP model's.
 */
import type { ResultRow } from '../../bench/rows.js';
import { rowsRatioInterval, type WindowMediansOf } from '../best-ratio.js';
import { breakEvens, type BreakEven } from '../breakeven.js';
import { missedClause, times, timesCi } from '../interval-text.js';
import { kernelLabel } from './labels.js';

const pct = (fraction: number) => `${(100 * fraction).toFixed(fraction < 0.1 ? 1 : 0)} %`;

/** Where compact wins for one thread count, in a few words (breakeven.csv has the points). */
function shortBreakEven(b: BreakEven): string {
  switch (b.status) {
    case 'crossing':
      return `below ${pct(b.breakEven!)}`;
    case 'inverted':
      return `only above ${pct(b.breakEven!)} (likely noise)`;
    case 'noisy':
      return `noisy, ${b.crossings} crossings in ${pct(b.bracket[0])}-${pct(b.bracket[1])}`;
    case 'always':
      return `always (to ${pct(b.bracket[0])})`;
    case 'never':
      return `never, even at ${pct(b.bracket[1])}`;
  }
}

/** "T=1 below 14 %, T=2 always (to 70 %)", thread counts with the same answer said once: "T=1,2 always (to 70 %)". */
function perThreads(groups: readonly BreakEven[]): string {
  const byText = new Map<string, number[]>();
  for (const b of groups) byText.set(shortBreakEven(b), [...(byText.get(shortBreakEven(b)) ?? []), b.threads]);
  return [...byText].map(([text, threads]) => `T=${threads.join(',')} ${text}`).join(', ');
}

/** One sentence per engine/kernel/formulation and workload measured at two or more fractions. */
export function breakEvenSentences(rows: readonly ResultRow[], windowMediansOf?: WindowMediansOf): string[] {
  const byKernel = new Map<string, BreakEven[]>();
  for (const b of breakEvens(rows).filter((g) => g.points.length >= 2)) {
    const key = [b.engine, b.kernel, b.formulation, b.batch, b.dIn, b.dOut, b.runId].join('|');
    byKernel.set(key, [...(byKernel.get(key) ?? []), b]);
  }
  const workloads = new Set([...byKernel.values()].map(([b]) => `${b!.batch} ${b!.dIn}x${b!.dOut}`));
  return [...byKernel.values()].map((groups) => {
    groups.sort((a, b) => a.threads - b.threads);
    const first = groups[0]!;
    const name = kernelLabel(first);
    const workload = workloads.size > 1 ? ` (B=${first.batch} ${first.dIn}x${first.dOut})` : '';
    const top = groups.at(-1)!;
    const lowest = top.lowest;
    const interval = lowest.rows ? rowsRatioInterval(lowest.rows.compact, lowest.rows.dense, windowMediansOf) : null;
    const missed = missedClause(lowest.rows ? [lowest.rows.dense, lowest.rows.compact] : []);
    return `Break-even, ${name}${workload}: ${perThreads(groups)}; at ${pct(lowest.activeFraction)} active, T=${top.threads}, compact ran ${times(lowest.speedup)} as fast ` +
      `(${timesCi(interval)}; FLOPs ${times(top.flopModelAtLowest)})${missed}.`;
  });
}
