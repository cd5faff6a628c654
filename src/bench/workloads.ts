/** Builds the workloads of a selection, validating every problem before any work. */
import type { LabelledData } from '../data/dataset.js';
import { gatherTriplets, glorotWeights, TripletSampler } from '../data/sampler.js';
import { selectedWorkerKernels } from '../engines/workers/kernels.js';
import type { Selection } from '../selection.js';
import { validateProblem, type Shape } from '../triplet/problem.js';
import { syntheticBatch, withMargin, type TripletBatch } from '../triplet/synthetic.js';
import { Workload } from '../workload.js';
import type { WorkloadSpec } from './plan.js';

/**
 * B triplets of real samples, drawn with replacement from the labels (seeded), and a
 * Glorot W: the margin is then chosen on this batch like on a synthetic one.
 */
export function labelledBatch(data: LabelledData, shape: Shape, seed: number): TripletBatch {
  const sampler = new TripletSampler(data, Array.from({ length: data.count }, (_, i) => i), seed);
  const triplets = sampler.tripletsFor(sampler.randomAnchors(shape.batch));
  return { shape, ...gatherTriplets(data, triplets), weights: glorotWeights(shape.dIn, shape.dOut, seed) };
}

/** The workload of a spec: data from the selection's source and seed, margin as chosen. */
export function buildWorkload(spec: WorkloadSpec, selection: Selection, data?: LabelledData): Workload {
  const batch = data ? labelledBatch(data, spec.shape, selection.seed) : syntheticBatch(spec.shape, selection.seed);
  const problem = withMargin(batch, spec.choice);
  validateProblem(problem);
  return new Workload(problem, Math.max(...selection.threads), selection.reduction, undefined, undefined, selectedWorkerKernels(selection.kernels));
}
