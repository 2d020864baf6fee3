/**
 * The database side of a backup, on a worker thread with its own connection, so a sale never waits
 * for it: `VACUUM INTO` a temp file (a consistent copy of one read snapshot; in WAL mode the till
 * keeps writing meanwhile), `PRAGMA integrity_check` on the copy, and the facts a person picks a
 * backup by (date, last receipt, unsynced count). The worker is plain CommonJS evaluated from a
 * string (as integrity-check.ts does), so it needs no bundle of its own.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface SnapshotFacts {
  schemaVersion: number;
  storeCode: string | null;
  registerCode: string | null;
  lastReceiptNo: string | null;
  receiptSeq: number;
  outboxSeq: number;
  outboxAckedSeq: number;
  unsynced: number;
  enrolled: boolean;
}

export type SnapshotResult = { ok: true; facts: SnapshotFacts } | { ok: false; problems: string[] };

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
function facts(db) {
  const has = (table) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
  const one = (sql) => db.prepare(sql).pluck().get();
  const floor = (key) => (has('setting') ? one("SELECT coalesce((SELECT CAST(value AS INTEGER) FROM setting WHERE key = '" + key + "'), 0)") : 0);
  const identity = has('this_register')
    ? db.prepare('SELECT s.code AS store, r.code AS register FROM this_register r JOIN store s ON s.id = r.store_id WHERE r.id = 1').get()
    : undefined;
  const sales = has('sale');
  const outbox = has('outbox');
  return {
    schemaVersion: db.pragma('user_version', { simple: true }),
    storeCode: identity ? identity.store : null,
    registerCode: identity ? identity.register : null,
    lastReceiptNo: sales ? one('SELECT receipt_no FROM sale ORDER BY register_seq DESC LIMIT 1') ?? null : null,
    receiptSeq: Math.max(sales ? one('SELECT coalesce(max(register_seq), 0) FROM sale') : 0, floor('sequence.receiptFloor')),
    outboxSeq: outbox ? one('SELECT coalesce(max(seq), 0) FROM outbox') : 0,
    outboxAckedSeq: Math.max(outbox ? one('SELECT coalesce(max(seq), 0) FROM outbox WHERE acked_at IS NOT NULL') : 0, floor('sequence.outboxFloor')),
    unsynced: outbox ? one('SELECT count(*) FROM outbox WHERE acked_at IS NULL') : 0,
    enrolled: has('sync_enrolment') ? one('SELECT count(*) FROM sync_enrolment') > 0 : false,
  };
}
let answer;
try {
  if (workerData.source) {
    const source = new Database(workerData.source, { fileMustExist: true });
    try {
      source.pragma('busy_timeout = 5000');
      source.prepare('VACUUM INTO ?').run(workerData.copy);
    } finally {
      source.close();
    }
  }
  const copy = new Database(workerData.copy, { fileMustExist: true });
  try {
    const problems = copy.pragma('integrity_check').map((row) => row.integrity_check).filter((r) => r !== 'ok');
    answer = problems.length > 0 ? { ok: false, problems } : { ok: true, facts: facts(copy) };
  } finally {
    copy.close();
  }
} catch (error) {
  answer = { ok: false, problems: [String(error && error.message ? error.message : error)] };
}
parentPort.postMessage(answer);
`;

/**
 * Copies `source` into `copy` (when `source` is given) and checks the copy. Bounded: a worker that
 * has not answered in `timeoutMs` is terminated and reported.
 */
export function snapshotOnWorker(options: { source?: string; copy: string; timeoutMs?: number }): Promise<SnapshotResult> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { source: options.source, copy: options.copy, driver } });
  return new Promise<SnapshotResult>((resolve) => {
    const timer = setTimeout(
      () => {
        void worker.terminate();
        resolve({ ok: false, problems: [`the backup did not finish within ${Math.round((options.timeoutMs ?? 0) / 1000)} s`] });
      },
      options.timeoutMs ?? 30 * 60_000,
    );
    worker.once('message', (result: SnapshotResult) => {
      clearTimeout(timer);
      resolve(result);
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, problems: [`the backup worker failed: ${error.message}`] });
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ ok: false, problems: [`the backup worker stopped (exit ${code})`] });
    });
  });
}
