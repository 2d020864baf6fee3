import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCloud, startCloudServer } from '../../support/cloud-server';
import { createTestDatabase } from './helpers';

const run = promisify(execFile);
let cloud: Awaited<ReturnType<typeof buildCloud>>;
let db: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  cloud = await buildCloud();
  db = await createTestDatabase({ migrated: false });
});
afterAll(async () => {
  cloud?.remove();
  await db?.drop();
});

function admin(...args: string[]) {
  return run(process.execPath, [join(cloud.dir, 'admin.js'), ...args], { env: { ...process.env, DATABASE_URL: db.url }, timeout: 60_000 });
}

const serve = () => startCloudServer(join(cloud.dir, 'server.js'), db.url);

describe('the built service under plain Node', () => {
  it('admin creates a store and prints a code; the server enrols with it, then stops cleanly on SIGTERM', async () => {
    expect(JSON.parse((await admin('create-store', 'Mong Kok')).stdout)).toMatchObject({ code: 'MONGKOK' });
    const code = (await admin('enrol-code', 'Mong Kok')).stdout.trim();
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    const server = await serve();
    const answer = await fetch(`${server.url}/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    expect(answer.status).toBe(201);
    const body = (await answer.json()) as { token: string };
    expect(await server.stop()).toBe(0);
    expect(server.output()).toContain('shutting down');
    expect(server.output()).not.toContain(body.token);
    expect(server.output()).not.toContain(code);
  });

  it('the enrolment burst per address is ENROL_ATTEMPTS_PER_MINUTE (5 by default); a value that is not one stops the start', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 7; i++) codes.push((await admin('enrol-code', 'Mong Kok')).stdout.trim());
    const enrol = (url: string, code: string) =>
      fetch(`${url}/v1/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    await db.pool.query('DELETE FROM enrol_bucket'); // the attempts of the tests before, from the same address
    const server = await startCloudServer(join(cloud.dir, 'server.js'), db.url, { enrolAttemptsPerMinute: 7 });
    try {
      // seven from one address at once: all let through (the default would refuse the sixth)
      for (const code of codes) expect((await enrol(server.url, code)).status).toBe(201);
      expect((await enrol(server.url, codes[0]!)).status).toBe(429);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    await expect(startCloudServer(join(cloud.dir, 'server.js'), db.url, { enrolAttemptsPerMinute: 0 })).rejects.toThrow(
      /ENROL_ATTEMPTS_PER_MINUTE must be a whole number/,
    );
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
