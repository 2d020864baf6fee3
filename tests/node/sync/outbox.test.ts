/** The outbox's one writer: rows commit with the change they report, with a gapless seq. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/db/open';
import { loadMigrations, migrate } from '../../../src/main/db/migrate';
import { appPaths } from '../../../src/main/app-paths';
import { appendOutbox } from '../../../src/main/sync/outbox';
import { quarantinedDocuments, queueFigures, recordAck, unackAfter } from '../../../src/main/sync/sync-store';
import type { Db } from '../../../src/main/db/open';
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

  it('keeps what waits (rows, documents, the oldest document) equal to a recount through queueing, acks, re-sends and a new migration', () => {
    const migrations = loadMigrations(appPaths().migrationsDir);
    const at0027 = migrations.findIndex((m) => m.name.startsWith('0027-'));
    expect(at0027).toBe(26);
    const db = openDatabase(join(tempDir(), 'register.db'));
    migrate(db, migrations.slice(0, at0027));
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const kinds = ['document.sale', 'document.return', 'shift.opened', 'member.enrolled', 'document.exchange', 'cart.voided'] as const;
    let now = 1_000;
    const append = (count: number) =>
      db.transaction(() => {
        for (let i = 0; i < count; i += 1) {
          now += 1 + random(5);
          appendOutbox(db, { kind: kinds[random(kinds.length)] as (typeof kinds)[number], ref: `r${now}`, payload: {}, now });
        }
      })();
    const recount = (d: Db) =>
      d
        .prepare(
          `SELECT count(*) AS pending, count(*) FILTER (WHERE kind GLOB 'document.*') AS pendingSales,
                  (SELECT created_at FROM outbox WHERE acked_at IS NULL AND kind GLOB 'document.*' ORDER BY seq LIMIT 1) AS oldestPendingSaleAt
           FROM outbox WHERE acked_at IS NULL`,
        )
        .get();
    const lastSeq = () => db.prepare('SELECT coalesce(max(seq), 0) FROM outbox').pluck().get() as number;
    // queued before the figures were kept: the migration counts them
    append(40);
    recordAck(db, { lastSeq: 12, now, duplicates: 0, quarantinedSeqs: [] });
    migrate(db, migrations);
    const figures = () => {
      const { pending, pendingSales, oldestPendingSaleAt } = queueFigures(db);
      return { pending, pendingSales, oldestPendingSaleAt };
    };
    expect(figures()).toEqual(recount(db));
    expect(figures().pending).toBe(28);

    for (let step = 0; step < 300; step += 1) {
      const roll = random(10);
      if (roll < 5) append(1 + random(4));
      else if (roll < 8) recordAck(db, { lastSeq: random(lastSeq() + 1), now, duplicates: 0, quarantinedSeqs: [] });
      else if (roll < 9) unackAfter(db, random(lastSeq() + 1));
      // no code changes a row's kind; the figures follow it all the same, alone or with its ack
      else
        db.prepare(
          'UPDATE outbox SET kind = :kind, acked_at = CASE WHEN :ack THEN coalesce(acked_at, :now) ELSE acked_at END WHERE seq = :seq',
        ).run({
          kind: kinds[random(kinds.length)],
          ack: random(2),
          now,
          seq: 1 + random(lastSeq()),
        });
      expect(figures(), `after step ${step}`).toEqual(recount(db));
    }
    // a waiting document that becomes another kind and is acknowledged in the same statement
    append(3);
    db.prepare("UPDATE outbox SET kind = 'document.sale' WHERE seq = :seq").run({ seq: lastSeq() });
    db.prepare("UPDATE outbox SET kind = 'cart.voided', acked_at = :now WHERE seq = :seq").run({ now, seq: lastSeq() });
    expect(figures()).toEqual(recount(db));
    recordAck(db, { lastSeq: lastSeq(), now, duplicates: 0, quarantinedSeqs: [] });
    expect(queueFigures(db)).toMatchObject({ pending: 0, pendingSales: 0, oldestPendingSaleAt: null });
    db.close();
  });

  it('keeps why the cloud put each document aside: the first reason told stays, a replay fills one an older answer lacked', () => {
    const db = openMigrated();
    db.transaction(() => {
      appendOutbox(db, { kind: 'document.sale', ref: 'MK01-01-000001', payload: {}, now: 1 });
      appendOutbox(db, { kind: 'shift.closed', ref: 'shift-1', payload: {}, now: 2 });
      appendOutbox(db, { kind: 'document.return', ref: 'MK01-01-000002', payload: {}, now: 3 });
    })();
    // seq 3's answer came from a cloud before reasons (none given)
    recordAck(db, { lastSeq: 3, now: 10, duplicates: 0, quarantinedSeqs: [1, 3], reasons: new Map([[1, 'UNKNOWN_SKU']]) });
    expect(quarantinedDocuments(db, 20)).toEqual([
      { seq: 3, kind: 'document.return', ref: 'MK01-01-000002', reason: null, reportedAt: 10 },
      { seq: 1, kind: 'document.sale', ref: 'MK01-01-000001', reason: 'UNKNOWN_SKU', reportedAt: 10 },
    ]);
    // the batch again (its answer lost): seq 1 keeps its first reason and time, seq 3 gets its reason
    recordAck(db, {
      lastSeq: 3,
      now: 20,
      duplicates: 3,
      quarantinedSeqs: [1, 2, 3],
      reasons: new Map([
        [1, 'DOES_NOT_ADD_UP'],
        [2, 'FOREIGN_REGISTER'],
        [3, 'DOES_NOT_ADD_UP'],
      ]),
    });
    expect(quarantinedDocuments(db, 20)).toEqual([
      { seq: 3, kind: 'document.return', ref: 'MK01-01-000002', reason: 'DOES_NOT_ADD_UP', reportedAt: 10 },
      { seq: 2, kind: 'shift.closed', ref: 'shift-1', reason: 'FOREIGN_REGISTER', reportedAt: 20 },
      { seq: 1, kind: 'document.sale', ref: 'MK01-01-000001', reason: 'UNKNOWN_SKU', reportedAt: 10 },
    ]);
    expect(queueFigures(db).quarantined).toBe(3);
    // the newest first, as many as asked; acknowledged ones leave the list
    expect(quarantinedDocuments(db, 1).map((d) => d.seq)).toEqual([3]);
    db.prepare('UPDATE sync_quarantine SET acknowledged_at = 30 WHERE seq = 3').run();
    expect(quarantinedDocuments(db, 20).map((d) => d.seq)).toEqual([2, 1]);
    db.close();
  });
});
