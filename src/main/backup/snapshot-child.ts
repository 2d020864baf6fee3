/**
 * The snapshot process (snapshot-process.ts starts it, as dist/backup/snapshot-child.js): copies
 * the database with `VACUUM INTO` (when a source is given), checks the copy with
 * `PRAGMA integrity_check` (unless told not to: the copy is checked when it is archived) and
 * answers with the facts a person picks a backup by.
 */
import Database from 'better-sqlite3';
import { answerAndExit, readChildInput } from '../process/child-io';
import type { SnapshotFacts, SnapshotResult } from './snapshot-process';

type Db = Database.Database;

function facts(db: Db): SnapshotFacts {
  const has = (table: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
  const one = <T>(sql: string) => db.prepare(sql).pluck().get() as T;
  const floor = (key: string) =>
    has('setting') ? one<number>(`SELECT coalesce((SELECT CAST(value AS INTEGER) FROM setting WHERE key = '${key}'), 0)`) : 0;
  const identity = has('this_register')
    ? (db
        .prepare('SELECT s.code AS store, r.code AS register FROM this_register r JOIN store s ON s.id = r.store_id WHERE r.id = 1')
        .get() as { store: string; register: string } | undefined)
    : undefined;
  const sales = has('sale');
  const outbox = has('outbox');
  return {
    schemaVersion: db.pragma('user_version', { simple: true }) as number,
    storeCode: identity ? identity.store : null,
    registerCode: identity ? identity.register : null,
    lastReceiptNo: sales ? (one<string | undefined>('SELECT receipt_no FROM sale ORDER BY register_seq DESC LIMIT 1') ?? null) : null,
    receiptSeq: Math.max(sales ? one<number>('SELECT coalesce(max(register_seq), 0) FROM sale') : 0, floor('sequence.receiptFloor')),
    outboxSeq: outbox ? one<number>('SELECT coalesce(max(seq), 0) FROM outbox') : 0,
    outboxAckedSeq: Math.max(
      outbox ? one<number>('SELECT coalesce(max(seq), 0) FROM outbox WHERE acked_at IS NOT NULL') : 0,
      floor('sequence.outboxFloor'),
    ),
    unsynced: outbox ? one<number>('SELECT count(*) FROM outbox WHERE acked_at IS NULL') : 0,
    enrolled: has('sync_enrolment') ? one<number>('SELECT count(*) FROM sync_enrolment') > 0 : false,
  };
}

function snapshot({ source, copy, check = true }: { source?: string; copy: string; check?: boolean }): SnapshotResult {
  try {
    if (source) {
      const db = new Database(source, { fileMustExist: true });
      try {
        db.pragma('busy_timeout = 5000');
        db.prepare('VACUUM INTO ?').run(copy);
      } finally {
        db.close();
      }
    }
    const db = new Database(copy, { fileMustExist: true });
    try {
      const problems = check
        ? (db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check).filter((r) => r !== 'ok')
        : [];
      return problems.length > 0 ? { ok: false, problems } : { ok: true, facts: facts(db) };
    } finally {
      db.close();
    }
  } catch (error) {
    return { ok: false, problems: [error instanceof Error ? error.message : String(error)] };
  }
}

answerAndExit(snapshot(JSON.parse(await readChildInput()) as { source?: string; copy: string; check?: boolean }));
