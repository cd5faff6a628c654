/**
 * Progress on stderr: a bar with ETA on a terminal, one plain line per configuration
 * otherwise (logs, CI). No colour when NO_COLOR is set or stderr is not a terminal.
 */
import cliProgress from 'cli-progress';
import { performance } from 'node:perf_hooks';
import { formatDuration } from '../bench/estimate.js';
import type { PlannedConfig } from '../bench/plan.js';
import type { Measurement } from '../bench/sweep.js';
import { interferenceFlagged } from '../bench/interference.js';

/** Whether stderr may carry ANSI colour (https://no-color.org). */
export function colourAllowed(): boolean {
  return Boolean(process.stderr.isTTY) && !process.env['NO_COLOR'];
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
  const gflops = typeof r.gflops === 'number' && r.kernel !== 'empty' ? `, ${r.gflops.toFixed(2)} GFLOP/s` : '';
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
  stop(): void;
}

/** A progress display for `total` configurations. */
export function createProgress(total: number, enabled: boolean): Progress {
  if (!enabled) return { start() {}, done() {}, log: (line) => console.error(line), stop() {} };
  if (!process.stderr.isTTY) {
    let index = 0;
    const began = performance.now();
    return {
      start(config, shape) {
        index++;
        // The ETA from the pace so far: a log of a long run says when it will end.
        const eta = index > 1 ? ` (ETA ${formatDuration(((performance.now() - began) / (index - 1)) * (total - index + 1))})` : '';
        process.stderr.write(`[${index}/${total}]${eta} ${shape} ${label(config)} ... `);
      },
      done: (m, kept) => process.stderr.write(`${resultText(m, kept)}\n`),
      log: (line) => process.stderr.write(`${line}\n`),
      stop() {},
    };
  }
  // A MultiBar of one bar: it can print finished lines above the bar without tearing it.
  const bars = new cliProgress.MultiBar(
    {
      stream: process.stderr,
      format: `${colourAllowed() ? '\u001b[36m{bar}\u001b[0m' : '{bar}'} {value}/{total} | ETA {eta_formatted} | {config}`,
      hideCursor: true,
      etaBuffer: 8,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
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
    stop: () => bars.stop(),
  };
}
