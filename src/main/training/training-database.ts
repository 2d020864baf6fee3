/**
 * Where 練習模式 training documents live: a SEPARATE SQLite FILE, `<data>/training.db`, never a flag
 * in register.db.
 *
 * Why a separate file (and not a `training` column every query must exclude, nor `training_*`
 * tables beside the real ones): every report, the X and Z, the shift's expected cash, the stock
 * ledger, the sync worker's outbox, backups and the audit log read register.db. A training sale
 * written there would be one forgotten `WHERE NOT training` away from the shop's figures, today
 * or in the next report someone writes. Written to another file, it cannot reach them whatever a
 * query says: the sync worker, backups and reports never open training.db.
 *
 * The file is a copy of register.db taken when training is switched on (`VACUUM INTO`: the real
 * catalogue, prices, promotions, members and staff, so the till's own cart and sale code runs
 * unchanged against it), emptied of documents, carts and queues, so its receipt sequence starts
 * at 1 (numbered TRN-…). It is deleted when training is switched off: nothing of a training
 * session survives it. It holds what register.db holds (PIN hashes included), so it lives beside
 * it in the data folder, under the same protection, and only while training is on.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from '../db/open';
import { OUTBOX_FLOOR_KEY, RECEIPT_FLOOR_KEY } from '../backup/sequence-floor';

export const TRAINING_DB_NAME = 'training.db';

export const trainingDbFile = (dataDir: string): string => join(dataDir, TRAINING_DB_NAME);

/** Documents, open carts and queues of the real register: none of them belongs in a training copy. */
const EMPTIED_TABLES = ['payment', 'sale_line', 'sale', 'cart_line', 'cart', 'outbox', 'print_job'] as const;

export function removeTrainingDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
}

/** A fresh training copy of the real database (any earlier one is removed first). */
export function createTrainingDatabase(real: Db, file: string): void {
  removeTrainingDatabase(file);
  // VACUUM INTO reads one consistent snapshot of the WAL database and writes a compact copy.
  real.prepare('VACUUM INTO ?').run(file);
  const copy = new Database(file);
  try {
    // The documents' rows reference each other: emptied together with the checks off.
    copy.pragma('foreign_keys = OFF');
    copy
      .transaction(() => {
        for (const table of EMPTIED_TABLES) copy.exec(`DELETE FROM ${table}`);
        // The restore floors keep real receipt numbers from being reused; a training series starts at 1.
        copy.prepare('DELETE FROM setting WHERE key IN (?, ?)').run(RECEIPT_FLOOR_KEY, OUTBOX_FLOOR_KEY);
      })
      .immediate();
  } finally {
    copy.close();
  }
}

export const trainingDatabaseExists = (file: string): boolean => existsSync(file);
