/**
 * Two runs side by side: every paired configuration's change in triplets/s with its
 * interval and p-value, a verdict against the threshold, the configurations only one run
 * has, and a warning when the runs come from different machines.
 */
import { driftWarning, machineDrift } from './machine-drift.js';
import type { ResultRow } from '../../bench/rows.js';
import { interferenceFlagged } from '../interference-rows.js';
import { serverDifferences } from '../server-facts.js';
import { incompleteReasons } from './completeness.js';
import { pairRows, pairingKey } from './pairing.js';
import type { RunFolder } from './run-folder.js';
import { throughputChange, type ThroughputChange } from './statistics.js';

/**
 * The interval of a change is a 90 % one: "the whole interval beyond the threshold" is then
 * a one-sided test at 5 % that the change exceeds it, and "the whole interval inside" the
 * two one-sided tests of equivalence (TOST) at 5 %, the usual pairing of the two.
 */
export const ALPHA = 0.1;

/**
 * regression / improvement: the whole interval of the change lies beyond the threshold.
 * unchanged: the whole interval lies inside it. inconclusive: it straddles the threshold
 * (too few or too noisy windows to say). untested: a side has no timed windows (errored,
 * skipped, or none in run.json).
 */
export type Verdict = 'regression' | 'improvement' | 'inconclusive' | 'unchanged' | 'untested';

/** One paired configuration. */
export interface PairResult {
  readonly configuration: string;
  readonly baseTripletsPerS: number | null;
  readonly currentTripletsPerS: number | null;
  readonly change: ThroughputChange | null;
  readonly verdict: Verdict;
  /** Why untested, when it is. */
  readonly note: string;
}

