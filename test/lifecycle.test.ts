import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
