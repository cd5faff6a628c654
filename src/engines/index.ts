/**
 * Every engine, registered once by name. An engine's kernels, formulations, availability
 * and memory come from its object; EngineName (src/domain.ts) lists the names, and this
 * registry's type makes the compiler refuse a name without its engine.
 */
import type { Engine } from './engine.js';
import { tfjsCpuEngine, tfjsNodeEngine, tfjsWasmEngine } from './tfjs/engines.js';
import { workersEngine } from './workers/engine.js';
import type { EngineName } from '../domain.js';

/** Engines by name: the compiler refuses an engine name without its engine. */
export type EngineRegistry = Readonly<Record<EngineName, Engine>>;

/** The product's engines, by name. */
export const ENGINES_BY_NAME: EngineRegistry = {
  workers: workersEngine,
  'tfjs-node': tfjsNodeEngine,
  'tfjs-wasm': tfjsWasmEngine,
  'tfjs-cpu': tfjsCpuEngine,
};

/** The product's engines, in the order help, doctor and the sweep list them. */
export const ENGINES: readonly Engine[] = Object.values(ENGINES_BY_NAME);

/** The engine of a name, or undefined when this build has none of it. */
export function engineNamed(name: string): Engine | undefined {
  return Object.hasOwn(ENGINES_BY_NAME, name) ? ENGINES_BY_NAME[name as EngineName] : undefined;
}
