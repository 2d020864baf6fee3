/**
 * Numbers a restore must never hand out again. A backup is older than the database it replaces:
 * the receipts and outbox rows made after it were printed or reached the cloud, so the restored
 * register goes on from the highest number anyone saw, never from the backup's own. The floors are
 * settings (so a later backup carries them); `nextRegisterSeq` and `appendOutbox` read them in the
 * same statement as their max().
 *
 * The outbox floor is the highest seq the cloud acknowledged, never one it may not have (a seq
 * beyond the cloud's mark would be a gap it refuses): rows offered but unanswered stay as they are.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';

export const RECEIPT_FLOOR_KEY = 'sequence.receiptFloor';
export const OUTBOX_FLOOR_KEY = 'sequence.outboxFloor';
export const SEQUENCE_MARK_FILE = 'sequence-mark';

export interface SequenceMarks {
  /** The highest receipt seq (register_seq) known, floors included. */
  receiptSeq: number;
  /** The highest outbox seq the cloud acknowledged, floors included. */
  outboxAckedSeq: number;
}

const MarkFile = z.strictObject({ receiptSeq: z.number().int().min(0), outboxAckedSeq: z.number().int().min(0) });

/** What this database has handed out (and been told by the cloud), its own floors included. */
export function readSequenceMarks(db: Db): SequenceMarks {
  const row = prepared<[], { receiptSeq: number; outboxAckedSeq: number }>(
    db,
    `SELECT max(coalesce((SELECT max(register_seq) FROM sale), 0),
                coalesce((SELECT CAST(value AS INTEGER) FROM setting WHERE key = 'sequence.receiptFloor'), 0)) AS receiptSeq,
            max(coalesce((SELECT max(seq) FROM outbox WHERE acked_at IS NOT NULL), 0),
                coalesce((SELECT CAST(value AS INTEGER) FROM setting WHERE key = 'sequence.outboxFloor'), 0)) AS outboxAckedSeq`,
  ).get();
  return { receiptSeq: row?.receiptSeq ?? 0, outboxAckedSeq: row?.outboxAckedSeq ?? 0 };
}

/** Raises the floors (never lowers them); returns what they are now. */
export function raiseFloors(db: Db, marks: SequenceMarks): SequenceMarks {
  const current = readSequenceMarks(db);
  const next = {
    receiptSeq: Math.max(current.receiptSeq, marks.receiptSeq),
    outboxAckedSeq: Math.max(current.outboxAckedSeq, marks.outboxAckedSeq),
  };
  const write = prepared(
    db,
    'INSERT INTO setting (key, value) VALUES (:key, :value) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  db.transaction(() => {
    write.run({ key: RECEIPT_FLOOR_KEY, value: JSON.stringify(next.receiptSeq) });
    write.run({ key: OUTBOX_FLOOR_KEY, value: JSON.stringify(next.outboxAckedSeq) });
  })();
  return next;
}

export function maxMarks(...marks: (SequenceMarks | null)[]): SequenceMarks {
  return marks.reduce<SequenceMarks>(
    (high, mark) =>
      mark
        ? { receiptSeq: Math.max(high.receiptSeq, mark.receiptSeq), outboxAckedSeq: Math.max(high.outboxAckedSeq, mark.outboxAckedSeq) }
        : high,
    { receiptSeq: 0, outboxAckedSeq: 0 },
  );
}

export function sequenceMarkPath(dataDir: string): string {
  return join(dataDir, 'secrets', SEQUENCE_MARK_FILE);
}

/** The mark kept beside the database (so a database too damaged to open still tells), null when none or unreadable. */
export function readSequenceMarkFile(dataDir: string): SequenceMarks | null {
  try {
    const parsed = MarkFile.safeParse(JSON.parse(readFileSync(sequenceMarkPath(dataDir), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Written off the till's path (after a sale, debounced): temp file then rename, never half a file. */
export async function writeSequenceMarkFile(dataDir: string, marks: SequenceMarks): Promise<void> {
  const file = sequenceMarkPath(dataDir);
  await writeFile(`${file}.tmp`, `${JSON.stringify(marks)}\n`, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

/** The same, durably (fsync), for a restore: the next start must see the floors it set. */
export function writeSequenceMarkFileSync(dataDir: string, marks: SequenceMarks): void {
  const file = sequenceMarkPath(dataDir);
  const fd = openSync(`${file}.tmp`, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(marks)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(`${file}.tmp`, file);
}
