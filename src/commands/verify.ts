/**
 * `triplet-bench verify`: every selected configuration's gradient, loss and active count
 * against the float64 reference, at the workload's W and then at the closing check's
 * perturbed W, judged by the gate `run` uses (src/checks/gate.ts,
 * src/bench/closing-check.ts); and the reference itself against tfjs-core autograd. Exit 1
 * on a mismatch.
 */
import type { Command } from 'commander';
import { engineConfigs, workloadSpecs } from '../bench/plan.js';
import { buildWorkload } from '../bench/workloads.js';
import { autogradLossAndGradient } from '../checks/autograd.js';
import type { EngineRegistry } from '../engines/index.js';
import type { Harness } from '../harness.js';
import { loadData } from '../data/source.js';
import { addSelectionOptions, checkLabelColumn, memoryAllowance, resolveSelection, SELECTION_DEFAULTS, type RawSelection } from '../options.js';
import { formatTable } from '../console/table.js';
import type { Workload } from '../workload.js';
import type { PlannedConfig } from '../bench/plan.js';
import { errorMessage, UsageError } from '../errors.js';
import { checkOutcome, GATE_TOLERANCE } from '../checks/gate.js';
import { combineVerdicts, openingCheck, perturbedCheck } from '../bench/closing-check.js';
import { openWatched } from '../bench/watchdog.js';
import { oversubscriptionWarning, selectionMismatchWarnings } from '../checks/quiet-mismatches.js';
import { sayingWhileSlow } from './verify-progress.js';

/** Gradients further than this from the reference (max |G - G_ref| / max |G_ref|) fail; the sweep's bound. */
const TOLERANCE = GATE_TOLERANCE;

/** One line of verify's output. */
export interface VerifyRow {
  engine: string;
  kernel: string;
  formulation: string;
  strategy: string;
  threads: number;
  batch: number;
  dims: string;
  active_fraction: number;
  max_rel_err: number | null;
  status: 'ok' | 'failed' | 'errored' | 'skipped';
  note: string;
}

async function checkConfig(engines: EngineRegistry, workload: Workload, config: PlannedConfig): Promise<Pick<VerifyRow, 'max_rel_err' | 'status' | 'note'>> {
  const engine = engines[config.engine];
  const availability = engine.availability(config.kernel);
  if (!availability.available) return { max_rel_err: null, status: 'skipped', note: `${availability.reason}; fix: ${availability.fix}` };
  try {
    // Under the sweep's watchdog: a configuration that makes no progress errors, verify goes on.
    const session = await openWatched(engine.open(workload, config), workload.problem.shape, config);
    try {
      // The gate of `run` at both ends, less the timing window: the first step, then a step at the perturbed W.
      const opening = openingCheck(await session.step(), workload);
      const verdict = combineVerdicts([opening, await perturbedCheck(session, workload)]);
      return { max_rel_err: verdict.maxRelErr, status: verdict.ok ? 'ok' : 'failed', note: verdict.reason };
    } finally {
      await session.close();
    }
  } catch (error) {
    return { max_rel_err: null, status: 'errored', note: errorMessage(error) };
  }
}

