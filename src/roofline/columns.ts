/**
 * results.csv's roofline columns: `roofline_gflops`, this machine's GEMM speed on the row's
 * shape at its thread count, and `roofline_pct`, the FLOPs the configuration actually
 * performs per second as a share of it (so it never passes 100 % unless the GEMM
 * measurement was unlucky). Both empty where no roofline was measured.
 */
import type { ResultRow } from '../bench/rows.js';
import { isOverheadKernel } from '../engine-labels.js';
import { FORMULATIONS, STRATEGIES, type Formulation, type Strategy } from '../domain.js';
import { stepFlops } from '../model/flops.js';
import { rooflineKey, type Roofline } from './types.js';

/** Fills roofline_gflops and roofline_pct in place (empty where they do not apply). */
export function applyRoofline(rows: ResultRow[], roofline: Roofline | undefined): void {
  const gflopsAt = new Map<string, number>();
  if (roofline?.measured) for (const p of roofline.points) gflopsAt.set(rooflineKey({ batch: p.batch, dIn: p.d_in, dOut: p.d_out }, p.threads), p.gflops);
  for (const row of rows) {
    const shape = { batch: row.batch, dIn: row.d_in, dOut: row.d_out };
    const peak = row.status === 'ok' ? gflopsAt.get(rooflineKey(shape, row.threads)) : undefined;
    row.roofline_gflops = peak ?? null;
    const timed = typeof row.p50_ms === 'number' && row.p50_ms > 0 && typeof row.active_fraction === 'number';
    const known = (FORMULATIONS as readonly string[]).includes(row.formulation) && (STRATEGIES as readonly string[]).includes(row.strategy);
    if (peak === undefined || !timed || !known || isOverheadKernel(row.engine, row.kernel)) {
      row.roofline_pct = null;
      continue;
    }
    const activeCount = Math.round((row.active_fraction as number) * row.batch);
    // The FLOPs this configuration performs (src/model/flops.ts), not the effective scale's.
    const performed = stepFlops(row.formulation as Formulation, row.strategy as Strategy, shape, activeCount) / ((row.p50_ms as number) * 1e6);
    row.roofline_pct = (100 * performed) / peak;
  }
}
