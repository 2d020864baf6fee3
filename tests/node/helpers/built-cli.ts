/**
 * A command-line tool built the way scripts/build-main.mjs builds dist/<tool>/cli.js (one ESM bundle,
 * packages external), inside dist/ so node_modules resolve; removed after the file's tests.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll } from 'vitest';

/** Call at the top of a test file with the tool's entry (`src/main/backup/backup-cli.ts`); answers the built file's path. */
export function useBuiltCli(entry: string): () => string {
  const root = process.cwd();
  let cli = '';
  beforeAll(async () => {
    mkdirSync(join(root, 'dist'), { recursive: true });
    cli = join(mkdtempSync(join(root, 'dist', '.cli-test-')), 'cli.js');
    await build({
      absWorkingDir: root,
      entryPoints: [entry],
      outfile: cli,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      packages: 'external',
      logLevel: 'error',
    });
  });
  afterAll(() => {
    if (cli) rmSync(join(cli, '..'), { recursive: true, force: true });
  });
  return () => cli;
}
