import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadCsv } from '../src/data/csv.js';
import { DataError } from '../src/data/dataset.js';
import { loadMnist } from '../src/data/mnist.js';
import { csvFile, tempDir } from './data-fixtures.js';

describe('CSV loader', () => {
  it('reads labels and features, with a BOM, CRLF, quotes and blank lines', async () => {
    const path = csvFile('ok.csv', '\uFEFFa,1,2.5\r\n"b", "3" ,-4e-1\r\n\r\na,0,0\r\nb,1,1\r\n');
    const data = await loadCsv(path);
    assert.equal(data.count, 4);
    assert.equal(data.dIn, 2);
    assert.deepEqual([...data.labels], [0, 1, 0, 1]);
    assert.deepEqual(data.labelNames, ['a', 'b']);
    assert.deepEqual([...data.features], [1, 2.5, 3, Math.fround(-0.4), 0, 0, 1, 1]);
  });

  it('takes the label from the column --label-column names, and skips a header of names', async () => {
    const path = csvFile('header.csv', 'x1,kind,x2\r\n1,cat,2\r\n3,dog,4\r\n5,cat,6\r\n7,dog,8\r\n');
    const data = await loadCsv(path, 'kind');
    assert.deepEqual(data.labelNames, ['cat', 'dog']);
    assert.deepEqual([...data.features], [1, 2, 3, 4, 5, 6, 7, 8]);
    const implicit = await loadCsv(csvFile('names.csv', 'label,x1,x2\na,1,2\nb,3,4\na,5,6\nb,7,8\n'));
    assert.equal(implicit.count, 4);
  });

  it('loads the 10,000 MNIST digits of the mnist package, 784 features in [0, 1]', () => {
    const data = loadMnist();
    assert.equal(data.count, 10_000);
    assert.equal(data.dIn, 784);
    assert.equal(data.labelNames.length, 10);
    let min = Infinity;
    let max = -Infinity;
    for (const x of data.features) {
      if (x < min) min = x;
      if (x > max) max = x;
    }
    assert.ok(min >= 0 && max <= 1 && max > 0.9, `range [${min}, ${max}]`);
  });
});

/** Each bad file: its text, and what the one-line message must say besides the path. */
const BAD_FILES: readonly { name: string; text: string; says: RegExp; labelColumn?: string }[] = [
  { name: 'ragged', text: 'a,1,2\nb,3\na,5,6\nb,7,8\n', says: /line 2: 2 columns, expected 3/ },
  { name: 'non-numeric', text: 'a,1,2\nb,3,4\na,x5,6\nb,7,8\n', says: /line 3, column 2: feature 'x5' is not a number/ },
  { name: 'nan', text: 'a,1,2\nb,3,NaN\na,5,6\nb,7,8\n', says: /line 2, column 3: feature 'NaN' is not a finite number/ },
  { name: 'infinity', text: 'a,1,2\nb,3,4\na,-Infinity,6\nb,7,8\n', says: /line 3, column 2: .*not a finite number/ },
  { name: 'overflow', text: 'a,1,2\nb,3,4\na,1e39,6\nb,7,8\n', says: /line 3, column 2: .*not a finite number/ },
  { name: 'empty-cell', text: 'a,1,2\nb,3,\na,5,6\nb,7,8\n', says: /line 2, column 3: feature '' is not a number/ },
  { name: 'single-label', text: 'a,1,2\na,3,4\na,5,6\n', says: /every sample has the label 'a'/ },
  { name: 'lonely-label', text: 'a,1,2\nb,3,4\na,5,6\nc,0,0\nb,7,8\n', says: /line 4: the label 'c' has one sample/ },
  { name: 'empty', text: '', says: /empty file/ },
  { name: 'blank', text: '\r\n\n', says: /empty file/ },
  { name: 'header-only', text: 'label,x1,x2\n', says: /a header and no samples/ },
  { name: 'missing-column', text: 'label,x1,x2\na,1,2\nb,3,4\n', says: /line 1: --label-column kind: no such column/, labelColumn: 'kind' },
  { name: 'bad-quote', text: 'a,1,2\nb,"3,4\n', says: /line \d+: not valid CSV/ },
];

describe('bad data: one line naming the file and line, exit 2 (DataError)', () => {
  for (const { name, text, says, labelColumn } of BAD_FILES) {
    it(name, async () => {
      const path = csvFile(`${name}.csv`, text);
      await assert.rejects(
        loadCsv(path, labelColumn),
        (error: unknown) => {
          assert.ok(error instanceof DataError, String(error));
          assert.ok(error.message.startsWith(path), error.message);
          assert.match(error.message, says);
          assert.doesNotMatch(error.message, /\n/);
          return true;
        },
      );
    });
  }

  it('a missing file and a folder', async () => {
    const dir = tempDir('tb-data-');
    await assert.rejects(loadCsv(join(dir, 'nope.csv')), /nope\.csv: no such file/);
    mkdirSync(join(dir, 'folder.csv'));
    await assert.rejects(loadCsv(join(dir, 'folder.csv')), /folder\.csv: is a folder; expected a CSV file/);
  });
});
