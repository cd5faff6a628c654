/**
 * What reports call each engine's kernels and which kernel times the harness alone, as
 * plain data with no engine code: the writers and analyses of src/report/ (and the row
 * figures they derive, src/bench/rows.ts, src/roofline/) name and sort the rows of any
 * run folder by these without loading an engine, whose modules load its kernels' code and
 * probe the native library. The engines take Engine.label and Engine.overheadKernel from
 * here (src/engines/), so the two never disagree.
 */
import type { EngineKernel, EngineName } from './domain.js';

/** How an engine's rows are named and told apart in reports. */
export interface EngineDescription {
  /** What reports call one of its kernels (Engine.label). */
  readonly label: (kernel: string) => string;
  /** Its kernel with the same machinery and no arithmetic, timed for the harness overhead (Engine.overheadKernel). */
  readonly overheadKernel?: EngineKernel;
}

/** A tfjs engine's one kernel is its backend: the engine's name says both. */
const byOwnName = (name: EngineName): EngineDescription => ({ label: () => name });

/** Every engine's description, by name: the compiler refuses an engine name without one. */
export const ENGINE_DESCRIPTIONS: Readonly<Record<EngineName, EngineDescription>> = {
  // The overhead kernel is the one of role 'overhead' in the kernel registry (src/engines/workers/kernels.ts).
  workers: { label: (kernel) => `workers/${kernel}`, overheadKernel: 'empty' },
  'tfjs-node': byOwnName('tfjs-node'),
  'tfjs-wasm': byOwnName('tfjs-wasm'),
  'tfjs-cpu': byOwnName('tfjs-cpu'),
};

/** The description of a name a row gives, or undefined for an engine this build lacks. */
function describedAs(name: string): EngineDescription | undefined {
  return Object.hasOwn(ENGINE_DESCRIPTIONS, name) ? ENGINE_DESCRIPTIONS[name as EngineName] : undefined;
}

/** Whether a row's kernel is its engine's overhead kernel (Engine.overheadKernel): a row of the harness alone. */
export function isOverheadKernel(engine: string, kernel: string): boolean {
  return describedAs(engine)?.overheadKernel === kernel;
}

/** What reports call an engine's kernel (Engine.label); an engine this build lacks, by its name. */
export function kernelLabelOf(engine: string, kernel: string): string {
  return describedAs(engine)?.label(kernel) ?? engine;
}
