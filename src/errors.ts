/** The errors a user sees, and turning any thrown value into the one line they read. */

/** Bad input: printed as one line, exit code 2 (whichever layer finds it: CLI, data, reports). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The message of an error, or the value itself as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Longest text of a user's file quoted in a message: a cell can be megabytes, or binary. */
const QUOTE_CHARS = 40;

/** A cell or parser message fit for one terminal line: control characters escaped, long text cut. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  const escaped = text.replace(/[\u0000-\u001f\u007f-\u009f\ufeff\ufffd]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > QUOTE_CHARS ? `${escaped.slice(0, QUOTE_CHARS)}... (${text.length} characters)` : escaped;
}
