/**
 * The real built cloud (dist/cloud/server.js, serving dist/console at /hq/) on its own new
 * PostgreSQL database, set up with the admin CLI as head office would, and the two ways a register
 * joins it in the e2e specs: a kiosk host enrolled by IT in the back office, or a register speaking
 * the sync API directly (as its sync worker does). Every wait is bounded; the bounds are generous
 * because a loaded machine starts the cloud slowly.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import pg from 'pg';
import { startCloudServer } from '../support/cloud-server';
import { call, type EnrolledRegister } from '../support/register-documents';
import { expect } from './fixtures';
import { tillReady } from './till-steps';

const run = promisify(execFile);
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface E2eCloud {
  url: string;
  databaseUrl: string;
  /** `node dist/cloud/admin.js …args` on this cloud's database; answers what it printed. */
  admin(...args: string[]): Promise<string>;
  query<T extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

/**
 * The cloud on database `suanpan_e2e_<label>_<random>`, with merchant 算盤士多. The server gets this
 * process's environment (e.g. MALL_EXPORT_DIR) with DATABASE_URL set.
 */
export async function startE2eCloud(label: string): Promise<E2eCloud> {
  const name = `suanpan_e2e_${label}_${randomBytes(5).toString('hex')}`;
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const env = { ...process.env, DATABASE_URL: databaseUrl };
  const admin = async (...args: string[]) =>
    (await run(process.execPath, [join('dist', 'cloud', 'admin.js'), ...args], { env, timeout: 120_000 })).stdout.trim();
  await admin('create-merchant', '算盤士多');
  // every register of a spec enrols from 127.0.0.1: a spec's six in a few seconds are past the default burst of 5
  const server = await startCloudServer(join('dist', 'cloud', 'server.js'), databaseUrl, { boundMs: 120_000, enrolAttemptsPerMinute: 60 });
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  return {
    url: server.url,
    databaseUrl,
    admin,
    query: async (sql, params) => (await pool.query(sql, params)).rows,
    async stop() {
      await pool.end();
      await server.stop();
      const drop = new pg.Client({ connectionString: ADMIN_URL });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    },
  };
}

/**
 * IT enrols the kiosk register at `tillUrl` in the back office (F11 → 雲端同步) with a code head
 * office made for `storeCode`, checks it shows `registerLabel` (e.g. 'MK01 · 01') and is online,
 * and goes back to the till (the system administrator, staff 3, stays logged in).
 */
export async function enrolTill(page: Page, cloud: E2eCloud, tillUrl: string, storeCode: string, registerLabel: string): Promise<void> {
  await page.goto(tillUrl);
  await page.getByTestId('login-staff-3').click();
  for (const digit of '9999') await page.getByTestId(`pin-key-${digit}`).click();
  await page.getByTestId('pin-enter').click();
  // a demo till's first checkout render is slow beside a loaded machine's other work
  await expect(page.getByTestId('scan-input')).toBeVisible({ timeout: 30_000 });
  await tillReady(page);
  const code = await cloud.admin('enrol-code', storeCode);
  await page.getByTestId('action-back-office').click();
  await page.getByTestId('back-office-tab-sync').click();
  await page.getByTestId('sync-cloud-url').fill(cloud.url);
  await page.getByTestId('sync-code').fill(code);
  await page.getByTestId('sync-enrol').click();
  // the enrolment's round trip and first pull, beside other hosts and the cloud on a loaded machine
  await expect(page.getByTestId('sync-store-register')).toHaveText(registerLabel, { timeout: 30_000 });
  await expect(page.getByTestId('sync-state')).toHaveAttribute('data-state', 'online');
  await page.keyboard.press('F11');
  await tillReady(page);
}

/** A register that speaks the sync API itself: enrolled with a code head office made for `storeCode`. */
export async function enrolApiRegister(cloud: E2eCloud, storeCode: string): Promise<EnrolledRegister> {
  const code = await cloud.admin('enrol-code', storeCode);
  const answer = await call<{ registerId: string; registerCode: string; token: string }>(cloud.url, 'POST', '/v1/enroll', {
    body: { code },
  });
  if (answer.status !== 201) throw new Error(`enrolment failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return { registerId: answer.body.registerId, registerCode: answer.body.registerCode, token: answer.body.token, storeCode };
}
