/**
 * SQL for the durable print queue (migrations/0006-devices.sql). One queue per device; a job
 * moves queued → printing → printed, or → uncertain (may have partly printed: the cashier
 * decides) or failed (cannot be printed on this printer, e.g. no font for a character).
 */
import type { ReceiptDocument } from '../../../drivers/escpos';
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import type { PrintKind } from './counter-devices';

export type PrintJobState = 'queued' | 'printing' | 'printed' | 'uncertain' | 'failed' | 'dismissed';

export interface PrintJobRow {
  id: number;
  device: string;
  kind: PrintKind;
  ref: string;
  document: string | null;
  state: PrintJobState;
  attempts: number;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  printed_at: number | null;
}

export function insertPrintJob(
  db: Db,
  job: { device: string; kind: PrintKind; ref: string; document: ReceiptDocument | null; now: number },
): number {
  return Number(
    prepared(
      db,
      'INSERT INTO print_job (device, kind, ref, document, created_at, updated_at) VALUES (:device, :kind, :ref, :document, :now, :now)',
    ).run({
      device: job.device,
      kind: job.kind,
      ref: job.ref,
      document: job.document === null ? null : JSON.stringify(job.document),
      now: job.now,
    }).lastInsertRowid,
  );
}

/** The oldest queued job for the device: receipts print in the order sales completed. */
export function nextQueuedJob(db: Db, device: string): PrintJobRow | undefined {
  return prepared<{ device: string }, PrintJobRow>(
    db,
    "SELECT * FROM print_job WHERE device = :device AND state = 'queued' ORDER BY id LIMIT 1",
  ).get({ device });
}

export function findPrintJob(db: Db, id: number): PrintJobRow | undefined {
  return prepared<{ id: number }, PrintJobRow>(db, 'SELECT * FROM print_job WHERE id = :id').get({ id });
}

export function setJobState(db: Db, id: number, state: PrintJobState, now: number, error: string | null = null): void {
  prepared(
    db,
    "UPDATE print_job SET state = :state, last_error = :error, updated_at = :now, printed_at = CASE WHEN :state = 'printed' THEN :now ELSE printed_at END WHERE id = :id",
  ).run({
    id,
    state,
    error,
    now,
  });
}

export function countAttempt(db: Db, id: number, now: number): void {
  prepared(db, 'UPDATE print_job SET attempts = attempts + 1, updated_at = :now WHERE id = :id').run({ id, now });
}

/** The link to the printer is open: from here on the job may reach paper. */
export function markPrinting(db: Db, id: number, now: number): void {
  prepared(db, "UPDATE print_job SET state = 'printing', updated_at = :now WHERE id = :id").run({ id, now });
}

/** After a restart: a job caught mid-send may have printed, so the cashier decides. */
export function flagInterruptedJobs(db: Db, device: string, now: number): number {
  return prepared(
    db,
    "UPDATE print_job SET state = 'uncertain', last_error = 'the register stopped while this job was printing', updated_at = :now WHERE device = :device AND state = 'printing'",
  ).run({
    device,
    now,
  }).changes;
}

export function queueCounts(db: Db, device: string): { queued: number; attention: number } {
  const row = prepared<{ device: string }, { queued: number; attention: number }>(
    db,
    "SELECT coalesce(sum(state IN ('queued', 'printing')), 0) AS queued, coalesce(sum(state IN ('uncertain', 'failed')), 0) AS attention FROM print_job WHERE device = :device",
  ).get({ device });
  return row ?? { queued: 0, attention: 0 };
}

/** Jobs that need the cashier (uncertain, failed) first, then the most recent others. */
export function recentJobs(db: Db, device: string, limit: number): PrintJobRow[] {
  return prepared<{ device: string; limit: number }, PrintJobRow>(
    db,
    "SELECT * FROM print_job WHERE device = :device ORDER BY state IN ('uncertain', 'failed') DESC, id DESC LIMIT :limit",
  ).all({ device, limit });
}
