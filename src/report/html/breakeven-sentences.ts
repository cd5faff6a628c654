/**
 * The glance's break-even sentences: one per kernel (and workload), saying below which
 * active fraction compact beats dense at each thread count, and compact's speed-up at
 * the lowest fraction beside the FLOP model's.
 */
import type { ResultRow } from '../../bench/rows.js';
import { breakEvens, breakEvenText, type BreakEven } from '../breakeven.js';

const pct = (fraction: number) => `${(100 * fraction).toFixed(fraction < 0.1 ? 1 : 0)} %`;

/** One sentence per engine/kernel/formulation and workload measured at two or more fractions. */
export function breakEvenSentences(rows: readonly ResultRow[]): string[] {
  const byKernel = new Map<string, BreakEven[]>();
  for (const b of breakEvens(rows).filter((g) => g.points.length >= 2)) {
    const key = [b.engine, b.kernel, b.formulation, b.batch, b.dIn, b.dOut, b.runId].join('|');
    byKernel.set(key, [...(byKernel.get(key) ?? []), b]);
  }
  const workloads = new Set([...byKernel.values()].map(([b]) => `${b!.batch} ${b!.dIn}x${b!.dOut}`));
  return [...byKernel.values()].map((groups) => {
    groups.sort((a, b) => a.threads - b.threads);
    const first = groups[0]!;
    const name = `${first.engine === 'workers' ? `workers/${first.kernel}` : first.engine} ${first.formulation}`;
    const workload = workloads.size > 1 ? ` (B=${first.batch} ${first.dIn}x${first.dOut})` : '';
    const perThreads = groups.map((b) => `at T=${b.threads} ${breakEvenText(b)}`).join('; ');
    const top = groups.at(-1)!;
    return `Break-even, ${name}${workload}: ${perThreads}. At ${pct(top.lowest.activeFraction)} active and T=${top.threads}, compact ran ${top.lowest.speedup.toFixed(2)}x as fast as dense; ` +
      `FLOP counting predicts ${top.flopModelAtLowest.toFixed(2)}x.`;
  });
}
