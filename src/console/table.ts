/** A plain aligned text table for the terminal: a header row, then one line per row. */

/** Formats rows as aligned columns; numbers right-aligned, text left-aligned. */
export function formatTable(columns: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = rows.map((row) => row.map((cell) => String(cell)));
  const widths = columns.map((title, c) => Math.max(title.length, ...cells.map((row) => row[c]?.length ?? 0)));
  const numeric = columns.map((_, c) => rows.length > 0 && rows.every((row) => typeof row[c] === 'number'));
  const line = (row: readonly string[]) =>
    row.map((cell, c) => (numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  return [line(columns), ...cells.map(line)].join('\n');
}
