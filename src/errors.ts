/** Turning any thrown value into the one line a user sees. */

/** The message of an error, or the value itself as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