/** The whole comparison. */
export interface Comparison {
  readonly base: RunFolder;
  readonly current: RunFolder;
  readonly thresholdPct: number;
  readonly alpha: number;
  readonly pairs: readonly PairResult[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly warnings: readonly string[];
  /** Why the comparison is incomplete (a side not completed, BASE configurations missing from CURRENT); empty when complete. */
  readonly incomplete: readonly string[];
  /** Whether missing rows were declared expected (--allow-missing): then `incomplete` does not fail the gate. */
  readonly allowMissing: boolean;
}

/** The verdict on a change at this threshold (percent): where its interval lies against it. */
export function verdictOf(change: ThroughputChange, thresholdPct: number): Verdict {
  const low = 1 - thresholdPct / 100;
  const high = 1 + thresholdPct / 100;
  if (change.ciHigh < low) return 'regression';
  if (change.ciLow > high) return 'improvement';
  if (change.ciLow >= low && change.ciHigh <= high) return 'unchanged';
  return 'inconclusive';
}

const throughput = (row: ResultRow) => (row.status === 'ok' && typeof row.triplets_per_s === 'number' ? row.triplets_per_s : null);

/**
 * triplets/s from the geometric mean of the step samples: the figure the change and its
 * interval are about (the CSV's is from the median step, and the two can differ by more
 * than the change itself on a noisy machine).
 */
function geometricThroughput(row: ResultRow, samplesMs: readonly number[]): number | null {
  if (samplesMs.length === 0 || typeof row.batch !== 'number') return throughput(row);
  const meanLog = samplesMs.reduce((sum, ms) => sum + Math.log(ms), 0) / samplesMs.length;
  return row.batch / (Math.exp(meanLog) / 1000);
}

function untimedNote(row: ResultRow, side: string): string | undefined {
  return row.status === 'ok' ? undefined : `${side} ${row.status}${row.note ? `: ${row.note}` : ''}`;
}

/** Warnings when the two runs did not measure the same machine and runtime. */
export function machineWarnings(base: RunFolder, current: RunFolder): string[] {
  const differ = (['host', 'cpu_model', 'logical_cpus'] as const).filter((f) => base.machine[f] !== current.machine[f]);
  const warnings: string[] = [];
  if (differ.length > 0) {
    const what = differ.map((f) => `${f} ${base.machine[f]} -> ${current.machine[f]}`).join(', ');
    warnings.push(`the runs come from different machines (${what}): changes may be the machine's, not the code's`);
  }
  if (base.machine.node_version !== current.machine.node_version) {
    warnings.push(`different Node.js versions (${base.machine.node_version} -> ${current.machine.node_version})`);
  }
  const server = serverDifferences(base.environment, current.environment);
  if (server.length > 0) warnings.push(`the machines or libraries differ (${server.join('; ')}): changes may be theirs, not the code's`);
  return warnings;
}

/** What a flagged row's columns say (src/report/interference-rows.ts), for a pair's note. */
function interferenceNote(row: ResultRow, side: string): string | undefined {
  if (!interferenceFlagged(row)) return undefined;
  const figures = [
    ...(typeof row.interference_cores === 'number' && typeof row.interference_limit === 'number' && row.interference_cores > row.interference_limit ? [`others ${row.interference_cores.toFixed(2)} cores`] : []),
    ...(typeof row.throttled_periods === 'number' && row.throttled_periods > 0 ? [`throttled ${row.throttled_periods} periods`] : []),
  ];
  return `${side} measured under interference (${figures.join(', ')})`;
}

/**
 * A warning when paired rows were measured while other work took the machine: a change
 * there may be the other work's, not the code's. The verdicts stand (what was measured is
 * reported); the warning says which to distrust.
 */
export function interferenceWarning(pairs: readonly { key: string; base: ResultRow; current: ResultRow }[]): string | undefined {
  const disturbed = pairs.filter((p) => interferenceFlagged(p.base) || interferenceFlagged(p.current));
  if (disturbed.length === 0) return undefined;
  const side = (pick: (p: (typeof pairs)[number]) => ResultRow) => disturbed.filter((p) => interferenceFlagged(pick(p))).length;
  const named = disturbed.slice(0, 5).map((p) => p.key).join(', ') + (disturbed.length > 5 ? ` and ${disturbed.length - 5} more` : '');
  return `${disturbed.length} of ${pairs.length} paired configurations were measured under interference (base ${side((p) => p.base)}, current ${side((p) => p.current)}; ` +
    `results.csv interference_cores, throttled_periods): their changes may be the other work's, not the code's: ${named}`;
}

/** Compares `current` against `base` at `thresholdPct` percent; `allowMissing`: missing rows are expected. */
export function compareRuns(base: RunFolder, current: RunFolder, thresholdPct: number, allowMissing = false): Comparison {
  const drift = driftWarning(machineDrift(base.roofs, current.roofs), thresholdPct);
  const pairing = pairRows(base.rows, current.rows);
  const pairs = pairing.pairs.map(({ key, base: b, current: c }): PairResult => {
    const common = { configuration: key, baseTripletsPerS: throughput(b), currentTripletsPerS: throughput(c) };
    const untimed = [untimedNote(b, 'base'), untimedNote(c, 'current')].filter(Boolean).join('; ');
    if (untimed) return { ...common, change: null, verdict: 'untested', note: untimed };
    const baseMs = base.samples.get(key) ?? [];
    const currentMs = current.samples.get(key) ?? [];
    const change = throughputChange(base.units.get(key) ?? [], current.units.get(key) ?? [], ALPHA);
    if (!change) return { ...common, change, verdict: 'untested', note: 'fewer than 2 timing windows in a run.json' };
    const figures = { baseTripletsPerS: geometricThroughput(b, baseMs), currentTripletsPerS: geometricThroughput(c, currentMs) };
    const disturbed = [interferenceNote(b, 'base'), interferenceNote(c, 'current')].filter(Boolean).join('; ');
    return { ...common, ...figures, change, verdict: verdictOf(change, thresholdPct), note: disturbed };
  });
  const interference = interferenceWarning(pairing.pairs);
  return {
    base,
    current,
    thresholdPct,
    alpha: ALPHA,
    pairs,
    added: pairing.added.map(pairingKey),
    removed: pairing.removed.map(pairingKey),
    warnings: [...machineWarnings(base, current), ...(drift ? [drift] : []), ...(interference ? [interference] : [])],
    incomplete: incompleteReasons(base, current, pairing.removed.map(pairingKey)),
    allowMissing,
  };
}

/** Whether the comparison should fail a CI job: any regression beyond the threshold. */
export function hasRegression(comparison: Comparison): boolean {
  return comparison.pairs.some((p) => p.verdict === 'regression');
}

/** The configurations whose change could not be told from the threshold. */
export function inconclusivePairs(comparison: Comparison): readonly PairResult[] {
  return comparison.pairs.filter((p) => p.verdict === 'inconclusive');
}

/** Whether the comparison is incomplete and missing rows were not declared expected. */
export function failsForMissing(comparison: Comparison): boolean {
  return comparison.incomplete.length > 0 && !comparison.allowMissing;
}

/**
 * compare's exit code for one comparison (README, "Reports and comparisons": the one table
 * of them): 1 on a regression, an incomplete comparison without --allow-missing, or with
 * `strict` an inconclusive change; else 0.
 */
export function compareExitCode(comparison: Comparison, strict = false): 0 | 1 {
  return hasRegression(comparison) || failsForMissing(comparison) || (strict && inconclusivePairs(comparison).length > 0) ? 1 : 0;
}
