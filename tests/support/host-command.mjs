// How the kiosk host is started: `npm run serve` (package.json), the tests and the benches all run
// `node ${HOST_NODE_FLAGS} dist/host/start.js …` (the compile cache on, then dist/host/cli.js), so what is measured and tested is what ships
// (tests/node/host/host-command.test.ts checks package.json against this list).
import { join } from 'node:path';

/**
 * V8's young generation capped at 4 MiB semi-spaces (default 16): each request's garbage is
 * collected sooner, in shorter scavenges, instead of growing the resident set by ~35 MiB
 * (host-rss-hwm-mib, issue 18; bench/README.md says where the host's memory goes). 4, not 2: at
 * 2 MiB a scan into a 300-line cart paid twice the collection time (0.8 vs 0.4 ms) for no resident
 * memory saved (117.5 vs 118.0 MiB); 8 MiB saved 0.15 ms more and cost 10 MiB.
 */
export const HOST_NODE_FLAGS = ['--max-semi-space-size=4'];

/** The arguments after `node` that start the built host from `root` with `args`. */
export function hostArgs(root, args) {
  return [...HOST_NODE_FLAGS, join(root, 'dist', 'host', 'start.js'), ...args];
}
