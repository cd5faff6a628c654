/**
 * Option combinations that run, but not as the user meant: each earns one warning line
 * (on stderr, and in run.json for `run`) instead of a quiet surprise in the results.
 */
import { availableParallelism } from 'node:os';
import type { EngineRegistry } from '../engines/index.js';
import type { EngineName } from '../domain.js';
import { activeCountForFraction } from '../triplet/margin.js';

/** A target active fraction further than this (relative) from what B triplets allow earns a warning. */
const ACTIVE_TOLERANCE = 0.05;

/** `--active f` with `--batch B` where round(f B) / B is far from f (B = 1 allows only 0 or 1). */
export function activeTargetWarnings(batches: readonly number[], fractions: readonly number[] | undefined): string[] {
  const warnings: string[] = [];
  for (const batch of batches) {
    for (const fraction of fractions ?? []) {
      const count = activeCountForFraction(batch, fraction);
      const reached = count / batch;
      if (Math.abs(reached - fraction) > ACTIVE_TOLERANCE * fraction) {
        warnings.push(`--active ${fraction} cannot be met with --batch ${batch}: the nearest is ${count} of ${batch} triplets active (${+reached.toFixed(4)})`);
      }
    }
  }
  return warnings;
}

/** `--threads` above 1 given to engines that run one thread (tfjs-cpu, tfjs-wasm), as `registry` says. */
export function singleThreadWarnings(engines: readonly EngineName[], threads: readonly number[] | undefined, registry: EngineRegistry): string[] {
  const many = (threads ?? []).filter((t) => t > 1);
  if (many.length === 0) return [];
  const single = engines.filter((name) => !registry[name].parallel);
  return single.length === 0 ? [] : [`--threads ${many.join(',')} does not apply to ${single.join(', ')} (one thread each): their rows are at 1 thread only`];
}

/** Engines named in --engines that --kernels leaves without a single row, by `registry`'s kernels. */
export function kernelFilterWarnings(engines: readonly EngineName[] | undefined, kernels: readonly string[] | undefined, registry: EngineRegistry): string[] {
  if (!engines || !kernels) return [];
  const emptied = engines.filter((name) => {
    const engine = registry[name];
    return ![...engine.kernels, ...(engine.overheadKernel ? [engine.overheadKernel] : [])].some((k) => kernels.includes(k));
  });
  return emptied.map((name) => `--kernels ${kernels.join(',')} selects no kernel of ${name} (its kernels: ${registry[name].kernels.join(', ')}): ${name} has no rows`);
}

/** Thread counts beyond this machine's CPUs: they measure oversubscription. */
export function oversubscriptionWarning(threads: readonly number[], logical = availableParallelism()): string | undefined {
  const over = threads.filter((t) => t > logical);
  return over.length === 0 ? undefined : `--threads ${over.join(',')} exceeds the ${logical} CPUs available: those rows measure oversubscription; drop them for scaling figures`;
}

/** What --engines, --kernels, --threads, --batch and --active, as given, would do quietly with `registry`'s engines. */
export function selectionMismatchWarnings(
  given: { readonly engines?: readonly string[] | undefined; readonly kernels?: readonly string[] | undefined; readonly threads?: readonly number[] | undefined },
  resolved: { readonly engines: readonly EngineName[]; readonly batches: readonly number[]; readonly activeFractions: readonly number[] | undefined },
  registry: EngineRegistry,
): string[] {
  return [
    ...activeTargetWarnings(resolved.batches, resolved.activeFractions),
    ...singleThreadWarnings(resolved.engines, given.threads, registry),
    ...kernelFilterWarnings(given.engines as EngineName[] | undefined, given.kernels, registry),
  ];
}
