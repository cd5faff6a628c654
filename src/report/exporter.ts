/**
 * One interface for the files of a run folder: an exporter names its file and renders its
 * whole text from an input; writing is the same for every file, atomic
 * (src/files/atomic.ts: a reader, or a run stopped part-way, sees the old content or the
 * new, never half). Which exporters a run folder has, in which order they are written,
 * and the manifest they make, is the registry's: src/report/exporters.ts.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../files/atomic.js';
import type { ReportInput } from './html/page.js';

/** One output file: its name, and its text from `Input` (synchronous where `Text` is string). */
export interface Exporter<Input, Text extends string | Promise<string> = string | Promise<string>> {
  /** The file's name in a run folder. */
  readonly file: string;
  /** What the lines at the end of `run` and `report` call it, before its path: "results", "break-even". */
  readonly label: string;
  /** The file's whole text. */
  render(input: Input): Text;
}

/**
 * A file drawn from the rows as saved, so that `report` redraws it from any results.csv:
 * it must know its own file, never to replace a file of the user's by that name
 * (src/report/report-folder.ts).
 */
export interface ReportExporter extends Exporter<ReportInput> {
  /** Whether `text`, found at `file`, was written by this tool (any version): what `report` may replace. */
  recognizes(text: string): boolean;
}

/** Writes `exporter`'s file into `dir` atomically, synchronously; returns its path. */
export function writeExportSync<Input>(dir: string, exporter: Exporter<Input, string>, input: Input): string {
  const path = join(dir, exporter.file);
  writeFileAtomic(path, exporter.render(input));
  return path;
}

/** Renders `exporter`'s file and writes it into `dir` atomically; resolves to its path. */
export async function writeExport<Input>(dir: string, exporter: Exporter<Input>, input: Input): Promise<string> {
  const path = join(dir, exporter.file);
  writeFileAtomic(path, await exporter.render(input));
  return path;
}

/** Writes each exporter's file, in order, synchronously; the first that cannot be written stops the rest, its error thrown. */
export function writeExportsSync<Input>(dir: string, exporters: readonly Exporter<Input, string>[], input: Input): void {
  for (const exporter of exporters) writeExportSync(dir, exporter, input);
}

/** A file written: its exporter and its path. */
export interface Written<E> {
  readonly exporter: E;
  readonly path: string;
}

/**
 * Writes each exporter's file, in order. The first that cannot be written stops the rest,
 * its error thrown; with `bestEffort` (the files of a run that failed, maybe on a full
 * disk) each is tried and one that cannot be written is left out, the run's own error
 * being the one to tell. Resolves to the files written.
 */
export async function writeExports<Input, E extends Exporter<Input>>(dir: string, exporters: readonly E[], input: Input, options: { bestEffort?: boolean } = {}): Promise<Written<E>[]> {
  const written: Written<E>[] = [];
  for (const exporter of exporters) {
    try {
      written.push({ exporter, path: await writeExport(dir, exporter, input) });
    } catch (error) {
      if (!options.bestEffort) throw error;
    }
  }
  return written;
}

/** The lines that end a command: each file's label and its path, the paths starting at column `width` + 2 at least. */
export function fileLines(dir: string, exporters: readonly Exporter<never>[], width: number): string {
  return exporters.map((exporter) => `${`${exporter.label}:`.padEnd(width)} ${join(dir, exporter.file)}`).join('\n');
}
