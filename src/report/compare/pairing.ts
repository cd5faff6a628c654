/**
 * Which configuration of one run is which of another: rows pair on the columns that
 * define the work and how it is done, never on the measured ones or the machine.
 */
import type { ResultRow } from '../../bench/rows.js';

/** The margin setting: the target active fraction when the run chose one, else the margin itself. */
function marginSetting(row: Pick<ResultRow, 'target_active' | 'margin'>): string {
  return typeof row.target_active === 'number' ? `active ${row.target_active}` : `margin ${row.margin ?? '?'}`;
}

/** The data a row's batch came from, where it is not synthetic: MNIST and synthetic batches of one shape are different work. */
function dataSetting(row: Pick<ResultRow, 'data'>): string[] {
  return typeof row.data === 'string' && row.data !== '' && row.data !== 'synthetic' ? [`data ${row.data}`] : [];
}

/** The key two runs' rows pair on. */
export function pairingKey(row: ResultRow): string {
  // A weak-scaling row is other work than a strong one of the same batch and threads only by how it was planned; said apart all the same.
  const scaling = row.scaling === 'weak' ? ['weak'] : [];
  return [`${row.engine}/${row.kernel}`, row.formulation, row.strategy, `T=${row.threads}`, `B=${row.batch}`, `${row.d_in}x${row.d_out}`, marginSetting(row), ...dataSetting(row), ...scaling].join(' ');
}

/** Rows of both runs, paired; and those only one run has. */
export interface Pairing {
  readonly pairs: readonly { readonly key: string; readonly base: ResultRow; readonly current: ResultRow }[];
  /** Only in the current run. */
  readonly added: readonly ResultRow[];
  /** Only in the base run. */
  readonly removed: readonly ResultRow[];
}

/** Pairs rows by key, in the current run's order. */
export function pairRows(base: readonly ResultRow[], current: readonly ResultRow[]): Pairing {
  const baseByKey = new Map(base.map((row) => [pairingKey(row), row]));
  const currentKeys = new Set(current.map(pairingKey));
  const pairs = current.flatMap((row) => {
    const key = pairingKey(row);
    const partner = baseByKey.get(key);
    return partner ? [{ key, base: partner, current: row }] : [];
  });
  return {
    pairs,
    added: current.filter((row) => !baseByKey.has(pairingKey(row))),
    removed: base.filter((row) => !currentKeys.has(pairingKey(row))),
  };
}
