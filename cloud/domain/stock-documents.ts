/**
 * Stock documents a register posted (issue 14), applied exactly once: goods received, adjustments,
 * stocktakes and transfers out. The cloud computes every movement itself from what the document
 * says happened: received or sent quantities as they are, an adjustment's signed quantity, and for
 * a count, counted − on-hand at the line's count time from the cloud's own ledger (sales made while
 * counting are netted out by their completion time). A register's arithmetic is never taken.
 *
 * Exactly once: a part's movements have the source `stockdoc:<docId>` and the document's own line
 * numbers, so UNIQUE (source, line) takes each line once whatever re-sends happen (a replayed seq is
 * already absorbed by the push protocol; a re-enrolled register re-sending under new seqs lands here).
 */
import type { PoolClient } from '../db/pool';
import { STOCK_LINES_PER_ROW, StockDocumentPayload } from '../../src/shared/stock-schemas';
import type { FeedTransfer } from '../../src/shared/change-feed';
import { appendChanges } from './change-log';
import { MutationRejected } from './quarantine';
import type { RegisterContext } from './registers';
import { describeIssues } from './schemas';
import { OnHandDeltas } from './stock';
import { announcePurchaseOrder } from './purchase-orders';

export interface StockDocumentWrite {
  type: 'stock-document';
  doc: StockDocumentPayload;
  skus: string[];
  /** transfer-out: the destination, resolved by the batch's database check */
  toStoreId?: number;
}

/** In memory: the payload's shape, its line numbers and the signs its kind allows. */
export function readStockDocument(register: RegisterContext, mutation: { ref: string; payload: unknown }): StockDocumentWrite {
  const parsed = StockDocumentPayload.safeParse(mutation.payload);
  if (!parsed.success) throw new MutationRejected('INVALID_PAYLOAD', describeIssues(parsed.error));
  const doc = parsed.data;
  if (doc.part > doc.parts) throw new MutationRejected('INVALID_PAYLOAD', `Part ${doc.part} of ${doc.parts}`);
  const seen = new Set<number>();
  for (const l of doc.lines) {
    if (seen.has(l.line)) throw new MutationRejected('INVALID_PAYLOAD', `Line ${l.line} appears twice`);
    seen.add(l.line);
    switch (doc.kind) {
      case 'adjust':
        if (l.quantityMilli === 0) throw new MutationRejected('INVALID_PAYLOAD', `Line ${l.line}: an adjustment of 0`);
        break;
      case 'count':
        if (l.quantityMilli < 0) throw new MutationRejected('INVALID_PAYLOAD', `Line ${l.line}: a count below zero`);
        if (l.countedAt === null) throw new MutationRejected('INVALID_PAYLOAD', `Line ${l.line}: a count line without its count time`);
        break;
      case 'transfer-in':
        // 0: sent but not arrived (the discrepancy is recorded)
        if (l.quantityMilli < 0) throw new MutationRejected('INVALID_PAYLOAD', `Line ${l.line}: a received quantity below zero`);
        break;
      case 'receive':
        // against a purchase order, 0: ordered but not delivered (the shortfall is recorded)
        if (l.quantityMilli < 0 || (l.quantityMilli === 0 && doc.purchaseOrderId === null))
          throw new MutationRejected('INVALID_PAYLOAD', `Line ${l.line}: received quantities are above zero`);
        break;
      default:
        if (l.quantityMilli <= 0) throw new MutationRejected('INVALID_PAYLOAD', `Line ${l.line}: ${doc.kind} quantities are above zero`);
    }
  }
  if (doc.kind === 'adjust' && doc.reasonCode === null) throw new MutationRejected('INVALID_PAYLOAD', 'An adjustment needs a reason');
  if (doc.kind === 'transfer-out') {
    if (doc.toStoreCode === null) throw new MutationRejected('INVALID_PAYLOAD', 'A transfer needs the store it goes to');
    if (doc.toStoreCode.toUpperCase() === register.storeCode.toUpperCase())
      throw new MutationRejected('INVALID_PAYLOAD', 'A transfer goes to another store');
  }
  if (doc.purchaseOrderId !== null && doc.kind !== 'receive')
    throw new MutationRejected('INVALID_PAYLOAD', 'Only goods received name a purchase order');
  if (doc.kind === 'transfer-in' && doc.transferDocId === null)
    throw new MutationRejected('INVALID_PAYLOAD', 'Receiving a transfer names the transfer it receives');
  return { type: 'stock-document', doc, skus: doc.lines.map((l) => l.sku) };
}

