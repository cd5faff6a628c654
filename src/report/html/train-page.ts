/**
 * train.html beside train.csv: the run's totals and one chart of loss, active fraction and
 * skipped work against step. Self-contained like report.html: inline SVG, no script.
 */
import type { Exporter } from '../exporter.js';
import type { Evaluation, StepRecord } from '../train-records.js';
import { timeToQualitySpec } from './charts/time-to-quality.js';
import { trainingSpec } from './charts/training.js';
import { escapeHtml } from './escape.js';
import { STYLE } from './page.js';
import { renderSvg } from './render-svg.js';

/** The page's file name in a train folder. */
export const TRAIN_PAGE_FILE = 'train.html';

/** What the page shows besides the steps. */
export interface TrainPageInput {
  readonly title: string;
  /** The summary lines the command prints, one list item each. */
  readonly summary: readonly string[];
  readonly status: string;
  readonly generatedAt: string;
  /** A strategy comparison's held-out checks, and the rate it times each strategy to. */
  readonly evaluations?: readonly Evaluation[];
  readonly target?: number | null;
}

async function timeToQualitySection(input: TrainPageInput): Promise<string> {
  if (!input.evaluations) return '';
  const chart = input.evaluations.length > 0
    ? `<figure class="chart" id="chart-time-to-quality">${(await renderSvg(timeToQualitySpec(input.evaluations, input.target ?? null))).svg}</figure>`
    : '<p class="absent">Nothing to draw: no held-out triplets were checked (give --held-out above 0).</p>';
  return `<section id="time-to-quality"><h2>Time to quality: held-out margin rate against each strategy's own time</h2>
<p class="caption">Both strategies trained from the same seed, W and batches, their steps alternated so the machine's noise hit both alike. Each line: the share of held-out triplets meeting the margin after every epoch, against the wall time of that strategy's own steps (the checks themselves not counted). The dashed line is the rate both are timed to.</p>
${chart}</section>`;
}

/** The HTML text of train.html. */
export async function renderTrainPage(records: readonly StepRecord[], input: TrainPageInput): Promise<string> {
  const chart = records.length > 0
    ? `<figure class="chart" id="chart-training">${(await renderSvg(trainingSpec(records))).svg}</figure>`
    : '<p class="absent">Nothing to draw: no step finished.</p>';
  const banner = input.status === 'completed' ? '' : `<p class="banner">This training run is <b>${escapeHtml(input.status)}</b>: the chart shows the ${records.length} steps it finished.</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>triplet-bench train: ${escapeHtml(input.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>triplet-bench train</h1>
<p class="sub">${escapeHtml(input.title)}; page made ${escapeHtml(input.generatedAt)}.</p>
${banner}
<section class="glance"><b>The run</b><ul>${input.summary.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul></section>
${await timeToQualitySection(input)}
<section id="training"><h2>The hinge focuses the work</h2>
<p class="caption">As W learns, fewer triplets violate the margin: the active fraction falls, the loss with it, and the compact strategy skips the backward work of every inactive triplet (green), work the dense strategy still does and multiplies by zero.</p>
${chart}</section>
</body>
</html>
`;
}

/** train.html: the steps and what the page shows besides them; drawn once the run ends. */
export const trainHtmlExporter: Exporter<TrainPageInput & { readonly records: readonly StepRecord[] }> = {
  file: TRAIN_PAGE_FILE,
  label: 'page',
  render: (input) => renderTrainPage(input.records, input),
};
