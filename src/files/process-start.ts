/**
 * When a process started, to tell it from a later process given the same pid (pids wrap,
 * and a container's command is often pid 1 every time): Linux's /proc/PID/stat field 22,
 * starttime, in clock ticks since boot. Elsewhere there is no such file and no answer.
 */
import { readTextIfExists } from './read-text.js';

/** Field 22 of a /proc/PID/stat text; undefined when malformed. Fields are counted after the last `)`: the command name (field 2) may hold spaces and parentheses (as in src/environment/interference.ts). */
export function startTimeOfStat(text: string): number | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const rest = text.slice(close + 1).trim().split(/\s+/);
  // rest[0] is field 3 (state).
  const start = Number(rest[22 - 3]);
  return Number.isSafeInteger(start) && start >= 0 ? start : undefined;
}

/** The start time of process `pid` (ticks since boot), or undefined where it cannot be read (gone, not Linux). */
export function processStartTime(pid: number, proc = '/proc'): number | undefined {
  const text = readTextIfExists(`${proc}/${pid}/stat`);
  return text === undefined ? undefined : startTimeOfStat(text);
}
