/**
 * The progress display on terminals that cannot take all of it (issue 23, item 12):
 * TERM=dumb got cursor escapes printed as text, and LANG=C the bar's UTF-8 blocks. A
 * stream that says it is a terminal stands in for stderr.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import type { PlannedConfig } from '../src/bench/plan.js';
import { createProgress } from '../src/console/progress.js';

const CONFIG = { engine: 'workers', kernel: 'js', formulation: 'fused', strategy: 'dense', threads: 2 } as PlannedConfig;

/**
 * What the progress display writes to a terminal of `env` while one configuration starts
 * and a line is logged. The bar draws on its own timer (cli-progress redraws ten times a
 * second): the wait, on a timer set after the bar's, lets it draw once.
 */
async function shown(env: NodeJS.ProcessEnv): Promise<string> {
  const terminal = Object.assign(new PassThrough(), { isTTY: true, columns: 100 }) as unknown as NodeJS.WriteStream;
  let text = '';
  terminal.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const progress = createProgress(2, true, terminal, env);
  progress.start(CONFIG, 'B=64 16x8');
  await sleep(300);
  progress.log('a line');
  progress.stop();
  return text;
}

describe('progress on a terminal', () => {
  it('draws the bar in UTF-8 blocks on a capable terminal (what the cases below must not get)', async () => {
    const text = await shown({ TERM: 'xterm-256color', LANG: 'en_US.UTF-8', NO_COLOR: '1' });
    assert.match(text, /\u2591/);
    assert.ok(text.includes('\u001b['), 'cursor escapes');
  });

  it('TERM=dumb: no escape at all, one plain line per configuration', async () => {
    const text = await shown({ TERM: 'dumb', LANG: 'en_US.UTF-8' });
    assert.ok(!text.includes('\u001b'), JSON.stringify(text));
    assert.match(text, /^\[1\/2\] B=64 16x8 workers\/js fused dense T=2 \.\.\. \na line\n$/);
  });

  for (const env of [{ LANG: 'C' }, { LANG: 'en_US.UTF-8', LC_ALL: 'POSIX' }, {}]) {
    it(`a locale that is not UTF-8 (${JSON.stringify(env)}): the bar in ASCII`, async () => {
      const text = await shown({ TERM: 'xterm-256color', NO_COLOR: '1', ...env });
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(text, /[^\u0000-\u007f]/);
      assert.match(text, /-{10}/);
    });
  }
});
