import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { StopOnSignal } from '../src/interrupts.js';
import { runLifecycle, type CommandLifecycle, type EndStatus } from '../src/commands/lifecycle.js';

/** A command that records each call, with the work given. */
function recorder(work: (signal: AbortSignal) => Promise<string>) {
  const calls: string[] = [];
  const command: CommandLifecycle<string> = {
    onFirstSignal: (signal) => calls.push(`signal ${signal}`),
    work,
    save: async (result: string, status: EndStatus) => void calls.push(`save ${result} ${status}`),
    saveFailed: async (error) => {
      calls.push(`saveFailed ${(error as Error).message}`);
      throw new Error('the page could not be drawn');
    },
    release: () => calls.push('release'),
    print: (result, status) => calls.push(`print ${result} ${status}`),
  };
  return { calls, command };
}

describe('the command lifecycle', () => {
  it('completed: saves, hands the terminal back, then prints; no exit code', async () => {
    const { calls, command } = recorder(async () => 'rows');
    await runLifecycle(command);
    assert.deepEqual(calls, ['save rows completed', 'release', 'print rows completed']);
    assert.equal(process.exitCode, undefined);
  });

  it('failed: saves as failed, lets the work\'s error through (not the page\'s), prints nothing', async () => {
    const { calls, command } = recorder(async () => {
      throw new Error('the sweep broke');
    });
    await assert.rejects(runLifecycle(command), /the sweep broke/);
    assert.deepEqual(calls, ['saveFailed the sweep broke', 'release']);
  });

  it('a final save that fails: saved as failed with that error, which goes through', async () => {
    const { calls, command } = recorder(async () => 'rows');
    command.save = async () => {
      throw new Error('disk full');
    };
    await assert.rejects(runLifecycle(command), /disk full/);
    assert.deepEqual(calls, ['saveFailed disk full', 'release']);
  });

  it('a first signal: the work sees the abort, the run is saved as interrupted and exits 128 + n', async (t) => {
    t.after(() => {
      process.exitCode = undefined;
    });
    const { calls, command } = recorder(async (signal) => {
      process.emit('SIGTERM', 'SIGTERM');
      return signal.aborted ? 'aborted' : 'not aborted';
    });
    await runLifecycle(command);
    assert.deepEqual(calls, ['signal SIGTERM', 'save aborted interrupted', 'release', 'print aborted interrupted']);
    assert.equal(process.exitCode, 143);
    assert.equal(process.listenerCount('SIGTERM'), 0, 'listeners removed');
  });
});

describe('the command lifecycle and signals (issue 23, item 12)', () => {
  /** A StopOnSignal on an emitter of its own whose second signal records its exit instead of exiting. */
  function fakeSignals() {
    const target = new EventEmitter();
    const exits: number[] = [];
    const stop = new StopOnSignal({ target, onFirst: () => {}, exit: (code) => exits.push(code), log: () => {} });
    return { target, exits, stop };
  }

  it('a second signal hands the terminal back (release) before it exits: a progress bar no longer leaves the cursor hidden', async () => {
    const { target, exits, stop } = fakeSignals();
    const { calls, command } = recorder(async () => {
      target.emit('SIGINT');
      target.emit('SIGINT');
      calls.push(`exits ${exits.join(',')}`);
      return 'rows';
    });
    command.onSecondSignal = (signal) => calls.push(`marked interrupted on ${signal}`);
    await runLifecycle(command, { stop });
    stop.dispose();
    process.exitCode = undefined;
    assert.deepEqual(calls.slice(0, 4), ['signal SIGINT', 'marked interrupted on SIGINT', 'release', 'exits 130'], 'released before the exit');
    assert.equal(calls.filter((call) => call === 'release').length, 1, 'released once');
  });

  it('a first signal during the final save interrupted nothing: the run stays completed and the exit code 0, after a line', async (t) => {
    t.after(() => {
      process.exitCode = undefined;
    });
    const { target, stop } = fakeSignals();
    const { calls, command } = recorder(async () => 'rows');
    command.save = async (result, status) => {
      target.emit('SIGTERM');
      calls.push(`save ${result} ${status}`);
    };
    command.log = (line) => calls.push(line);
    await runLifecycle(command, { stop });
    stop.dispose();
    assert.deepEqual(calls, ['SIGTERM: every configuration had finished; saving the files, then exiting (again to quit at once)', 'save rows completed', 'release', 'print rows completed']);
    assert.equal(process.exitCode, undefined, 'completed, so not 143');
  });

  it('a signal before the lifecycle began (withStopSignals): the work sees the abort at once, the run is interrupted, 128 + n', async (t) => {
    t.after(() => {
      process.exitCode = undefined;
    });
    const { target, stop } = fakeSignals();
    target.emit('SIGHUP');
    const { calls, command } = recorder(async (signal) => (signal.aborted ? 'aborted' : 'not aborted'));
    await runLifecycle(command, { stop });
    stop.dispose();
    assert.deepEqual(calls, ['save aborted interrupted', 'release', 'print aborted interrupted']);
    assert.equal(process.exitCode, 129);
  });
});
