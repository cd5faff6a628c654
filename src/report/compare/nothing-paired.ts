/**
 * `compare` of two runs that share no configuration compared nothing and exited 0: a CI
 * gate passed on no evidence. This says why nothing paired, for the one-line refusal.
 */
import type { ResultRow } from '../../bench/rows.js';
import { UsageError } from '../../errors.js';
import type { Comparison } from './compare.js';

/** The settings rows pair on, each as the text two runs can differ in. */
const SETTINGS: readonly { readonly name: string; readonly of: (row: ResultRow) => string }[] = [
  { name: 'engine/kernel', of: (r) => `${r.engine}/${r.kernel}` },
  { name: 'formulation', of: (r) => String(r.formulation) },
  { name: 'strategy', of: (r) => String(r.strategy) },
  { name: 'threads', of: (r) => String(r.threads) },
  { name: 'batch', of: (r) => String(r.batch) },
  { name: 'dims', of: (r) => `${r.d_in}x${r.d_out}` },
  { name: 'active', of: (r) => (typeof r.target_active === 'number' ? String(r.target_active) : `margin ${r.margin}`) },
  { name: 'data', of: (r) => String(r.data ?? 'synthetic') },
];

const valuesOf = (rows: readonly ResultRow[], of: (row: ResultRow) => string) => [...new Set(rows.map(of))];

/** Why two sets of rows pair on nothing: the settings whose values they share none of. */
export function whyNothingPaired(base: readonly ResultRow[], current: readonly ResultRow[]): string {
  if (base.length === 0 || current.length === 0) return `${base.length === 0 ? 'BASE' : 'CURRENT'} has no rows`;
  const differ = SETTINGS.flatMap(({ name, of }) => {
    const b = valuesOf(base, of);
    const c = valuesOf(current, of);
    return b.some((value) => c.includes(value)) ? [] : [`${name} ${b.join(',')} vs ${c.join(',')}`];
  });
  return differ.length > 0 ? `they differ in ${differ.join('; ')}` : 'no combination of their settings appears in both';
}

/** A UsageError (exit 2) when the comparison paired no configuration, saying why. */
export function assertSomethingPaired(comparison: Comparison): void {
  if (comparison.pairs.length > 0) return;
  const { base, current } = comparison;
  throw new UsageError(
    `nothing paired: ${base.dir} (${base.rows.length} configurations) and ${current.dir} (${current.rows.length}) share no configuration, ` +
      `so there is nothing to compare; ${whyNothingPaired(base.rows, current.rows)}`,
  );
}
