/**
 * Purchase orders (issue 14): head office orders goods for a store (the console's 庫存 page, or the
 * admin CLI `create-po`) and may call an open one off (`cancelPurchaseOrder`); the store's
 * registers pull each order as a `purchase_order` change and receive against it.
 * The receiving document (a `receive` naming the order) is applied by stock-documents.ts, which
 * takes the ordered quantities as each line's expected and closes the order here: an order is
 * received once, and its change tells every register of the store it is no longer open.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FeedPurchaseOrder } from '../../src/shared/change-feed';
import { AdminError } from '../errors';
import type { Pool, Queryable } from '../db/pool';
import { withTransaction } from '../db/tx';
import { appendChanges } from './change-log';
import { missingSkus } from './sales';
import type { Store } from './merchants';
import type { PurchaseOrderRow, PurchaseOrderStatus } from '../hq/contract';
import { issuesOf } from './schemas';

export const PurchaseOrderInput = z.strictObject({
  poNo: z.string().regex(/^[A-Za-z0-9-]{1,32}$/, '1 to 32 letters, digits and dashes'),
  supplier: z.string().max(100).default(''),
  lines: z
    .array(
      z.strictObject({
        sku: z.string().min(1).max(64),
        /** units, to at most 3 decimals */
        quantity: z.number().positive().max(1_000_000),
        costCents: z.number().int().min(0).max(100_000_000).nullable().default(null),
      }),
    )
    .min(1)
    .max(1000),
});
export type PurchaseOrderInput = z.input<typeof PurchaseOrderInput>;

/** The order as registers pull it. */
export async function purchaseOrderFeed(client: Queryable, poId: string): Promise<FeedPurchaseOrder> {
  const header = (
    await client.query<{ po_no: string; code: string; supplier: string; created_at: Date; status: FeedPurchaseOrder['status'] }>(
      `SELECT o.po_no, s.code, o.supplier, o.created_at, o.status FROM purchase_order o JOIN store s ON s.id = o.store_id WHERE o.po_id = $1`,
      [poId],
    )
  ).rows[0];
  if (!header) throw new Error(`No purchase order ${poId}`);
  const lines = (
    await client.query<{ sku: string; quantity_milli: string; cost_cents: string | null }>(
      'SELECT sku, quantity_milli, cost_cents FROM purchase_order_line WHERE po_id = $1 ORDER BY line',
      [poId],
    )
  ).rows;
  return {
    poId,
    poNo: header.po_no,
    storeCode: header.code,
    supplier: header.supplier,
    createdAt: header.created_at.getTime(),
    status: header.status,
    lines: lines.map((l) => ({
      sku: l.sku,
      quantityMilli: Number(l.quantity_milli),
      costCents: l.cost_cents === null ? null : Number(l.cost_cents),
    })),
  };
}

/** Tells the store's registers what became of the order (in the caller's transaction, as its last step). */
export async function announcePurchaseOrder(client: Queryable, merchantId: number, poId: string, now: number): Promise<void> {
  await appendChanges(client, merchantId, [{ entity: 'purchase_order', op: 'upsert', data: await purchaseOrderFeed(client, poId) }], now);
}

