/**
 * Each row's place on the two-roof roofline: its operational intensity (FLOPs over the
 * bytes its formulation moves, src/model/bytes.ts), the roof that bounds it there (the compute
 * roof, this machine's GEMM speed at its threads, src/roofline/measure.ts, or the memory
 * roof, sustained bandwidth at its threads times its intensity, src/roofline/bandwidth.ts),
 * and `bound_pct`, its speed as a share of that bound. `roofline_pct` stays the share of the
 * compute roof alone.
 */
import type { ResultRow } from '../bench/rows.js';
import { isOverheadKernel } from '../engine-labels.js';
import { operationalIntensity } from '../model/bytes.js';
import { FORMULATIONS, STRATEGIES, type Formulation, type Strategy } from '../domain.js';
import { stepFlops } from '../model/flops.js';
import type { MemoryRoof } from './memory-roof.js';

/** Fills intensity_flop_per_byte, memory_roof_gbps, bound and bound_pct in place (empty where they do not apply). */
export function applyBound(rows: ResultRow[], memory: MemoryRoof | undefined): void {
  const gbpsAt = new Map<number, number>();
  if (memory?.measured) for (const p of memory.arena) gbpsAt.set(p.threads, p.gbps);
  for (const row of rows) {
    row.intensity_flop_per_byte = null;
    row.memory_roof_gbps = null;
    row.bound = null;
    row.bound_pct = null;
    const known = (FORMULATIONS as readonly string[]).includes(row.formulation) && (STRATEGIES as readonly string[]).includes(row.strategy);
    if (row.status !== 'ok' || !known || isOverheadKernel(row.engine, row.kernel) || typeof row.active_fraction !== 'number') continue;
    const shape = { batch: row.batch, dIn: row.d_in, dOut: row.d_out };
    const activeCount = Math.round(row.active_fraction * row.batch);
    const formulation = row.formulation as Formulation;
    const strategy = row.strategy as Strategy;
    const intensity = operationalIntensity(formulation, strategy, shape, activeCount);
    row.intensity_flop_per_byte = intensity;
    const gbps = gbpsAt.get(Math.min(row.threads, Math.max(...gbpsAt.keys()))) ?? null;
    row.memory_roof_gbps = gbps;
    const compute = typeof row.roofline_gflops === 'number' ? row.roofline_gflops : null;
    if (gbps === null || compute === null || typeof row.p50_ms !== 'number' || !(row.p50_ms > 0)) continue;
    const memoryBound = intensity * gbps;
    row.bound = memoryBound < compute ? 'memory' : 'compute';
    row.bound_pct = (100 * performedGflops(row)!) / Math.min(memoryBound, compute);
  }
}

/**
 * The FLOPs a timed row performs per second (src/model/flops.ts, its own formulation and active
 * count, not the effective scale), in GFLOP/s: its height on the roofline. Null where the
 * row has no median step or active fraction.
 */
export function performedGflops(row: ResultRow): number | null {
  const known = (FORMULATIONS as readonly string[]).includes(row.formulation) && (STRATEGIES as readonly string[]).includes(row.strategy);
  if (!known || typeof row.p50_ms !== 'number' || !(row.p50_ms > 0) || typeof row.active_fraction !== 'number') return null;
  const shape = { batch: row.batch, dIn: row.d_in, dOut: row.d_out };
  return stepFlops(row.formulation as Formulation, row.strategy as Strategy, shape, Math.round(row.active_fraction * row.batch)) / (row.p50_ms * 1e6);
}
