/**
 * A tfjs host for tests: the product's host (src/engines/tfjs/host.ts), killed by SIGKILL
 * as its timing window starts, as a native crash would end it.
 */
import '../../src/engines/tfjs/host.js';
import type { HostRequest } from '../../src/engines/tfjs/protocol.js';

// Ahead of the product's listener, so the window never starts: a timer would wait for a
// window that keeps the event loop busy to its end.
process.prependListener('message', (request: unknown) => {
  if ((request as HostRequest).type === 'time') process.kill(process.pid, 'SIGKILL');
});
