/**
 * Run ids that stay unique when many runs start in the same second, on one host or on
 * many writing into one shared folder: the time to the millisecond (so ids sort by
 * start), the host, the process id and a random part.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** A host name fit for a folder name: letters, digits, dot and dash, at most 40 characters. */
export function safeHostName(host = hostname()): string {
  return host.replace(/[^A-Za-z0-9.-]+/g, '-').slice(0, 40) || 'host';
}

/** `2026-11-28T16-05-09.123Z-myhost-12345-a1b2c3`: sortable, file-name safe and unique. */
export function uniqueRunId(started: Date, host = hostname(), pid = process.pid): string {
  const time = started.toISOString().replace(/:/g, '-');
  return `${time}-${safeHostName(host)}-${pid}-${randomBytes(3).toString('hex')}`;
}
