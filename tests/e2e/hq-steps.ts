/**
 * The head office console end to end: the real built cloud (dist/cloud/server.js, serving
 * dist/console at /hq/) on its own PostgreSQL database, set up with the admin CLI as head office
 * would, and helpers to log in as a person does.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import pg from 'pg';
import { expect } from './fixtures';

const run = promisify(execFile);
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface HqCloud {
  url: string;
  databaseUrl: string;
  admin(...args: string[]): Promise<string>;
  query<T extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  /** A console user with a password made by the CLI; answers the password. */
  createUser(email: string, role: string, ...extra: string[]): Promise<string>;
  stop(): Promise<void>;
}

export async function startHqCloud(): Promise<HqCloud> {
  const name = `suanpan_e2e_hq_${randomBytes(5).toString('hex')}`;
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const env = { ...process.env, DATABASE_URL: databaseUrl };
  const admin = async (...args: string[]) =>
    (await run(process.execPath, [join('dist', 'cloud', 'admin.js'), ...args], { env, timeout: 30_000 })).stdout.trim();
  await admin('create-merchant', '算盤士多');
  const child: ChildProcess = spawn(process.execPath, [join('dist', 'cloud', 'server.js'), '--port', '0', '--host', '127.0.0.1'], {
    env: { ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the cloud did not start within 30 s:\n${out}`)), 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening at (http:\/\/127\.0\.0\.1:\d+)/i.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => reject(new Error(`the cloud exited:\n${out}`)));
  });
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  return {
    url: base,
    databaseUrl,
    admin,
    query: async (sql, params) => (await pool.query(sql, params)).rows,
    async createUser(email, role, ...extra) {
      const printed = JSON.parse(await admin('create-user', email, '--role', role, ...extra)) as { password: string };
      return printed.password;
    },
    async stop() {
      await pool.end();
      child.kill('SIGTERM');
      await exited;
      const drop = new pg.Client({ connectionString: ADMIN_URL });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    },
  };
}

/** Types the email and password (and the code, when asked) and presses Enter, as a person does. */
export async function hqLogin(page: Page, cloud: HqCloud, email: string, password: string, totp?: () => string): Promise<void> {
  await page.goto(`${cloud.url}/hq/`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-password').press('Enter');
  if (totp) {
    await expect(page.getByTestId('login-totp')).toBeVisible();
    await page.getByTestId('login-totp').fill(totp());
    await page.getByTestId('login-totp').press('Enter');
  }
  await expect(page.getByTestId('hq-user')).toBeVisible();
}
