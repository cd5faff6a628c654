/**
 * The names the page gives rows: one word per chart role, so legends, facet headers and
 * mark labels agree everywhere, and a test can find a row's marks by its label.
 */
import type { ResultRow } from '../../bench/rows.js';
import { isOverheadKernel, kernelLabelOf } from '../../engine-labels.js';

const compactNumber = (value: number) => String(Number(value.toPrecision(4)));

/** What a line follows across thread counts: engine/kernel, formulation and strategy. */
export function seriesLabel(row: ResultRow): string {
  return `${row.engine}/${row.kernel} ${row.formulation} ${row.strategy}`;
}

/**
 * A kernel and formulation as a panel header, a legend entry or a sentence's subject: the
 * engine's own name for the kernel (Engine.label), short, since vega (with no canvas to
 * measure text) spaces panels by a generous estimate of their headers.
 */
export function kernelLabel(row: { readonly engine: string; readonly kernel: string; readonly formulation: string }): string {
  return `${kernelLabelOf(row.engine, row.kernel)} ${row.formulation}`;
}

/** The problem a row solved: batch, dims, the margin setting, and weak scaling where it was. */
export function workloadLabel(row: ResultRow): string {
  const setting = typeof row.target_active === 'number'
    ? `active ${compactNumber(row.target_active)}`
    : typeof row.margin === 'number' ? `margin ${compactNumber(row.margin)}` : 'margin ?';
  // A weak row's batch is T x the triplets per thread: said, so that no one reads it as a strong row of that batch.
  return `B=${row.batch} ${row.d_in}x${row.d_out} ${setting}${row.scaling === 'weak' ? ' (weak scaling)' : ''}`;
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
  return rows.filter((r) => r.status === 'ok' && typeof r.triplets_per_s === 'number' && !isOverheadKernel(r.engine, r.kernel));
}

/** Rows of an overhead kernel (Engine.overheadKernel): the harness alone. */
export function overheadRows(rows: readonly ResultRow[]): ResultRow[] {
  return rows.filter((r) => r.status === 'ok' && typeof r.p50_ms === 'number' && isOverheadKernel(r.engine, r.kernel));
}

/** A weak-scaling row (results.csv scaling): its batch is threads x the triplets per thread. */
export function isWeakScaling(row: ResultRow): boolean {
  return row.scaling === 'weak';
}

/** A weak-scaling workload: the triplets per thread, dims and the margin setting. */
export function perThreadWorkloadLabel(row: ResultRow): string {
  return workloadLabel({ ...row, batch: row.batch / row.threads, scaling: 'strong' }).replace(/^B=(\S+)/, '$1 triplets/thread');
}
