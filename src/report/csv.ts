/**
 * results.csv: the rows in the contract's column order, written with json2csv. Strings
 * that a spreadsheet would run as a formula (= + - @, tab, CR first) are defused with a
 * leading apostrophe, so a host name or a note cannot inject one.
 */
import { Parser } from '@json2csv/plainjs';
import { string as stringFormatter } from '@json2csv/formatters';
import { CSV_COLUMNS, type ResultRow } from '../bench/rows.js';
import type { Exporter } from './exporter.js';

const quoted = stringFormatter();

/** Prefixes a formula-looking string with an apostrophe (OWASP's CSV injection advice). */
export function defuseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The CSV text of the rows: header, then one line per row; empty cells for null. */
export function resultsCsv(rows: readonly ResultRow[]): string {
  const parser = new Parser({
    fields: [...CSV_COLUMNS],
    defaultValue: '',
    formatters: { string: (value: string) => quoted(defuseFormula(value)) },
  });
  const plain = rows.map((row) =>
    Object.fromEntries(Object.entries(row).map(([key, value]) => [key, value === null ? undefined : value])),
  );
  // json2csv emits no header for no rows; a header alone is still a valid CSV.
  return `${plain.length > 0 ? parser.parse(plain) : CSV_COLUMNS.map((c) => `"${c}"`).join(',')}\n`;
}

/** The results file's name in a run folder. */
export const RESULTS_FILE = 'results.csv';

/** results.csv, rewritten with run.json after every configuration (src/report/run-report.ts). */
export const resultsCsvExporter: Exporter<{ readonly rows: readonly ResultRow[] }, string> = {
  file: RESULTS_FILE,
  label: 'results',
  render: (input) => resultsCsv(input.rows),
};
