/**
 * The manifest of a run folder: the files a run of this tool writes there, listed under
 * `files` in the run's own status file (run.json for `run`, train.json for `train`), so
 * that `--force` removes what an earlier run wrote and nothing of the user's
 * (src/files/claim-out.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILES, TRAIN_FILES } from '../report/exporters.js';

/** What `run` writes into its folder, the files of its exporters (src/report/exporters.ts); run.json lists it as its manifest. */
export const RUN_OUTPUTS: readonly string[] = RUN_FILES;

/** What `train` writes into its folder, the files of its exporters; train.json lists it as its manifest. */
export const TRAIN_OUTPUTS: readonly string[] = TRAIN_FILES;

/** Every name a run of this tool writes into a run folder: a manifest may list these and no others. */
export const RUN_FOLDER_FILES: readonly string[] = [...RUN_OUTPUTS, ...TRAIN_OUTPUTS];

/** The files holding a manifest. */
const MANIFEST_FILES = ['run.json', 'train.json'] as const;

/** A run's manifest found in a folder: which file holds it, the run, and the files it lists. */
export interface Manifest {
  readonly file: string;
  readonly runId: string;
  readonly files: readonly string[];
}

/**
 * The manifests in `dir`: run.json and train.json where they parse as a run's (a `run_id`).
 * One of an earlier version, without `files`, lists nothing. Entries other than this tool's
 * own file names (a path, a user's file in a hand-edited manifest) are dropped: a manifest
 * can never make `--force` remove anything else.
 */
export function manifestsIn(dir: string): Manifest[] {
  const found: Manifest[] = [];
  for (const file of MANIFEST_FILES) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch {
      continue; // absent, unreadable or not JSON: no manifest
    }
    if (typeof parsed !== 'object' || parsed === null) continue;
    const { run_id: runId, files } = parsed as { run_id?: unknown; files?: unknown };
    if (typeof runId !== 'string') continue;
    found.push({ file, runId, files: (Array.isArray(files) ? (files as unknown[]) : []).filter((name): name is string => typeof name === 'string' && RUN_FOLDER_FILES.includes(name)) });
  }
  return found;
}
