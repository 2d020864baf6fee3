/**
 * Stock documents at the register (issue 14): goods received (收貨), stocktakes (盤點), transfers
 * out (調貨) and reason-coded adjustments. A document is opened, scanned into (quantity first, then
 * scan; several people may scan into one count) and posted once. Posting writes the lines, one
 * stock_movement per product whose on-hand changes and the `stock.document` outbox rows in ONE
 * transaction; a long document goes as parts of STOCK_LINES_PER_ROW lines, each its own outbox row.
 *
 * The cloud recomputes everything it applies (a count carries counted quantities and times, never
 * variances); what the register computes here is its own picture until the next pull.
 *
 * Every state check happens inside the write transaction: two windows posting the same document
 * at once get one post and one CONFLICT.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import type { Clock } from '../clock';
import type { AuditLog } from '../audit/audit-log';
import { PosError } from '../../shared/errors';
import type { StaffSummary } from '../../shared/schemas';
import type { Permission } from '../../shared/permissions';
import { thousandthsOf } from '../../shared/money';
import {
  STOCK_LINES_PER_ROW,
  type CountScope,
  type InboundTransfer,
  type OnHandList,
  type OpenStockDocument,
  type PurchaseOrderSummary,
  type ReasonReportRow,
  type SaveStockReason,
  type StockDocumentKind,
  type StockDocumentPayload,
  type StockDocumentSummary,
  type StockDocumentView,
  type StockLineView,
  type StockReason,
  type StockScanResult,
  type VarianceLine,
  type VarianceReport,
} from '../../shared/stock-schemas';
import { matchCode } from '../catalog/lookup';
import { appendOutbox } from '../sync/outbox';
import { readIdentity } from '../settings/identity';
import { movedSince, nonZeroOnHand, onHandOf } from './on-hand';
import { queueReceivedLabels } from '../labels/label-queue';
import type { CountEntry, CountLeave, CountSessionOpened } from '../../shared/count-session';
import type { CountParticipant, SharedCountInfo } from '../../shared/stock-schemas';
import { ownParticipant } from './shared-count-close';

const DOC_PREFIX: Record<StockDocumentKind, string> = {
  receive: 'GRN',
  adjust: 'ADJ',
  count: 'CNT',
  'transfer-out': 'TRO',
  'transfer-in': 'TRI',
};

/** Who may open, scan into and post each kind (the channel checks the common part). */
export const permissionFor: Record<StockDocumentKind, Permission> = {
  receive: 'stock.receive',
  adjust: 'stock.adjust',
  count: 'stock.count',
  'transfer-out': 'stock.transfer',
  'transfer-in': 'stock.transfer',
};

interface DocumentRow {
  id: number;
  doc_id: string;
  doc_no: string;
  kind: StockDocumentKind;
  status: 'open' | 'posted' | 'cancelled';
  blind: number;
  scope: string | null;
  reason_code: string | null;
  note: string;
  supplier_ref: string;
  to_store_code: string | null;
  transfer_doc_id: string | null;
  po_id: string | null;
  po_no: string | null;
  po_status: 'open' | 'received' | 'cancelled' | null;
  opened_at: number;
  opened_by_name: string;
  posted_at: number | null;
  /** a count shared with the store's other registers through the cloud (shared-counts.ts) */
  shared_role: 'opener' | 'joined' | null;
  shared_opened_by: string | null;
  shared_posted_by: string | null;
  /** this register left it: its scans `kept` in the count or `withdrawn` */
  shared_left: 'kept' | 'withdrawn' | null;
  /** the cloud's participants (JSON CountParticipant[]) at the last pull or refresh */
  shared_participants: string | null;
}

interface ScanTotalRow {
  product_id: number;
  sku: string;
  name_zh: string;
  name_en: string;
  price: number;
  q: number;
  scans: number;
  cost: number | null;
  last_at: number;
}

/** How long an order head office cancelled stays on the receiving list, marked cancelled (by its order date). */
const CANCELLED_SHOWN_MS = 30 * 86_400_000;

const SELECT_DOCUMENT = `
  SELECT d.id, d.doc_id, d.doc_no, d.kind, d.status, d.blind, d.scope, d.reason_code, d.note, d.supplier_ref,
         d.to_store_code, d.transfer_doc_id, d.po_id, po.po_no, po.status AS po_status, d.opened_at, s.name_zh AS opened_by_name, d.posted_at,
         d.shared_role, d.shared_opened_by, d.shared_posted_by, d.shared_left, d.shared_participants
    FROM stock_document d JOIN staff s ON s.id = d.opened_by LEFT JOIN purchase_order po ON po.po_id = d.po_id`;

/** One product of a document: the sum of its scans, how many, the last cost typed, the last scan's time. */
const PRODUCT_TOTALS = `
  SELECT p.id AS product_id, p.sku, p.name_zh, p.name_en, p.price, sum(s.quantity_milli) AS q, count(*) AS scans, max(s.scanned_at) AS last_at,
         (SELECT cost_cents FROM stock_scan c WHERE c.document_id = :documentId AND c.product_id = :productId
             AND c.cost_cents IS NOT NULL ORDER BY c.id DESC LIMIT 1) AS cost
    FROM stock_scan s JOIN product p ON p.id = s.product_id
   WHERE s.document_id = :documentId AND s.product_id = :productId`;

export interface StockServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditLog;
}

export type StockService = ReturnType<typeof createStockService>;

function toMilli(quantity: number): number {
  const milli = thousandthsOf(quantity);
  if (milli === null) throw new PosError('BAD_REQUEST', 'A quantity has at most 3 decimals');
  return milli;
}

function mustHave(actor: StaffSummary, permission: Permission): void {
  if (!actor.permissions.includes(permission))
    throw new PosError('FORBIDDEN', `${actor.roleNameEn} (${actor.role}) may not do this: it needs ${permission}`);
}

