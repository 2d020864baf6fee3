/**
 * The sync worker follows each shared count open here in the cloud. A count the cloud does not
 * answer for (deleted there, say) stays open on this register, and the log says which and why; a
 * count the cloud refuses (404 when followed, 409 COUNT_ID_TAKEN at its post) shows in the sync
 * status (the status bar's attention) with its reason until it is closed here or a manager dismisses it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegister, type Register } from '../../../src/main/register';
import type { Logger } from '../../../src/main/log';
import { randomUUID } from 'node:crypto';
import type { RegisterStatus } from '../../../src/shared/schemas';
import type { SyncStatus } from '../../../src/shared/sync-schemas';
import type { StockDocumentView } from '../../../src/shared/stock-schemas';
import { pushMutations } from '../../support/register-documents';
import { enrolRegister } from '../cloud/helpers';
import { MILK_TEA, TEST_TUNING, buildSyncWorker, call, createCloudShop, enrol, enrolmentCode, eventually, loginManager } from './helpers';
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
  it('a shared count the cloud answers 404 for shows in the sync status with its reason until this register leaves it', async () => {
    const shop = await createCloudShop(database().pool);
    const dir = mkdtempSync(join(tmpdir(), 'suanpan-follow-'));
    const log: Logger = { info() {}, error() {}, warn() {} };
    let register: Register | null = null;
    try {
      register = await createRegister({ dataDir: dir, demo: true, log, sync: { workerFile: worker.file, tuning: TEST_TUNING } });
      await loginManager(register);
      const db = new Database(join(dir, 'register.db'));
      const documentId = Number(
        db
          .prepare(
            `INSERT INTO stock_document (doc_id, doc_no, kind, opened_by, opened_at, shared_role)
             VALUES ('5e0a1c4e-7d8a-4c2b-9e11-5a3f2d7c9b02', 'CNT-99-000002', 'count', 3, ?, 'joined')`,
          )
          .run(Date.now()).lastInsertRowid,
      );
      db.close();
      await enrol(register, server.base, await enrolmentCode(database().pool, shop.store));
      const status = await eventually(
        () => call<SyncStatus>(register!, 'sync:status'),
        (s) => s.refusedCounts.length > 0,
        'the refused count in the sync status',
      );
      expect(status.attention).toBe('counts-refused');
      expect(status.refusedCounts).toMatchObject([{ documentId, docNo: 'CNT-99-000002', code: 'COUNT_NOT_IN_CLOUD' }]);
      expect(status.refusedCounts[0]?.detail).toMatch(/NOT_FOUND/);
      // what the status bar reads
      expect((await call<RegisterStatus>(register, 'register:status')).sync).toMatchObject({
        state: 'attention',
        attention: 'counts-refused',
      });
      // still there at the next pulls
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect((await call<SyncStatus>(register, 'sync:status')).refusedCounts).toHaveLength(1);
      // this register leaves the count: resolved here, it no longer shows
      await call<StockDocumentView>(register, 'stock:cancel-count', { documentId, whole: false });
      const after = await call<SyncStatus>(register, 'sync:status');
      expect(after.refusedCounts).toEqual([]);
      expect(after.attention).toBeNull();
    } finally {
      register?.close();
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    }
  });

  it('a shared count whose post the cloud refuses (COUNT_ID_TAKEN) shows in the sync status until a manager dismisses it', async () => {
    const shop = await createCloudShop(database().pool, { initialStock: 10 });
    const dir = mkdtempSync(join(tmpdir(), 'suanpan-refused-'));
    const log: Logger = { info() {}, error() {}, warn() {} };
    let register: Register | null = null;
    try {
      register = await createRegister({ dataDir: dir, demo: true, log, sync: { workerFile: worker.file, tuning: TEST_TUNING } });
      await loginManager(register);
      await enrol(register, server.base, await enrolmentCode(database().pool, shop.store));
      const opened = await call<StockDocumentView>(register, 'stock:open', { kind: 'count', scope: { kind: 'scanned' }, shared: true });
      await call(register, 'stock:scan', { documentId: opened.id, code: MILK_TEA.barcode, quantity: 3 });
      const db = new Database(join(dir, 'register.db'), { readonly: true });
      const sessionId = db.prepare('SELECT doc_id FROM stock_document WHERE id = ?').pluck().get(opened.id) as string;
      db.close();
      await eventually(
        async () => (await database().pool.query('SELECT 1 FROM count_session WHERE session_id = $1', [sessionId])).rowCount,
        (n) => n === 1,
        'the shared count in the cloud',
      );
      // another register's adjustment took the count's id in the cloud
      const other = await enrolRegister(database().pool, server.base, shop.store);
      const adjust = {
        docId: sessionId,
        docNo: `ADJ-${randomUUID().slice(0, 6)}`,
        kind: 'adjust',
        part: 1,
        parts: 1,
        postedAt: Date.now(),
        staffName: 'Lee',
        reasonCode: 'damaged',
        note: '',
        supplierRef: '',
        toStoreCode: null,
        transferDocId: null,
        purchaseOrderId: null,
        lines: [{ line: 1, sku: MILK_TEA.sku, quantityMilli: -1_000, countedAt: null, costCents: null }],
      };
      const pushed = await pushMutations(server.base, other, [{ seq: 1, kind: 'stock.document', ref: adjust.docNo, payload: adjust }]);
      expect(pushed.body).toMatchObject({ applied: 1, quarantined: 0 });

      const refused = await register.dispatch('stock:post', { documentId: opened.id, acceptUnsent: true });
      expect(refused).toMatchObject({ ok: false, error: { code: 'COUNT_ID_TAKEN' } });
      const status = await call<SyncStatus>(register, 'sync:status');
      expect(status.attention).toBe('counts-refused');
      expect(status.refusedCounts).toMatchObject([{ documentId: opened.id, docNo: opened.docNo, code: 'COUNT_ID_TAKEN' }]);
      expect((await call<RegisterStatus>(register, 'register:status')).sync.attention).toBe('counts-refused');

      // a cashier may not dismiss it; a manager may
      await call(register, 'staff:logout');
      await call(register, 'staff:login', { staffId: 1, pin: '1234' });
      expect(await register.dispatch('sync:dismiss-count', { documentId: opened.id })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      await call(register, 'staff:logout');
      await loginManager(register);
      const dismissed = await call<SyncStatus>(register, 'sync:dismiss-count', { documentId: opened.id });
      expect(dismissed.refusedCounts).toEqual([]);
      expect(dismissed.attention).toBeNull();
      // the same refusal again does not raise it again
      expect(await register.dispatch('stock:post', { documentId: opened.id, acceptUnsent: true })).toMatchObject({
        ok: false,
        error: { code: 'COUNT_ID_TAKEN' },
      });
      expect((await call<SyncStatus>(register, 'sync:status')).refusedCounts).toEqual([]);
    } finally {
      register?.close();
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    }
  });
});
