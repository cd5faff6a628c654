/**
 * The tfjs engines with a host's work done in this process: each configuration opens the
 * stepper a host runs (src/engines/tfjs/stepper.ts, the same tensors and steps) on tfjs
 * loaded here once per backend, where the product forks a host per configuration that
 * loads tfjs again (about 0.8 CPU-s each). For tests of what the steps compute, such as
 * verify's checks at the edges of the active set over every engine; a test of the host
 * itself (its process, its own timing windows, its crash) forks one.
 */
import type { TfjsBackend } from '../src/domain.js';
import type { Engine, EngineSession } from '../src/engines/engine.js';
import { ENGINES_BY_NAME, type EngineRegistry } from '../src/engines/index.js';
import { openTfjsStepper } from '../src/engines/tfjs/stepper.js';
import { stepperRequestOf } from '../src/engines/tfjs/host-client.js';
import { loadTfjs } from '../src/native/load-tfjs.js';

/** `engine` (a tfjs engine, whose one kernel is its backend) opening its configurations here. */
function steppingHere(engine: Engine): Engine {
  return {
    ...engine,
    async open(workload, config): Promise<EngineSession> {
      // The backend made active for this session: sessions here are opened one after another.
      const tf = await loadTfjs(config.kernel as TfjsBackend);
      const stepper = openTfjsStepper(tf, stepperRequestOf(workload, config));
      return {
        step: async () => stepper.step(),
        setWeights: async (weights) => stepper.setWeights(weights),
        profilePhases: async (steps) => Array.from({ length: steps }, () => stepper.profiledStep()),
        close: async () => stepper.dispose(),
      };
    },
  };
}

/** `engines` with tfjs-node, tfjs-wasm and tfjs-cpu stepping in this process; the workers engine as given. */
export function inProcessTfjsEngines(engines: EngineRegistry = ENGINES_BY_NAME): EngineRegistry {
  return {
    ...engines,
    'tfjs-node': steppingHere(engines['tfjs-node']),
    'tfjs-wasm': steppingHere(engines['tfjs-wasm']),
    'tfjs-cpu': steppingHere(engines['tfjs-cpu']),
  };
}
