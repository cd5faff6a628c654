/** `triplet-bench doctor`: one line per engine and kernel: available or not, why, the fix. */
import type { Command } from 'commander';
import type { EngineRegistry } from '../engines/index.js';
import type { Harness } from '../harness.js';
import { allocatorText, tfjsKernelShardsText } from '../report/server-facts.js';
import { probedNativeLibrary } from '../native/probe.js';
import { readRuntimePaths, type RuntimePaths } from '../environment/environment.js';
import { formatTable } from '../console/table.js';

/** One line of doctor's report. */
export interface DoctorRow {
  engine: string;
  kernel: string;
  available: boolean;
  reason: string;
  fix: string;
}

/** Availability of every engine and kernel of `engines`, in their order. */
export function doctorRows(engines: EngineRegistry): DoctorRow[] {
  return Object.values(engines).flatMap((engine) =>
    engine.kernels.map((kernel) => {
      const a = engine.availability(kernel);
      return { engine: engine.name, kernel, available: a.available, reason: a.available ? '' : a.reason, fix: a.available ? '' : a.fix };
    }),
  );
}

/** Registers `doctor` on the program; it reports on the harness's engines. */
export function registerDoctor(program: Command, harness: Harness): void {
  program
    .command('doctor')
    .description('say which engines and kernels can run here, and how to fix those that cannot')
    .option('--json', 'print the report as JSON')
    .action((opts: { json?: boolean }) => {
      const rows = doctorRows(harness.engines);
      const runtime = { node: process.version, v8: process.versions.v8, napi: process.versions.napi ?? null, ...readRuntimePaths() };
      // Known once doctorRows() has probed the native backend; undefined where it does not load.
      const library = probedNativeLibrary();
      if (opts.json) {
        console.log(JSON.stringify({ runtime, native_library: library ?? null, engines: rows }, null, 2));
        return;
      }
      console.log(`node ${runtime.node} (V8 ${runtime.v8}, N-API ${runtime.napi})`);
      for (const line of runtimeLines(runtime)) console.log(line);
      if (library) {
        console.log(`tfjs kernel shards: ${tfjsKernelShardsText(library.thread_safe_binding === true)}`);
        console.log(`TensorFlow allocator: ${allocatorText(library.cpu_allocator, library.cpu_allocator_source)}`);
      }
      console.log(
        formatTable(
          ['engine', 'kernel', 'status', 'reason', 'fix'],
          rows.map((r) => [r.engine, r.kernel, r.available ? 'available' : 'unavailable', r.reason, r.fix]),
        ),
      );
    });
}

/** The version-dependent paths, one line each, in words. */
export function runtimeLines(paths: RuntimePaths): string[] {
  const shim = paths.tfjs_node_util_shim;
  return [
    shim.length > 0
      ? `tfjs-node util shim: active (this Node lacks util.${shim.join(' and util.')}; see src/compat/node-util-shim.ts)`
      : 'tfjs-node util shim: not needed (this Node still has util.isNullOrUndefined and util.isArray)',
    `wasm kernel SIMD: ${paths.wasm_simd ?? 'none (kernel unavailable)'}` +
      (paths.relaxed_simd_supported ? ' (relaxed SIMD supported)' : ' (no relaxed SIMD in this V8: plain SIMD128 multiply, then add)'),
  ];
}
