/**
 * A tfjs host for tests: the product's host (src/engines/tfjs/host.ts) with the fault
 * named in HOST_FAULT_ENV: `child-kill`, killed by SIGKILL as its timing window starts, as
 * a native crash would end it; `host-stop`, stopped by SIGSTOP as it opens its
 * configuration, and never continued.
 */
import '../../src/engines/tfjs/host.js';
import type { HostRequest } from '../../src/engines/tfjs/protocol.js';
import { HOST_FAULT_ENV } from './faults.js';

const fault = process.env[HOST_FAULT_ENV] ?? 'child-kill';
// Ahead of the product's listener, so the window (or the opening) never starts: a timer
// would wait for a window that keeps the event loop busy to its end.
process.prependListener('message', (request: unknown) => {
  const type = (request as HostRequest).type;
  if (fault === 'child-kill' && type === 'time') process.kill(process.pid, 'SIGKILL');
  if (fault === 'host-stop' && type === 'open') process.kill(process.pid, 'SIGSTOP');
});
