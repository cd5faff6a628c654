/**
 * `compare` of two fleet folders (src/report/fleet.ts): each host's latest run in BASE
 * against the same host's latest in CURRENT, one comparison per host, never one host
 * against another. Hosts only one side has are listed; a fleet that pairs no host is bad
 * input, as two runs that pair no configuration are.
 */
import { UsageError } from '../../errors.js';
import { fleetRuns, latestRunPerHost } from '../fleet.js';
import { compareExitCode, compareRuns, type Comparison } from './compare.js';
import { formatComparison, type CompareFormat } from './format.js';
import { assertSomethingPaired } from './nothing-paired.js';
import { readRunFolder } from './run-folder.js';

/** Per-host comparisons of two fleet folders. */
export interface FleetComparison {
  readonly hosts: readonly { readonly host: string; readonly comparison: Comparison }[];
  readonly onlyBase: readonly string[];
  readonly onlyCurrent: readonly string[];
  /** Missing rows and hosts declared expected (--allow-missing). */
  readonly allowMissing: boolean;
}

/** Pairs the fleets host by host and compares each pair at `thresholdPct`; `allowMissing`: missing rows and hosts are expected. */
export function compareFleets(baseDir: string, currentDir: string, thresholdPct: number, allowMissing = false): FleetComparison {
  const base = latestRunPerHost(fleetRuns(baseDir));
  const current = latestRunPerHost(fleetRuns(currentDir));
  const shared = [...base.keys()].filter((host) => current.has(host));
  if (shared.length === 0) {
    throw new UsageError(`compare: the fleet folders share no host (BASE ${[...base.keys()].join(', ') || 'none'}; CURRENT ${[...current.keys()].join(', ') || 'none'}); nothing to compare`);
  }
  const hosts = shared.map((host) => {
    const comparison = compareRuns(readRunFolder(base.get(host)!.dir, 'BASE'), readRunFolder(current.get(host)!.dir, 'CURRENT'), thresholdPct, allowMissing);
    assertSomethingPaired(comparison);
    return { host, comparison };
  });
  return { hosts, onlyBase: [...base.keys()].filter((h) => !current.has(h)), onlyCurrent: [...current.keys()].filter((h) => !base.has(h)), allowMissing };
}

/** compare's exit code for fleets: 1 when any host's comparison fails, or a BASE host is missing from CURRENT without --allow-missing. */
export function fleetExitCode(fleet: FleetComparison): 0 | 1 {
  const missingHosts = fleet.onlyBase.length > 0 && !fleet.allowMissing;
  return missingHosts || fleet.hosts.some(({ comparison }) => compareExitCode(comparison) === 1) ? 1 : 0;
}

/** The fleet comparison: each host's comparison in the chosen format under its name. */
export function formatFleetComparison(fleet: FleetComparison, format: CompareFormat): string {
  if (format === 'json') {
    return JSON.stringify(
      {
        hosts: fleet.hosts.map(({ host, comparison }) => ({ host, ...(JSON.parse(formatComparison(comparison, 'json')) as object) })),
        only_base: fleet.onlyBase,
        only_current: fleet.onlyCurrent,
        allow_missing: fleet.allowMissing,
      },
      null,
      2,
    );
  }
  const heading = (host: string) => (format === 'markdown' ? `## ${host}\n\n` : `== ${host} ==\n`);
  const sections = fleet.hosts.map(({ host, comparison }) => `${heading(host)}${formatComparison(comparison, format)}`);
  const missing = [
    ...(fleet.onlyBase.length > 0
      ? [`hosts only in BASE (not compared): ${fleet.onlyBase.join(', ')}${fleet.allowMissing ? ' (allowed by --allow-missing)' : '; missing hosts fail the gate: pass --allow-missing when they are expected'}`]
      : []),
    ...(fleet.onlyCurrent.length > 0 ? [`hosts only in CURRENT (not compared): ${fleet.onlyCurrent.join(', ')}`] : []),
  ];
  return [...sections, ...missing].join('\n\n');
}