/**
 * The batch's database checks for stock documents: a transfer's destination must be a store of the
 * merchant; a transfer received must have been sent to this register's store, in full, and not
 * received by another document.
 */
export async function checkStockDocuments(
  client: PoolClient,
  register: RegisterContext,
  writes: readonly { seq: number; write: StockDocumentWrite }[],
  rejections: Map<number, MutationRejected>,
): Promise<void> {
  const receiving = writes.filter((w) => w.write.doc.kind === 'transfer-in');
  if (receiving.length > 0) {
    const sent = new Map(
      (
        await client.query<{ doc_id: string; to_store_id: string | null; merchant_id: string; received_by: string | null }>(
          `SELECT d.doc_id, d.to_store_id, d.merchant_id,
                  (SELECT r.doc_id FROM stock_document r WHERE r.kind = 'transfer-in' AND r.transfer_doc_id = d.doc_id) AS received_by
             FROM stock_document d WHERE d.kind = 'transfer-out' AND d.doc_id = ANY($1::uuid[])`,
          [receiving.map((w) => w.write.doc.transferDocId)],
        )
      ).rows.map((r) => [r.doc_id, r]),
    );
    for (const { seq, write } of receiving) {
      const transfer = sent.get(write.doc.transferDocId!);
      const problem = !transfer
        ? 'no such transfer'
        : Number(transfer.merchant_id) !== register.merchantId || Number(transfer.to_store_id) !== register.storeId
          ? 'the transfer was not sent to this store'
          : transfer.received_by !== null && transfer.received_by !== write.doc.docId
            ? `already received by ${transfer.received_by}`
            : null;
      if (problem) rejections.set(seq, new MutationRejected('TRANSFER_MISMATCH', `Transfer ${write.doc.transferDocId}: ${problem}`));
    }
  }
  const againstOrders = writes.filter((w) => w.write.doc.purchaseOrderId !== null);
  if (againstOrders.length > 0) {
    // Locked until COMMIT, so the receipt is decided on what stays true: a cancel (which locks the
    // order too) either committed before and is seen here, or waits and then finds the order received.
    // Taken before any stock or change-log lock of the batch, in po_id order, as cancelPurchaseOrder
    // takes the order's before the change log's.
    const orders = new Map(
      (
        await client.query<{ po_id: string; merchant_id: string; store_id: string; status: string; received_doc_id: string | null }>(
          'SELECT po_id, merchant_id, store_id, status, received_doc_id FROM purchase_order WHERE po_id = ANY($1::uuid[]) ORDER BY po_id FOR UPDATE',
          [againstOrders.map((w) => w.write.doc.purchaseOrderId)],
        )
      ).rows.map((r) => [r.po_id, r]),
    );
    for (const { seq, write } of againstOrders) {
      const order = orders.get(write.doc.purchaseOrderId!);
      const problem = !order
        ? 'no such purchase order'
        : Number(order.merchant_id) !== register.merchantId || Number(order.store_id) !== register.storeId
          ? 'the order is for another store'
          : order.received_doc_id !== null && order.received_doc_id !== write.doc.docId
            ? `already received by ${order.received_doc_id}`
            : order.status === 'cancelled'
              ? 'the order was cancelled'
              : null;
      if (problem)
        rejections.set(seq, new MutationRejected('PURCHASE_ORDER_MISMATCH', `Purchase order ${write.doc.purchaseOrderId}: ${problem}`));
    }
  }
  const codes = [...new Set(writes.flatMap((w) => (w.write.doc.toStoreCode ? [w.write.doc.toStoreCode.toUpperCase()] : [])))];
  if (codes.length === 0) return;
  const stores = new Map(
    (
      await client.query<{ id: number; code: string }>(
        'SELECT id, upper(code) AS code FROM store WHERE merchant_id = $1 AND upper(code) = ANY($2)',
        [register.merchantId, codes],
      )
    ).rows.map((r) => [r.code, Number(r.id)]),
  );
  for (const { seq, write } of writes) {
    if (write.doc.kind !== 'transfer-out' || write.doc.toStoreCode === null) continue;
    const id = stores.get(write.doc.toStoreCode.toUpperCase());
    if (id === undefined) rejections.set(seq, new MutationRejected('UNKNOWN_STORE', `No store ${write.doc.toStoreCode} in this merchant`));
    else write.toStoreId = id;
  }
}

/**
 * A count's expected on-hand per line: the ledger's sum at the store for the SKU up to the line's
 * count time (a sale counts at its completion, other movements when they happened or were taken).
 * The on-hand rows are locked first, in SKU order as applyOnHand locks them, so batches applying
 * sales at the same store have committed before the ledger is read.
 */
