// How the kiosk host is started: `npm run serve` (package.json), the tests and the benches all run
// `node ${HOST_NODE_FLAGS} dist/host/start.js …` (the compile cache on, then dist/host/cli.js), so what is measured and tested is what ships
// (tests/node/host/host-command.test.ts checks package.json against this list).
import { join } from 'node:path';

/**
 * V8's young generation capped at 2 MiB semi-spaces (default 16): each request's garbage is
 * collected sooner, in shorter scavenges, instead of growing the resident set by ~35 MiB
 * (host-rss-hwm-mib, issue 18; bench/README.md says where the host's memory goes).
 */
export const HOST_NODE_FLAGS = ['--max-semi-space-size=2'];

/** The arguments after `node` that start the built host from `root` with `args`. */
export function hostArgs(root, args) {
  return [...HOST_NODE_FLAGS, join(root, 'dist', 'host', 'start.js'), ...args];
}