export async function createPurchaseOrder(
  pool: Pool,
  merchantId: number,
  store: Store,
  input: unknown,
  now: number,
): Promise<FeedPurchaseOrder> {
  const parsed = PurchaseOrderInput.safeParse(input);
  if (!parsed.success) {
    const issues = issuesOf(parsed.error);
    throw new AdminError('INVALID', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
  }
  const order = parsed.data;
  const skus = order.lines.map((l) => l.sku);
  const twice = skus.flatMap((sku, i) => (skus.indexOf(sku) < i ? [{ path: `lines.${i}.sku`, message: `${sku} is on another line` }] : []));
  if (twice.length > 0) throw new AdminError('INVALID', 'A SKU appears twice: one line per product', twice);
  const milli = order.lines.map((l) => Math.round(l.quantity * 1000));
  const fractional = order.lines.flatMap((l, i) =>
    Math.abs(l.quantity * 1000 - milli[i]!) > 1e-6 ? [{ path: `lines.${i}.quantity`, message: 'at most 3 decimals' }] : [],
  );
  if (fractional.length > 0) throw new AdminError('INVALID', 'A quantity has at most 3 decimals', fractional);
  return withTransaction(pool, async (client) => {
    const missing = await missingSkus(client, merchantId, skus);
    if (missing.length > 0)
      throw new AdminError(
        'NOT_FOUND',
        `No product ${missing.join(', ')}`,
        skus.flatMap((sku, i) => (missing.includes(sku) ? [{ path: `lines.${i}.sku`, message: `no product ${sku}` }] : [])),
      );
    const taken = await client.query('SELECT 1 FROM purchase_order WHERE merchant_id = $1 AND po_no = $2', [merchantId, order.poNo]);
    if (taken.rowCount)
      throw new AdminError('CONFLICT', `Purchase order ${order.poNo} exists already`, [{ path: 'poNo', message: 'exists already' }]);
    const poId = randomUUID();
    await client.query(
      'INSERT INTO purchase_order (po_id, merchant_id, store_id, po_no, supplier, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [poId, merchantId, store.id, order.poNo, order.supplier, new Date(now)],
    );
    await client.query(
      `INSERT INTO purchase_order_line (po_id, line, sku, quantity_milli, cost_cents)
       SELECT $1, t.ord, t.sku, t.q, t.cost FROM unnest($2::text[], $3::bigint[], $4::bigint[]) WITH ORDINALITY AS t(sku, q, cost, ord)`,
      [poId, skus, milli, order.lines.map((l) => l.costCents)],
    );
    await announcePurchaseOrder(client, merchantId, poId, now);
    return purchaseOrderFeed(client, poId);
  });
}

/**
 * Head office calls an open order off (console or admin CLI `cancel-po`): its change tells every
 * register of the store, which stop offering it for receiving; a receipt naming it that reaches the
 * cloud later is refused (stock-documents.ts). An order already received or cancelled is a CONFLICT.
 * `storeIds`: the stores the caller may act for (a store manager's); null: any.
 */
export async function cancelPurchaseOrder(
  pool: Pool,
  merchantId: number,
  poNo: string,
  now: number,
  storeIds: number[] | null = null,
): Promise<{ before: FeedPurchaseOrder; after: FeedPurchaseOrder }> {
  return withTransaction(pool, async (client) => {
    const order = (
      await client.query<{ po_id: string; store_id: string; status: string }>(
        'SELECT po_id, store_id, status FROM purchase_order WHERE merchant_id = $1 AND po_no = $2 FOR UPDATE',
        [merchantId, poNo],
      )
    ).rows[0];
    if (!order || (storeIds !== null && !storeIds.includes(Number(order.store_id))))
      throw new AdminError('NOT_FOUND', `No purchase order ${poNo}`);
    const before = await purchaseOrderFeed(client, order.po_id);
    if (order.status !== 'open') throw new AdminError('CONFLICT', `Purchase order ${poNo} is ${order.status}, not open`);
    await client.query("UPDATE purchase_order SET status = 'cancelled' WHERE po_id = $1", [order.po_id]);
    await announcePurchaseOrder(client, merchantId, order.po_id, now);
    return { before, after: await purchaseOrderFeed(client, order.po_id) };
  });
}

export type PurchaseOrderReport = PurchaseOrderRow;

export interface PurchaseOrderFilter {
  /** the stores to list; null: every store */
  storeIds?: number[] | null;
  status?: PurchaseOrderStatus | undefined;
  limit?: number;
}

/** The merchant's orders, newest first, with what its receiving document took per line. */
export async function listPurchaseOrders(pool: Pool, merchantId: number, filter: PurchaseOrderFilter = {}): Promise<PurchaseOrderReport[]> {
  const orders = (
    await pool.query<{
      po_id: string;
      po_no: string;
      store_id: string;
      code: string;
      supplier: string;
      status: FeedPurchaseOrder['status'];
      created_at: Date;
      doc_no: string | null;
    }>(
      `SELECT o.po_id, o.po_no, o.store_id, s.code, o.supplier, o.status, o.created_at, d.doc_no
         FROM purchase_order o JOIN store s ON s.id = o.store_id LEFT JOIN stock_document d ON d.doc_id = o.received_doc_id
        WHERE o.merchant_id = $1 AND ($3::bigint[] IS NULL OR o.store_id = ANY($3::bigint[])) AND ($4::text IS NULL OR o.status = $4)
        ORDER BY o.created_at DESC, o.po_no LIMIT $2`,
      [merchantId, filter.limit ?? 100, filter.storeIds ?? null, filter.status ?? null],
    )
  ).rows;
  const result: PurchaseOrderReport[] = [];
  for (const o of orders) {
    const lines = (
      await pool.query<{ sku: string; ordered: string | null; received: string | null }>(
        `SELECT coalesce(l.sku, r.sku) AS sku, l.quantity_milli AS ordered, r.q AS received
           FROM (SELECT * FROM purchase_order_line WHERE po_id = $1) l
           FULL JOIN (SELECT dl.sku, sum(dl.quantity_milli) AS q FROM stock_document_line dl JOIN purchase_order o ON o.received_doc_id = dl.doc_id
                       WHERE o.po_id = $1 GROUP BY dl.sku) r ON r.sku = l.sku
          ORDER BY l.line NULLS LAST, sku`,
        [o.po_id],
      )
    ).rows;
    result.push({
      poId: o.po_id,
      poNo: o.po_no,
      storeId: Number(o.store_id),
      store: o.code,
      supplier: o.supplier,
      status: o.status,
      createdAt: o.created_at.getTime(),
      receivedBy: o.doc_no,
      lines: lines.map((l) => ({
        sku: l.sku,
        orderedMilli: Number(l.ordered ?? 0),
        receivedMilli: l.received === null ? (o.status === 'received' ? 0 : null) : Number(l.received),
      })),
    });
  }
  return result;
}
