/** The outbox's one writer: rows commit with the change they report, with a gapless seq. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/db/open';
import { loadMigrations, migrate } from '../../../src/main/db/migrate';
import { appPaths } from '../../../src/main/app-paths';
import { appendOutbox } from '../../../src/main/sync/outbox';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();

function openMigrated() {
  const db = openDatabase(join(tempDir(), 'register.db'));
  migrate(db, loadMigrations(appPaths().migrationsDir));
  return db;
}

describe('sync outbox writer', () => {
  it('refuses to write outside a transaction, so a row never commits without its change', () => {
    const db = openMigrated();
    expect(() => appendOutbox(db, { kind: 'cart.voided', ref: 'cart-1', payload: {}, now: 1 })).toThrow(/inside the transaction/);
    expect(db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0);
    db.close();
  });

  it('numbers rows 1, 2, 3 across kinds, and a rolled-back change leaves no gap', () => {
    const db = openMigrated();
    const append = (kind: 'shift.opened' | 'day.closed', ref: string) =>
      db.transaction(() => appendOutbox(db, { kind, ref, payload: { ref }, now: 5 }))();
    expect(append('shift.opened', 'a')).toBe(1);
    expect(() =>
      db.transaction(() => {
        appendOutbox(db, { kind: 'day.closed', ref: 'lost', payload: {}, now: 5 });
        throw new Error('the change failed');
      })(),
    ).toThrow('the change failed');
    expect(append('day.closed', 'b')).toBe(2);
    expect(db.prepare('SELECT seq, kind, ref, payload FROM outbox ORDER BY seq').all()).toEqual([
      { seq: 1, kind: 'shift.opened', ref: 'a', payload: '{"ref":"a"}' },
      { seq: 2, kind: 'day.closed', ref: 'b', payload: '{"ref":"b"}' },
    ]);
    db.close();
  });
});
