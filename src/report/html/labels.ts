/**
 * The names the page gives rows: one word per chart role, so legends, facet headers and
 * mark labels agree everywhere, and a test can find a row's marks by its label.
 */
import { OVERHEAD_KERNEL, type ResultRow } from '../../bench/rows.js';

const compactNumber = (value: number) => String(Number(value.toPrecision(4)));

/** What a line follows across thread counts: engine/kernel, formulation and strategy. */
export function seriesLabel(row: ResultRow): string {
  return `${row.engine}/${row.kernel} ${row.formulation} ${row.strategy}`;
}

/**
 * A kernel as a panel header: short, since vega (with no canvas to measure text) spaces
 * panels by a generous estimate of their headers. tfjs engines have one kernel each.
 */
export function kernelLabel(row: ResultRow): string {
  return `${row.engine === 'workers' ? `workers/${row.kernel}` : row.engine} ${row.formulation}`;
}

/** The problem a row solved: batch, dims and the margin setting. */
export function workloadLabel(row: ResultRow): string {
  const setting = typeof row.target_active === 'number'
    ? `active ${compactNumber(row.target_active)}`
    : typeof row.margin === 'number' ? `margin ${compactNumber(row.margin)}` : 'margin ?';
  return `B=${row.batch} ${row.d_in}x${row.d_out} ${setting}`;
}

/** One configuration, unique within a host: series, thread count and workload. */
export function configurationLabel(row: ResultRow): string {
  return `${seriesLabel(row)} T=${row.threads} ${workloadLabel(row)}`;
}

/** The machine a row ran on; rows of a CSV without the column still need a name. */
export function hostLabel(row: ResultRow): string {
  return typeof row.host === 'string' && row.host !== '' ? row.host : 'unknown host';
}

/** Rows timed with a real kernel: the ones with throughput to draw. */
export function timedRows(rows: readonly ResultRow[]): ResultRow[] {
  return rows.filter((r) => r.status === 'ok' && typeof r.triplets_per_s === 'number' && r.kernel !== OVERHEAD_KERNEL);
}

/** Rows of the `empty` kernel: the harness alone. */
export function overheadRows(rows: readonly ResultRow[]): ResultRow[] {
  return rows.filter((r) => r.status === 'ok' && typeof r.p50_ms === 'number' && r.kernel === OVERHEAD_KERNEL);
}