async function checkAutograd(workload: Workload): Promise<Pick<VerifyRow, 'max_rel_err' | 'status' | 'note'>> {
  const reference = workload.reference();
  try {
    const autograd = await autogradLossAndGradient(workload.problem, workload.reduction);
    const gate = checkOutcome(autograd, reference);
    const what = 'reference vs tf.grad of the three-embedding loss';
    return { max_rel_err: gate.maxRelErr, status: gate.ok ? 'ok' : 'failed', note: gate.ok ? what : `${what}: ${gate.reason}` };
  } catch (error) {
    // The self-contained bundle carries no tfjs: without it this check cannot run, which is no failure.
    if ((error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND') {
      return { max_rel_err: null, status: 'skipped', note: '@tensorflow/tfjs is not installed here; fix: npm install, or --no-autograd' };
    }
    return { max_rel_err: null, status: 'errored', note: errorMessage(error) };
  }
}

/** Runs every check of the selection, resolved and opened with `engines`, and returns the rows. */
export async function verifyRows(raw: RawSelection, options: { autograd: boolean; engines: EngineRegistry; progress?: (line: string) => void }): Promise<VerifyRow[]> {
  const print = options.progress ?? (() => undefined);
  const engines = options.engines;
  checkLabelColumn(raw.data, raw.labelColumn);
  const data = await loadData(raw.data, raw.labelColumn, memoryAllowance(raw.maxMemory));
  const selection = resolveSelection(raw, SELECTION_DEFAULTS, engines, data?.dIn, data?.features.byteLength);
  const overheadKernels = selection.engines.map((name) => engines[name].overheadKernel);
  const noGradient = selection.kernels?.find((kernel) => overheadKernels.includes(kernel));
  if (noGradient) throw new UsageError(`--kernels: the ${noGradient} kernel computes no gradient, so verify has nothing to check in it`);
  // As `run` says them: a verify at --threads 64 on 2 cores is slow for that reason.
  const over = oversubscriptionWarning(selection.threads);
  for (const warning of [...selectionMismatchWarnings(raw, selection, engines), ...(over ? [over] : [])]) console.error(`warning: ${warning}`);
  const configs = engineConfigs(selection, engines, { overhead: false });
  const rows: VerifyRow[] = [];
  const specs = workloadSpecs(selection);
  const checks = configs.length + (options.autograd ? 1 : 0);
  for (const [index, spec] of specs.entries()) {
    const { batch, dIn, dOut } = spec.shape;
    const name = `B=${batch} ${dIn}x${dOut} ${'margin' in spec.choice ? `margin ${spec.choice.margin}` : `active ${spec.choice.activeFraction}`}`;
    print(`verify: workload ${index + 1} of ${specs.length}, ${name}: building the batch and its reference, then ${checks} check${checks === 1 ? '' : 's'}`);
    // Built in this thread, synchronously: a timer cannot fire during it, so say beforehand what follows.
    const workload = buildWorkload(spec, selection, data);
    const common = { batch, dims: `${dIn}x${dOut}`, active_fraction: workload.activeFraction() };
    if (options.autograd) {
      const outcome = await sayingWhileSlow(`checking the reference against autograd at ${name}`, print, () => checkAutograd(workload));
      rows.push({ engine: 'tfjs-core', kernel: 'cpu', formulation: 'autograd', strategy: 'dense', threads: 1, ...common, ...outcome });
    }
    for (const config of configs) {
      const { engine, kernel, formulation, strategy, threads } = config;
      const outcome = await sayingWhileSlow(`checking ${engine}/${kernel} ${formulation} ${strategy} T=${threads} at ${name}`, print, () => checkConfig(engines, workload, config));
      rows.push({ engine, kernel, formulation, strategy, threads, ...common, ...outcome });
    }
  }
  return rows;
}

function printRows(rows: readonly VerifyRow[]): void {
  const columns = ['engine', 'kernel', 'formulation', 'strategy', 'threads', 'batch', 'dims', 'active', 'max_rel_err', 'status', 'note'];
  const cells = rows.map((r) => [
    r.engine, r.kernel, r.formulation, r.strategy, r.threads, r.batch, r.dims, r.active_fraction.toFixed(3),
    r.max_rel_err === null ? '-' : r.max_rel_err.toExponential(2), r.status, r.note,
  ]);
  console.log(formatTable(columns, cells));
}

/** Registers `verify` on the program; it resolves and opens configurations with the harness's engines, as `run` does. */
export function registerVerify(program: Command, harness: Harness): void {
  const { engines } = harness;
  const command = program
    .command('verify')
    .description('check every selected configuration\'s gradient, loss and active count against the float64 reference (exit 1 on a mismatch)');
  addSelectionOptions(command, engines)
    .option('--no-autograd', 'skip the tfjs-core autograd check of the reference')
    .option('--json', 'print the rows as JSON')
    .action(async (opts: RawSelection & { json?: boolean; autograd: boolean }) => {
      const rows = await verifyRows(opts, { autograd: opts.autograd, engines, progress: (line) => console.error(line) });
      if (opts.json) console.log(JSON.stringify(rows, null, 2));
      else printRows(rows);
      const bad = rows.filter((r) => r.status === 'failed' || r.status === 'errored');
      if (bad.length > 0) {
        console.error(`verify: ${bad.length} of ${rows.length} checks off by more than ${TOLERANCE} relative or errored`);
        process.exitCode = 1;
      }
    });
}