export function createStockService({ db, clock, audit }: StockServiceDeps) {
  const findDocument = (documentId: number): DocumentRow => {
    const row = prepared<{ id: number }, DocumentRow>(db, `${SELECT_DOCUMENT} WHERE d.id = :id`).get({ id: documentId });
    if (!row) throw new PosError('NOT_FOUND', `No stock document ${documentId}`);
    return row;
  };

  const openDocument = (documentId: number, actor: StaffSummary): DocumentRow => {
    const row = findDocument(documentId);
    mustHave(actor, permissionFor[row.kind]);
    if (row.status !== 'open') throw new PosError('STOCK_DOCUMENT_CLOSED', `${row.doc_no} is already ${row.status}`);
    return row;
  };

  /** One product's line of an open document (a scan's answer): an index range of its scans. */
  const productTotals = (documentId: number, productId: number): ScanTotalRow | undefined =>
    prepared<{ documentId: number; productId: number }, ScanTotalRow>(db, PRODUCT_TOTALS).get({
      documentId,
      productId,
    });

  /**
   * Every line of a document from its scans, newest scan first: one pass over the scans in JS (a
   * 20,000-line count reads its scans once, not once per product), then the products in one query.
   */
  const allTotals = (documentId: number): ScanTotalRow[] => {
    const byProduct = new Map<number, { q: number; scans: number; cost: number | null; last: number; lastId: number }>();
    // Raw rows (arrays), read at once: the fastest way through 20,000 scans.
    const scans = prepared<[number], [number, number, number, number | null, number]>(
      db,
      'SELECT id, product_id, quantity_milli, cost_cents, scanned_at FROM stock_scan WHERE document_id = ? ORDER BY id',
    )
      .raw()
      .all(documentId);
    for (const [id, productId, q, cost, at] of scans) {
      const t = byProduct.get(productId);
      if (t) {
        t.q += q;
        t.scans += 1;
        if (cost !== null) t.cost = cost;
        t.last = Math.max(t.last, at);
        t.lastId = id;
      } else byProduct.set(productId, { q, scans: 1, cost, last: at, lastId: id });
    }
    const products = new Map(
      prepared<{ ids: string }, { id: number; sku: string; name_zh: string; name_en: string; price: number }>(
        db,
        'SELECT p.id, p.sku, p.name_zh, p.name_en, p.price FROM json_each(:ids) j JOIN product p ON p.id = j.value',
      )
        .all({ ids: JSON.stringify([...byProduct.keys()]) })
        .map((p) => [p.id, p]),
    );
    return [...byProduct]
      .sort((a, b) => b[1].lastId - a[1].lastId)
      .map(([productId, t]) => {
        const p = products.get(productId)!;
        return {
          product_id: productId,
          sku: p.sku,
          name_zh: p.name_zh,
          name_en: p.name_en,
          price: p.price,
          q: t.q,
          scans: t.scans,
          cost: t.cost,
          last_at: t.last,
        };
      });
  };

  /**
   * Lines and total of each open document, kept up to date by this service's own writes (every
   * scan goes through it, in this process), so a scan into a 5,000-line count does not re-add the
   * count; read from the scans once per document.
   */
  const openTotals = new Map<number, { products: Set<number>; totalMilli: number }>();
  const totalsEntry = (documentId: number) => {
    let entry = openTotals.get(documentId);
    if (!entry) {
      const rows = prepared<{ documentId: number }, { product_id: number; q: number }>(
        db,
        'SELECT product_id, sum(quantity_milli) AS q FROM stock_scan WHERE document_id = :documentId GROUP BY product_id',
      ).all({ documentId });
      entry = { products: new Set(rows.map((r) => r.product_id)), totalMilli: rows.reduce((sum, r) => sum + r.q, 0) };
      openTotals.set(documentId, entry);
    }
    return entry;
  };
  const totals = (documentId: number): { lineCount: number; totalMilli: number } => {
    const entry = totalsEntry(documentId);
    return { lineCount: entry.products.size, totalMilli: entry.totalMilli };
  };
  /** Call after a scan row is committed. */
  const scanned = (documentId: number, productId: number, quantityMilli: number) => {
    const entry = openTotals.get(documentId);
    if (!entry) return; // read from the scans when next asked
    entry.products.add(productId);
    entry.totalMilli += quantityMilli;
  };

  /** A document that receives against what another said would come: a transfer in, or goods against a purchase order. */
  const hasExpectedList = (doc: DocumentRow): boolean => doc.kind === 'transfer-in' || (doc.kind === 'receive' && doc.po_id !== null);

  /** What a transfer sent or a purchase order ordered, per SKU (the receiving document's expected quantities). */
  const sentBySku = (doc: DocumentRow): Map<string, number> => {
    let lines: string | undefined;
    if (doc.kind === 'transfer-in' && doc.transfer_doc_id !== null)
      lines = prepared<{ id: string }, string>(db, 'SELECT lines FROM inbound_transfer WHERE doc_id = :id')
        .pluck()
        .get({ id: doc.transfer_doc_id });
    else if (doc.kind === 'receive' && doc.po_id !== null)
      lines = prepared<{ id: string }, string>(db, 'SELECT lines FROM purchase_order WHERE po_id = :id').pluck().get({ id: doc.po_id });
    else return new Map();
    const sent = new Map<string, number>();
    for (const l of JSON.parse(lines ?? '[]') as { sku: string; quantityMilli: number }[])
      sent.set(l.sku, (sent.get(l.sku) ?? 0) + l.quantityMilli);
    return sent;
  };

  const lineView = (doc: DocumentRow, row: ScanTotalRow, expected: number | null): StockLineView => ({
    productId: row.product_id,
    sku: row.sku,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    quantityMilli: row.q,
    expectedMilli: doc.kind === 'count' && doc.blind === 1 ? null : expected,
    costCents: row.cost,
    scans: row.scans,
  });

  /** A shared count's state here: this register's refused and unsent scans, and who posted it in the cloud. */
  const sharedInfo = (doc: DocumentRow): SharedCountInfo | null => {
    if (doc.shared_role === null) return null;
    const refused = prepared<{ id: number }, { n: number; q: number | null }>(
      db,
      'SELECT count(*) AS n, sum(quantity_milli) AS q FROM stock_scan WHERE document_id = :id AND refused_at IS NOT NULL',
    ).get({ id: doc.id })!;
    const unsent = prepared<{ prefix: string }, number>(
      db,
      "SELECT count(*) FROM outbox WHERE kind = 'count.entry' AND acked_at IS NULL AND substr(ref, 1, length(:prefix)) = :prefix",
    )
      .pluck()
      .get({ prefix: `${doc.doc_no}:` })!;
    const participants = doc.shared_participants === null ? [] : (JSON.parse(doc.shared_participants) as CountParticipant[]);
    const own = ownParticipant(db, participants);
    return {
      role: doc.shared_role,
      openedByRegister: doc.shared_opened_by ?? '',
      refusedScans: refused.n,
      refusedMilli: refused.q ?? 0,
      postedBy: doc.status === 'posted' ? doc.shared_posted_by : null,
      cancelledBy: doc.status === 'cancelled' ? doc.shared_posted_by : null,
      cancelReason: doc.status === 'cancelled' ? doc.note : '',
      left: doc.shared_left !== null,
      // a withdrawal the cloud heard after the post: the scans stay counted, and the leaver is told
      leftScans: doc.shared_left === 'withdrawn' && own?.leftScans === 'too-late' ? 'too-late' : doc.shared_left,
      // this register's own leaving is the badge above, not one of the others'
      participants: doc.shared_left === null ? participants : participants.filter((p) => p !== own),
      unsentScans: unsent,
    };
  };

  const summaryOf = (doc: DocumentRow): StockDocumentSummary => {
    const posted =
      doc.status === 'posted'
        ? prepared<{ id: number }, { n: number; q: number | null }>(
            db,
            'SELECT count(*) AS n, sum(quantity_milli) AS q FROM stock_document_line WHERE document_id = :id',
          ).get({ id: doc.id })!
        : null;
    // a shared count posted by another register has no lines here: what this register scanned stands
    const t = posted && posted.n > 0 ? { lineCount: posted.n, totalMilli: posted.q ?? 0 } : totals(doc.id);
    return {
      id: doc.id,
      docNo: doc.doc_no,
      kind: doc.kind,
      status: doc.status,
      blind: doc.blind === 1,
      scope: doc.scope ? (JSON.parse(doc.scope) as CountScope) : null,
      reasonCode: doc.reason_code,
      note: doc.note,
      supplierRef: doc.supplier_ref,
      toStoreCode: doc.to_store_code,
      purchaseOrderNo: doc.po_no,
      purchaseOrderStatus: doc.po_status,
      openedAt: doc.opened_at,
      openedBy: doc.opened_by_name,
      postedAt: doc.posted_at,
      shared: sharedInfo(doc),
      ...t,
    };
  };

  const viewOf = (doc: DocumentRow): StockDocumentView => {
    const summary = summaryOf(doc);
    const hasLines =
      doc.status === 'posted' &&
      prepared<{ id: number }, number>(db, 'SELECT 1 FROM stock_document_line WHERE document_id = :id LIMIT 1')
        .pluck()
        .get({ id: doc.id }) !== undefined;
    if (hasLines || (doc.status === 'posted' && doc.shared_role === null)) {
      const lines = prepared<{ id: number }, StockLineView & { costCents: number | null }>(
        db,
        `SELECT l.product_id AS productId, l.sku, p.name_zh AS nameZh, p.name_en AS nameEn, l.quantity_milli AS quantityMilli,
                l.expected_milli AS expectedMilli, l.cost_cents AS costCents, 1 AS scans
           FROM stock_document_line l JOIN product p ON p.id = l.product_id WHERE l.document_id = :id ORDER BY l.line LIMIT 200`,
      ).all({ id: doc.id });
      return { ...summary, lines };
    }
    const rows = allTotals(doc.id).slice(0, 200);
    if (hasExpectedList(doc)) {
      // what was scanned, newest first, then what is expected and not scanned yet (received: 0)
      const sent = sentBySku(doc);
      const scannedSkus = new Set(rows.map((r) => r.sku));
      const waiting = prepared<{ skus: string }, { id: number; sku: string; name_zh: string; name_en: string }>(
        db,
        'SELECT id, sku, name_zh, name_en FROM product WHERE sku IN (SELECT value FROM json_each(:skus)) ORDER BY sku',
      )
        .all({ skus: JSON.stringify([...sent.keys()].filter((sku) => !scannedSkus.has(sku))) })
        .map(
          (p): StockLineView => ({
            productId: p.id,
            sku: p.sku,
            nameZh: p.name_zh,
            nameEn: p.name_en,
            quantityMilli: 0,
            expectedMilli: sent.get(p.sku) ?? 0,
            costCents: null,
            scans: 0,
          }),
        );
      return { ...summary, lines: [...rows.map((r) => lineView(doc, r, sent.get(r.sku) ?? 0)), ...waiting].slice(0, 200) };
    }
    const expected =
      doc.kind === 'count' && doc.blind === 1
        ? new Map<number, number>()
        : onHandOf(
            db,
            rows.map((r) => r.product_id),
          );
    return { ...summary, lines: rows.map((r) => lineView(doc, r, expected.get(r.product_id) ?? 0)) };
  };

  const reasonRow = (code: string) =>
    prepared<{ code: string }, { code: string; direction: number; active: number }>(
      db,
      'SELECT code, direction, active FROM stock_reason WHERE code = :code',
    ).get({ code });

  /** Products a count covers besides what was scanned: those in scope whose on-hand here is not zero. */
  const unscannedInScope = (scope: CountScope, scanned: ReadonlySet<number>): Map<number, number> => {
    if (scope.kind === 'scanned') return new Map();
    const nonZero = nonZeroOnHand(db);
    let inScope: Set<number> | null = null;
    if (scope.kind === 'category') {
      inScope = new Set(
        prepared<{ code: string }, number>(db, 'SELECT p.id FROM product p JOIN category c ON c.id = p.category_id WHERE c.code = :code')
          .pluck()
          .all({ code: scope.categoryCode }),
      );
    }
    for (const id of [...nonZero.keys()]) if (scanned.has(id) || (inScope && !inScope.has(id))) nonZero.delete(id);
    return nonZero;
  };

  interface PostLine {
    productId: number;
    sku: string;
    quantityMilli: number;
    expectedMilli: number | null;
    movementMilli: number;
    costCents: number | null;
    countedAt: number | null;
  }

  /** What posting would write for each line, computed from the scans as they are now. */
  function linesToPost(doc: DocumentRow, now: number): PostLine[] {
    const rows = allTotals(doc.id).sort((a, b) => a.product_id - b.product_id);
    switch (hasExpectedList(doc) ? 'against-list' : doc.kind) {
      case 'against-list':
      case 'transfer-in': {
        // What arrived against what was sent or ordered; a SKU sent or ordered but not scanned arrived as none.
        const sent = sentBySku(doc);
        const lines: PostLine[] = rows.map((r) => {
          if (r.q < 0) throw new PosError('BAD_REQUEST', `${r.sku}: the quantity cannot be below zero`);
          return {
            productId: r.product_id,
            sku: r.sku,
            quantityMilli: r.q,
            expectedMilli: sent.get(r.sku) ?? 0,
            movementMilli: r.q,
            costCents: r.cost,
            countedAt: null,
          };
        });
        const scannedSkus = new Set(rows.map((r) => r.sku));
        const missing = [...sent.keys()].filter((sku) => !scannedSkus.has(sku));
        const ids = new Map(
          prepared<{ skus: string }, { id: number; sku: string }>(
            db,
            'SELECT id, sku FROM product WHERE sku IN (SELECT value FROM json_each(:skus))',
          )
            .all({ skus: JSON.stringify(missing) })
            .map((p) => [p.sku, p.id]),
        );
        for (const sku of missing) {
          const productId = ids.get(sku);
          if (productId !== undefined)
            lines.push({
              productId,
              sku,
              quantityMilli: 0,
              expectedMilli: sent.get(sku)!,
              movementMilli: 0,
              costCents: null,
              countedAt: null,
            });
        }
        return lines;
      }
      case 'receive':
      case 'transfer-out': {
        const sign = doc.kind === 'transfer-out' ? -1 : 1;
        return rows
          .filter((r) => r.q !== 0)
          .map((r) => {
            if (r.q < 0) throw new PosError('BAD_REQUEST', `${r.sku}: the quantity cannot be below zero`);
            return {
              productId: r.product_id,
              sku: r.sku,
              quantityMilli: r.q,
              expectedMilli: null,
              movementMilli: sign * r.q,
              costCents: r.cost,
              countedAt: null,
            };
          });
      }
      case 'adjust':
        return rows
          .filter((r) => r.q !== 0)
          .map((r) => ({
            productId: r.product_id,
            sku: r.sku,
            quantityMilli: r.q,
            expectedMilli: null,
            movementMilli: r.q,
            costCents: null,
            countedAt: null,
          }));
      case 'count': {
        const scope = JSON.parse(doc.scope ?? '{"kind":"scanned"}') as CountScope;
        const counted = new Map(rows.map((r) => [r.product_id, r]));
        const unscanned = unscannedInScope(scope, new Set(counted.keys()));
        const skus = new Map(
          prepared<{ ids: string }, { id: number; sku: string }>(
            db,
            'SELECT id, sku FROM product WHERE id IN (SELECT value FROM json_each(:ids))',
          )
            .all({ ids: JSON.stringify([...unscanned.keys()]) })
            .map((r) => [r.id, r.sku]),
        );
        const ids = [...counted.keys(), ...unscanned.keys()];
        const nowOnHand = onHandOf(db, ids);
        // Sales made while counting: on-hand at a line's count time is on-hand now less what moved since.
        const since = movedSince(db, new Map(rows.map((r) => [r.product_id, r.last_at])));
        const lines: PostLine[] = [];
        for (const r of rows) {
          if (r.q < 0) throw new PosError('BAD_REQUEST', `${r.sku}: a count cannot be below zero`);
          const expected = (nowOnHand.get(r.product_id) ?? 0) - (since.get(r.product_id) ?? 0);
          lines.push({
            productId: r.product_id,
            sku: r.sku,
            quantityMilli: r.q,
            expectedMilli: expected,
            movementMilli: r.q - expected,
            costCents: r.cost,
            countedAt: r.last_at,
          });
        }
        for (const [productId, expected] of unscanned) {
          lines.push({
            productId,
            sku: skus.get(productId)!,
            quantityMilli: 0,
            expectedMilli: expected,
            movementMilli: -expected,
            costCents: null,
            countedAt: now,
          });
        }
        return lines;
      }
    }
  }

  /** A shared count's scan as its `count.entry` outbox row; inside the scan's transaction. */
  const sendEntry = (doc: DocumentRow, scanId: number, productId: number, quantityMilli: number, actor: StaffSummary, now: number) => {
    const sku = prepared<{ id: number }, string>(db, 'SELECT sku FROM product WHERE id = :id').pluck().get({ id: productId })!;
    const payload: CountEntry = {
      sessionId: doc.doc_id,
      entrySeq: scanId,
      sku,
      quantityMilli,
      scannedAt: now,
      staffName: actor.nameEn || actor.nameZh,
    };
    appendOutbox(db, { kind: 'count.entry', ref: `${doc.doc_no}:${scanId}`, payload, now });
  };

  const nextDocNo = (kind: StockDocumentKind): string => {
    const n = prepared<{ kind: string }, number>(db, 'SELECT count(*) + 1 FROM stock_document WHERE kind = :kind').pluck().get({ kind })!;
    return `${DOC_PREFIX[kind]}-${String(n).padStart(6, '0')}`;
  };

  return {
    reasons(): StockReason[] {
      return prepared<[], { code: string; name_zh: string; name_en: string; direction: -1 | 0 | 1; built_in: number; active: number }>(
        db,
        'SELECT code, name_zh, name_en, direction, built_in, active FROM stock_reason ORDER BY sort, code',
      )
        .all()
        .map((r) => ({
          code: r.code,
          nameZh: r.name_zh,
          nameEn: r.name_en,
          direction: r.direction,
          builtIn: r.built_in === 1,
          active: r.active === 1,
        }));
    },

    saveReason(actor: StaffSummary, input: SaveStockReason): StockReason[] {
      db.transaction(() => {
        const existing = prepared<{ code: string }, { built_in: number }>(db, 'SELECT built_in FROM stock_reason WHERE code = :code').get({
          code: input.code,
        });
        if (existing?.built_in === 1 && !input.active) throw new PosError('CONFLICT', 'A built-in reason cannot be switched off');
        prepared(
          db,
          `INSERT INTO stock_reason (code, name_zh, name_en, direction, active, sort)
             VALUES (:code, :nameZh, :nameEn, :direction, :active, (SELECT coalesce(max(sort), 0) + 1 FROM stock_reason))
           ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en,
             direction = CASE WHEN stock_reason.built_in = 1 THEN stock_reason.direction ELSE excluded.direction END, active = excluded.active`,
        ).run({ ...input, active: input.active ? 1 : 0 });
        audit.append({ kind: 'settings.changed', staffId: actor.id, subject: `stock-reason:${input.code}`, detail: { ...input } });
      }).immediate();
      return this.reasons();
    },

    onHand(request: { text: string; lowOnly: boolean }): OnHandList {
      const text = request.text.trim();
      const rows = prepared<
        { text: string; like: string; prefix: string; lowOnly: number },
        { id: number; sku: string; name_zh: string; name_en: string; category_code: string | null; reorder: number | null }
      >(
        db,
        `SELECT p.id, p.sku, p.name_zh, p.name_en, c.code AS category_code, l.reorder_milli AS reorder
           FROM product p LEFT JOIN category c ON c.id = p.category_id LEFT JOIN stock_level l ON l.product_id = p.id
          WHERE p.active = 1
            AND (:text = '' OR p.sku LIKE :prefix OR p.name_zh LIKE :like OR p.name_en LIKE :like
                 OR p.id IN (SELECT product_id FROM barcode WHERE code = :text))
            AND (:lowOnly = 0 OR l.reorder_milli IS NOT NULL)
          ORDER BY p.sku LIMIT 201`,
      ).all({ text, like: `%${text.replace(/[%_]/g, '')}%`, prefix: `${text.replace(/[%_]/g, '')}%`, lowOnly: request.lowOnly ? 1 : 0 });
      const onHand = onHandOf(
        db,
        rows.map((r) => r.id),
      );
      const list = rows
        .map((r) => ({
          productId: r.id,
          sku: r.sku,
          nameZh: r.name_zh,
          nameEn: r.name_en,
          categoryCode: r.category_code,
          onHandMilli: onHand.get(r.id) ?? 0,
          reorderMilli: r.reorder,
        }))
        .filter((r) => !request.lowOnly || r.onHandMilli <= (r.reorderMilli ?? -Infinity));
      return { rows: list.slice(0, 200), more: list.length > 200 };
    },

    /**
     * A register's own reorder level, for a register that is not enrolled to a cloud. Enrolled, the
     * cloud owns reorder levels (head office sets them on the console's 庫存 page and they arrive
     * with the pull): a local edit is refused rather than silently overwritten by the next pull.
     */
    setReorderLevel(productId: number, quantity: number | null): void {
      if (prepared<[], number>(db, 'SELECT 1 FROM sync_enrolment WHERE id = 1').pluck().get() !== undefined)
        throw new PosError('CONFLICT', 'Reorder levels of an enrolled register are set by head office (console › 庫存)');
      if (quantity === null) prepared(db, 'DELETE FROM stock_level WHERE product_id = :productId').run({ productId });
      else
        prepared(
          db,
          'INSERT INTO stock_level (product_id, reorder_milli) VALUES (:productId, :q) ON CONFLICT (product_id) DO UPDATE SET reorder_milli = excluded.reorder_milli',
        ).run({ productId, q: toMilli(quantity) });
    },

    open(actor: StaffSummary, request: OpenStockDocument): StockDocumentView {
      mustHave(actor, permissionFor[request.kind]);
      const now = clock.now();
      const id = db
        .transaction(() => {
          if (request.kind === 'adjust') {
            const reason = reasonRow(request.reasonCode);
            if (!reason || reason.active !== 1) throw new PosError('NOT_FOUND', `No adjustment reason ${request.reasonCode}`);
          }
          if (request.kind === 'transfer-in') {
            const inbound = prepared<{ id: string }, { complete: number; received: number }>(
              db,
              'SELECT complete, received FROM inbound_transfer WHERE doc_id = :id',
            ).get({ id: request.transferDocId });
            if (!inbound) throw new PosError('NOT_FOUND', `No transfer ${request.transferDocId} to this store`);
            if (inbound.received === 1) throw new PosError('CONFLICT', 'This transfer has already been received');
            if (inbound.complete === 0)
              throw new PosError('CONFLICT', 'Part of this transfer has not reached the cloud yet: sync, then try again');
            const already = prepared<{ id: string }, string>(
              db,
              "SELECT doc_no FROM stock_document WHERE kind = 'transfer-in' AND transfer_doc_id = :id AND status <> 'cancelled'",
            )
              .pluck()
              .get({ id: request.transferDocId });
            if (already) throw new PosError('CONFLICT', `This transfer is being received in ${already}`);
          }
          let order: { po_no: string; status: string } | undefined;
          if (request.kind === 'receive' && request.purchaseOrderId !== undefined) {
            order = prepared<{ id: string }, { po_no: string; status: string }>(
              db,
              'SELECT po_no, status FROM purchase_order WHERE po_id = :id',
            ).get({ id: request.purchaseOrderId });
            if (!order) throw new PosError('NOT_FOUND', `No purchase order ${request.purchaseOrderId} for this store`);
            if (order.status !== 'open')
              throw new PosError('CONFLICT', `Purchase order ${order.po_no} has already been received or cancelled`);
            const already = prepared<{ id: string }, string>(
              db,
              "SELECT doc_no FROM stock_document WHERE kind = 'receive' AND po_id = :id AND status <> 'cancelled'",
            )
              .pluck()
              .get({ id: request.purchaseOrderId });
            if (already) throw new PosError('CONFLICT', `Purchase order ${order.po_no} is being received in ${already}`);
          }
          // a shared count: the cloud holds the session, so the register must be enrolled to one
          let sharedBy: string | null = null;
          if (request.kind === 'count' && request.shared) {
            const identity = readIdentity(db);
            if (!identity || prepared<[], number>(db, 'SELECT 1 FROM sync_enrolment WHERE id = 1').pluck().get() === undefined)
              throw new PosError('BAD_REQUEST', 'A count shared with other registers needs this register enrolled to the cloud');
            sharedBy = identity.register.code;
          }
          if (request.kind === 'transfer-out') {
            const here = readIdentity(db)?.store.code;
            if (here && here.toUpperCase() === request.toStoreCode.toUpperCase())
              throw new PosError('BAD_REQUEST', 'A transfer goes to another store, not this one');
          }
          const docId = randomUUID();
          // a shared count's number names the register that opened it: other registers keep it as theirs too
          const docNo = sharedBy === null ? nextDocNo(request.kind) : nextDocNo(request.kind).replace('CNT-', `CNT-${sharedBy}-`);
          const documentId = Number(
            prepared(
              db,
              `INSERT INTO stock_document (doc_id, doc_no, kind, blind, scope, reason_code, note, supplier_ref, to_store_code, transfer_doc_id,
                 po_id, opened_by, opened_at, shared_role, shared_opened_by)
             VALUES (:docId, :docNo, :kind, :blind, :scope, :reasonCode, :note, :supplierRef, :toStoreCode, :transferDocId, :poId, :staffId, :now,
                 :sharedRole, :sharedBy)`,
            ).run({
              docId,
              docNo,
              kind: request.kind,
              blind: request.kind === 'count' && request.blind ? 1 : 0,
              scope: request.kind === 'count' ? JSON.stringify(request.scope) : null,
              reasonCode: request.kind === 'adjust' ? request.reasonCode : null,
              note: request.kind === 'adjust' ? request.note : '',
              // against an order, the delivery note defaults to the order's number
              supplierRef: request.kind === 'receive' ? request.supplierRef || (order?.po_no ?? '') : '',
              poId: request.kind === 'receive' ? (request.purchaseOrderId ?? null) : null,
              toStoreCode: request.kind === 'transfer-out' ? request.toStoreCode.toUpperCase() : null,
              transferDocId: request.kind === 'transfer-in' ? request.transferDocId : null,
              staffId: actor.id,
              now,
              sharedRole: sharedBy === null ? null : 'opener',
              sharedBy,
            }).lastInsertRowid,
          );
          if (request.kind === 'count' && sharedBy !== null) {
            const payload: CountSessionOpened = {
              sessionId: docId,
              docNo,
              scope: request.scope,
              blind: request.blind,
              openedAt: now,
              staffName: actor.nameEn || actor.nameZh,
            };
            appendOutbox(db, { kind: 'count.session', ref: docNo, payload, now });
          }
          return documentId;
        })
        .immediate();
      return viewOf(findDocument(id));
    },

    list(actor: StaffSummary, status: 'open' | 'recent'): StockDocumentSummary[] {
      const rows = prepared<[], DocumentRow>(
        db,
        status === 'open'
          ? `${SELECT_DOCUMENT} WHERE d.status = 'open' ORDER BY d.id DESC LIMIT 50`
          : `${SELECT_DOCUMENT} WHERE d.status <> 'open' ORDER BY d.id DESC LIMIT 50`,
      ).all();
      return rows.filter((r) => actor.permissions.includes(permissionFor[r.kind])).map(summaryOf);
    },

    /** A count shared with other registers through the cloud: its variance and post are the cloud's (shared-counts.ts). */
    isShared(documentId: number): boolean {
      return findDocument(documentId).shared_role !== null;
    },

    view(actor: StaffSummary, documentId: number): StockDocumentView {
      const doc = findDocument(documentId);
      mustHave(actor, permissionFor[doc.kind]);
      return viewOf(doc);
    },

    /**
     * One scan into an open document: the product's line as it now stands. Quantity first, then
     * scan; without a quantity a scan is one unit (or the weight on a weighed item's label); a
     * negative quantity takes scans back (a line below zero cannot be posted).
     */
    scan(actor: StaffSummary, request: { documentId: number; code: string; quantity?: number; costCents?: number }): StockScanResult {
      const doc = openDocument(request.documentId, actor);
      const match = matchCode(db, request.code);
      if (match.kind === 'invalid') throw new PosError('BARCODE_INVALID', `${request.code} is not a valid code; scan again`);
      if (match.kind === 'not-found') throw new PosError('ITEM_NOT_FOUND', `No product has code ${match.code}`);
      let quantityMilli: number;
      if (request.quantity !== undefined) quantityMilli = toMilli(request.quantity);
      else if (match.kind === 'embedded' && match.valueKind === 'weight') quantityMilli = match.value;
      else quantityMilli = 1000;
      if (doc.kind === 'adjust') {
        const direction = reasonRow(doc.reason_code!)?.direction ?? 0;
        // A typed negative quantity takes a scan back, whatever the reason's direction.
        if (direction !== 0) quantityMilli = direction * quantityMilli;
      }
      const now = clock.now();
      const insert = () =>
        Number(
          prepared(
            db,
            `INSERT INTO stock_scan (document_id, product_id, quantity_milli, cost_cents, staff_id, scanned_at)
               VALUES (:documentId, :productId, :quantityMilli, :cost, :staffId, :now)`,
          ).run({ documentId: doc.id, productId: match.productId, quantityMilli, cost: request.costCents ?? null, staffId: actor.id, now })
            .lastInsertRowid,
        );
      // A shared count's scan is also an entry for the cloud: the two commit together.
      if (doc.shared_role === null) insert();
      else db.transaction(() => sendEntry(doc, insert(), match.productId, quantityMilli, actor, now)).immediate();
      scanned(doc.id, match.productId, quantityMilli);
      const row = productTotals(doc.id, match.productId);
      const expected = hasExpectedList(doc)
        ? (sentBySku(doc).get(row!.sku) ?? 0)
        : doc.kind === 'count' && doc.blind === 1
          ? null
          : (onHandOf(db, [match.productId]).get(match.productId) ?? 0);
      return { line: lineView(doc, row!, expected), ...totals(doc.id) };
    },

    /** Sets a product's line to exactly `quantity` (a recount, a typo), by one correcting scan: scans are never edited. */
    setLine(actor: StaffSummary, request: { documentId: number; productId: number; quantity: number }): StockDocumentView {
      const doc = openDocument(request.documentId, actor);
      const target = toMilli(request.quantity);
      db.transaction(() => {
        const current =
          prepared<{ documentId: number; productId: number }, number | null>(
            db,
            'SELECT sum(quantity_milli) FROM stock_scan WHERE document_id = :documentId AND product_id = :productId',
          )
            .pluck()
            .get({ documentId: doc.id, productId: request.productId }) ?? 0;
        if (target === current) return;
        const now = clock.now();
        const scanId = Number(
          prepared(
            db,
            `INSERT INTO stock_scan (document_id, product_id, quantity_milli, staff_id, scanned_at)
               VALUES (:documentId, :productId, :q, :staffId, :now)`,
          ).run({ documentId: doc.id, productId: request.productId, q: target - current, staffId: actor.id, now }).lastInsertRowid,
        );
        if (doc.shared_role !== null) sendEntry(doc, scanId, request.productId, target - current, actor, now);
        openTotals.delete(doc.id); // read again from the scans (committed just below)
      }).immediate();
      return viewOf(findDocument(doc.id));
    },

    /** The count's variance before posting: expected (netted by time) against counted, per line and in value. */
    variance(actor: StaffSummary, documentId: number): VarianceReport {
      const doc = findDocument(documentId);
      mustHave(actor, 'stock.count-post');
      if (doc.kind !== 'count') throw new PosError('BAD_REQUEST', `${doc.doc_no} is not a stocktake`);
      const lines =
        doc.status === 'posted'
          ? prepared<{ id: number }, PostLine>(
              db,
              `SELECT product_id AS productId, sku, quantity_milli AS quantityMilli, expected_milli AS expectedMilli,
                      movement_milli AS movementMilli, cost_cents AS costCents, counted_at AS countedAt
                 FROM stock_document_line WHERE document_id = :id`,
            ).all({ id: doc.id })
          : linesToPost(doc, clock.now());
      const changed = lines.filter((l) => l.movementMilli !== 0);
      const products = new Map(
        prepared<{ ids: string }, { id: number; name_zh: string; name_en: string; price: number }>(
          db,
          'SELECT id, name_zh, name_en, price FROM product WHERE id IN (SELECT value FROM json_each(:ids))',
        )
          .all({ ids: JSON.stringify(changed.map((l) => l.productId)) })
          .map((p) => [p.id, p]),
      );
      const report: VarianceReport = {
        documentId,
        lineCount: lines.length,
        varianceLines: changed.length,
        shortMilli: 0,
        overMilli: 0,
        shortValue: 0,
        overValue: 0,
        lines: [],
      };
      const out: VarianceLine[] = changed.map((l) => {
        const p = products.get(l.productId);
        const value = Math.round(((p?.price ?? 0) * l.movementMilli) / 1000);
        if (l.movementMilli < 0) {
          report.shortMilli += l.movementMilli;
          report.shortValue += value;
        } else {
          report.overMilli += l.movementMilli;
          report.overValue += value;
        }
        return {
          productId: l.productId,
          sku: l.sku,
          nameZh: p?.name_zh ?? '',
          nameEn: p?.name_en ?? '',
          expectedMilli: l.expectedMilli ?? 0,
          countedMilli: l.quantityMilli,
          varianceMilli: l.movementMilli,
          varianceValue: value,
        };
      });
      report.lines = out.sort((a, b) => Math.abs(b.varianceValue) - Math.abs(a.varianceValue) || a.sku.localeCompare(b.sku)).slice(0, 300);
      return report;
    },

    /**
     * Posts the document once: lines, movements and outbox rows in one transaction. No await in here.
     */
    post(actor: StaffSummary, documentId: number): StockDocumentSummary {
      const now = clock.now();
      db.transaction(() => {
        // 1. the state, decided under the write lock
        const doc = openDocument(documentId, actor);
        if (doc.kind === 'count') mustHave(actor, 'stock.count-post');
        // the cloud posts a shared count (shared-counts.ts): this register moves no stock for it
        if (doc.shared_role !== null) throw new PosError('BAD_REQUEST', `${doc.doc_no} is shared: the cloud posts it`);
        // head office called the order off after this document was opened: the cloud would refuse the receipt
        if (doc.po_status === 'cancelled')
          throw new PosError('CONFLICT', `Purchase order ${doc.po_no} was cancelled by head office: cancel ${doc.doc_no} instead`);
        const lines = linesToPost(doc, now);
        if (lines.length === 0) throw new PosError('STOCK_DOCUMENT_EMPTY', `${doc.doc_no} has no lines to post`);
        // 2. the lines; 3. one movement per line that changes on-hand, its source the outbox row's ref
        const parts = Math.ceil(lines.length / STOCK_LINES_PER_ROW);
        const refOf = (index: number) => (parts === 1 ? doc.doc_no : `${doc.doc_no}#${Math.floor(index / STOCK_LINES_PER_ROW) + 1}`);
        // Positional parameters: binding 20,000 rows by name costs more than the inserts.
        const insertLine = prepared(
          db,
          `INSERT INTO stock_document_line (document_id, line, product_id, sku, quantity_milli, expected_milli, movement_milli, cost_cents, counted_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        );
        const reason = doc.kind === 'receive' ? 'receive' : doc.kind === 'adjust' ? 'adjust' : doc.kind === 'count' ? 'count' : 'transfer';
        const insertMovement = prepared(
          db,
          `INSERT INTO stock_movement (product_id, quantity_milli, reason, source, line, created_at) VALUES (?, ?, '${reason}', ?, ?, ?)`,
        );
        lines.forEach((l, index) => {
          insertLine.run(
            doc.id,
            index + 1,
            l.productId,
            l.sku,
            l.quantityMilli,
            l.expectedMilli,
            l.movementMilli,
            l.costCents,
            l.countedAt,
          );
          if (l.movementMilli !== 0) insertMovement.run(l.productId, l.movementMilli, refOf(index), index + 1, now);
        });
        // 4. the outbox rows: the document in parts that each stand alone
        const header = {
          docId: doc.doc_id,
          docNo: doc.doc_no,
          kind: doc.kind,
          parts,
          postedAt: now,
          staffName: actor.nameEn || actor.nameZh,
          reasonCode: doc.reason_code,
          note: doc.note,
          supplierRef: doc.supplier_ref,
          toStoreCode: doc.to_store_code,
          transferDocId: doc.transfer_doc_id,
          purchaseOrderId: doc.po_id,
        };
        for (let part = 1; part <= parts; part++) {
          const slice = lines.slice((part - 1) * STOCK_LINES_PER_ROW, part * STOCK_LINES_PER_ROW);
          const payload: StockDocumentPayload = {
            ...header,
            part,
            lines: slice.map((l, i) => ({
              line: (part - 1) * STOCK_LINES_PER_ROW + i + 1,
              sku: l.sku,
              quantityMilli: l.quantityMilli,
              countedAt: l.countedAt,
              costCents: l.costCents,
            })),
          };
          appendOutbox(db, { kind: 'stock.document', ref: refOf((part - 1) * STOCK_LINES_PER_ROW), payload, now });
        }
        if (doc.kind === 'transfer-in')
          prepared(db, 'UPDATE inbound_transfer SET received = 1 WHERE doc_id = :id').run({ id: doc.transfer_doc_id });
        if (doc.po_id !== null) prepared(db, "UPDATE purchase_order SET status = 'received' WHERE po_id = :id").run({ id: doc.po_id });
        // 4b. goods that arrived get their labels: one per unit received, on the label queue
        if (doc.kind === 'receive' || doc.kind === 'transfer-in') queueReceivedLabels(db, doc.doc_no, lines, now);
        // 5. the document is posted; 6. audited
        prepared(db, "UPDATE stock_document SET status = 'posted', posted_by = :staffId, posted_at = :now WHERE id = :id").run({
          staffId: actor.id,
          now,
          id: doc.id,
        });
        openTotals.delete(doc.id);
        audit.append({
          kind: 'stock.posted',
          staffId: actor.id,
          subject: doc.doc_no,
          detail: { documentKind: doc.kind, lines: lines.length, movedMilli: lines.reduce((sum, l) => sum + l.movementMilli, 0) },
        });
      }).immediate();
      return summaryOf(findDocument(documentId));
    },

    cancel(actor: StaffSummary, documentId: number): StockDocumentSummary {
      db.transaction(() => {
        const doc = openDocument(documentId, actor);
        if (doc.shared_role !== null)
          throw new PosError('BAD_REQUEST', `${doc.doc_no} is shared with other registers: leave it, or cancel it for every register`);
        prepared(db, "UPDATE stock_document SET status = 'cancelled', posted_by = :staffId, posted_at = :now WHERE id = :id").run({
          staffId: actor.id,
          now: clock.now(),
          id: doc.id,
        });
        openTotals.delete(doc.id);
        audit.append({ kind: 'stock.cancelled', staffId: actor.id, subject: doc.doc_no, detail: { documentKind: doc.kind } });
      }).immediate();
      return summaryOf(findDocument(documentId));
    },

    /**
     * This register leaves a shared count it joined: its copy closes here and the cloud is told
     * through the outbox (`count.leave`, after every scan of it already queued), in one
     * transaction. `withdraw`: its scans are taken out of the count (if it is still open when the
     * leave arrives); otherwise those the cloud takes stay counted. The register that opened it
     * does not leave: it cancels it for every register.
     */
    leaveShared(actor: StaffSummary, documentId: number, withdraw: boolean): void {
      db.transaction(() => {
        const doc = openDocument(documentId, actor);
        if (doc.shared_role === null) throw new PosError('BAD_REQUEST', `${doc.doc_no} is not shared with other registers`);
        if (doc.shared_role === 'opener')
          throw new PosError('BAD_REQUEST', `${doc.doc_no} was opened here: cancel it for every register instead of leaving it`);
        const now = clock.now();
        // 1. the copy closes here, saying what became of its scans
        prepared(
          db,
          "UPDATE stock_document SET status = 'cancelled', posted_by = :staffId, posted_at = :now, shared_left = :left WHERE id = :id",
        ).run({ staffId: actor.id, now, left: withdraw ? 'withdrawn' : 'kept', id: doc.id });
        openTotals.delete(doc.id);
        // 2. the cloud hears it once, after the scans already in the outbox
        const payload: CountLeave = { sessionId: doc.doc_id, leftAt: now, staffName: actor.nameEn || actor.nameZh, withdraw };
        appendOutbox(db, { kind: 'count.leave', ref: `${doc.doc_no}:leave`, payload, now });
        // 3. audited
        audit.append({
          kind: 'stock.count-left',
          staffId: actor.id,
          subject: doc.doc_no,
          detail: { sessionId: doc.doc_id, withdraw },
        });
      }).immediate();
    },

    /**
     * Purchase orders for this store not received yet, oldest first: the open ones, and those head
     * office cancelled in the last CANCELLED_SHOWN_MS (shown as cancelled, not receivable).
     */
    purchaseOrders(): PurchaseOrderSummary[] {
      return prepared<
        { since: number },
        { po_id: string; po_no: string; supplier: string; created_at: number; status: 'open' | 'cancelled'; lines: string }
      >(
        db,
        `SELECT po_id, po_no, supplier, created_at, status, lines FROM purchase_order
          WHERE status = 'open' OR (status = 'cancelled' AND created_at >= :since) ORDER BY created_at`,
      )
        .all({ since: clock.now() - CANCELLED_SHOWN_MS })
        .map((r) => {
          const lines = JSON.parse(r.lines) as { quantityMilli: number }[];
          return {
            poId: r.po_id,
            poNo: r.po_no,
            supplier: r.supplier,
            createdAt: r.created_at,
            status: r.status,
            lineCount: lines.length,
            totalMilli: lines.reduce((sum, l) => sum + l.quantityMilli, 0),
          };
        });
    },

    /** Transfers other stores sent this one that are not received yet, oldest first. */
    inbound(): InboundTransfer[] {
      return prepared<[], { doc_id: string; doc_no: string; from_store_code: string; sent_at: number; complete: number; lines: string }>(
        db,
        'SELECT doc_id, doc_no, from_store_code, sent_at, complete, lines FROM inbound_transfer WHERE received = 0 ORDER BY sent_at',
      )
        .all()
        .map((r) => {
          const lines = JSON.parse(r.lines) as { quantityMilli: number }[];
          return {
            docId: r.doc_id,
            docNo: r.doc_no,
            fromStoreCode: r.from_store_code,
            sentAt: r.sent_at,
            lineCount: lines.length,
            totalMilli: lines.reduce((sum, l) => sum + l.quantityMilli, 0),
            complete: r.complete === 1,
          };
        });
    },

    /** Adjustments per reason over a range of posting times: documents, quantity and value at today's price. */
    reasonReport(range: { from: number; to: number }): ReasonReportRow[] {
      return prepared<{ from: number; to: number }, ReasonReportRow>(
        db,
        `SELECT r.code AS reasonCode, r.name_zh AS nameZh, r.name_en AS nameEn, count(DISTINCT d.id) AS documents,
                coalesce(sum(l.movement_milli), 0) AS quantityMilli,
                coalesce(sum(CAST(round(l.movement_milli * p.price / 1000.0) AS INTEGER)), 0) AS value
           FROM stock_document d JOIN stock_reason r ON r.code = d.reason_code
           JOIN stock_document_line l ON l.document_id = d.id JOIN product p ON p.id = l.product_id
          WHERE d.kind = 'adjust' AND d.status = 'posted' AND d.posted_at >= :from AND d.posted_at < :to
          GROUP BY r.code ORDER BY r.sort`,
      ).all(range);
    },
  };
}
