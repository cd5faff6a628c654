/** The four baseline programs, by formulation and strategy. */
import { autogradCompact } from './autograd-compact.js';
import { autogradDense } from './autograd-dense.js';
import { fusedCompact } from './fused-compact.js';
import { fusedDense } from './fused-dense.js';
import type { BaselineInputs, BaselineProgram, Tf } from './program.js';

export type { BaselineInputs, BaselineProgram, BaselineReadout, Tf } from './program.js';

/** Each baseline, named `formulation/strategy` as the engines' configurations are. */
export const BASELINES: Readonly<Record<string, (tf: Tf, inputs: BaselineInputs) => BaselineProgram>> = {
  'fused/dense': fusedDense,
  'fused/compact': fusedCompact,
  'autograd/dense': autogradDense,
  'autograd/compact': autogradCompact,
};