export async function expectedAtCountTime(
  client: PoolClient,
  storeId: number,
  doc: Pick<StockDocumentPayload, 'lines' | 'postedAt'>,
  lock = true,
): Promise<Map<number, number>> {
  // A variance looked at before posting reads without locking: the till keeps selling meanwhile.
  if (lock)
    await client.query('SELECT sku FROM stock_on_hand WHERE store_id = $1 AND sku = ANY($2::text[]) ORDER BY sku FOR UPDATE', [
      storeId,
      [...new Set(doc.lines.map((l) => l.sku))].sort(),
    ]);
  const rows = await client.query<{ line: number; expected: string }>(
    `SELECT t.line,
            (SELECT coalesce(sum(m.quantity_milli), 0)
               FROM stock_movement m
               LEFT JOIN sale s ON s.id = CASE WHEN m.source LIKE 'sale:%' THEN substring(m.source FROM 6)::bigint END
              WHERE m.store_id = $1 AND m.sku = t.sku AND coalesce(m.occurred_at, s.completed_at, m.created_at) <= t.at) AS expected
       FROM unnest($2::int[], $3::text[], $4::timestamptz[]) AS t(line, sku, at)`,
    [storeId, doc.lines.map((l) => l.line), doc.lines.map((l) => l.sku), doc.lines.map((l) => new Date(l.countedAt ?? doc.postedAt))],
  );
  return new Map(rows.rows.map((r) => [r.line, Number(r.expected)]));
}

/** What a transfer sent per SKU, for the receiving document's expected quantities (keyed by the receiving line). */
async function sentQuantities(client: PoolClient, doc: StockDocumentPayload): Promise<Map<number, number>> {
  const sent = new Map(
    (
      await client.query<{ sku: string; q: string }>(
        'SELECT sku, sum(quantity_milli) AS q FROM stock_document_line WHERE doc_id = $1 GROUP BY sku',
        [doc.transferDocId],
      )
    ).rows.map((r) => [r.sku, Number(r.q)]),
  );
  return new Map(doc.lines.map((l) => [l.line, sent.get(l.sku) ?? 0]));
}

/** What a purchase order ordered per SKU, for the receiving document's expected quantities (keyed by line). */
async function orderedQuantities(client: PoolClient, doc: StockDocumentPayload): Promise<Map<number, number>> {
  const ordered = new Map(
    (
      await client.query<{ sku: string; q: string }>('SELECT sku, quantity_milli AS q FROM purchase_order_line WHERE po_id = $1', [
        doc.purchaseOrderId,
      ])
    ).rows.map((r) => [r.sku, Number(r.q)]),
  );
  return new Map(doc.lines.map((l) => [l.line, ordered.get(l.sku) ?? 0]));
}

/**
 * The transfer as the receiving store's registers pull it: every line sent so far (a later change
 * for the same transfer supersedes an earlier one), how many of its parts are in, and whether it
 * has been received.
 */
async function announceTransfer(client: PoolClient, register: RegisterContext, doc: StockDocumentPayload, now: number): Promise<void> {
  const sentId = doc.kind === 'transfer-out' ? doc.docId : doc.transferDocId!;
  const header = (
    await client.query<{ doc_no: string; from_code: string; to_code: string; posted_at: Date; parts: number }>(
      `SELECT d.doc_no, f.code AS from_code, t.code AS to_code, d.posted_at, d.parts
         FROM stock_document d JOIN store f ON f.id = d.store_id JOIN store t ON t.id = d.to_store_id WHERE d.doc_id = $1`,
      [sentId],
    )
  ).rows[0];
  if (!header) return;
  const lines = (
    await client.query<{ sku: string; q: string }>(
      'SELECT sku, sum(quantity_milli) AS q FROM stock_document_line WHERE doc_id = $1 GROUP BY sku ORDER BY sku',
      [sentId],
    )
  ).rows;
  const partsIn = Math.ceil(
    Number(
      (await client.query<{ n: string }>('SELECT max(line) AS n FROM stock_document_line WHERE doc_id = $1', [sentId])).rows[0]?.n ?? 0,
    ) / STOCK_LINES_PER_ROW,
  );
  const received =
    doc.kind === 'transfer-in' ||
    (await client.query("SELECT 1 FROM stock_document WHERE kind = 'transfer-in' AND transfer_doc_id = $1", [sentId])).rowCount! > 0;
  const transfer: FeedTransfer = {
    docId: sentId,
    docNo: header.doc_no,
    fromStoreCode: header.from_code,
    toStoreCode: header.to_code,
    sentAt: header.posted_at.getTime(),
    parts: header.parts,
    partsIn: Math.min(partsIn, header.parts),
    status: received ? 'received' : 'in-transit',
    lines: lines.map((l) => ({ sku: l.sku, quantityMilli: Number(l.q) })),
  };
  await appendChanges(client, register.merchantId, [{ entity: 'transfer', op: 'upsert', data: transfer }], now);
}

