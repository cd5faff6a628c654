/**
 * Reading a results.csv back into rows, for `report` and `compare`. The CSV is the
 * contract (docs/design.md, "The CSV contract"), so the reader checks the contract's
 * columns and undoes what the writer did: empty cells become null, numeric columns
 * numbers, and the apostrophe that defused a formula-looking text cell is taken off again.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { CONTRACT_COLUMNS, CSV_COLUMNS, type Cell, type ResultRow } from '../bench/rows.js';
import { UsageError } from '../errors.js';

/** Columns that hold text; every other column of the CSV holds numbers. */
const TEXT_COLUMNS = new Set(['run_id', 'engine', 'kernel', 'formulation', 'strategy', 'status', 'note', 'host', 'cpu_model', 'node_version', 'data', 'precision_met', 'bound', 'scaling']);

/** Columns a row cannot be drawn or paired without; empty only in a broken file. */
const REQUIRED_CELLS = ['engine', 'kernel', 'formulation', 'strategy', 'threads', 'batch', 'd_in', 'd_out', 'status'] as const;

const STATUSES = new Set(['ok', 'errored', 'skipped']);

/** Undoes defuseFormula (csv.ts): an apostrophe before = + - @ tab or CR. */
function restoreFormula(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

function cellOf(column: string, text: string, where: string): Cell {
  if (text === '') return null;
  if (TEXT_COLUMNS.has(column)) return restoreFormula(text);
  const value = Number(text);
  if (!Number.isFinite(value)) throw new UsageError(`${where}: column ${column} expects a number, got '${text}'`);
  return value;
}

/** Parses CSV text into result rows; `file` names the source in every error. */
export function parseResultsCsv(text: string, file: string): ResultRow[] {
  let records: string[][];
  try {
    records = parse(text, { skip_empty_lines: true }) as string[][];
  } catch (error) {
    throw new UsageError(`${file}: not a results CSV (${(error as Error).message.split('\n')[0]}); expected the results.csv that triplet-bench run writes`);
  }
  const header = records[0];
  if (!header || !header.includes('engine') || !header.includes('run_id')) {
    throw new UsageError(`${file}: not a results CSV; expected a header starting ${CONTRACT_COLUMNS.slice(0, 4).join(',')},...`);
  }
  const missing = CONTRACT_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) throw new UsageError(`${file}: missing columns ${missing.join(', ')}; expected every column of the results.csv contract`);
  return records.slice(1).map((record, index) => {
    const where = `${file} line ${index + 2}`;
    if (record.length !== header.length) throw new UsageError(`${where}: ${record.length} cells, expected ${header.length} as in the header`);
    // Columns a newer or older writer added or lacks: the known ones are kept, missing ones empty.
    const row = Object.fromEntries(CSV_COLUMNS.map((column) => [column, null])) as Record<string, Cell>;
    header.forEach((column, c) => {
      if ((CSV_COLUMNS as readonly string[]).includes(column)) row[column] = cellOf(column, record[c]!, where);
    });
    for (const column of REQUIRED_CELLS) {
      if (row[column] === null) throw new UsageError(`${where}: column ${column} is empty; expected a value in every row`);
    }
    if (!STATUSES.has(String(row['status']))) throw new UsageError(`${where}: status '${row['status']}', expected ok, errored or skipped`);
    return row as ResultRow;
  });
}

/** Reads and parses a results.csv; a UsageError naming the file for anything amiss. */
export function readResultsCsv(file: string): ResultRow[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : `cannot be read (${code ?? 'error'})`;
    throw new UsageError(`${file}: ${why}; expected a results.csv from triplet-bench run`);
  }
  return parseResultsCsv(text, file);
}
