/**
 * Issue 23, items 4, 5, 11, 12 and 13: signals and stops. No child outlives the command,
 * a hang-up or SIGQUIT ends a run as SIGTERM does, a paused command keeps its rows, and a
 * second signal or one in the first second leaves whole files and a working terminal.
 */
import assert from 'node:assert/strict';
import { RUN_OUTPUTS } from '../src/files/manifest.js';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { SIMULATE_MISSING_ENV } from '../src/native/probe.js';
import { StopOnSignal } from '../src/interrupts.js';
import { HOLD_LINE } from './inject/faults.js';
import { clusteredCsv, csvFile } from './data-fixtures.js';
import { INJECT_CLI, readResults, startCli } from './helpers.js';

const WORKERS_RUN = ['run', '--engines', 'workers', '--kernels', 'js', '--formulations', 'fused', '--batch', '64', '--dims', '16x8', '--active', '0.3'];
/** One configuration. */
const ONE_CONFIGURATION = ['--strategies', 'compact', '--threads', '1'];
/** Two configurations, so that a signal after the first lands in the run's work; on one thread each, not a second core spun. */
const TWO_CONFIGURATIONS = ['--strategies', 'compact,dense', '--threads', '1'];
/**
 * No native probe: every command here but the stopped host's run (its tfjs-node engine
 * needs it) would first load tfjs-node in a child to see whether the native engines can
 * run, about 1.5 CPU-s a command, and none of them uses those engines.
 */
const NO_NATIVE = { [SIMULATE_MISSING_ENV]: '1' };
/**
 * The test entry's stand-ins for the machine's figures (calibration, roofline, memory roof)
 * and for report.html's charts (--undrawn-page): seconds a run, and nothing these tests look
 * at but that the page is written. The run signalled before its sweep keeps the machine's.
 */
const UNMEASURED = ['--unmeasured-machine', '--undrawn-page'];
/**
 * Windows of the runs signalled after their first configuration: long enough that the run
 * is still at work when the signal lands (the profile's 3 rounds of 4 visits), no longer.
 */
const SIGNALLED_WINDOW = ['--time', '250'];
const INJECT_HOST = fileURLToPath(new URL('./inject/host.js', import.meta.url));

