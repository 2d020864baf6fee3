#!/usr/bin/env node
/**
 * Bundles the Node side: the kiosk host, Electron's main process and Electron's preload.
 * Silent on success; on failure esbuild prints its errors and we exit non-zero.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const node = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'error',
};

/**
 * zod bundled in, not loaded from node_modules: its package is about 80 ES modules, which Node
 * resolves, reads, links and evaluates one by one at every start (about 25 ms of the kiosk host's
 * CPU before it prints its URL, register-start); bundled, it is part of the one file the compile
 * cache keeps.
 */
const bundleZod = {
  name: 'bundle-zod',
  setup(build) {
    build.onResolve({ filter: /^zod$/ }, () => ({ path: fileURLToPath(import.meta.resolve('zod')) }));
  },
};

const targets = [
  // npm packages stay external (better-sqlite3 is native, and node_modules ships with the app), but for zod in the host.
  {
    ...node,
    entryPoints: ['src/main/host/cli.ts'],
    outfile: 'dist/host/cli.js',
    format: 'esm',
    packages: 'external',
    plugins: [bundleZod],
  },
  // its entry: the compile cache on, then cli.js (kept a separate file, loaded after the cache is on)
  {
    ...node,
    entryPoints: ['src/main/host/start.ts'],
    outfile: 'dist/host/start.js',
    format: 'esm',
    packages: 'external',
    external: ['./cli.js'],
  },
  { ...node, entryPoints: ['src/main/electron/main.ts'], outfile: 'dist/electron/main.js', format: 'esm', packages: 'external' },
  // `npm run devices`: hardware checks for IT and remote support.
  { ...node, entryPoints: ['src/main/devices/devices-cli.ts'], outfile: 'dist/devices/cli.js', format: 'esm', packages: 'external' },
  // `npm run audit -- verify --data-dir D`: the audit log check for IT.
  { ...node, entryPoints: ['src/main/audit/audit-cli.ts'], outfile: 'dist/audit/cli.js', format: 'esm', packages: 'external' },
  // `npm run backup` / `npm run restore`: backups for IT, the register running or stopped.
  { ...node, entryPoints: ['src/main/backup/backup-cli.ts'], outfile: 'dist/backup/cli.js', format: 'esm', packages: 'external' },
  // Work in a process of its own (src/main/process/node-child.ts): a backup, its copy and check, the database check at start.
  ...['src/main/backup/backup-child.ts', 'src/main/backup/snapshot-child.ts', 'src/main/db/integrity-child.ts'].map((entry) => ({
    ...node,
    entryPoints: [entry],
    outfile: entry.replace(/^src\/main\//, 'dist/').replace(/\.ts$/, '.js'),
    format: 'esm',
    packages: 'external',
  })),
  // `npm run diagnostics -- --data-dir D`: the support bundle (zip) for IT, the register running or stopped.
  {
    ...node,
    entryPoints: ['src/main/diagnostics/diagnostics-cli.ts'],
    outfile: 'dist/diagnostics/cli.js',
    format: 'esm',
    packages: 'external',
  },
  // The core as a library, for the benchmarks and support scripts that drive it without a host.
  { ...node, entryPoints: ['src/main/register.ts'], outfile: 'dist/core/register.js', format: 'esm', packages: 'external' },
  // The sync worker runs on its own thread from its own file (src/main/sync/sync-controller.ts finds it here).
  { ...node, entryPoints: ['src/main/sync/sync-worker.ts'], outfile: 'dist/sync/sync-worker.js', format: 'esm', packages: 'external' },
  // A sandboxed preload runs in the renderer and can require only 'electron', never a file or an
  // npm module: zod and the contract are bundled in, and platform 'browser' makes any Node import
  // a build error instead of a crash at launch.
  {
    ...node,
    entryPoints: ['src/preload/electron-preload.ts'],
    outfile: 'dist/preload/electron-preload.cjs',
    platform: 'browser',
    format: 'cjs',
    target: 'es2022',
    external: ['electron'],
  },
  // The customer screen's preload (second monitor): the customer view only.
  {
    ...node,
    entryPoints: ['src/preload/customer-preload.ts'],
    outfile: 'dist/preload/customer-preload.cjs',
    platform: 'browser',
    format: 'cjs',
    target: 'es2022',
    external: ['electron'],
  },
];

try {
  await Promise.all(targets.map((options) => build(options)));
} catch {
  // esbuild has already printed the errors (logLevel 'error').
  process.exitCode = 1;
}