/**
 * A doc_id names one document. It comes again as another part of a long document, or as the same
 * part re-sent (a register enrolled again re-sends its queue): the same merchant, store, kind,
 * number, posting time and targets. Anything else is another document under a taken id: refused,
 * as merged into the first its lines would move nothing (or join another store's transfer).
 */
async function refuseOtherHeader(client: PoolClient, register: RegisterContext, doc: StockDocumentPayload, toStoreId: number | null) {
  const taken = (
    await client.query<{
      merchant_id: string;
      store_id: string;
      kind: string;
      doc_no: string;
      parts: number;
      posted_at: Date;
      to_store_id: string | null;
      transfer_doc_id: string | null;
      po_id: string | null;
    }>(
      `SELECT merchant_id, store_id, kind, doc_no, parts, posted_at, to_store_id, transfer_doc_id, po_id
         FROM stock_document WHERE doc_id = $1`,
      [doc.docId],
    )
  ).rows[0];
  if (!taken) return;
  const differs = Object.entries({
    merchant: Number(taken.merchant_id) !== register.merchantId,
    store: Number(taken.store_id) !== register.storeId,
    kind: taken.kind !== doc.kind,
    number: taken.doc_no !== doc.docNo,
    parts: taken.parts !== doc.parts,
    'posting time': taken.posted_at.getTime() !== doc.postedAt,
    destination: (taken.to_store_id === null ? null : Number(taken.to_store_id)) !== toStoreId,
    transfer: taken.transfer_doc_id !== doc.transferDocId,
    'purchase order': taken.po_id !== doc.purchaseOrderId,
  }).flatMap(([field, different]) => (different ? [field] : []));
  if (differs.length === 0) return;
  // another merchant's document is not described to this one
  const other = differs.includes('merchant') ? 'another merchant’s document' : `${taken.kind} ${taken.doc_no}`;
  throw new MutationRejected(
    'DOCUMENT_ID_TAKEN',
    `Document id ${doc.docId} is already ${other} (differs in ${differs.join(', ')}): ${doc.kind} ${doc.docNo} was not applied`,
  );
}

/** Lines of a document taken before (by an earlier send of this part) must say the same again; see refuseOtherHeader. */
async function refuseOtherLines(client: PoolClient, doc: StockDocumentPayload, taken: readonly StockDocumentPayload['lines'][number][]) {
  if (taken.length === 0) return;
  const different = await client.query<{ line: number }>(
    `SELECT t.line FROM unnest($2::int[], $3::text[], $4::bigint[], $5::timestamptz[], $6::bigint[]) AS t(line, sku, q, counted_at, cost)
       JOIN stock_document_line l ON l.doc_id = $1 AND l.line = t.line
      WHERE (l.sku, l.quantity_milli, l.counted_at, l.cost_cents) IS DISTINCT FROM (t.sku, t.q, t.counted_at, t.cost)
      ORDER BY t.line`,
    [
      doc.docId,
      taken.map((l) => l.line),
      taken.map((l) => l.sku),
      taken.map((l) => l.quantityMilli),
      taken.map((l) => (l.countedAt === null ? null : new Date(l.countedAt))),
      taken.map((l) => l.costCents),
    ],
  );
  if (different.rowCount === 0) return;
  throw new MutationRejected(
    'DOCUMENT_ID_TAKEN',
    `Document ${doc.docNo} (${doc.docId}): line ${different.rows.map((r) => r.line).join(', ')} was already taken with other content: this part was not applied`,
  );
}

/**
 * Writes the documents' headers, lines and movements, in seq order; answers the on-hand deltas.
 * A document whose id is taken by another is refused (MutationRejected DOCUMENT_ID_TAKEN), nothing
 * of the caller's set written: checked after the inserts, so a document being written by another
 * transaction at the same moment is seen once it commits.
 */
