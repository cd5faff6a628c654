/** Training progress on stderr: a bar on a terminal, one line per step otherwise, nothing with --no-progress. */
import cliProgress from 'cli-progress';
import { colourAllowed } from './progress.js';
import { barPreset, canRedraw } from './terminal.js';
import type { StepRecord } from '../report/train-records.js';

/** What the loop calls as it goes. */
export interface TrainProgress {
  start(totalSteps: number): void;
  step(record: StepRecord): void;
  log(line: string): void;
  stop(): void;
}

/** One line per step: the figures train.csv records. */
export function stepLine(r: StepRecord, totalSteps: number): string {
  return `step ${r.step}/${totalSteps} epoch ${r.epoch}: loss ${r.loss.toPrecision(5)}, active ${(100 * r.active_fraction).toFixed(1)} %, ` +
    `${r.step_ms.toFixed(1)} ms, compact skips ${(100 * r.skipped_share).toFixed(1)} % of the dense backward`;
}

/** A progress display; `enabled` false prints only the log lines. */
export function createTrainProgress(enabled: boolean): TrainProgress {
  if (!enabled) return { start() {}, step() {}, log: (line) => console.error(line), stop() {} };
  if (!canRedraw()) {
    let total = 0;
    return {
      start: (n) => (total = n),
      step: (r) => process.stderr.write(`${stepLine(r, total)}\n`),
      log: (line) => process.stderr.write(`${line}\n`),
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${colourAllowed() ? '\u001b[36m{bar}\u001b[0m' : '{bar}'} {value}/{total} | ETA {eta_formatted} | loss {loss} | active {active}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    barPreset(),
  );
  let running = false;
  return {
    start(n) {
      bar.start(n, 0, { loss: '-', active: '-' });
      running = true;
    },
    step: (r) => bar.increment(1, { loss: r.loss.toPrecision(4), active: `${(100 * r.active_fraction).toFixed(1)} %` }),
    log(line) {
      if (running) bar.stop();
      process.stderr.write(`${line}\n`);
      running = false;
    },
    stop: () => bar.stop(),
  };
}
