/**
 * A fleet folder: one shared directory into which many servers each wrote their own run
 * folder (README "A fleet of servers"; run_ids and folder names carry the host, so they
 * never clash). `report` draws them on one page, told apart by host; `compare` pairs two
 * fleet folders host by host.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** One run folder found in a fleet folder. */
export interface FleetRun {
  readonly dir: string;
  readonly host: string;
  /** run.json's started_at (ISO), '' when it has none: the later of two runs of a host wins. */
  readonly startedAt: string;
}

const isRunFolder = (dir: string) => existsSync(join(dir, 'results.csv')) && existsSync(join(dir, 'run.json'));

/** Whether `path` is a folder of run folders rather than a run folder itself. */
export function isFleetFolder(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory() && !existsSync(join(path, 'results.csv')) && fleetRuns(path).length > 0;
}

function describe(dir: string): FleetRun {
  let host = 'unknown';
  let startedAt = '';
  try {
    const runJson = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { started_at?: unknown; environment?: { host?: unknown } };
    if (typeof runJson.environment?.host === 'string') host = runJson.environment.host;
    if (typeof runJson.started_at === 'string') startedAt = runJson.started_at;
  } catch {
    // An unreadable run.json is named by the reader that opens it next.
  }
  return { dir, host, startedAt };
}

/** The run folders directly inside `dir` (results.csv and run.json), in name order. */
export function fleetRuns(dir: string): FleetRun[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && isRunFolder(join(dir, entry.name)))
    .map((entry) => entry.name)
    .sort()
    .map((name) => describe(join(dir, name)));
}

/** Each host's latest run of a fleet folder, by host name. */
export function latestRunPerHost(runs: readonly FleetRun[]): Map<string, FleetRun> {
  const latest = new Map<string, FleetRun>();
  for (const run of runs) {
    const held = latest.get(run.host);
    if (!held || run.startedAt > held.startedAt) latest.set(run.host, run);
  }
  return new Map([...latest].sort(([a], [b]) => a.localeCompare(b)));
}

/** `report`'s arguments with every fleet folder replaced by its runs' results.csv files. */
export function expandFleetFolders(paths: readonly string[]): string[] {
  return paths.flatMap((path) => (isFleetFolder(path) ? fleetRuns(path).map((run) => join(run.dir, 'results.csv')) : [path]));
}