/** Whether `pid` runs (a zombie, exited but not yet reaped, does not). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The children of `pid` now. */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/** Resolves once `pid` has a child whose command line holds `file`; its pid. */
async function childRunning(pid: number, file: string): Promise<number> {
  for (;;) {
    const found = childrenOf(pid).find((child) => {
      try {
        return readFileSync(`/proc/${child}/cmdline`, 'utf8').includes(file);
      } catch {
        return false;
      }
    });
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Resolves once a descendant of `pid` (at any depth) runs a command line holding `file`; its pid. */
async function descendantRunning(pid: number, file: string): Promise<number> {
  for (;;) {
    const queue = [pid];
    while (queue.length > 0) {
      const next = queue.shift()!;
      for (const child of childrenOf(next)) {
        try {
          // The node process itself, not a shell between (script(1) runs `$SHELL -c`, whose
          // command line names the file too, and a shell that does not exec would take the signal).
          const [program, script] = readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0');
          if (program === process.execPath && script === file) return child;
        } catch {
          // Exited meanwhile.
        }
        queue.push(child);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `exited`, or a failure after `ms` (the process, and `alsoKill`, then ended): a hang must fail the test, not stall it. */
async function exitedWithin<T>(exited: Promise<T>, ms: number, kill: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      kill();
      reject(new Error(`still running ${ms / 1000} s on: the command hangs`));
    }, ms);
  });
  try {
    return await Promise.race([exited, hung]);
  } finally {
    clearTimeout(timer);
  }
}

function readRunJson(out: string): { status: string; ended_at: string | null; configurations: unknown[] } {
  return JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { status: string; ended_at: string | null; configurations: unknown[] };
}

/**
 * Every command here waits: for a line, a deadline, a pause, a child. Side by side their
 * waits overlap (the file took 39 s alone, mostly waiting); three at a time keeps the CPU
 * of at most three commands busy.
 */
describe('signals and stops, each command in a process of its own', { concurrency: 3 }, () => {
  describe('item 5: a hang-up (SIGHUP) or SIGQUIT ends a run as SIGTERM does', () => {
    for (const [signal, exitCode] of [['SIGHUP', 129], ['SIGQUIT', 131]] as const) {
      it(`run, ${signal}: files saved, status interrupted, no lock, exit ${exitCode}`, async () => {
        const out = mkdtempSync(join(tmpdir(), 'tb-hup-'));
        const run = startCli([...WORKERS_RUN, ...UNMEASURED, ...TWO_CONFIGURATIONS, ...SIGNALLED_WINDOW, '--out', out], INJECT_CLI, NO_NATIVE);
        await run.waitFor(/\[1\/\d+\][\s\S]*?samples\n/);
        run.child.kill(signal);
        const { code, stderr } = await run.exited;
        assert.equal(code, exitCode, stderr);
        assert.match(stderr, new RegExp(`${signal}: stopping`));
        const runJson = readRunJson(out);
        assert.equal(runJson.status, 'interrupted');
        assert.ok(runJson.configurations.length >= 1);
        assert.deepEqual(readdirSync(out).sort(), [...RUN_OUTPUTS].sort());
      });
    }

    // The listener itself, in this process: it, not the default (a core dump; a hang-up's
    // death), meets the signal, and the work is aborted while the process lives on.
    it('SIGQUIT and SIGHUP, delivered to a listening process: the work aborted, the process lives on, exit codes 131 and 129', async () => {
      for (const [signal, exitCode] of [['SIGQUIT', 131], ['SIGHUP', 129]] as const) {
        const told: string[] = [];
        const stop = new StopOnSignal({ onFirst: (first) => told.push(first), exit: () => assert.fail('the first signal exits'), log: () => {} });
        try {
          const aborted = new Promise((resolve) => stop.signal.addEventListener('abort', resolve, { once: true }));
          process.kill(process.pid, signal);
          // A signal on its way keeps no event loop alive: a timer does, for 5 s at most (then the test fails, pending).
          const alive = setTimeout(() => undefined, 5000);
          await aborted.finally(() => clearTimeout(alive));
          assert.deepEqual(told, [signal]);
          assert.equal(stop.exitCode, exitCode);
        } finally {
          stop.dispose();
        }
      }
    });

    it('train, SIGHUP: train.json interrupted, the page drawn, exit 129', async () => {
      const out = mkdtempSync(join(tmpdir(), 'tb-hup-train-'));
      // A small file, and more steps than the test waits for: the signal lands mid-training.
      const data = csvFile('hup.csv', clusteredCsv({ labels: 3, perLabel: 12, dIn: 6 }));
      // --lr 1e-9: W hardly moves, so no batch runs out of active triplets and ends the training before the signal.
      const run = startCli(['train', '--data', data, '--dims', '4', '--batch', '24', '--steps', '100000', '--lr', '1e-9', '--kernel', 'js', '--threads', '1', '--out', out], undefined, NO_NATIVE);
      await run.waitFor(/step 3\//);
      run.child.kill('SIGHUP');
      const { code, stderr } = await run.exited;
      assert.equal(code, 129, stderr);
      assert.equal((JSON.parse(readFileSync(join(out, 'train.json'), 'utf8')) as { status: string }).status, 'interrupted');
      assert.ok(existsSync(join(out, 'train.html')));
      assert.ok(!existsSync(join(out, '.triplet-bench.lock')) && readdirSync(out).every((name) => !name.endsWith('.lock')), 'no lock');
    });
  });

  describe('item 4: no child outlives the command', () => {
    it('a tfjs host stopped (SIGSTOP) in its warm-up: the row errored, the run ends, the host is killed', async () => {
      const out = mkdtempSync(join(tmpdir(), 'tb-stopped-host-'));
      const args = ['run', '--engines', 'tfjs-node,workers', '--kernels', 'tensorflow,js', '--formulations', 'fused', '--strategies', 'compact', '--threads', '1', '--batch', '64', '--dims', '16x8', '--active', '0.3', '--time', '100', '--rounds', '1', '--no-progress', '--out', out];
      const run = startCli([...args, ...UNMEASURED, '--inject-fault', 'host-stop', '--warmup-ms', '3000'], INJECT_CLI);
      const host = await childRunning(run.child.pid!, INJECT_HOST);
      const { code, stderr } = await exitedWithin(run.exited, 90_000, () => {
        process.kill(host, 'SIGKILL');
        run.child.kill('SIGKILL');
      });
      assert.equal(code, 0, stderr);
      assert.equal(running(host), false, 'the stopped host is killed before the command exits');
      const { rows } = readResults(out);
      const stalled = rows.filter((row) => row['engine'] === 'tfjs-node');
      assert.equal(stalled.length, 1);
      assert.equal(stalled[0]!['status'], 'errored');
      assert.match(stalled[0]!['note']!, /no progress in warm-up/);
      assert.ok(rows.some((row) => row['engine'] === 'workers' && row['status'] === 'ok'), 'the sweep went on');
      assert.equal(readRunJson(out).status, 'completed');
    });

    // One signal: baseline's StopOnSignal ends the child the same way for each; each signal's
    // code is faults.test.ts's to check, and every one ends a run in a process somewhere here.
    it('baseline, SIGINT: its timing child is ended before it exits 130', async () => {
      // Long windows: the child is still timing when the signal lands.
      const run = startCli(['baseline', '--backend', 'cpu', '--batch', '64', '--dims', '16x8', '--windows', '100', '--window-ms', '1000', '--formulations', 'fused', '--strategies', 'dense'], undefined, NO_NATIVE);
      await run.waitFor(/^timing /m);
      const child = await childRunning(run.child.pid!, 'baseline/child.js');
      run.child.kill('SIGINT');
      const { code, stderr } = await run.exited;
      assert.equal(code, 130, stderr);
      assert.match(stderr, /SIGINT: ending the timing child/);
      assert.equal(running(child), false, 'the child did not outlive its parent');
    });
  });

  describe('item 11: a paused command (Ctrl-Z, then fg) is not a hang', () => {
    it('stopped longer than the step deadline inside a window: the row is ok and keeps its samples, none as long as the stop', async () => {
      const out = mkdtempSync(join(tmpdir(), 'tb-paused-'));
      // A step deadline of 1 s; the pause lasts 1.6 s (more than the 1 s late a heartbeat must
      // be to count as a stop: src/bench/stopped-clock.ts), inside a 1.2 s window of
      // sub-millisecond steps, which is then timed again: every ms of window spins a core, the
      // stop none.
      const pauseMs = 1600;
      const run = startCli([...WORKERS_RUN, ...UNMEASURED, ...ONE_CONFIGURATION, '--time', '1200', '--rounds', '1', '--out', out, '--watchdog-ms', '1000'], INJECT_CLI, NO_NATIVE);
      await run.waitFor(/\[1\/1\][^\n]*\.\.\. /);
      // Past the pool's opening (one thread) and the first warm step, which the line comes
      // before, into the window: 0.6 s leaves them 0.3 s or more even on a loaded machine, and
      // the window 0.6 s after the stop. Landing before the window, the stop would pass untested.
      await new Promise((resolve) => setTimeout(resolve, 600));
      run.child.kill('SIGSTOP');
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      run.child.kill('SIGCONT');
      const { code, stderr } = await run.exited;
      assert.equal(code, 0, stderr);
      const { rows } = readResults(out);
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!['status'], 'ok', rows[0]!['note']);
      const samples = (JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { configurations: { samples_ms: number[] }[] }).configurations[0]!.samples_ms;
      assert.ok(samples.length > 0);
      assert.ok(Math.max(...samples) < pauseMs, `a sample of ${Math.max(...samples).toFixed(0)} ms: the window the stop fell in was kept`);
    });
  });

  describe('item 13: a second SIGINT in the ending of a run (the seam holds the run there)', () => {
    it('the first SIGINT line once, "again" once, exit 130, run.json interrupted with its end time, no lock, no end-of-run block', async () => {
      const out = mkdtempSync(join(tmpdir(), 'tb-int2-'));
      const run = startCli([...WORKERS_RUN, ...UNMEASURED, ...TWO_CONFIGURATIONS, ...SIGNALLED_WINDOW, '--out', out, '--hold-after-work'], INJECT_CLI, NO_NATIVE);
      await run.waitFor(/\[1\/\d+\][\s\S]*?samples\n/);
      run.child.kill('SIGINT');
      // The work has ended and the run holds before its final save: the second signal lands
      // there every time, not only when the machine is slow enough.
      await run.waitFor(new RegExp(HOLD_LINE));
      run.child.kill('SIGINT');
      const { code, stderr } = await run.exited;
      assert.equal(code, 130, stderr);
      assert.equal(stderr.match(/SIGINT: stopping/g)?.length, 1, `the first SIGINT line once:\n${stderr}`);
      assert.equal(stderr.match(/SIGINT again: exiting now/g)?.length, 1, `two signals, not one:\n${stderr}`);
      assert.doesNotMatch(stderr, /^results: /m, 'exited at once: no end-of-run block');
      const runJson = readRunJson(out);
      assert.equal(runJson.status, 'interrupted');
      assert.ok(runJson.ended_at && Number.isFinite(Date.parse(runJson.ended_at)), 'ended_at');
      assert.equal(readResults(out).rows.length, runJson.configurations.length);
      assert.deepEqual(readdirSync(out).filter((name) => name.endsWith('.tmp') || name.endsWith('.lock')), [], 'no temp or lock file');
    });
  });

  describe('item 12: a signal in the first second', () => {
    it('SIGINT once the folder is locked, before the sweep: a line, exit 130, run.json interrupted, no lock left', async () => {
      const out = join(mkdtempSync(join(tmpdir(), 'tb-early-')), 'run');
      // The machine measured (no --unmeasured-machine): the calibration is what runs after the
      // lock and before the sweep. The page undrawn: an interrupted run draws it, 0.7 CPU-s.
      const run = startCli([...WORKERS_RUN, '--undrawn-page', ...ONE_CONFIGURATION, '--time', '200', '--no-progress', '--out', out], INJECT_CLI, NO_NATIVE);
      // The moment the lock exists: before the lifecycle listened, this killed the run with the lock left.
      while (!existsSync(out) || !readdirSync(out).some((name) => name.endsWith('.lock'))) await new Promise((resolve) => setTimeout(resolve, 2));
      run.child.kill('SIGINT');
      const { code, stderr } = await run.exited;
      assert.equal(code, 130, stderr);
      assert.match(stderr, /^SIGINT: stopping/m);
      assert.deepEqual(readdirSync(out).filter((name) => name.endsWith('.lock') || name.endsWith('.tmp')), [], 'no lock left');
      assert.equal(readRunJson(out).status, 'interrupted');
    });
  });

  describe('item 12: a double Ctrl-C on a terminal', () => {
    it('hands the terminal back: the progress bar\'s hidden cursor shown again, line wrap on again', async () => {
      const out = mkdtempSync(join(tmpdir(), 'tb-tty-'));
      const command = [process.execPath, INJECT_CLI, ...WORKERS_RUN, ...UNMEASURED, ...TWO_CONFIGURATIONS, ...SIGNALLED_WINDOW, '--out', out, '--hold-after-work'].map((arg) => `'${arg}'`).join(' ');
      // script(1) gives the run a terminal, so it draws its bar; its output is the terminal's.
      const tty = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...process.env, NO_COLOR: '1', ...NO_NATIVE }, stdio: ['ignore', 'pipe', 'inherit'] });
      let screen = '';
      const waiting = new Set<() => void>();
      tty.stdout.on('data', (chunk: Buffer) => {
        screen += chunk.toString();
        for (const check of waiting) check();
      });
      const closed = new Promise<void>((resolve) => tty.on('close', () => resolve()));
      const shown = (pattern: RegExp) => new Promise<void>((resolve) => {
        const check = () => {
          if (pattern.test(screen)) resolve();
        };
        waiting.add(check);
        check();
      });
      await shown(/samples/);
      const run = await descendantRunning(tty.pid!, INJECT_CLI);
      process.kill(run, 'SIGINT');
      await shown(new RegExp(HOLD_LINE));
      process.kill(run, 'SIGINT');
      await closed;
      const end = screen.slice(screen.lastIndexOf('\u001b[?25l'));
      assert.ok(screen.includes('\u001b[?25l'), 'the bar hid the cursor');
      assert.match(screen, /SIGINT again: exiting now/);
      assert.ok(end.includes('\u001b[?25h'), 'the cursor is shown again before the exit');
      assert.ok(screen.slice(screen.lastIndexOf('\u001b[?7l')).includes('\u001b[?7h'), 'line wrap is on again before the exit');
    });
  });

  describe('item 12: SIGTERM during the final save', () => {
    it('interrupted nothing: run.json completed and exit 0 agree, after a line saying so', async () => {
      const out = mkdtempSync(join(tmpdir(), 'tb-late-term-'));
      // Scripted steps (the test entry's --scripted-steps, on a fake clock): the work is done
      // before the signal, whatever it was, so no pool is opened nor window spun for it.
      const run = startCli([...WORKERS_RUN, ...UNMEASURED, ...ONE_CONFIGURATION, '--scripted-steps', '0.5', '--time', '100', '--rounds', '1', '--no-progress', '--out', out, '--hold-after-work'], INJECT_CLI, NO_NATIVE);
      // Every configuration is measured; the run holds before its final save.
      await run.waitFor(new RegExp(HOLD_LINE));
      run.child.kill('SIGTERM');
      await run.waitFor(/SIGTERM: every configuration had finished/);
      const { code, stderr } = await run.exited;
      assert.equal(code, 0, stderr);
      assert.equal(readRunJson(out).status, 'completed');
      assert.ok(existsSync(join(out, 'report.html')));
    });
  });
});
