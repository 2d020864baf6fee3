import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';

/**
 * Compares `actual` with the golden file at `path`. The file is (re)written only when asked
 * (UPDATE_GOLDEN=1) and never in CI, so a golden file that is missing or not committed fails
 * there instead of writing itself and passing.
 */
export function expectGolden(path: string, actual: Buffer | string, env: NodeJS.ProcessEnv = process.env): void {
  const inCi = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  if (env.UPDATE_GOLDEN === '1' && !inCi) writeFileSync(path, actual);
  if (!existsSync(path)) {
    throw new Error(`golden file ${path} is missing: create it with UPDATE_GOLDEN=1 outside CI, check it, and commit it`);
  }
  const expected = typeof actual === 'string' ? readFileSync(path, 'utf8') : readFileSync(path);
  expect(actual, `${path} differs from the golden file`).toEqual(expected);
}
