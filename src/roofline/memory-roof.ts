/**
 * The memory roof of a run, measured before the sweep beside the GEMM roofline: STREAM
 * copy and triad (src/roofline/bandwidth.ts) at each thread count on arrays the size of the
 * largest workload's arena (what a step's data sits in: it may fit in the last-level
 * cache, and `arena_fits_cache` says so) and on arrays four times the last-level cache
 * (at least 64 MiB: memory, not cache). run.json keeps both; rows are bounded by the first.
 */
import { readTopology } from '../environment/topology.js';
import { errorMessage } from '../errors.js';
import { formatBytes } from '../memory.js';
import { measureBandwidthAt, type BandwidthPoint } from './bandwidth.js';

/** The memory roof, or why there is none. */
export type MemoryRoof =
  | {
      readonly measured: true;
      readonly method: string;
      readonly last_level_cache_bytes: number | null;
      readonly arena_fits_cache: boolean | null;
      /** Arrays of the arena's size: the roof rows are bounded by. */
      readonly arena: readonly BandwidthPoint[];
      /** Arrays larger than the last-level cache: the machine's memory bandwidth. */
      readonly dram: readonly BandwidthPoint[];
    }
  | { readonly measured: false; readonly reason: string };

/** Window of each kind at each size and thread count. */
export const BANDWIDTH_WINDOW_MS = 80;
const MIN_DRAM_ARRAY_BYTES = 64 * 1024 * 1024;

/** Measures both sizes at each thread count; `arenaBytes` is the largest workload's arena. */
export async function measureMemoryRoof(threadCounts: readonly number[], arenaBytes: number, windowMs = BANDWIDTH_WINDOW_MS): Promise<MemoryRoof> {
  // The last-level cache, as cpu0 sees it (src/environment/topology.ts); null where sysfs does not say.
  const sizes = readTopology().cache_bytes;
  const cache = sizes.l3 ?? sizes.l2;
  // Three arrays share the arena's bytes, as a step's inputs share its arena.
  const arenaArray = Math.max(1 << 16, Math.floor(arenaBytes / 3));
  const dramArray = Math.max(MIN_DRAM_ARRAY_BYTES, 4 * (cache ?? 0));
  const counts = [...new Set(threadCounts)].sort((a, b) => a - b);
  try {
    const arena: BandwidthPoint[] = [];
    const dram: BandwidthPoint[] = [];
    for (const threads of counts) {
      arena.push(await measureBandwidthAt(threads, arenaArray, windowMs));
      dram.push(await measureBandwidthAt(threads, dramArray, windowMs));
    }
    return {
      measured: true,
      method: 'STREAM copy and triad, float32, T worker threads at once over SharedArrayBuffer slices; the better of the two',
      last_level_cache_bytes: cache,
      arena_fits_cache: cache === null ? null : 3 * arenaArray <= cache,
      arena,
      dram,
    };
  } catch (error) {
    return { measured: false, reason: `the bandwidth probe failed: ${errorMessage(error)}` };
  }
}

/** One line for the terminal. */
export function memoryRoofLine(roof: MemoryRoof): string {
  if (!roof.measured) return `memory roof: not measured (${roof.reason})`;
  const at = (points: readonly BandwidthPoint[]) => points.map((p) => `T=${p.threads} ${p.gbps.toFixed(1)}`).join(', ');
  const fits = roof.arena_fits_cache === null ? '' : roof.arena_fits_cache ? ', fits the last-level cache' : ', larger than the last-level cache';
  return `memory roof, GB/s: arena-sized arrays (${formatBytes(roof.arena[0]!.array_bytes)} each${fits}) ${at(roof.arena)}; memory (${formatBytes(roof.dram[0]!.array_bytes)} each) ${at(roof.dram)}`;
}
