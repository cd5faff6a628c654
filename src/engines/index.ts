/** Every engine, registered from one list. */
import type { Engine, EngineName } from './engine.js';
import { workersEngine } from './workers.js';

export const ENGINES: readonly Engine[] = [workersEngine];

/** The engine of a name, or undefined when this build has none of it. */
export function engineNamed(name: string): Engine | undefined {
  return ENGINES.find((engine) => engine.name === (name as EngineName));
}
