import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from './helpers';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
let outdir: string;
let db: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  // Inside the repository (under dist/), so the bundles resolve node_modules as the real build does.
  outdir = mkdtempSync(join(root, 'dist', '.cloud-test-'));
  await run(process.execPath, ['cloud/build.mjs', '--outdir', outdir], { cwd: root });
  db = await createTestDatabase({ migrated: false });
});
afterAll(async () => {
  rmSync(outdir, { recursive: true, force: true });
  await db?.drop();
});

function admin(...args: string[]) {
  return run(process.execPath, [join(outdir, 'admin.js'), ...args], { env: { ...process.env, DATABASE_URL: db.url } });
}

/** Starts the built server; resolves with its address once it logs that it listens. */
function serve(): Promise<{ base: string; exited: Promise<number | null>; stop(): void; output: () => string }> {
  const child = spawn(process.execPath, [join(outdir, 'server.js'), '--port', '0', '--host', '127.0.0.1'], {
    env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'info' },
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve({ base: match[1] as string, exited, stop: () => child.kill('SIGTERM'), output: () => output });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)));
  });
}

describe('the built service under plain Node', () => {
  it('admin creates a store and prints a code; the server enrols with it, then stops cleanly on SIGTERM', async () => {
    expect(JSON.parse((await admin('create-store', 'Mong Kok')).stdout)).toMatchObject({ code: 'MONGKOK' });
    const code = (await admin('enrol-code', 'Mong Kok')).stdout.trim();
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    const server = await serve();
    const answer = await fetch(`${server.base}/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    expect(answer.status).toBe(201);
    const body = (await answer.json()) as { token: string };
    server.stop();
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('shutting down');
    expect(server.output()).not.toContain(body.token);
    expect(server.output()).not.toContain(code);
  });

  it('admin exits 2 with the usage on a bad command', async () => {
    const failed = await admin('make-coffee').catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 2, stderr: expect.stringContaining('Usage:') });
  });

  it('the server refuses to start on a database from a newer release', async () => {
    await db.pool.query("INSERT INTO schema_migrations (version, name) VALUES (999, '0999-future.sql')");
    const server = serve();
    await expect(server).rejects.toThrow(/DB_FROM_FUTURE|newer release/);
    await db.pool.query('DELETE FROM schema_migrations WHERE version = 999');
  });
});
