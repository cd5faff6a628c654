/** The figures and lines of a strategy comparison, for train.json, the terminal and train.html. */
import type { Mining } from '../data/mining.js';
import type { Comparison, ComparedRun } from './compare.js';

/** One run's totals. */
export interface ComparedTotals {
  readonly strategy: string;
  readonly steps: number;
  readonly own_ms: number;
  readonly step_ms: number;
  readonly held_out_check_ms: number;
  /** Share of the dense backward FLOPs this run did not do: 0 for dense, 1 - K/B over the run for compact. */
  readonly backward_skipped: number;
  readonly held_out_first: number | null;
  readonly held_out_last: number | null;
  readonly reached_target_ms: number | null;
  readonly reached_target_epoch: number | null;
}

/** train.json's `comparison`: the answer, then each run's totals. */
export interface ComparisonSummary {
  readonly target: number | null;
  readonly target_from: Comparison['targetFrom'];
  readonly same_batches: boolean;
  readonly first_mined_difference: number | null;
  readonly max_loss_difference: number;
  /** Dense over compact median step time early and late in the run: does compact pull ahead as the active fraction falls? */
  readonly pulling_ahead: PullingAhead | null;
  readonly runs: readonly ComparedTotals[];
}

/** Dense/compact median step time over a span of steps, with compact's mean active fraction there. */
export interface SpanRatio {
  readonly steps: string;
  readonly ratio: number;
  readonly active: number;
}

