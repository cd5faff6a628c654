/** Builds the workloads of a selection, validating every problem before any work. */
import type { Selection } from '../options.js';
import { validateProblem } from '../triplet/problem.js';
import { syntheticBatch, withMargin } from '../triplet/synthetic.js';
import { Workload } from '../workload.js';
import type { WorkloadSpec } from './plan.js';

/** The workload of a spec: data from the selection's source and seed, margin as chosen. */
export function buildWorkload(spec: WorkloadSpec, selection: Selection): Workload {
  const problem = withMargin(syntheticBatch(spec.shape, selection.seed), spec.choice);
  validateProblem(problem);
  return new Workload(problem, Math.max(...selection.threads), selection.reduction);
}
