/**
 * `triplet-bench compare BASE CURRENT`: what got slower or faster between two runs, with
 * a confidence interval over their timing windows per configuration. Exit 1 when the whole
 * interval of some change lies beyond the threshold as a regression (or, with --strict,
 * straddles it), or the comparison is incomplete (a side not completed, BASE
 * configurations missing from CURRENT) without --allow-missing, so a CI job can gate on
 * it; 2 for bad input. README "Reports and comparisons" has the one table of exit codes.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { compareExitCode, compareRuns, inconclusivePairs } from '../report/compare/compare.js';
import { incompleteLine } from '../report/compare/completeness.js';
import { COMPARE_FORMATS, formatComparison, type CompareFormat } from '../report/compare/format.js';
import { readRunFolder } from '../report/compare/run-folder.js';
import { assertSomethingPaired } from '../report/compare/nothing-paired.js';
import { compareFleets, fleetExitCode, formatFleetComparison } from '../report/compare/fleet-compare.js';
import { isFleetFolder } from '../report/fleet.js';

interface CompareOptions {
  threshold: number;
  format: CompareFormat;
  strict?: boolean;
  allowMissing?: boolean;
}

function parseThreshold(raw: string): number {
  const value = /^(\d+\.?\d*|\.\d+)$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= 0 && value < 100)) throw new InvalidArgumentError(`--threshold expects a percentage from 0 to below 100, got '${raw}'`);
  return value;
}

function compareCommand(base: string, current: string, opts: CompareOptions): void {
  if (isFleetFolder(base) && isFleetFolder(current)) {
    const fleet = compareFleets(base, current, opts.threshold, opts.allowMissing ?? false);
    console.log(formatFleetComparison(fleet, opts.format));
    if (fleetExitCode(fleet) === 1) process.exitCode = 1;
    return;
  }
  const comparison = compareRuns(readRunFolder(base, 'BASE'), readRunFolder(current, 'CURRENT'), opts.threshold, opts.allowMissing ?? false);
  assertSomethingPaired(comparison);
  console.log(formatComparison(comparison, opts.format));
  // Warnings also on stderr, where a CI log shows them even when stdout is a file.
  if (opts.format !== 'table') {
    if (comparison.incomplete.length > 0) console.error(`${comparison.allowMissing ? 'warning' : 'error'}: ${incompleteLine(comparison.incomplete, comparison.allowMissing)}`);
    for (const warning of comparison.warnings) console.error(`warning: ${warning}`);
  }
  const inconclusive = inconclusivePairs(comparison);
  if (inconclusive.length > 0) {
    const named = inconclusive.slice(0, 5).map((p) => p.configuration).join(', ') + (inconclusive.length > 5 ? ` and ${inconclusive.length - 5} more` : '');
    console.error(`${opts.strict ? 'error' : 'warning'}: ${inconclusive.length} configuration(s) inconclusive, their interval straddles ±${opts.threshold} %: ${named}` +
      (opts.strict ? ' (--strict fails on them)' : '; rerun with a tighter --precision to decide them (--strict fails on them)'));
  }
  if (compareExitCode(comparison, opts.strict ?? false) === 1) process.exitCode = 1;
}

/** Registers `compare` on the program. */
export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('compare two run folders: change in triplets/s per configuration with a 90 % CI over timing windows; exit 1 when a regression\'s whole interval lies beyond the threshold, or on an incomplete comparison')
    .argument('<base>', 'run folder of the baseline (results.csv and run.json), or a fleet folder of run folders from many hosts')
    .argument('<current>', 'run folder to judge against it (a fleet folder: compared host by host)')
    .option('--threshold <pct>', 'smallest change in percent that counts as a regression or improvement', parseThreshold, 5)
    .option('--strict', 'fail (exit 1) on inconclusive changes too, whose interval straddles the threshold')
    .addOption(new Option('--format <format>', 'output format').choices(COMPARE_FORMATS).default('table'))
    .option('--allow-missing', 'missing rows are expected: a side not completed, or BASE configurations (or fleet hosts) missing from CURRENT, are reported without failing the gate')
    .action(compareCommand);
}
