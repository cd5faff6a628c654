/**
 * What a profile leaves out of a run where the user chose nothing: the slow single-thread
 * references (tfjs-cpu 3.3 s a step, tfjs-wasm 1.5 s, the js kernel 0.3 to 1.2 s at
 * B=4096 512x128) and the autograd formulation would take most of a run's budget to reach
 * the precision and answer none of its questions (the worker kernels' and tfjs-node's
 * thread ladders, the break-even). `--references` brings them back; the run says what it
 * left out.
 */
import type { Formulation } from '../domain.js';
import type { EngineRegistry } from '../engines/index.js';
import type { RawSelection } from '../selection.js';

/** Engines, kernels and formulations a profile runs only when asked. */
export interface LeftOut {
  readonly engines: readonly string[];
  readonly kernels: readonly string[];
  readonly formulations: readonly Formulation[];
}

/** The selection with the left-out parts dropped from what the user left to defaults, and a line naming them ('' for none). */
export function leaveOut(raw: RawSelection, leftOut: LeftOut | undefined, engines: EngineRegistry): { raw: RawSelection; line: string } {
  if (!leftOut) return { raw, line: '' };
  const dropped: string[] = [];
  const names = raw.engines ?? Object.keys(engines).filter((name) => {
    const out = leftOut.engines.includes(name);
    if (out) dropped.push(name);
    return !out;
  });
  const chosen = names.map((name) => engines[name as keyof EngineRegistry]);
  const kernels = raw.kernels ?? chosen.flatMap((engine) => [...engine.kernels, ...(engine.overheadKernel ? [engine.overheadKernel] : [])].filter((kernel) => {
    const out = leftOut.kernels.includes(kernel);
    if (out) dropped.push(`${engine.name}/${kernel}`);
    return !out;
  }));
  const offered = [...new Set(chosen.flatMap((engine) => engine.formulations))];
  const formulations = raw.formulations ?? offered.filter((formulation) => {
    const out = leftOut.formulations.includes(formulation);
    if (out) dropped.push(`the ${formulation} formulation`);
    return !out;
  });
  if (dropped.length === 0) return { raw, line: '' };
  return {
    raw: { ...raw, engines: names, kernels: [...new Set(kernels)], formulations },
    line: `left out of this profile's default, as slow references that would take most of its budget: ${dropped.join(', ')} (--references brings them back)`,
  };
}
