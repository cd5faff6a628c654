/**
 * Progress on stderr: a bar with ETA on a terminal, one plain line per configuration
 * otherwise (logs, CI). No colour when NO_COLOR is set or stderr is not a terminal.
 */
import cliProgress from 'cli-progress';
import { performance } from 'node:perf_hooks';
import { formatDuration } from '../bench/estimate.js';
import type { PlannedConfig } from '../bench/plan.js';
import type { Measurement } from '../bench/sweep.js';
import { interferenceFlagged } from '../report/interference-rows.js';
import { isOverheadKernel } from '../engine-labels.js';
import { barPreset, canRedraw } from './terminal.js';

/** Whether stderr may carry ANSI colour (https://no-color.org; not on TERM=dumb). */
export function colourAllowed(stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env): boolean {
  return canRedraw(stream, env) && !env['NO_COLOR'];
}

function label(config: PlannedConfig): string {
  return `${config.engine}/${config.kernel} ${config.formulation} ${config.strategy} T=${config.threads}`;
}

function resultText(m: Measurement, kept?: string): string {
  // Not an earlier round's figures again, as if new: say the row was not run.
  if (kept !== undefined) return `not run again: ${kept}`;
  const r = m.row;
  if (r.status !== 'ok') return `${r.status}: ${r.note}`;
  const p50 = typeof r.p50_ms === 'number' ? `${r.p50_ms.toFixed(r.p50_ms < 10 ? 3 : 1)} ms` : '-';
  const gflops = typeof r.gflops === 'number' && !isOverheadKernel(r.engine, r.kernel) ? `, ${r.gflops.toFixed(2)} GFLOP/s` : '';
  // Said as it happens, so that a watcher can stop a run the machine is spoiling.
  const disturbed = interferenceFlagged(r)
    ? `, interference: others ${typeof r.interference_cores === 'number' ? r.interference_cores.toFixed(2) : '?'} cores, throttled ${r.throttled_periods ?? '?'} periods`
    : '';
  // Before the sample count, which ends the line as scripts that follow the log expect.
  return `${p50}${gflops}${disturbed}, ${r.samples} samples`;
}

/** What the sweep calls as it goes. */
export interface Progress {
  start(config: PlannedConfig, shape: string): void;
  /** A row measured, or `kept`: not run this round, and why (src/bench/sweep.ts). */
  done(measurement: Measurement, kept?: string): void;
  /** A line that must not be torn by the bar. */
  log(line: string): void;
  /** `more` visits join the plan (a top-up pass): the total and the ETA follow. */
  grow(more: number): void;
  stop(): void;
}

/** A progress display for `planned` visits, on `stream` (stderr) as `env` allows (src/console/terminal.ts); a top-up grows it. */
export function createProgress(planned: number, enabled: boolean, stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env): Progress {
  let total = planned;
  if (!enabled) return { start() {}, done() {}, log: (line) => console.error(line), grow() {}, stop() {} };
  if (!canRedraw(stream, env)) {
    let index = 0;
    const began = performance.now();
    // The configuration in flight: its line, and whether that line still waits for the result.
    let prefix = '';
    let lineOpen = false;
    // Any other line first ends the open one, so that no warning is glued onto a configuration's.
    const endOpenLine = () => {
      if (lineOpen) stream.write('\n');
      lineOpen = false;
    };
    return {
      start(config, shape) {
        endOpenLine();
        index++;
        // The ETA from the pace so far: a log of a long run says when it will end.
        const eta = index > 1 ? ` (ETA ${formatDuration(((performance.now() - began) / (index - 1)) * (total - index + 1))})` : '';
        prefix = `[${index}/${total}]${eta} ${shape} ${label(config)} ... `;
        lineOpen = true;
        stream.write(prefix);
      },
      // A line ended by another repeats the configuration, so that each result keeps its label.
      done: (m, kept) => {
        stream.write(`${lineOpen ? '' : prefix}${resultText(m, kept)}\n`);
        lineOpen = false;
      },
      log: (line) => {
        endOpenLine();
        stream.write(`${line}\n`);
      },
      grow(more) {
        total += more;
      },
      stop: endOpenLine,
    };
  }
  // A MultiBar of one bar: it can print finished lines above the bar without tearing it.
  const bars = new cliProgress.MultiBar(
    {
      stream,
      format: `${colourAllowed(stream, env) ? '\u001b[36m{bar}\u001b[0m' : '{bar}'} {value}/{total} | ETA {eta_formatted} | {config}`,
      hideCursor: true,
      etaBuffer: 8,
      clearOnComplete: true,
    },
    barPreset(env),
  );
  const bar = bars.create(total, 0, { config: '' });
  let current = '';
  return {
    start(config, shape) {
      current = `${shape} ${label(config)}`;
      bar.update({ config: current });
    },
    done(m, kept) {
      bars.log(`${current}: ${resultText(m, kept)}\n`);
      bar.increment(1);
    },
    log: (line) => bars.log(`${line}\n`),
    grow(more) {
      total += more;
      bar.setTotal(total);
    },
    stop: () => bars.stop(),
  };
}
