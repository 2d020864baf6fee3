/**
 * Where the app's own files are, from wherever this module was bundled to (dist/host, dist/electron,
 * or src/main under vitest): walk up to the package.json named "suanpan". Works inside an asar too.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AppPaths {
  root: string;
  migrationsDir: string;
  rendererDir: string;
  assetsDir: string;
  version: string;
}

let cached: AppPaths | null = null;

export function appPaths(): AppPaths {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'suanpan') {
        cached = {
          root: dir,
          migrationsDir: join(dir, 'migrations'),
          rendererDir: join(dir, 'dist', 'renderer'),
          assetsDir: join(dir, 'assets'),
          version: pkg.version ?? '0.0.0',
        };
        return cached;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find the Suanpan app folder (package.json named "suanpan")');
    dir = parent;
  }
}
