/**
 * A selection from its command-line options (--engines, --kernels, --threads, --batch, ...),
 * parsed by the options `run` and `verify` add (src/options.ts), for tests that call the
 * sweep or verify's checks in-process (verifyRows, runInProcess) on a selection written as
 * its command line.
 */
import { Command } from 'commander';
import { ENGINES_BY_NAME } from '../src/engines/index.js';
import { addSelectionOptions, resolveSelection, SELECTION_DEFAULTS, type RawSelection, type Selection } from '../src/options.js';

/** The selection options of `args`, as commander hands them to a command. */
export function rawSelectionOf(args: readonly string[]): RawSelection {
  const command = addSelectionOptions(new Command('in-process').exitOverride(), ENGINES_BY_NAME);
  command.parse([...args], { from: 'user' });
  return command.opts<RawSelection>();
}

/** The selection `args` resolve to, over the product's engines (verify's defaults where they say nothing). */
export function selectionOf(args: readonly string[]): Selection {
  return resolveSelection(rawSelectionOf(args), SELECTION_DEFAULTS, ENGINES_BY_NAME);
}
