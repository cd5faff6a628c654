/**
 * The end-of-run summary for the terminal: the best configuration per engine, the
 * speedup at the highest thread count, and dense against compact.
 */
import { OVERHEAD_KERNEL, type ResultRow } from '../bench/rows.js';
import { flopRatio } from '../flops.js';
import { formatTable } from './table.js';

const fixed = (value: unknown, digits: number) => (typeof value === 'number' ? value.toFixed(digits) : '-');
const thousands = (value: unknown) => (typeof value === 'number' ? Math.round(value).toLocaleString('en-US') : '-');

function timed(rows: readonly ResultRow[]): ResultRow[] {
  return rows.filter((r) => r.status === 'ok' && typeof r.triplets_per_s === 'number' && r.kernel !== OVERHEAD_KERNEL);
}

/** Best triplets/s per engine. */
export function bestPerEngine(rows: readonly ResultRow[]): ResultRow[] {
  const best = new Map<string, ResultRow>();
  for (const row of timed(rows)) {
    const current = best.get(row.engine);
    if (!current || (row.triplets_per_s as number) > (current.triplets_per_s as number)) best.set(row.engine, row);
  }
  return [...best.values()];
}

/** The summary text: three small tables. */
export function summaryText(rows: readonly ResultRow[]): string {
  const ok = timed(rows);
  if (ok.length === 0) return 'No configuration was timed.';
  const best = formatTable(
    ['best per engine', 'kernel', 'formulation', 'strategy', 'threads', 'batch', 'dims', 'triplets/s', 'GFLOP/s'],
    bestPerEngine(rows).map((r) => [r.engine, r.kernel, r.formulation, r.strategy, r.threads, r.batch, `${r.d_in}x${r.d_out}`, thousands(r.triplets_per_s), fixed(r.gflops, 2)]),
  );

  const maxThreads = Math.max(...ok.map((r) => r.threads));
  const scaling = formatTable(
    [`at ${maxThreads} threads`, 'kernel', 'formulation', 'strategy', 'batch', 'dims', 'active', 'speedup', 'efficiency', 'overhead %', 'straggler'],
    ok
      .filter((r) => r.threads === maxThreads)
      .map((r) => [r.engine, r.kernel, r.formulation, r.strategy, r.batch, `${r.d_in}x${r.d_out}`, fixed(r.active_fraction, 3), fixed(r.speedup, 2), fixed(r.efficiency, 2), fixed(r.harness_overhead_pct, 2), fixed(r.straggler_ratio, 2)]),
  );

  const pairs: (string | number)[][] = [];
  for (const dense of ok.filter((r) => r.strategy === 'dense')) {
    const compact = ok.find(
      (r) => r.strategy === 'compact' && r.engine === dense.engine && r.kernel === dense.kernel && r.formulation === dense.formulation &&
        r.threads === dense.threads && r.batch === dense.batch && r.d_in === dense.d_in && r.d_out === dense.d_out && r.margin === dense.margin,
    );
    if (!compact) continue;
    const active = typeof compact.active_fraction === 'number' ? compact.active_fraction : Number.NaN;
    pairs.push([dense.engine, dense.kernel, dense.formulation, dense.threads, fixed(active, 3), fixed(dense.p50_ms, 1), fixed(compact.p50_ms, 1),
      fixed((dense.p50_ms as number) / (compact.p50_ms as number), 2), fixed(flopRatio(dense.formulation, active), 2)]);
  }
  const strategies = pairs.length > 0
    ? formatTable(['dense vs compact', 'kernel', 'formulation', 'threads', 'active', 'dense ms', 'compact ms', 'speedup', 'FLOP ratio'], pairs)
    : '';
  return [best, scaling, strategies].filter(Boolean).join('\n\n');
}
