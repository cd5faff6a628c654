/** The page's charts, in the order a reader meets them: registered from this one list. */
import type { ResultRow } from '../../../bench/rows.js';
import { breakEvenChart } from './breakeven.js';
import type { Chart, ChartBuilder, ChartContext } from './chart.js';
import { gflopsChart } from './gflops.js';
import { overheadChart, stragglerChart } from './harness.js';
import { maskChart } from './mask.js';
import { rooflineChart } from './roofline.js';
import { efficiencyChart, throughputChart, weakScalingChart } from './scaling.js';

export type { Chart, ChartContext } from './chart.js';

/** Every chart builder, in page order. */
export const CHART_BUILDERS: readonly ChartBuilder[] = [throughputChart, efficiencyChart, weakScalingChart, maskChart, breakEvenChart, gflopsChart, rooflineChart, overheadChart, stragglerChart];

/** The page's charts for these rows. */
export function buildCharts(rows: readonly ResultRow[], context: ChartContext = {}): Chart[] {
  return CHART_BUILDERS.map((build) => build(rows, context));
}
