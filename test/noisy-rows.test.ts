/** The end-of-run warning for noisy rows: one line for all of them (src/report/noisy-rows.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LISTED_ROWS } from '../src/bench/row-list.js';
import { noisyRowsWarning, NOISY_RME_PCT } from '../src/report/noisy-rows.js';
import { plainRow } from './fixtures.js';

const label = (row: { threads: number }) => `T=${row.threads}`;

describe('noisyRowsWarning', () => {
  it('says nothing when every timed row is within the limit, or only failed rows are noisy', () => {
    const rows = [plainRow({ rme_pct: 1 }), plainRow({ rme_pct: NOISY_RME_PCT }), plainRow({ rme_pct: 40, status: 'errored' }), plainRow({ rme_pct: null })];
    assert.equal(noisyRowsWarning(rows, label), undefined);
  });

  it('names the noisy timed rows in one line, noisiest first, out of the timed rows', () => {
    const rows = [
      plainRow({ threads: 1, rme_pct: 6.04 }),
      plainRow({ threads: 2, rme_pct: 2 }),
      plainRow({ threads: 3, rme_pct: 12.25 }),
      plainRow({ threads: 4, rme_pct: 30, status: 'errored' }),
    ];
    assert.equal(
      noisyRowsWarning(rows, label),
      '2 of 3 timed rows have an rme above 5 % (rme_pct): T=3 (12.3 %), T=1 (6.0 %); too noisy to compare: raise --time or quiet the machine',
    );
  });

  it('names the first few and counts the rest', () => {
    const count = LISTED_ROWS + 3;
    const rows = Array.from({ length: count }, (_, i) => plainRow({ threads: i + 1, rme_pct: 6 + i }));
    const warning = noisyRowsWarning(rows, label)!;
    assert.match(warning, new RegExp(`^${count} of ${count} timed rows`));
    assert.match(warning, new RegExp(`T=${count} \\(${(5 + count).toFixed(1)} %\\)`), 'the noisiest is named');
    assert.doesNotMatch(warning, /T=1 \(/, 'the quietest is not');
    assert.match(warning, / and 3 more; /);
    assert.equal(warning.split('\n').length, 1);
  });
});
