/**
 * breakeven.csv beside results.csv: one line per engine, kernel, formulation, thread count
 * and workload shape, the break-even figures of src/report/breakeven.ts. It is derived
 * from the rows alone, so `report` recomputes it from any results.csv.
 */
import { Parser } from '@json2csv/plainjs';
import { string as stringFormatter } from '@json2csv/formatters';
import type { ResultRow } from '../bench/rows.js';
import { breakEvens, type BreakEven } from './breakeven.js';
import { defuseFormula } from './csv.js';
import type { ReportExporter } from './exporter.js';

/** The file's name in a run folder. */
export const BREAK_EVEN_FILE = 'breakeven.csv';

/** Columns of breakeven.csv, in order. */
export const BREAK_EVEN_COLUMNS = [
  'host', 'run_id', 'engine', 'kernel', 'formulation', 'threads', 'batch', 'd_in', 'd_out', 'data',
  'fractions', 'status', 'crossings', 'break_even', 'bracket_low', 'bracket_high', 'rests_on',
  'lowest_fraction', 'dense_ms_at_lowest', 'compact_ms_at_lowest', 'speedup_at_lowest', 'flop_model_at_lowest',
  'speedup_vs_model', 'flop_model_break_even',
] as const;

type Line = Record<(typeof BREAK_EVEN_COLUMNS)[number], string | number | undefined>;

const round = (value: number, digits = 4) => Number(value.toFixed(digits));

/** One group as a line of the file; `rests_on` lists fraction:speedup pairs. */
function line(b: BreakEven): Line {
  return {
    host: b.host,
    run_id: b.runId,
    engine: b.engine,
    kernel: b.kernel,
    formulation: b.formulation,
    threads: b.threads,
    batch: b.batch,
    d_in: b.dIn,
    d_out: b.dOut,
    data: b.data,
    fractions: b.points.map((p) => round(p.activeFraction)).join(' '),
    status: b.status,
    crossings: b.crossings,
    break_even: b.breakEven === null ? undefined : round(b.breakEven),
    bracket_low: round(b.bracket[0]),
    bracket_high: round(b.bracket[1]),
    rests_on: b.restsOn.map((p) => `${round(p.activeFraction)}:${round(p.speedup, 3)}`).join(' '),
    lowest_fraction: round(b.lowest.activeFraction),
    dense_ms_at_lowest: round(b.lowest.denseMs, 3),
    compact_ms_at_lowest: round(b.lowest.compactMs, 3),
    speedup_at_lowest: round(b.lowest.speedup, 3),
    flop_model_at_lowest: round(b.flopModelAtLowest, 3),
    speedup_vs_model: round(b.lowest.speedup / b.flopModelAtLowest, 3),
    flop_model_break_even: round(b.flopModelBreakEven),
  };
}

const quoted = stringFormatter();

/** The CSV text: header, then one line per group (a header alone when no kernel was timed both ways). */
export function breakEvenCsv(rows: readonly ResultRow[]): string {
  const lines = breakEvens(rows).map(line);
  if (lines.length === 0) return `${BREAK_EVEN_COLUMNS.map((c) => `"${c}"`).join(',')}\n`;
  const parser = new Parser({
    fields: [...BREAK_EVEN_COLUMNS],
    defaultValue: '',
    formatters: { string: (value: string) => quoted(defuseFormula(value)) },
  });
  return `${parser.parse(lines)}\n`;
}

/**
 * breakeven.csv from every source's rows, so a merged report gets the break-even of each
 * file's. A file whose header opens with these columns and has break_even is one of this
 * tool's, of any version (later ones may add columns).
 */
export const breakEvenCsvExporter: ReportExporter = {
  file: BREAK_EVEN_FILE,
  label: 'break-even',
  render: (input) => breakEvenCsv(input.sources.flatMap((s) => s.rows)),
  recognizes: (text) => {
    const [header = ''] = text.split('\n', 1);
    const columns = header.replace(/"/g, '').trim().split(',');
    return BREAK_EVEN_COLUMNS.slice(0, 4).every((column, i) => columns[i] === column) && columns.includes('break_even');
  },
};
