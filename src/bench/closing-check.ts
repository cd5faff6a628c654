/**
 * The correctness gate at both ends of a timing window (the gate itself:
 * src/checks/gate.ts). Opening: the first step against the workload's reference, before
 * anything is timed. Closing: the window's last timed step against the same reference,
 * then one untimed step at a perturbed W (src/triplet/perturbed.ts) against that W's own
 * reference. A kernel that memoises, a stale-state bug or a reduction race that the first
 * step escaped passes the opening check; the closing one gives it a second chance to show
 * and a W it has never seen. `verify` runs the opening and perturbed checks too.
 */
import type { EngineSession, StepOutcome } from '../engines/engine.js';
import { checkOutcome, type GateResult } from '../checks/gate.js';
import { errorMessage } from '../errors.js';
import type { Workload } from '../workload.js';

/** The verdict of one or more checks of a session. */
export interface CheckVerdict {
  readonly ok: boolean;
  /** The worst gradient error of the checks that ran (NaN where a gradient held one); null when none ran. */
  readonly maxRelErr: number | null;
  /** Empty when ok; otherwise which check failed and by how much. */
  readonly reason: string;
}

function verdictOf(stage: string, gate: GateResult): CheckVerdict {
  return { ok: gate.ok, maxRelErr: gate.maxRelErr, reason: gate.ok ? '' : `${stage}: ${gate.reason}` };
}

/** The worst of two errors; NaN (a NaN in a gradient) is the worst of all. */
function worse(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.max(a, b);
}

/** Several verdicts as one: ok when all are, the worst error, every failure's reason. */
export function combineVerdicts(verdicts: readonly CheckVerdict[]): CheckVerdict {
  return {
    ok: verdicts.every((v) => v.ok),
    maxRelErr: verdicts.reduce<number | null>((worst, v) => worse(worst, v.maxRelErr), null),
    reason: verdicts.filter((v) => !v.ok).map((v) => v.reason).join('; '),
  };
}

/** The opening check: a step of the workload's own W against its reference. */
export function openingCheck(outcome: StepOutcome, workload: Workload): CheckVerdict {
  return verdictOf('opening check', checkOutcome(outcome, workload.reference()));
}

/**
 * One untimed step at the perturbed W against its own reference; W is the workload's
 * again afterwards (the workers' arena serves the next configuration). `step` is how the
 * caller steps (the sweep's, abortable); a step that throws is a failed check.
 */
export async function perturbedCheck(session: EngineSession, workload: Workload, step: () => Promise<StepOutcome> = () => session.step()): Promise<CheckVerdict> {
  const stage = 'closing check at a perturbed W';
  const perturbed = workload.perturbed();
  let outcome: StepOutcome;
  try {
    await session.setWeights(perturbed.weights);
    outcome = await step();
  } catch (error) {
    await session.setWeights(workload.problem.weights).catch(() => undefined);
    return { ok: false, maxRelErr: null, reason: `${stage}: the step failed: ${errorMessage(error)}` };
  }
  // Judged before W is restored: the gradient may be a view of the arena, and restoring does not touch it.
  const verdict = verdictOf(stage, checkOutcome(outcome, perturbed.reference));
  await session.setWeights(workload.problem.weights);
  return verdict;
}

/** The closing check: the window's last timed step, then the perturbed-W step. */
export async function closingCheck(session: EngineSession, workload: Workload, lastOutcome: StepOutcome, step?: () => Promise<StepOutcome>): Promise<CheckVerdict> {
  const last = verdictOf('closing check, last timed step', checkOutcome(lastOutcome, workload.reference()));
  return combineVerdicts([last, await perturbedCheck(session, workload, step)]);
}
