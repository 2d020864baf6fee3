/**
 * The kiosk host's entry (`npm run serve`, the tests and the benches start this file): V8's compile
 * cache first, then the host. Node 22 keeps the bytecode of the modules it compiles (the host's
 * bundle and the packages it loads, about 2 MB of JavaScript) in the OS temp folder, so every start
 * after the first skips compiling them (register-start, issue 18). A file of its own because a
 * module's static imports are compiled before any of its code runs. Where the cache cannot be used
 * (an older Node, a read-only temp folder) the host starts as before.
 */
import * as nodeModule from 'node:module';

const withCache = nodeModule as typeof nodeModule & { enableCompileCache?: () => unknown };
try {
  withCache.enableCompileCache?.();
} catch {
  // no cache: a slower start, nothing else
}
await import('./cli.js');
