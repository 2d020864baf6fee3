/**
 * Documents made before enrolment carry the receipt numbers of whatever series the register had
 * then (the demo's or a placeholder store and register code, or an earlier enrolment's): numbers
 * another register of the merchant may already hold. On enrolment, before the first push, every
 * document that no cloud can have seen is renumbered into the enrolled register's own series,
 * `{store}-{register}-{register_seq}` (the register's gapless seq is kept, so numbers stay unique
 * on this register). The number the customer holds stays on the sale (`printed_receipt_no`, found
 * by a receipt search or a scanned receipt) and travels with the document as `printedReceiptNo`;
 * the document's store code becomes the enrolled store's (a new register sells as placeholder S001).
 *
 * "No cloud can have seen it": unacknowledged, and past sync_health.offered_through_seq, the last
 * outbox seq whose push ended without a clear answer (it may have been applied by an earlier
 * enrolment's cloud; such a document keeps its number, and a cloud that refuses it quarantines it
 * visibly rather than counting it twice).
 *
 * Shift, cash and day-close events that no cloud can have seen move into the series too: their ref
 * (`{store}-{register}-S{shift}`, `…-S{shift}-M{movement}`, `…-Z{zNo}`) and the store and register
 * codes their payload names, which the cloud checks against the pushing register's
 * (register-event-schemas.ts). A voided cart's ref names no series.
 */
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import { receiptNumber, receiptSeries } from '../checkout/sale-repo';
import { registerEventRefTail } from '../../shared/register-event-schemas';

interface Renumbered {
  seq: number;
  old: string;
  registerSeq: number;
}

/** Runs inside the enrolment's transaction. Answers how many documents were renumbered. */
export function renumberIntoSeries(db: Db, series: { storeCode: string; registerCode: string }): number {
  if (!db.inTransaction) throw new Error('renumberIntoSeries must run inside the enrolment transaction');
  const prefix = receiptSeries(series.storeCode, series.registerCode);
  const rows = prepared<{ prefix: string }, Renumbered>(
    db,
    `SELECT o.seq, s.receipt_no AS old, s.register_seq AS registerSeq
     FROM outbox o JOIN sale s ON s.receipt_no = o.ref
     WHERE o.acked_at IS NULL AND o.kind GLOB 'document.*'
       AND o.seq > (SELECT offered_through_seq FROM sync_health WHERE id = 1)
       AND substr(o.ref, 1, length(:prefix)) <> :prefix
     ORDER BY o.seq`,
  ).all({ prefix });
  const sale = prepared(
    db,
    'UPDATE sale SET printed_receipt_no = coalesce(printed_receipt_no, receipt_no), receipt_no = :next WHERE receipt_no = :old',
  );
  const movements = prepared(db, 'UPDATE stock_movement SET source = :next WHERE source = :old');
  const document = prepared(
    db,
    `UPDATE outbox SET ref = :next,
       payload = json_set(payload, '$.receiptNo', :next, '$.printedReceiptNo', coalesce(json_extract(payload, '$.printedReceiptNo'), :old), '$.store.code', :storeCode)
     WHERE seq = :seq`,
  );
  // A return or exchange made before enrolment names its original by the number it had then.
  const originals = prepared(
    db,
    "UPDATE outbox SET payload = json_set(payload, '$.originalReceiptNo', :next) WHERE acked_at IS NULL AND json_extract(payload, '$.originalReceiptNo') = :old",
  );
  for (const row of rows) {
    const next = receiptNumber(series.storeCode, series.registerCode, row.registerSeq);
    sale.run({ next, old: row.old });
    movements.run({ next, old: row.old });
    document.run({ next, old: row.old, seq: row.seq, storeCode: series.storeCode });
    originals.run({ next, old: row.old });
  }
  renumberEvents(db, series, prefix);
  return rows.length;
}

/** The unseen shift, cash and day-close events, into the series `prefix`. */
function renumberEvents(db: Db, series: { storeCode: string; registerCode: string }, prefix: string): void {
  const events = prepared<
    [],
    { seq: number; kind: 'shift.opened' | 'shift.closed' | 'cash.movement' | 'day.closed'; ref: string; payload: string }
  >(
    db,
    `SELECT seq, kind, ref, payload FROM outbox
     WHERE acked_at IS NULL AND kind IN ('shift.opened', 'shift.closed', 'cash.movement', 'day.closed')
       AND seq > (SELECT offered_through_seq FROM sync_health WHERE id = 1)
     ORDER BY seq`,
  ).all();
  const update = prepared(
    db,
    `UPDATE outbox SET ref = :ref,
       payload = CASE WHEN json_type(payload, '$.storeCode') IS NULL THEN payload ELSE json_set(payload, '$.storeCode', :storeCode) END
     WHERE seq = :seq`,
  );
  const named = prepared(
    db,
    "UPDATE outbox SET payload = json_set(payload, '$.registerCode', :registerCode) WHERE seq = :seq AND json_type(payload, '$.registerCode') IS NOT NULL",
  );
  for (const event of events) {
    const ref = `${prefix}${registerEventRefTail(event.kind, JSON.parse(event.payload) as { shiftId?: number; movementId?: number; zNo?: number })}`;
    if (ref === event.ref) continue;
    update.run({ ref, storeCode: series.storeCode, seq: event.seq });
    named.run({ registerCode: series.registerCode, seq: event.seq });
  }
}

/**
 * What this register keeps under its own code (src/main/shifts, the cart's `register_code`) moves
 * to the code enrolment gave it, inside the enrolment's transaction: else the shift open when it
 * enrolled could never be closed, the Z numbers would start again, and the open and suspended carts
 * would vanish from the till. A row that would clash with one already under the new code (kept from
 * an enrolment long ago, before this move existed) stays where it was.
 */
export function moveLocalState(db: Db, from: string, to: string): void {
  if (!db.inTransaction) throw new Error('moveLocalState must run inside the enrolment transaction');
  if (from === to) return;
  for (const sql of [
    'UPDATE OR IGNORE shift SET register_code = :to WHERE register_code = :from',
    'UPDATE OR IGNORE business_day SET register_code = :to WHERE register_code = :from',
    "UPDATE OR IGNORE cart SET register_code = :to WHERE register_code = :from AND status IN ('open', 'suspended')",
  ])
    prepared(db, sql).run({ from, to });
}
