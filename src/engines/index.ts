/** Every engine, registered from one list. */
import type { Engine } from './engine.js';
import { tfjsCpuEngine, tfjsNodeEngine, tfjsWasmEngine } from './tfjs/engines.js';
import { workersEngine } from './workers.js';
import type { EngineName } from '../domain.js';

export const ENGINES: readonly Engine[] = [workersEngine, tfjsNodeEngine, tfjsWasmEngine, tfjsCpuEngine];

/** The engine of a name, or undefined when this build has none of it. */
export function engineNamed(name: string): Engine | undefined {
  return ENGINES.find((engine) => engine.name === (name as EngineName));
}
