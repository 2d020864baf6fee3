/**
 * The sync worker follows each shared count open here in the cloud. A count the cloud does not
 * answer for (deleted there, say) stays open on this register, and the log says which and why.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegister, type Register } from '../../../src/main/register';
import type { Logger } from '../../../src/main/log';
import { TEST_TUNING, buildSyncWorker, createCloudShop, enrol, enrolmentCode, eventually, loginManager } from './helpers';
import { useTestDatabase, useTestServer } from '../cloud/helpers';

const database = useTestDatabase();
const server = useTestServer(database, { logger: false });
let worker: Awaited<ReturnType<typeof buildSyncWorker>>;
beforeAll(async () => {
  worker = await buildSyncWorker();
});
afterAll(() => worker.remove());

describe('following shared counts', () => {
  it('a shared count the cloud answers 404 for stays open here and is named in the log with the answer', async () => {
    const shop = await createCloudShop(database().pool);
    const dir = mkdtempSync(join(tmpdir(), 'suanpan-follow-'));
    const warnings: { message: string; fields: Record<string, unknown> }[] = [];
    const log: Logger = { info() {}, error() {}, warn: (message, fields = {}) => warnings.push({ message, fields }) };
    let register: Register | null = null;
    try {
      register = await createRegister({ dataDir: dir, demo: true, log, sync: { workerFile: worker.file, tuning: TEST_TUNING } });
      await loginManager(register);
      // A shared count this register joined, which the cloud no longer has.
      const db = new Database(join(dir, 'register.db'));
      db.prepare(
        `INSERT INTO stock_document (doc_id, doc_no, kind, opened_by, opened_at, shared_role)
         VALUES ('0b6f1c4e-7d8a-4c2b-9e11-5a3f2d7c9b01', 'CNT-99-000001', 'count', 3, ?, 'joined')`,
      ).run(Date.now());
      db.close();
      await enrol(register, server.base, await enrolmentCode(database().pool, shop.store));

      const said = await eventually(
        () => warnings.filter((w) => w.fields.count === '0b6f1c4e-7d8a-4c2b-9e11-5a3f2d7c9b01'),
        (found) => found.length > 0,
        'the log to name the count',
      );
      expect(said[0]?.message).toMatch(/stays open on this register/);
      expect(String(said[0]?.fields.answer)).toMatch(/^404 /);
      // once, not at every pull (TEST_TUNING pulls every second)
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(warnings.filter((w) => w.fields.count === '0b6f1c4e-7d8a-4c2b-9e11-5a3f2d7c9b01')).toHaveLength(1);
      // and the rest of the sync goes on
      expect((await register.dispatch('sync:status', {})).ok).toBe(true);
    } finally {
      register?.close();
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    }
  });
});
