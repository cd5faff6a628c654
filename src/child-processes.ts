/**
 * Every child process a command starts (tfjs hosts, baseline timing children, the
 * roofline's GEMM child) is registered here, so that none outlives the command (issue 23,
 * item 4): a host stopped with SIGSTOP during its warm-up never answered, its session was
 * never opened so nobody closed it, and its IPC channel kept the command alive for good;
 * `baseline`'s child ran on with parent 1 after a SIGTERM to its parent.
 *
 * Ending a child: SIGTERM, with SIGCONT so that a stopped child can act on it (a stopped
 * process keeps a SIGTERM pending), then SIGKILL, which ends even a stopped process, after
 * a grace period.
 */
import type { ChildProcess } from 'node:child_process';

/** How long a child has to end after SIGTERM before SIGKILL. */
export const CHILD_GRACE_MS = 5000;

const live = new Set<ChildProcess>();
let exitHooked = false;

function gone(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function send(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    child.kill(signal);
  } catch {
    // Already reaped: nothing to signal.
  }
}

/** Registers `child` until it exits; returns it. */
export function trackChild<T extends ChildProcess>(child: T): T {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHooked) {
    exitHooked = true;
    // The last resort of a process that exits at once (a second signal, process.exit): no grace is left.
    process.once('exit', killChildrenNow);
  }
  return child;
}

/** The children started and not yet exited. */
export function liveChildren(): readonly ChildProcess[] {
  return [...live].filter((child) => !gone(child));
}

/** Ends `child`: SIGTERM and SIGCONT, SIGKILL after `graceMs`; resolves once it has exited. */
export function endChild(child: ChildProcess, graceMs = CHILD_GRACE_MS): Promise<void> {
  if (gone(child)) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => send(child, 'SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    send(child, 'SIGTERM');
    send(child, 'SIGCONT');
  });
}

/** Ends every child still running (endChild each) and resolves once all have exited. */
export async function endChildren(graceMs = CHILD_GRACE_MS): Promise<void> {
  await Promise.all(liveChildren().map((child) => endChild(child, graceMs)));
}

/** SIGKILL to every child still running, synchronously: for a process exiting at once. */
export function killChildrenNow(): void {
  for (const child of liveChildren()) send(child, 'SIGKILL');
}
