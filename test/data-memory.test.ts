/**
 * Loading --data under a memory cap (issue 23, item 10): the CSV is parsed as it streams
 * into float32 rows, so the peak memory of loading follows the samples, not the text and
 * its cells (a 51 MB file once peaked at 1.2 GB under --max-memory 400M). Measured as the
 * peak RSS (VmHWM) of a child that only loads, on a small file under a cap scaled down.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { runCli } from './helpers.js';
import { tempDir } from './data-fixtures.js';

const CSV_MODULE = fileURLToPath(new URL('../src/data/csv.js', import.meta.url));
const MIB = 2 ** 20;

/** Lines of a block that wideNumbersCsv repeats: formatting every line anew (300,000 for this file) took a second of CPU. */
const BLOCK_LINES = 1000;

/** `rows` (a multiple of BLOCK_LINES) samples of 8 features with 10 labels, about 62 bytes a line. */
function wideNumbersCsv(rows: number): string {
  const path = join(tempDir('tb-mem-'), 'numbers.csv');
  const lines: string[] = [];
  for (let i = 0; i < BLOCK_LINES; i++) {
    const cells = [`c${i % 10}`];
    for (let k = 0; k < 8; k++) cells.push(Math.sin(i * k + 1).toFixed(4));
    lines.push(cells.join(','));
  }
  writeFileSync(path, `${lines.join('\n')}\n`.repeat(rows / BLOCK_LINES));
  return path;
}

/** Loads `path` in a fresh child under an allowance of `allowanceBytes`: the growth of its peak RSS while loading. */
function loadingPeak(path: string, allowanceBytes: number): { grewBytes: number; count: number } {
  const script = `
    import { readFileSync } from 'node:fs';
    import { loadCsv } from ${JSON.stringify(CSV_MODULE)};
    import { dataMemoryCap } from ${JSON.stringify(CSV_MODULE.replace(/csv\.js$/, 'read-capped.js'))};
    const kib = (key) => Number(new RegExp(key + ':\\\\s+(\\\\d+)').exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
    const before = kib('VmRSS');
    const data = await loadCsv(${JSON.stringify(path)}, undefined, { cap: dataMemoryCap({ bytes: ${allowanceBytes}, source: '--max-memory' }) });
    console.log(JSON.stringify({ grewBytes: kib('VmHWM') - before, count: data.count }));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout) as { grewBytes: number; count: number };
}

describe('loading --data holds the samples, not the text', () => {
  it('a 12 MB, 200,000-line CSV loads under a 128 MiB allowance with the peak RSS growing less than the allowance', () => {
    const path = wideNumbersCsv(200_000);
    const { grewBytes, count } = loadingPeak(path, 128 * MIB);
    assert.equal(count, 200_000);
    // 200,000 x 9 x 4 bytes = 6.9 MiB of samples; parsing the text into cells whole took about 280 MiB.
    assert.ok(grewBytes < 128 * MIB, `loading grew the peak RSS by ${(grewBytes / MIB).toFixed(0)} MiB`);
  });

  it('a CSV whose samples pass the cap is refused on one line, exit 2, with the --max-memory that would load it', () => {
    const path = wideNumbersCsv(100_000);
    const result = runCli(['verify', '--data', path, '--dims', '8x4', '--batch', '64', '--engines', 'workers', '--kernels', 'js', '--threads', '1', '--max-memory', '8M']);
    assert.equal(result.code, 2, result.stderr);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0]!, /--data .*numbers\.csv: [0-9,]+ samples of 8 features read so far, about [0-9.]+ MiB to load in all: more than the 2\.00 MiB loading may hold \(a quarter of the 8\.00 MiB allowed \(--max-memory\)\); --max-memory (\d+)M or more would load it/);
    const needed = Number(/--max-memory (\d+)M or more/.exec(lines[0]!)![1]);
    // 100,000 samples of 8 features and a label: 3.4 MiB, held twice while loading, a quarter of
    // the allowance (27 MiB), plus what the process holds already, which the command counts too.
    assert.ok(needed >= 27 + 20 && needed <= 40 + 400, `needed ${needed}M`);
    const loads = runCli(['verify', '--data', path, '--dims', '8x4', '--batch', '64', '--engines', 'workers', '--kernels', 'js', '--threads', '1', '--strategies', 'dense', '--no-autograd', '--max-memory', `${needed}M`]);
    assert.equal(loads.code, 0, loads.stderr);
  });
});
