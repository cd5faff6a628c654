/**
 * Issue 24, item 2: one harness context from main(). A command's engines are the ones it
 * was given, all the way down: option resolution, the memory check, the plan, the
 * profile's trim, the warnings and verify's checks ask the injected registry, never the
 * product's. Each case hands in a registry whose engine differs from the product's in one
 * way and looks for that difference where it should land; the calibration gets a fake
 * clock too, and `report` a wall clock and output folders of the test's. In-process, no
 * CLI.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { calibrate } from '../src/bench/estimate.js';
import { trimFilter } from '../src/bench/fraction-plan.js';
import { engineConfigs, type PlannedConfig } from '../src/bench/plan.js';
import { PROFILES } from '../src/bench/profiles.js';
import { selectionMismatchWarnings } from '../src/checks/quiet-mismatches.js';
import { doctorRows } from '../src/commands/doctor.js';
import { harnessOf } from '../src/cli.js';
import { registerReport } from '../src/commands/report.js';
import { registerRun } from '../src/commands/run.js';
import { registerTrain } from '../src/commands/train.js';
import { verifyRows } from '../src/commands/verify.js';
import type { Engine } from '../src/engines/engine.js';
import { ENGINES_BY_NAME, type EngineRegistry } from '../src/engines/index.js';
import { UsageError } from '../src/errors.js';
import { claimRunFolder } from '../src/files/claim-out.js';
import type { ReportExporter } from '../src/report/exporter.js';
import { REPORT_EXPORTERS } from '../src/report/exporters.js';
import { reportHtmlExporter } from '../src/report/html/report-html.js';
import { clusteredCsv, csvFile, tempDir } from './data-fixtures.js';
import { fixtureRows, writeRunFolder } from './fixtures.js';
import { FakeClock, scriptedRegistry } from './inject/scripted-engine.js';
import { UNDRAWN_LINE, UNDRAWN_PAGE_REPORTS, UNDRAWN_TRAIN_PAGES } from './inject/undrawn-page.js';
import { UNMEASURED_MACHINE } from './inject/entry-options.js';
import { stepFlops } from '../src/model/flops.js';
import { addSelectionOptions, checkMemory, resolveSelection, SELECTION_DEFAULTS, type RawSelection } from '../src/options.js';

const TINY: RawSelection = { engines: ['workers'], strategies: ['dense'], threads: [1, 2], batch: [64], dims: [{ dIn: 8, dOut: 4 }], active: [0.3], data: 'synthetic', seed: 1, reduction: 'mean' };

/** The product's registry with one engine changed. */
function withEngine(name: keyof EngineRegistry, changes: Partial<Engine>): EngineRegistry {
  return { ...ENGINES_BY_NAME, [name]: { ...ENGINES_BY_NAME[name], ...changes } };
}

