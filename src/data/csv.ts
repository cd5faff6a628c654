/**
 * Labelled samples from a CSV file: one sample per line, the label in the first column
 * (or in the column a header names, with `--label-column`), numeric features in the
 * others. Parsed with csv-parse (quotes, BOM, CRLF); every fault is reported as one
 * line naming the file and the line.
 */
import { Writable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { errorMessage, printable } from '../errors.js';
import { formatBytes, machineAllowance, POOL_THREAD_BYTES } from '../memory.js';
import { checkDataHead, HEAD_BYTES, Utf8Check } from './decode-text.js';
import { dataMemoryCap, describeCap, openDataSource, readError, watchSilence, type DataCap, type ReadCappedOptions } from './read-capped.js';
import { checkLabels, DataError, type LabelledData } from './dataset.js';

/** Decimal numbers only: no hex, no empty cell (Number('') is 0), no NaN or Infinity. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** The most bytes one block of parsed rows holds (features and labels), and the share of the cap at most. */
const BLOCK_BYTES = 1 << 20;
const BLOCKS_IN_CAP = 16;

interface ParsedLine {
  readonly cells: string[];
  readonly line: number;
}

/** A csv-parse error as one line naming the file and line. */
function csvError(path: string, error: unknown): DataError {
  const lines = (error as { lines?: number }).lines;
  // csv-parse quotes the offending field after "value is"; keep its reason, not the bytes.
  const reason = errorMessage(error).replace(/\s+/g, ' ').replace(/, value is .*$/, '');
  return new DataError(`${path}${lines ? ` line ${lines}` : ''}: not valid CSV (${printable(reason)}); expected text, one labelled sample per line`);
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
 * fault. The bytes are checked and parsed as they stream in, straight into float32 rows:
 * the text and its cells are never held whole, so loading holds about twice the features
 * and labels, and stops with the figure once that passes `read.cap` (src/data/read-capped.ts).
 */
export async function loadCsv(path: string, labelColumn?: string, read: ReadCappedOptions = { cap: dataMemoryCap(machineAllowance()) }): Promise<LabelledData> {
  const source = openDataSource(path);
  const builder = new SampleBuilder(path, labelColumn, read.cap, source.size);
  const check = new Utf8Check(path);
  let head: Buffer | undefined = Buffer.alloc(0);
  let consumed = 0;
  const text = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        consumed += chunk.length;
        builder.consumed = consumed;
        if (head !== undefined) {
          // The head checks need HEAD_BYTES; a pipe may give fewer at a time.
          head = Buffer.concat([head, chunk]);
          if (head.length < HEAD_BYTES) return done();
          chunk = head;
          head = undefined;
          checkDataHead(path, chunk);
        }
        done(null, check.push(chunk));
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done) {
      try {
        if (head !== undefined && head.length > 0) {
          checkDataHead(path, head);
          this.push(check.push(head));
        }
        check.end();
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
  const parser = parse({
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
    // One line may take an eighth of the cap: /dev/zero is one endless field.
    max_record_size: Math.max(1 << 16, Math.floor(read.cap.bytes / 8)),
  });
  const sink = new Writable({
    objectMode: true,
    write({ record, info }: { record: string[]; info: { lines: number } }, _encoding, done) {
      try {
        builder.add({ cells: record, line: info.lines });
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
  const loading = pipeline(source.stream, text, parser, sink);
  const stopWatching = watchSilence(path, source, read);
  try {
    await loading;
  } catch (error) {
    if (error instanceof DataError) throw error;
    if ((error as { code?: unknown }).code === 'CSV_MAX_RECORD_SIZE') throw builder.lineTooLong(source.kind, error);
    if (typeof (error as { code?: unknown }).code === 'string' && String((error as { code: string }).code).startsWith('CSV_')) throw csvError(path, error);
    throw readError(path, error);
  } finally {
    stopWatching();
  }
  return builder.finish();
}

/**
 * Samples parsed one line at a time into blocks of float32 rows, joined into one array at
 * the end; counts what it holds against the cap and refuses, with the figure, past it.
 */
class SampleBuilder {
  /** Bytes of the source read so far, for the projection in the refusal. */
  consumed = 0;
  private first: ParsedLine | undefined;
  private header: { labelAt: number } | undefined;
  private width = 0;
  private dIn = 0;
  private rowsPerBlock = 0;
  private readonly blocks: Float32Array[] = [];
  private readonly labelBlocks: Int32Array[] = [];
  private count = 0;
  private readonly labelIndex = new Map<string, number>();
  /** The line of each label's first sample: checkLabels names a lonely label's only sample. */
  private readonly firstLineOfLabel: number[] = [];

  constructor(
    private readonly path: string,
    private readonly labelColumn: string | undefined,
    private readonly cap: DataCap,
    private readonly size: number | undefined,
  ) {}

  add(parsed: ParsedLine): void {
    if (this.first === undefined) {
      this.first = parsed;
      this.header = headerOf(this.path, parsed, this.labelColumn);
      if (this.header) return;
    }
    if (this.width === 0) this.start(parsed);
    this.addSample(parsed);
  }

  /** Fixes the width from the header or the first sample. */
  private start(firstSample: ParsedLine): void {
    const { path } = this;
    const width = (this.header ? this.first! : firstSample).cells.length;
    if (width < 2) {
      const other = [';', '\t', '|', ' '].find((separator) => firstSample.cells[0]!.includes(separator));
      const hint = other ? `, separated by commas (this line has ${other === '\t' ? 'tabs' : `'${other}'`})` : '';
      throw new DataError(`${path} line ${firstSample.line}: one column; expected a label and at least one feature${hint}`);
    }
    this.width = width;
    this.dIn = width - 1;
    const blockBytes = Math.min(BLOCK_BYTES, this.cap.bytes / BLOCKS_IN_CAP);
    this.rowsPerBlock = Math.max(1, Math.floor(blockBytes / (4 * width)));
  }

  private addSample({ cells, line }: ParsedLine): void {
    const { path, width, dIn } = this;
    if (cells.length !== width) throw new DataError(`${path} line ${line}: ${cells.length} columns, expected ${width} like the ${this.header ? 'header' : 'first line'}`);
    const labelAt = this.header?.labelAt ?? 0;
    const label = cells[labelAt]!;
    if (label === '') throw new DataError(`${path} line ${line}: empty label`);
    let index = this.labelIndex.get(label);
    if (index === undefined) {
      this.labelIndex.set(label, (index = this.labelIndex.size));
      this.firstLineOfLabel.push(line);
    }
    const inBlock = this.count % this.rowsPerBlock;
    if (inBlock === 0) this.newBlock();
    const features = this.blocks[this.blocks.length - 1]!;
    this.labelBlocks[this.labelBlocks.length - 1]![inBlock] = index;
    let k = inBlock * dIn;
    for (let c = 0; c < width; c++) {
      if (c === labelAt) continue;
      const cell = cells[c]!;
      const value = DECIMAL.test(cell) ? Number(cell) : Number.NaN;
      if (!Number.isFinite(value) || !Number.isFinite(Math.fround(value))) {
        const what = /^[+-]?(nan|inf(inity)?)$/i.test(cell) || DECIMAL.test(cell) ? 'not a finite number' : 'not a number';
        throw new DataError(`${path} line ${line}, column ${c + 1}: feature '${printable(cell)}' is ${what}`);
      }
      features[k++] = value;
    }
    this.count++;
  }

  /** Bytes one block of rows holds: features and labels. */
  private blockBytes(): number {
    return this.rowsPerBlock * (this.dIn + 1) * 4;
  }

  /** Starts a block, unless the blocks and the array they will be joined into would pass the cap. */
  private newBlock(): void {
    const held = (this.blocks.length + 1) * this.blockBytes();
    if (2 * held > this.cap.bytes) throw this.tooLarge();
    this.blocks.push(new Float32Array(this.rowsPerBlock * this.dIn));
    this.labelBlocks.push(new Int32Array(this.rowsPerBlock));
  }

  /** The refusal: what the samples so far hold, what the whole file would, and the --max-memory it needs. */
  private tooLarge(): DataError {
    const heldBytes = 2 * this.count * (this.dIn + 1) * 4;
    // A regular file's size projects the whole from the share read so far; a pipe's cannot.
    const projected = this.size !== undefined && this.consumed > 0 ? (heldBytes * this.size) / this.consumed : undefined;
    const need = Math.max(projected ?? 0, heldBytes + 2 * this.blockBytes());
    // Loading may hold its share of the allowance; the command also counts what this process
    // already holds, the data's copy and a pool thread (src/memory.ts), so the figure named
    // covers those too (at one thread: more threads need more, and say so).
    const allowance = Math.ceil(need / (this.cap.bytes / this.cap.allowance.bytes)) + process.memoryUsage.rss() + need / 2 + POOL_THREAD_BYTES;
    return new DataError(
      `--data ${this.path}: ${this.count.toLocaleString('en-US')} samples of ${this.dIn} features read so far, ` +
        `${projected === undefined ? 'and more to come' : `about ${formatBytes(projected)} to load in all`}: ` +
        `more than the ${formatBytes(this.cap.bytes)} loading may hold (${describeCap(this.cap)}); ` +
        `--max-memory ${Math.ceil(allowance / 2 ** 20)}M or more would load it`,
    );
  }

  /** A line longer than csv-parse was allowed to buffer. */
  lineTooLong(kind: string, error: unknown): DataError {
    const lines = (error as { lines?: number }).lines;
    return new DataError(
      `--data ${this.path}${lines ? ` line ${lines}` : ''}: ${kind} with a line of more than ${formatBytes(Math.max(1 << 16, Math.floor(this.cap.bytes / 8)))} ` +
        `(stopped after ${formatBytes(this.consumed)}), the most one line may take (an eighth of the ${formatBytes(this.cap.bytes)} loading may hold, ${describeCap(this.cap)}); raise --max-memory for longer lines`,
    );
  }

  /** The samples as one LabelledData, checked for triplets. */
  finish(): LabelledData {
    const { path } = this;
    if (this.first === undefined) throw new DataError(`${path}: empty file; expected one labelled sample per line`);
    if (this.count === 0) throw new DataError(`${path}: a header and no samples`);
    const { count, dIn, rowsPerBlock } = this;
    const features = new Float32Array(count * dIn);
    const labels = new Int32Array(count);
    this.blocks.forEach((block, b) => {
      const rows = Math.min(rowsPerBlock, count - b * rowsPerBlock);
      features.set(rows === rowsPerBlock ? block : block.subarray(0, rows * dIn), b * rowsPerBlock * dIn);
      labels.set(this.labelBlocks[b]!.subarray(0, rows), b * rowsPerBlock);
    });
    this.blocks.length = 0;
    this.labelBlocks.length = 0;
    const data: LabelledData = { source: path, count, dIn, features, labels, labelNames: [...this.labelIndex.keys()] };
    checkLabels(data, (sample) => ` line ${this.firstLineOfLabel[labels[sample]!]!}`);
    return data;
  }
}
