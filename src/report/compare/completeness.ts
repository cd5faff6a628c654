/**
 * Whether a comparison saw every configuration it should have. Comparing a full run with
 * an interrupted or killed one exited 0 ("0 added, 8 removed"): a CI gate passed with
 * every configuration that never ran unjudged. A side whose run.json is not `completed`,
 * or configurations of BASE missing from CURRENT, now fail the gate unless the user says
 * missing rows are expected (`--allow-missing`); configurations only CURRENT has fail
 * nothing (a sweep may grow).
 */
import type { RunFolder } from './run-folder.js';

/** Why a comparison is incomplete: one sentence each, naming the side; empty when complete. */
export function incompleteReasons(base: RunFolder, current: RunFolder, removed: readonly string[]): string[] {
  const reasons: string[] = [];
  for (const [role, run] of [['BASE', base], ['CURRENT', current]] as const) {
    if (run.status === 'completed') continue;
    const status = run.status === null ? 'has no status in its run.json' : `is ${run.status}, not completed`;
    reasons.push(`${role} ${run.dir} ${status}: the configurations it did not finish were never compared`);
  }
  if (removed.length > 0) {
    const n = removed.length;
    reasons.push(`${n} configuration${n === 1 ? '' : 's'} of BASE ${n === 1 ? 'is' : 'are'} missing from CURRENT (listed under removed)`);
  }
  return reasons;
}

/** What the gate says of incomplete comparisons, as one line. */
export function incompleteLine(reasons: readonly string[], allowMissing: boolean): string {
  return allowMissing
    ? `incomplete, allowed by --allow-missing: ${reasons.join('; ')}`
    : `incomplete comparison fails the gate: ${reasons.join('; ')}; pass --allow-missing when missing rows are expected`;
}