describe('the engines a command is given reach', () => {
  it('option resolution: the kernels and formulations --kernels and --formulations are checked against', () => {
    const jsOnly = withEngine('workers', { kernels: ['js'] });
    assert.doesNotThrow(() => resolveSelection({ ...TINY, kernels: ['wasm'] }, SELECTION_DEFAULTS, ENGINES_BY_NAME));
    assert.throws(() => resolveSelection({ ...TINY, kernels: ['wasm'] }, SELECTION_DEFAULTS, jsOnly), (error: unknown) => error instanceof UsageError && /--kernels expects kernels of the selected engines \(js, empty\), got 'wasm'/.test(error.message));

    const autograd = withEngine('workers', { formulations: ['fused', 'autograd'] });
    assert.throws(() => resolveSelection({ ...TINY, formulations: ['autograd'] }, SELECTION_DEFAULTS, ENGINES_BY_NAME), UsageError);
    assert.deepEqual(resolveSelection({ ...TINY, formulations: ['autograd'] }, SELECTION_DEFAULTS, autograd).formulations, ['autograd']);
  });

  it('option resolution: the default --engines are the registry\'s, in its order', () => {
    const reversed = Object.fromEntries(Object.entries(ENGINES_BY_NAME).reverse()) as EngineRegistry;
    const selection = resolveSelection({ ...TINY, engines: undefined }, SELECTION_DEFAULTS, reversed);
    assert.deepEqual(selection.engines, ['tfjs-cpu', 'tfjs-wasm', 'tfjs-node', 'workers']);
  });

  it('the memory check: the threads of a pool weigh what its engine declares', () => {
    const selection = resolveSelection({ ...TINY, maxMemory: 2 ** 40 }, SELECTION_DEFAULTS, ENGINES_BY_NAME);
    const heavy = withEngine('workers', { poolThreadBytes: () => 2 ** 40 });
    assert.doesNotThrow(() => checkMemory(selection, ENGINES_BY_NAME, 0));
    assert.throws(() => checkMemory(selection, heavy, 0), (error: unknown) => error instanceof UsageError && /on 2 threads needs .*threads 2\.00 TiB/.test(error.message));
    assert.throws(() => resolveSelection({ ...TINY, maxMemory: 2 ** 40 }, SELECTION_DEFAULTS, heavy), UsageError, 'resolution checks memory with the same registry');
  });

  it('the plan and the profile\'s trim: an engine said to run one thread is a single-thread reference', () => {
    const serial = withEngine('workers', { parallel: false });
    const selection = resolveSelection({ ...TINY, kernels: ['js'] }, SELECTION_DEFAULTS, serial);
    assert.deepEqual(engineConfigs(selection, ENGINES_BY_NAME, { overhead: false }).map((c) => c.threads), [1, 2]);
    assert.deepEqual(engineConfigs(selection, serial, { overhead: false }).map((c) => c.threads), [1]);

    const compact: PlannedConfig = { engine: 'workers', kernel: 'js', formulation: 'fused', strategy: 'compact', threads: 1, role: 'gradient' };
    const asked = { fractions: false, formulations: false, strategies: false };
    assert.equal(trimFilter(PROFILES.quick.trim, asked, ENGINES_BY_NAME)!(compact, { shape: { batch: 64, dIn: 8, dOut: 4 }, choice: { activeFraction: 0.3 } }), true);
    assert.equal(trimFilter(PROFILES.quick.trim, asked, serial)!(compact, { shape: { batch: 64, dIn: 8, dOut: 4 }, choice: { activeFraction: 0.3 } }), false, 'a reference runs dense only');
  });

  it('the warnings: --threads on an engine that runs one', () => {
    const serial = withEngine('workers', { parallel: false });
    const resolved = { engines: ['workers' as const], batches: [64], activeFractions: [0.3] };
    assert.deepEqual(selectionMismatchWarnings({ threads: [1, 2] }, resolved, ENGINES_BY_NAME), []);
    assert.deepEqual(selectionMismatchWarnings({ threads: [1, 2] }, resolved, serial), ['--threads 2 does not apply to workers (one thread each): their rows are at 1 thread only']);
  });

  it('the command line: the kernels --help lists', () => {
    const command = addSelectionOptions(new Command().exitOverride(), withEngine('workers', { kernels: ['js'], overheadKernel: undefined }));
    assert.match(command.helpInformation(), /workers: js; tfjs-node: tensorflow/);
  });

  it('doctor: the availability it reports', () => {
    const missing = withEngine('tfjs-cpu', { availability: () => ({ available: false, reason: 'injected away', fix: 'none' }) });
    const row = doctorRows(missing).find((r) => r.engine === 'tfjs-cpu')!;
    assert.deepEqual([row.available, row.reason, row.fix], [false, 'injected away', 'none']);
  });

  it('verify: every configuration is opened on the injected engine', async () => {
    const opened: string[] = [];
    const refusing = withEngine('workers', {
      availability: () => ({ available: true }),
      open: async (_workload, config) => {
        opened.push(`${config.kernel} T${config.threads}`);
        throw new Error('the injected engine opens nothing');
      },
    });
    const rows = await verifyRows({ ...TINY, kernels: ['js', 'wasm'] }, { autograd: false, engines: refusing });
    assert.deepEqual(opened, ['js T1', 'js T2', 'wasm T1', 'wasm T2']);
    assert.deepEqual(rows.map((row) => [row.status, row.note]), opened.map(() => ['errored', 'the injected engine opens nothing']));
  });

  it('the calibration: it opens the injected engines and times them on the injected clock', async () => {
    const clock = new FakeClock();
    // Each step of the injected workers takes 1000 ms on the fake clock, whatever it really takes.
    const engines = scriptedRegistry(clock, () => 1000);
    // Each read moves the clock 5 ms: the float64 reference's timing loop (50 ms) ends on it too.
    const tick = 5;
    const now = () => (clock.ms += tick);
    const js = (threads: number): PlannedConfig => ({ engine: 'workers', kernel: 'js', formulation: 'fused', strategy: 'dense', threads, role: 'gradient' });
    const calibration = await calibrate([js(1), js(2)], { engines, now, roofline: false }, 'mean', 1);
    // The pool of the most threads, then the kernel's speed on one thread: on the injected engine only.
    assert.deepEqual(engines.opened.map((open) => open.key), ['js dense T=2', 'js dense T=1']);
    const speedFlops = stepFlops('fused', 'dense', { batch: 512, dIn: 256, dOut: 64 }, 0);
    const stepMs = (calibration.kernelNsPerFlop!['workers/js']! * speedFlops) / 1e6;
    assert.ok(Math.abs(stepMs - 1000) <= tick, `a step of ${stepMs} ms`);
    // Opening the pool of the most threads steps it three times untimed: 3000 ms and the reads.
    assert.ok(calibration.poolOpenMs! >= 3000 && calibration.poolOpenMs! <= 3000 + 10 * tick, `pool ${calibration.poolOpenMs} ms`);
    assert.equal(calibration.tfThreadStartMs, null, 'no roofline, no tfjs-node start timed');
  });

  it('report: the wall clock names its folder, and the folder is made by the harness\'s file system', async () => {
    const dir = tempDir('tb-harness-');
    const csvs = ['a', 'b'].map((name) => join(writeRunFolder(join(dir, name), fixtureRows(name)), 'results.csv'));
    const prepared: string[] = [];
    const harness = harnessOf({
      date: () => new Date('2031-02-03T04:05:06.789Z'),
      files: {
        prepare: (folder) => {
          prepared.push(folder);
          throw new Error('the injected file system makes no folder');
        },
        claim: claimRunFolder,
      },
    });
    const program = new Command().exitOverride();
    registerReport(program, harness);
    await assert.rejects(program.parseAsync(['report', ...csvs], { from: 'user' }), /the injected file system makes no folder/);
    assert.equal(prepared.length, 1);
    assert.match(prepared[0]!, /^reports[/\\]report-2031-02-03T04-05-06\.789Z-/);
  });

  it("train: its folder's times and the page's come from the harness's wall clock", async () => {
    const dir = tempDir('tb-harness-');
    const data = csvFile('harness-train.csv', clusteredCsv({ labels: 3, perLabel: 8, dIn: 4 }));
    const at = new Date('2031-02-03T04:05:06.789Z');
    for (const strategies of ['dense', 'dense,compact']) {
      const out = join(dir, strategies.replace(',', '-'));
      const program = new Command().exitOverride();
      registerTrain(program, harnessOf({ date: () => at }));
      await program.parseAsync(['train', '--data', data, '--dims', '2', '--batch', '8', '--steps', '2', '--kernel', 'js', '--threads', '1', '--strategy', strategies, '--no-progress', '--out', out], { from: 'user' });
      const record = JSON.parse(readFileSync(join(out, 'train.json'), 'utf8')) as { started_at: string; ended_at: string; status: string };
      assert.deepEqual([record.status, record.started_at, record.ended_at], ['completed', at.toISOString(), at.toISOString()], strategies);
      assert.match(readFileSync(join(out, 'train.html'), 'utf8'), new RegExp(`page made ${at.toISOString().replace(/\./g, '\\.')}`), strategies);
    }
  });

  it("run: run.json's update and end times and the page's come from the harness's wall clock", async () => {
    const clock = new FakeClock();
    const { workers } = scriptedRegistry(clock, () => 1);
    const out = join(tempDir('tb-harness-'), 'run');
    const at = new Date('2031-02-03T04:05:06.789Z');
    const program = new Command().exitOverride();
    registerRun(program, harnessOf({ engines: { ...ENGINES_BY_NAME, workers }, now: clock.now, date: () => at, machine: UNMEASURED_MACHINE }));
    await program.parseAsync(['run', '--engines', 'workers', '--kernels', 'js', '--strategies', 'dense', '--threads', '1', '--batch', '16', '--dims', '4x2', '--time', '10', '--rounds', '1', '--no-progress', '--out', out], { from: 'user' });
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { started_at: string; ended_at: string; updated_at: string; status: string };
    assert.deepEqual([record.status, record.started_at, record.updated_at, record.ended_at], ['completed', ...Array<string>(3).fill(at.toISOString())]);
    assert.match(readFileSync(join(out, 'report.html'), 'utf8'), new RegExp(`page made ${at.toISOString().replace(/\./g, '\\.')}`));
  });

  it("report: draws the harness's report files, in their order", async () => {
    const dir = tempDir('tb-harness-');
    const csv = join(writeRunFolder(join(dir, 'run'), fixtureRows('run')), 'results.csv');
    const out = join(dir, 'out');
    const drawn: string[] = [];
    const counting = (exporter: ReportExporter): ReportExporter => ({
      ...exporter,
      render: (input) => {
        drawn.push(exporter.file);
        return exporter.render(input);
      },
    });
    const program = new Command().exitOverride();
    registerReport(program, harnessOf({ reports: UNDRAWN_PAGE_REPORTS.map(counting) }));
    await program.parseAsync(['report', csv, '--out', out], { from: 'user' });
    assert.deepEqual(drawn, REPORT_EXPORTERS.map((exporter) => exporter.file));
    const page = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(page, new RegExp(`${UNDRAWN_LINE} \\(${fixtureRows('run').length} rows\\)`), 'the stand-in, not the page');
    assert.ok(reportHtmlExporter.recognizes(page), "report knows the stand-in for one of its own pages");
  });

  it("train: draws the harness's page, one strategy or two", async () => {
    const dir = tempDir('tb-harness-');
    const data = csvFile('harness-train-page.csv', clusteredCsv({ labels: 3, perLabel: 8, dIn: 4 }));
    for (const strategies of ['dense', 'dense,compact']) {
      const out = join(dir, strategies.replace(',', '-'));
      const program = new Command().exitOverride();
      registerTrain(program, harnessOf({ trainPages: UNDRAWN_TRAIN_PAGES }));
      await program.parseAsync(['train', '--data', data, '--dims', '2', '--batch', '8', '--steps', '2', '--kernel', 'js', '--threads', '1', '--strategy', strategies, '--no-progress', '--out', out], { from: 'user' });
      assert.match(readFileSync(join(out, 'train.html'), 'utf8'), new RegExp(UNDRAWN_LINE), strategies);
    }
  });
});
