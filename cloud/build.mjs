#!/usr/bin/env node
/**
 * Bundles the cloud service for plain Node 20: dist/cloud/server.js and dist/cloud/admin.js (ESM,
 * npm packages external), with the migrations copied next to them, where both look for them.
 * `--outdir <dir>` builds elsewhere (the tests do); it must be inside the repository, so the
 * bundles find node_modules. Silent on success; on failure esbuild prints its errors, exit 1.
 */
import { build } from 'esbuild';
import { cpSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
const outdir = resolve(root, values.outdir ?? 'dist/cloud');

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'error',
};

try {
  await Promise.all([
    build({ ...common, entryPoints: ['cloud/server.ts'], outfile: resolve(outdir, 'server.js') }),
    build({ ...common, entryPoints: ['cloud/admin.ts'], outfile: resolve(outdir, 'admin.js') }),
  ]);
  // A migration removed from the source must not linger in the output.
  rmSync(resolve(outdir, 'migrations'), { recursive: true, force: true });
  cpSync(resolve(root, 'cloud/migrations'), resolve(outdir, 'migrations'), { recursive: true });
} catch {
  // esbuild has already printed its errors (logLevel 'error'); a copy failure has its own message.
  process.exitCode = 1;
}
