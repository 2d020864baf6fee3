/**
 * Migration NNNN-shared-count-leave (issue 14) on a register that already has shared counts: a
 * count it left before (closed here, never posted or cancelled in the cloud) reads as left with
 * its scans kept, as it was; one cancelled for everyone, one posted and one still open are not left.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/db/open';
import { loadMigrations, migrate, schemaVersion } from '../../../src/main/db/migrate';
import { appPaths } from '../../../src/main/app-paths';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();

describe('migration shared-count-leave', () => {
  it('a shared count left before the migration reads as left with its scans kept; others are not left', () => {
    const db = openDatabase(join(tempDir(), 'register.db'));
    const all = loadMigrations(appPaths().migrationsDir);
    const at = all.findIndex((m) => m.name.endsWith('-shared-count-leave.sql'));
    expect(at).toBeGreaterThan(0);
    migrate(db, all.slice(0, at));
    expect(schemaVersion(db)).toBe(at);
    const staffId = Number(
      db.prepare("INSERT INTO staff (code, name_zh, name_en, role, pin_hash) VALUES ('S1', '陳大文', 'Chan', 'manager', 'x')").run()
        .lastInsertRowid,
    );
    const insert = db.prepare(
      `INSERT INTO stock_document (doc_id, doc_no, kind, status, opened_by, opened_at, shared_role, shared_opened_by, shared_posted_by, note)
       VALUES (?, ?, 'count', ?, ?, 1, ?, '01', ?, ?)`,
    );
    insert.run('s-left', 'CNT-01-000001', 'cancelled', staffId, 'joined', null, '');
    insert.run('s-cancelled', 'CNT-01-000002', 'cancelled', staffId, 'joined', 'MK01-01 Amy', '貨架重新擺放');
    insert.run('s-posted', 'CNT-01-000003', 'posted', staffId, 'joined', 'MK01-01 Amy', '');
    insert.run('s-open', 'CNT-01-000004', 'open', staffId, 'opener', null, '');
    insert.run('own', 'CNT-000005', 'cancelled', staffId, null, null, '');
    migrate(db, all);
    expect(db.prepare('SELECT doc_id, shared_left, shared_participants FROM stock_document ORDER BY id').all()).toEqual([
      { doc_id: 's-left', shared_left: 'kept', shared_participants: null },
      { doc_id: 's-cancelled', shared_left: null, shared_participants: null },
      { doc_id: 's-posted', shared_left: null, shared_participants: null },
      { doc_id: 's-open', shared_left: null, shared_participants: null },
      { doc_id: 'own', shared_left: null, shared_participants: null },
    ]);
    db.close();
  });
});
