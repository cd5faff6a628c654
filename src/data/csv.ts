/**
 * Labelled samples from a CSV file: one sample per line, the label in the first column
 * (or in the column a header names, with `--label-column`), numeric features in the
 * others. Parsed with csv-parse (quotes, BOM, CRLF); every fault is reported as one
 * line naming the file and the line.
 */
import { parse } from 'csv-parse/sync';
import { errorMessage, printable } from '../errors.js';
import { machineAllowance } from '../memory.js';
import { decodeDataText } from './decode-text.js';
import { dataReadCap, readCapped, type ReadCappedOptions } from './read-capped.js';
import { checkLabels, DataError, type LabelledData } from './dataset.js';

/** Decimal numbers only: no hex, no empty cell (Number('') is 0), no NaN or Infinity. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

interface ParsedLine {
  readonly cells: string[];
  readonly line: number;
}

function parseLines(path: string, text: string): ParsedLine[] {
  try {
    const records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
    return records.map(({ record, info }) => ({ cells: record, line: info.lines }));
  } catch (error) {
    const lines = (error as { lines?: number }).lines;
    // csv-parse quotes the offending field after "value is"; keep its reason, not the bytes.
    const reason = errorMessage(error).replace(/\s+/g, ' ').replace(/, value is .*$/, '');
    throw new DataError(`${path}${lines ? ` line ${lines}` : ''}: not valid CSV (${printable(reason)}); expected text, one labelled sample per line`);
  }
}

/** The first row is a header when `--label-column` is given, or when none of its feature cells is a number. */
function headerOf(path: string, first: ParsedLine, labelColumn: string | undefined): { labelAt: number } | undefined {
  if (labelColumn !== undefined) {
    const labelAt = first.cells.indexOf(labelColumn);
    if (labelAt < 0) throw new DataError(`${path} line ${first.line}: --label-column ${printable(labelColumn)}: no such column in the header (${printable(first.cells.join(', '))})`);
    return { labelAt };
  }
  const features = first.cells.slice(1);
  return features.length > 0 && features.every((cell) => !DECIMAL.test(cell)) ? { labelAt: 0 } : undefined;
}

/**
 * Loads and checks a labelled CSV file (or pipe); a DataError (exit 2) on the first
 * fault. `read` caps the bytes taken (default: the cap of this machine's allowance).
 */
export async function loadCsv(path: string, labelColumn?: string, read: ReadCappedOptions = { cap: dataReadCap(machineAllowance()) }): Promise<LabelledData> {
  return parseCsvText(path, decodeDataText(path, await readCapped(path, read)), labelColumn);
}

/** Parses and checks the text of a labelled CSV; `path` names it in every error. */
export function parseCsvText(path: string, text: string, labelColumn?: string): LabelledData {
  const rows = parseLines(path, text);
  if (rows.length === 0) throw new DataError(`${path}: empty file; expected one labelled sample per line`);
  const header = headerOf(path, rows[0]!, labelColumn);
  const samples = header ? rows.slice(1) : rows;
  const labelAt = header?.labelAt ?? 0;
  if (samples.length === 0) throw new DataError(`${path}: a header and no samples`);
  const width = (header ? rows[0]! : samples[0]!).cells.length;
  if (width < 2) {
    const other = [';', '\t', '|', ' '].find((separator) => samples[0]!.cells[0]!.includes(separator));
    const hint = other ? `, separated by commas (this line has ${other === '\t' ? 'tabs' : `'${other}'`})` : '';
    throw new DataError(`${path} line ${samples[0]!.line}: one column; expected a label and at least one feature${hint}`);
  }

  const dIn = width - 1;
  const features = new Float32Array(samples.length * dIn);
  const labels = new Int32Array(samples.length);
  const labelIndex = new Map<string, number>();
  samples.forEach(({ cells, line }, i) => {
    if (cells.length !== width) throw new DataError(`${path} line ${line}: ${cells.length} columns, expected ${width} like the ${header ? 'header' : 'first line'}`);
    const label = cells[labelAt]!;
    if (label === '') throw new DataError(`${path} line ${line}: empty label`);
    let index = labelIndex.get(label);
    if (index === undefined) labelIndex.set(label, (index = labelIndex.size));
    labels[i] = index;
    let k = 0;
    for (let c = 0; c < width; c++) {
      if (c === labelAt) continue;
      const cell = cells[c]!;
      const value = DECIMAL.test(cell) ? Number(cell) : Number.NaN;
      if (!Number.isFinite(value) || !Number.isFinite(Math.fround(value))) {
        const what = /^[+-]?(nan|inf(inity)?)$/i.test(cell) || DECIMAL.test(cell) ? 'not a finite number' : 'not a number';
        throw new DataError(`${path} line ${line}, column ${c + 1}: feature '${printable(cell)}' is ${what}`);
      }
      features[i * dIn + k++] = value;
    }
  });
  const data: LabelledData = { source: path, count: samples.length, dIn, features, labels, labelNames: [...labelIndex.keys()] };
  checkLabels(data, (sample) => ` line ${samples[sample]!.line}`);
  return data;
}