export async function applyStockDocuments(
  client: PoolClient,
  register: RegisterContext,
  writes: readonly StockDocumentWrite[],
  now: number,
): Promise<OnHandDeltas> {
  const deltas = new OnHandDeltas();
  for (const { doc, toStoreId } of writes) {
    const header = await client.query(
      `INSERT INTO stock_document (doc_id, merchant_id, store_id, register_id, kind, doc_no, parts, staff_name, reason_code, note,
         supplier_ref, to_store_id, transfer_doc_id, posted_at, received_at, po_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) ON CONFLICT (doc_id) DO NOTHING RETURNING doc_id`,
      [
        doc.docId,
        register.merchantId,
        register.storeId,
        register.registerId,
        doc.kind,
        doc.docNo,
        doc.parts,
        doc.staffName,
        doc.reasonCode,
        doc.note,
        doc.supplierRef,
        toStoreId ?? null,
        doc.transferDocId,
        new Date(doc.postedAt),
        new Date(now),
        doc.purchaseOrderId,
      ],
    );
    if (header.rowCount === 0) await refuseOtherHeader(client, register, doc, toStoreId ?? null);
    const expected =
      doc.kind === 'count'
        ? await expectedAtCountTime(client, register.storeId, doc)
        : doc.kind === 'transfer-in'
          ? await sentQuantities(client, doc)
          : doc.purchaseOrderId !== null
            ? await orderedQuantities(client, doc)
            : null;
    const lines = doc.lines.map((l) => {
      const expectedMilli = expected ? (expected.get(l.line) ?? 0) : null;
      const movement =
        doc.kind === 'count' ? l.quantityMilli - expectedMilli! : doc.kind === 'transfer-out' ? -l.quantityMilli : l.quantityMilli;
      // transfer-in: expected is what was sent, so expected − received is the discrepancy (lost in transit, or more than sent)
      return { ...l, expectedMilli, movement };
    });
    const landed = await client.query<{ line: number }>(
      `INSERT INTO stock_document_line (doc_id, line, sku, quantity_milli, expected_milli, movement_milli, counted_at, cost_cents)
       SELECT $1, t.line, t.sku, t.q, t.expected, t.movement, t.counted_at, t.cost
         FROM unnest($2::int[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::timestamptz[], $8::bigint[])
              AS t(line, sku, q, expected, movement, counted_at, cost)
       ON CONFLICT (doc_id, line) DO NOTHING RETURNING line`,
      [
        doc.docId,
        lines.map((l) => l.line),
        lines.map((l) => l.sku),
        lines.map((l) => l.quantityMilli),
        lines.map((l) => l.expectedMilli),
        lines.map((l) => l.movement),
        lines.map((l) => (l.countedAt === null ? null : new Date(l.countedAt))),
        lines.map((l) => l.costCents),
      ],
    );
    // A line already taken (the same part re-sent after a new enrolment) moves nothing again.
    const fresh = new Set(landed.rows.map((r) => r.line));
    await refuseOtherLines(
      client,
      doc,
      doc.lines.filter((l) => !fresh.has(l.line)),
    );
    if (doc.kind === 'transfer-out' || doc.kind === 'transfer-in') await announceTransfer(client, register, doc, now);
    if (doc.purchaseOrderId !== null) {
      // the order is received: by this document, whatever arrived (short and over are on its lines)
      const closed = await client.query(
        "UPDATE purchase_order SET status = 'received', received_doc_id = $2 WHERE po_id = $1 AND received_doc_id IS NULL",
        [doc.purchaseOrderId, doc.docId],
      );
      if (closed.rowCount) await announcePurchaseOrder(client, register.merchantId, doc.purchaseOrderId, now);
    }
    const moving = lines.filter((l) => fresh.has(l.line) && l.movement !== 0);
    if (moving.length === 0) continue;
    const reason = doc.kind === 'receive' ? 'receive' : doc.kind === 'adjust' ? 'adjust' : doc.kind === 'count' ? 'count' : 'transfer';
    const inserted = await client.query<{ sku: string; quantity_milli: string }>(
      `INSERT INTO stock_movement (merchant_id, store_id, sku, quantity_milli, reason, source, line, created_at, occurred_at)
       SELECT $1, $2, t.sku, t.q, $3, $4, t.line, $5, t.at
         FROM unnest($6::text[], $7::bigint[], $8::int[], $9::timestamptz[]) AS t(sku, q, line, at)
       ON CONFLICT (source, line) WHERE source NOT LIKE 'sale:%' DO NOTHING RETURNING sku, quantity_milli`,
      [
        register.merchantId,
        register.storeId,
        reason,
        `stockdoc:${doc.docId}`,
        new Date(now),
        moving.map((l) => l.sku),
        moving.map((l) => l.movement),
        moving.map((l) => l.line),
        moving.map((l) => new Date(l.countedAt ?? doc.postedAt)),
      ],
    );
    for (const row of inserted.rows) deltas.add(register.storeId, register.storeCode, row.sku, Number(row.quantity_milli));
  }
  return deltas;
}
