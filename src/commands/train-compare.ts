/**
 * `train --strategy dense,compact`: the strategies trained side by side (src/train/compare.ts),
 * written as `train` writes one run: train.csv (both runs' steps, told apart by `strategy`),
 * train.json (the comparison and the held-out checks), train.html (held-out rate against
 * each run's own time) and the summary lines.
 */
import type { LabelledData } from '../data/dataset.js';
import type { Strategy } from '../domain.js';
import { fileLines, writeExports } from '../report/exporter.js';
import { TRAIN_RECORD_EXPORTERS, type TrainPageExporter } from '../report/exporters.js';
import { compareStrategies, type Comparison } from '../train/compare.js';
import { comparisonLines, summarizeComparison } from '../train/compare-summary.js';
import type { StepRecord } from '../report/train-records.js';
import type { TrainConfig } from '../train/loop.js';
import type { TrainProgress } from '../console/train-progress.js';

/** What the train command hands over. */
export interface ComparisonContext {
  readonly data: LabelledData;
  readonly config: TrainConfig;
  readonly strategies: readonly Strategy[];
  readonly target: number | undefined;
  readonly outDir: string;
  readonly meta: Record<string, unknown>;
  readonly progress: TrainProgress;
  readonly signal: AbortSignal;
  /** How the command names the runs on the page, less the strategy. */
  readonly title: string;
  /** Rewrites train.csv and train.json. */
  save(records: readonly StepRecord[], meta: Record<string, unknown>): void;
  /** How often `save` may run while training, ms. */
  readonly saveEveryMs: number;
  /** The harness's clocks (src/harness.ts): monotonic ms for the saves, the wall clock for ended_at and the page. */
  readonly now: () => number;
  readonly date: () => Date;
  /** The page it draws (the harness's trainPages). */
  readonly pages: readonly TrainPageExporter[];
}

/** Runs the comparison and writes its reports; returns whether a signal stopped it. */
export async function runComparison(ctx: ComparisonContext): Promise<{ interrupted: boolean }> {
  const { config, progress, outDir } = ctx;
  const records: StepRecord[] = [];
  let info: Record<string, unknown> = {};
  let lastSaved = ctx.now();
  const title = `${ctx.title}, ${ctx.strategies.join(' against ')} (steps alternated)`;
  let comparison: Comparison;
  try {
    comparison = await compareStrategies(ctx.data, config, ctx.strategies, {
      ...(ctx.target === undefined ? {} : { target: ctx.target }),
      signal: ctx.signal,
      onNote: (line) => progress.log(`note: ${line}`),
      onStart: (start) => {
        info = start;
        progress.log(
          `triplet-bench train on ${ctx.data.source}: ${ctx.strategies.join(' and ')} side by side, steps alternated; ${start.trainSamples} training and ` +
            `${start.heldOutSamples} held-out samples, B=${start.batch}, margin ${start.margin.toPrecision(4)}, ${start.totalSteps} steps each; reports in ${outDir}`,
        );
        progress.start(start.totalSteps);
      },
      onStep: (record, run) => {
        records.push(record);
        // The bar follows the first run; the second takes the same steps in between.
        if (run === 0) progress.step(record);
        if (ctx.now() - lastSaved >= ctx.saveEveryMs) {
          ctx.save(records, { ...ctx.meta, ...info, status: 'running' });
          lastSaved = ctx.now();
        }
      },
    });
  } catch (error) {
    ctx.save(records, { ...ctx.meta, ...info, status: 'failed' });
    await writeExports(outDir, ctx.pages, { records, title, summary: [], status: 'failed', generatedAt: ctx.date().toISOString() }).catch(() => undefined);
    throw error;
  } finally {
    progress.stop();
  }
  const interrupted = ctx.signal.aborted;
  const status = interrupted ? 'interrupted' : 'completed';
  const summary = summarizeComparison(comparison);
  const lines = comparisonLines(summary, config.mining);
  const evaluations = comparison.runs.flatMap((run) => run.evaluations);
  ctx.save(records, { ...ctx.meta, ...info, status, ended_at: ctx.date().toISOString(), comparison: summary, held_out_checks: evaluations });
  await writeExports(outDir, ctx.pages, { records, title, summary: lines, status, generatedAt: ctx.date().toISOString(), evaluations, target: summary.target });
  console.log(lines.join('\n'));
  console.error(`\n${fileLines(outDir, [...TRAIN_RECORD_EXPORTERS, ...ctx.pages], 11)}`);
  return { interrupted };
}
