/**
 * Thread counts for a big server: the default ladder and the words and ranges `--threads`
 * takes. On a server with SMT the step from the physical cores to the logical CPUs is
 * a different kind of step (two threads share a core's vector units), so the ladder
 * climbs in powers of two to the physical core count and adds the logical count apart.
 */
import { InvalidArgumentError } from 'commander';
import { availableParallelism } from 'node:os';
import { readTopology, type Topology } from '../environment/topology.js';

/** The machine's thread counts that matter. */
export interface CpuCounts {
  /** Physical cores this process may use. */
  readonly physical: number;
  /** Logical CPUs this process may use (available parallelism). */
  readonly logical: number;
}

/**
 * Physical cores and logical CPUs this process may use. Where the process may use every
 * online CPU, the topology's physical cores; where an affinity mask or cpuset allows
 * fewer, that share of them (siblings are allotted together in the common case). Without
 * a readable topology, no SMT is assumed: physical = logical.
 */
export function cpuCounts(topology: Topology = readTopology(), logical = availableParallelism()): CpuCounts {
  const { physical_cores: cores, threads_per_core: perCore, online_cpus: online } = topology;
  if (cores === null || perCore === null || perCore <= 1) return { physical: logical, logical };
  if (online !== null && logical >= online) return { physical: Math.min(cores, logical), logical };
  return { physical: Math.max(1, Math.ceil(logical / perCore)), logical };
}

let machine: CpuCounts | undefined;

/** This machine's counts, read once per process. */
export function machineCpuCounts(): CpuCounts {
  machine ??= cpuCounts();
  return machine;
}

/** 1, 2, 4, ... below the physical cores, the physical cores, and the logical CPUs where SMT adds them. */
export function threadLadder(counts: CpuCounts): number[] {
  const ladder: number[] = [];
  for (let t = 1; t < counts.physical; t *= 2) ladder.push(t);
  ladder.push(counts.physical);
  if (counts.logical > counts.physical) ladder.push(counts.logical);
  return ladder;
}

/** What a thread count is on this machine, for the report: the physical cores, the logical CPUs, or beyond. */
export function threadRole(threads: number, counts: CpuCounts): 'physical cores' | 'logical CPUs (SMT)' | 'oversubscribed' | 'within the physical cores' | 'between physical and logical (SMT)' {
  if (threads === counts.physical) return 'physical cores';
  if (threads === counts.logical) return 'logical CPUs (SMT)';
  if (threads > counts.logical) return 'oversubscribed';
  return threads < counts.physical ? 'within the physical cores' : 'between physical and logical (SMT)';
}

const USAGE = "a comma-separated list of counts (8), ranges (1-8, 2-16:2), 'physical' or 'logical'";

/** One end of a range or a single item: a positive integer or a word. */
function countOf(text: string, counts: CpuCounts, max: number): number {
  if (text === 'physical') return counts.physical;
  if (text === 'logical') return counts.logical;
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError(`--threads expects ${USAGE}; got '${text}'`);
  const value = Number(text);
  if (value < 1 || value > max) throw new InvalidArgumentError(`--threads expects thread counts from 1 to ${max}; got ${value}`);
  return value;
}

/**
 * Parses `--threads`: "1,2,8", "physical", "logical", "1-8" (every count), "2-16:2"
 * (every second), "1-physical"; duplicates dropped, order kept. Bad input throws one
 * line naming --threads.
 */
export function parseThreadList(raw: string, counts: CpuCounts, max: number): number[] {
  const items = raw.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) throw new InvalidArgumentError('--threads expects a comma-separated list with no empty items');
  const out: number[] = [];
  for (const item of items) {
    const range = /^([^-:]+)-([^-:]+)(?::(.+))?$/.exec(item);
    if (!range) {
      out.push(countOf(item, counts, max));
      continue;
    }
    const first = countOf(range[1]!, counts, max);
    const last = countOf(range[2]!, counts, max);
    if (last < first) throw new InvalidArgumentError(`--threads range '${item}' runs backwards; write it low-high, as ${last}-${first}`);
    const stepText = range[3] ?? '1';
    if (!/^\d+$/.test(stepText) || Number(stepText) < 1) throw new InvalidArgumentError(`--threads range '${item}': the step after ':' must be a positive integer; got '${stepText}'`);
    const step = Number(stepText);
    for (let t = first; t <= last; t += step) out.push(t);
  }
  return [...new Set(out)];
}