/** The first tenth of the steps against the second half. */
export interface PullingAhead {
  readonly early: SpanRatio;
  readonly late: SpanRatio;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Dense/compact step-time ratios early and late; null without both strategies or with under 10 steps. */
function pullingAhead(comparison: Comparison): PullingAhead | null {
  const dense = comparison.runs.find((r) => r.strategy === 'dense');
  const compact = comparison.runs.find((r) => r.strategy === 'compact');
  const steps = Math.min(dense?.records.length ?? 0, compact?.records.length ?? 0);
  if (!dense || !compact || steps < 10) return null;
  const span = (from: number, to: number): SpanRatio => {
    const d = dense.records.slice(from, to);
    const c = compact.records.slice(from, to);
    return {
      steps: `${from + 1}-${to}`,
      ratio: median(d.map((r) => r.step_ms)) / median(c.map((r) => r.step_ms)),
      active: c.reduce((sum, r) => sum + r.active_fraction, 0) / c.length,
    };
  };
  return { early: span(0, Math.ceil(steps / 10)), late: span(Math.floor(steps / 2), steps) };
}

function skipped(run: ComparedRun): number {
  if (run.strategy === 'dense') return 0;
  const dense = run.records.reduce((sum, r) => sum + r.backward_flops_dense, 0);
  const compact = run.records.reduce((sum, r) => sum + r.backward_flops_compact, 0);
  return dense > 0 ? 1 - compact / dense : 0;
}

/** The comparison's figures. */
export function summarizeComparison(comparison: Comparison): ComparisonSummary {
  return {
    target: comparison.target,
    target_from: comparison.targetFrom,
    same_batches: comparison.sameBatches,
    first_mined_difference: comparison.firstMinedDifference,
    max_loss_difference: comparison.maxLossDifference,
    pulling_ahead: pullingAhead(comparison),
    runs: comparison.runs.map((run, i) => ({
      strategy: run.strategy,
      steps: run.records.length,
      own_ms: run.ownMs,
      step_ms: run.records.reduce((sum, r) => sum + r.step_ms, 0),
      held_out_check_ms: run.checkMs,
      backward_skipped: skipped(run),
      held_out_first: run.evaluations[0]?.held_out_rate ?? null,
      held_out_last: run.evaluations.at(-1)?.held_out_rate ?? null,
      reached_target_ms: comparison.reached[i]?.ms ?? null,
      reached_target_epoch: comparison.reached[i]?.epoch ?? null,
    })),
  };
}

const pct = (x: number | null) => (x === null ? '-' : `${(100 * x).toFixed(1)} %`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** What the trajectories' agreement means, in words. */
function trajectoryLine(s: ComparisonSummary, mining: Mining): string {
  const batches = s.same_batches ? 'Both drew the same triplets at every step' : 'The runs drew DIFFERENT triplets (a bug: they share the seed)';
  const agree = s.max_loss_difference === 0
    ? 'their losses agree exactly'
    : `their losses agree within ${s.max_loss_difference.toExponential(1)} relative (float rounding: dense and compact sum in different orders)`;
  if (mining !== 'semihard') return `${batches}; ${agree}.`;
  return s.first_mined_difference === null
    ? `${batches}, and semi-hard mining chose the same negatives throughout; ${agree}.`
    : `${batches}, but semi-hard mining chose different negatives from step ${s.first_mined_difference} on: it picks from the current W, and the ` +
      `strategies' rounding differs, so the trajectories diverge by rounding from there (losses differ by up to ${s.max_loss_difference.toExponential(1)} relative).`;
}

/**
 * What the two spans' ratios say, in words. A ratio above 1 is compact faster. "Pulled
 * ahead" needs compact faster late in the run AND more so than early: a compact slower in
 * both spans (0.96x then 0.99x) was once called "pulled ahead" because 0.99 > 0.96.
 */
export function pullingAheadVerdict(ahead: PullingAhead): string {
  const { early, late } = ahead;
  if (late.ratio <= 1) {
    if (early.ratio > 1) return 'compact fell behind dense';
    return late.ratio > early.ratio
      ? 'compact was slower than dense in both spans: it narrowed the gap but did not pull ahead'
      : 'compact was slower than dense in both spans: it did not pull ahead';
  }
  if (early.ratio <= 1) return 'compact pulled ahead of dense as the hinge focused the work';
  return late.ratio > early.ratio ? 'compact pulled further ahead as the hinge focused the work' : 'compact was ahead from the start, and did not pull further ahead';
}

/** The lines printed at the end of a comparison. */
export function comparisonLines(s: ComparisonSummary, mining: Mining): string[] {
  const lines = s.runs.map((r) =>
    `${r.strategy.padEnd(8)} ${r.steps} steps in ${seconds(r.own_ms)} of its own turns (${seconds(r.step_ms)} in gradient steps; held-out checks ${seconds(r.held_out_check_ms)} more, not counted); ` +
    `backward work skipped ${pct(r.backward_skipped)}; held-out meeting the margin ${pct(r.held_out_first)} -> ${pct(r.held_out_last)}`);
  if (s.target === null) {
    lines.push('time to quality: not measured, no held-out triplets (give --held-out above 0)');
  } else {
    const source = s.target_from === 'option' ? '--target' : 'the final rate of the slower run';
    const reached = s.runs.map((r) => `${r.strategy} ${r.reached_target_ms === null ? 'never reached it' : `${seconds(r.reached_target_ms)} (epoch ${r.reached_target_epoch})`}`);
    lines.push(`time to ${pct(s.target)} of held-out triplets meeting the margin (${source}): ${reached.join(', ')}`);
    const [a, b] = s.runs;
    if (a && b && a.reached_target_ms !== null && b.reached_target_ms !== null && a.reached_target_ms > 0 && b.reached_target_ms > 0) {
      const [fast, slow] = a.reached_target_ms <= b.reached_target_ms ? [a, b] : [b, a];
      lines.push(`${fast.strategy} got there ${(slow.reached_target_ms! / fast.reached_target_ms!).toFixed(2)}x sooner than ${slow.strategy}`);
    }
  }
  const ahead = s.pulling_ahead;
  if (ahead) {
    const span = (x: SpanRatio) => `${x.ratio.toFixed(2)}x over steps ${x.steps} (compact's active fraction ${pct(x.active)})`;
    lines.push(`dense/compact median step time: ${span(ahead.early)}, ${span(ahead.late)}: ${pullingAheadVerdict(ahead)}`);
  }
  lines.push(trajectoryLine(s, mining));
  return lines;
}
