/**
 * How much the machine itself moved between two runs, from the roofs each run measured
 * before its sweep: the GEMM roof (tfjs-node's matMul) and the memory roof (STREAM over
 * SharedArrayBuffer), neither of which runs the code a build changes. Measured on 5
 * December 2026, two default runs of one build back to back on this VM: GEMM roof -4.8 %,
 * memory roof -8 %, the median row 4.7 % slower, and compare called three rows regressed.
 * A change of that size is the machine's as much as the code's; compare says so beside its
 * verdicts (the verdicts stand: a tfjs-node upgrade that slows matMul moves the roof too,
 * and dividing it out would hide that).
 */
import type { MemoryRoof } from '../../roofline/memory-roof.js';
import type { Roofline } from '../../roofline/types.js';

/** Each roof's change, current over base, in percent; null where either run lacks that roof or they share no point. */
export interface MachineDrift {
  readonly gemmPct: number | null;
  readonly memoryPct: number | null;
}

/** Geometric mean of current/base over the points both have, as a percent change. */
function meanChangePct(pairs: readonly (readonly [number, number])[]): number | null {
  const ratios = pairs.filter(([b, c]) => b > 0 && c > 0).map(([b, c]) => Math.log(c / b));
  if (ratios.length === 0) return null;
  return 100 * (Math.exp(ratios.reduce((sum, x) => sum + x, 0) / ratios.length) - 1);
}

/** The two roofs' changes between runs, over the shapes and thread counts both measured. */
export function machineDrift(base: { gemm: Roofline | null; memory: MemoryRoof | null }, current: { gemm: Roofline | null; memory: MemoryRoof | null }): MachineDrift {
  let gemmPct: number | null = null;
  if (base.gemm?.measured && current.gemm?.measured) {
    const key = (p: { batch: number; d_in: number; d_out: number; threads: number }) => `${p.batch}|${p.d_in}|${p.d_out}|${p.threads}`;
    const before = new Map(base.gemm.points.map((p) => [key(p), p.gflops] as const));
    gemmPct = meanChangePct(current.gemm.points.filter((p) => before.has(key(p))).map((p) => [before.get(key(p))!, p.gflops] as const));
  }
  let memoryPct: number | null = null;
  if (base.memory?.measured && current.memory?.measured) {
    const before = new Map(base.memory.arena.map((p) => [p.threads, p.gbps] as const));
    memoryPct = meanChangePct(current.memory.arena.filter((p) => before.has(p.threads)).map((p) => [before.get(p.threads)!, p.gbps] as const));
  }
  return { gemmPct, memoryPct };
}

/**
 * A warning when either roof moved by at least half the threshold: changes of that size
 * in the rows may be the machine's, not the code's. undefined when neither did, or neither
 * was measured in both runs.
 */
export function driftWarning(drift: MachineDrift, thresholdPct: number): string | undefined {
  const moved = [drift.gemmPct, drift.memoryPct].some((pct) => pct !== null && Math.abs(pct) >= thresholdPct / 2);
  if (!moved) return undefined;
  const pct = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)} %`;
  const figures = [
    ...(drift.gemmPct === null ? [] : [`GEMM roof ${pct(drift.gemmPct)}`]),
    ...(drift.memoryPct === null ? [] : [`memory roof ${pct(drift.memoryPct)}`]),
  ].join(', ');
  return `the machine itself moved between the runs (${figures}; each run measures its roofs before its sweep, with code no build changes): ` +
    'changes of that size may be the machine\'s, not the code\'s; rerun both back to back on a quiet machine';
}
