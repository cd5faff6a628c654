/** Engines tfjs-node, tfjs-wasm and tfjs-cpu: tfjs's Node backends, each in a host child. */
import { createRequire } from 'node:module';
import { tfjsHostBytes } from '../../memory.js';
import { nativeAvailability } from '../../native/probe.js';
import { installFix } from '../../native/fix-commands.js';
import type { Availability, Engine } from '../engine.js';
import { openHost } from './host-client.js';
import type { TfjsBackend } from '../../domain.js';
import { ENGINE_DESCRIPTIONS } from '../../engine-labels.js';

const require = createRequire(import.meta.url);

function packageAvailability(name: string): Availability {
  try {
    require.resolve(name);
    return { available: true };
  } catch {
    return { available: false, reason: `${name} is not installed`, fix: installFix(name) };
  }
}

function tfjsEngine(name: Engine['name'], backend: TfjsBackend, options: { threaded: boolean; availability: () => Availability }): Engine {
  return {
    name,
    runsIn: 'child',
    // tfjs-node's threads are TensorFlow's intra-op threads; the others run on one.
    parallel: options.threaded,
    // One kernel, the backend: the engine's name says both.
    label: ENGINE_DESCRIPTIONS[name].label,
    kernels: [backend],
    formulations: ['fused', 'autograd'],
    availability: options.availability,
    hostMemory: tfjsHostBytes,
    open: (workload, config) => openHost(backend, workload, config),
  };
}

export const tfjsNodeEngine = tfjsEngine('tfjs-node', 'tensorflow', { threaded: true, availability: nativeAvailability });
export const tfjsWasmEngine = tfjsEngine('tfjs-wasm', 'wasm', { threaded: false, availability: () => packageAvailability('@tensorflow/tfjs-backend-wasm') });
export const tfjsCpuEngine = tfjsEngine('tfjs-cpu', 'cpu', { threaded: false, availability: () => packageAvailability('@tensorflow/tfjs') });
