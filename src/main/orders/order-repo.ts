/**
 * SQL for the register's copy of the store's customer orders (migrations/0015-orders.sql): the
 * pulled pages applied by the sync worker, this register's own moves until the cloud confirms
 * them, and the queue as the till shows it. Also run inside the worker (own connection): no state.
 */
import type { Order, OrderPullPage, OrderStatus, TillOrder, OrderFilter, TillOrderList } from '../../shared/order-schemas';
import { OrderLine, OrderPickupRecord } from '../../shared/order-schemas';
import { orderDue, partlyCollected, planPickup, type PickupPart } from '../../shared/order-pickup';
import * as z from '../../shared/zod';
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import { readIdentity } from '../settings/identity';
import { readSetting, writeSetting } from '../settings/settings-repo';

export const ORDER_CURSOR_KEY = 'orders.cursor';
export const ORDER_PULLED_AT_KEY = 'orders.pulledAt';

export interface OrderRow {
  order_no: string;
  channel: TillOrder['channel'];
  customer_name: string;
  customer_phone: string | null;
  status: OrderStatus;
  lines: string;
  total: number;
  paid: number;
  pickup_on: string | null;
  note: string;
  final_by: string | null;
  final_at: number | null;
  receipt_no: string | null;
  cancel_reason: string | null;
  created_at: number;
  updated_at: number;
  version: number;
  local_status: Exclude<OrderStatus, 'new'> | null;
  local_receipt_no: string | null;
  local_at: number | null;
  conflict: string | null;
  applied_paid: number;
  pickups: string;
  local_pickups: string;
  /** the receipt number of a claim released here that the cloud may still list (order-claims.ts) */
  released_claim?: string | null;
}

/** A pickup made here that the cloud has not listed yet (it travels through the outbox, kind order.pickup). */
export const LocalPickup = z.object({
  receiptNo: z.string(),
  collect: z.array(z.object({ line: z.number().int(), quantityMilli: z.number().int() })),
  release: z.array(z.object({ line: z.number().int(), quantityMilli: z.number().int() })),
  applied: z.number().int(),
  final: z.boolean(),
  at: z.number().int(),
});
export type LocalPickup = z.infer<typeof LocalPickup>;

const localPickupsOf = (row: Pick<OrderRow, 'local_pickups'>): LocalPickup[] => z.array(LocalPickup).parse(JSON.parse(row.local_pickups));

/**
 * This register's last pickup of the order, made here and not listed by the cloud yet, when it
 * closed the order. A clash shown on the order does not void it: the goods on it were handed over
 * here, and only the cloud's word (listing it, or refusing it) settles it.
 */
export function ownFinalPickup(row: Pick<OrderRow, 'local_pickups'>): LocalPickup | undefined {
  return localPickupsOf(row).find((p) => p.final);
}
const cloudPickupsOf = (row: Pick<OrderRow, 'pickups'>) => z.array(OrderPickupRecord).parse(JSON.parse(row.pickups));

const RANK: Record<OrderStatus, number> = { new: 0, preparing: 1, ready: 2, collected: 3, cancelled: 3 };
export const isFinal = (status: OrderStatus): boolean => status === 'collected' || status === 'cancelled';

const Conflict = z.object({
  status: z.enum(['new', 'preparing', 'ready', 'collected', 'cancelled']),
  by: z.string(),
  at: z.number().int().nullable(),
  receiptNo: z.string().nullable(),
  // this register's slips and receipts the cloud refused or closed the order over (a clash recorded
  // before they were kept has none)
  refused: z.array(z.string()).default([]),
});

type Clash = z.infer<typeof Conflict>;
type Winner = Omit<Clash, 'refused'>;

/**
 * The clash to keep on the order: the one already shown (one per order: it keeps saying who won
 * unless `renamed`), with `refused` (this register's numbers that lost) added to it; else a new
 * one naming `winner`.
 */
function recordClash(
  shown: string | null,
  winner: Winner,
  refused: readonly (string | null)[],
  { renamed = false }: { renamed?: boolean } = {},
): string {
  const before = shown === null ? { ...winner, refused: [] } : Conflict.parse(JSON.parse(shown));
  const known = renamed ? { ...winner, refused: before.refused } : before;
  const numbers = refused.filter((n): n is string => n !== null && !known.refused.includes(n));
  return JSON.stringify({ ...known, refused: [...known.refused, ...numbers] });
}

/**
 * Who a clash at this register names: whoever closed the order, unless that was this register
 * (its own later move is never why its row was refused), else the last pickup by another register;
 * null while none is known (the clash's name stays empty until a pull says).
 */
function clashWinner(
  final: { status: OrderStatus; by: string | null; at: number | null; receiptNo: string | null },
  pickups: readonly OrderPickupRecord[],
  self: string,
): Winner | null {
  if (isFinal(final.status) && final.by !== null && final.by !== '' && final.by !== self)
    return { status: final.status, by: final.by, at: final.at, receiptNo: final.receiptNo };
  const other = pickups.filter((p) => p.by !== '' && p.by !== self).at(-1);
  return other ? { status: 'collected', by: other.by, at: other.at, receiptNo: other.receiptNo } : null;
}

const pulledWinner = (order: Order, self: string): Winner | null =>
  clashWinner(
    { status: order.status, by: order.finalBy?.name ?? null, at: order.finalAt, receiptNo: order.receiptNo },
    order.pickups,
    self,
  );

const rowWinner = (row: OrderRow, self: string): Winner | null =>
  clashWinner({ status: row.status, by: row.final_by, at: row.final_at, receiptNo: row.receipt_no }, cloudPickupsOf(row), self);

/**
 * The status the till shows: this register's move (or last pickup) while the cloud has not caught
 * up, else the cloud's. A clash shown on the order changes nothing here: what lost is gone from the
 * local marks already, and what is left was done here and still waits for the cloud's word.
 */
export function shownStatus(row: Pick<OrderRow, 'status' | 'local_status' | 'local_pickups'>): OrderStatus {
  const local = localPickupsOf(row).some((p) => p.final) ? 'collected' : row.local_status;
  if (local === null) return row.status;
  return RANK[local] > RANK[row.status] ? local : row.status;
}

// Built once, not per call: building a zod schema costs more than parsing with it, and these are
// read with every status the till shows and every order it lists.
const OrderLines = z.array(OrderLine);
const OrderCursor = z.number().int().min(0);
const PulledAt = z.number().int().nullable();

/**
 * The order's lines and prepayment used as the till shows them: the cloud's, plus this register's
 * pickups the cloud has not listed yet (so nothing handed over here is offered again meanwhile),
 * while a clash is shown too: a pickup leaves only when the cloud lists it or refuses it.
 */
export function shownProgress(row: OrderRow): { lines: OrderLine[]; appliedPaid: number; pendingPickups: LocalPickup[] } {
  const lines = OrderLines.parse(JSON.parse(row.lines));
  const pendingPickups = localPickupsOf(row);
  let appliedPaid = row.applied_paid;
  for (const pickup of pendingPickups) {
    for (const part of pickup.collect) {
      const line = lines.find((l) => l.line === part.line);
      if (line) line.collectedMilli += part.quantityMilli;
    }
    for (const part of pickup.release) {
      const line = lines.find((l) => l.line === part.line);
      if (line) line.releasedMilli += part.quantityMilli;
    }
    appliedPaid += pickup.applied;
  }
  return { lines, appliedPaid, pendingPickups };
}

/** A pickup of this order as it stands here: the shared rule (order-pickup.ts) on the shown figures. */
export function planLocalPickup(row: OrderRow, pickup: { collect: readonly PickupPart[]; release: readonly PickupPart[] }) {
  const { lines, appliedPaid } = shownProgress(row);
  return planPickup({ lines, paid: row.paid, appliedPaid }, pickup);
}

export function tillOrder(row: OrderRow): TillOrder {
  const status = shownStatus(row);
  const progress = shownProgress(row);
  const pending =
    (row.local_status !== null && status === row.local_status && row.status !== row.local_status) || progress.pendingPickups.length > 0;
  const pickups = [
    ...cloudPickupsOf(row),
    ...progress.pendingPickups.map((p) => ({ receiptNo: p.receiptNo, by: '', at: p.at, final: p.final })),
  ];
  const open = !isFinal(status);
  return {
    orderNo: row.order_no,
    channel: row.channel,
    customerName: row.customer_name,
    customerPhone: row.customer_phone,
    status,
    pending,
    lines: progress.lines,
    total: row.total,
    paid: row.paid,
    due: orderDue({ lines: progress.lines, paid: row.paid, appliedPaid: progress.appliedPaid, total: row.total, open }),
    appliedPaid: progress.appliedPaid,
    partlyCollected: open && partlyCollected(progress),
    pickups,
    pickupOn: row.pickup_on,
    note: row.note,
    finalBy: pending ? null : row.final_by,
    receiptNo: pending ? (progress.pendingPickups.at(-1)?.receiptNo ?? row.local_receipt_no) : row.receipt_no,
    cancelReason: row.cancel_reason,
    createdAt: row.created_at,
    conflict: row.conflict === null ? null : Conflict.parse(JSON.parse(row.conflict)),
  };
}

export function findOrder(db: Db, orderNo: string): OrderRow | undefined {
  return prepared<{ orderNo: string }, OrderRow>(db, 'SELECT * FROM customer_order WHERE order_no = :orderNo COLLATE NOCASE').get({
    orderNo,
  });
}

/**
 * One order as the cloud sent it. Newer versions only. When this register had moved the order to
 * a final state and the cloud says another register (or the shop) reached a final state first, the
 * clash is kept in `conflict` for the cashier, never silently overwritten.
 */
export function upsertPulledOrder(db: Db, order: Order, selfName: string): void {
  const existing = findOrder(db, order.orderNo);
  if (existing && existing.version >= order.version) return;
  // A claim released here (order-claims.ts) that the cloud has not undone yet: not taken back
  if (existing?.released_claim !== undefined && existing.released_claim !== null) {
    const claimed = existing.released_claim;
    const stillClaimed =
      (order.status === 'collected' && order.finalBy?.name === selfName && order.receiptNo === claimed) ||
      order.pickups.some((p) => p.receiptNo === claimed && p.by === selfName);
    if (stillClaimed) return;
    prepared(db, 'UPDATE customer_order SET released_claim = NULL WHERE order_no = :orderNo').run({ orderNo: existing.order_no });
  }
  let localStatus = existing?.local_status ?? null;
  let localReceiptNo = existing?.local_receipt_no ?? null;
  let localAt = existing?.local_at ?? null;
  let conflict = existing?.conflict ?? null;
  // This register's pickups the cloud now lists have done their job; one left over when the cloud
  // closed the order otherwise lost a race (another register, or a cancel, got there first).
  const listed = new Set(order.pickups.map((p) => p.receiptNo));
  let localPickups = existing ? localPickupsOf(existing).filter((p) => !listed.has(p.receiptNo)) : [];
  const winner = pulledWinner(order, selfName);
  // the order closed over this register's marks: its final state, and who won as far as the pull says
  const closedOver: Winner = { status: order.status, by: winner?.by ?? '', at: winner?.at ?? null, receiptNo: winner?.receiptNo ?? null };
  if (localPickups.length > 0 && isFinal(order.status)) {
    conflict = recordClash(
      conflict,
      closedOver,
      localPickups.map((p) => p.receiptNo),
    );
    localPickups = [];
  }
  // A whole collection made here offline while another register took part of the order: the cloud
  // refuses it (the goods it named were partly handed over already), and the order stays open.
  const otherPickup = order.pickups.filter((p) => p.by !== selfName).at(-1);
  if (localStatus === 'collected' && !isFinal(order.status) && otherPickup) {
    conflict = recordClash(conflict, { status: 'collected', by: otherPickup.by, at: otherPickup.at, receiptNo: otherPickup.receiptNo }, [
      localReceiptNo,
    ]);
    localStatus = null;
    localReceiptNo = null;
    localAt = null;
  }
  // A clash recorded when the cloud refused this register's row, before a pull said who: now it can
  // (never this register itself, whose own later pickup may well be the order's last one).
  if (conflict !== null && winner !== null) {
    const known = Conflict.parse(JSON.parse(conflict));
    if (known.by === '') conflict = JSON.stringify({ ...known, by: winner.by, at: winner.at, receiptNo: winner.receiptNo });
  }
  if (localStatus !== null) {
    const finalBy = order.finalBy?.name ?? null;
    const lostRace =
      isFinal(localStatus) &&
      isFinal(order.status) &&
      (order.status !== localStatus || finalBy !== selfName || (order.status === 'collected' && order.receiptNo !== localReceiptNo));
    // the order's final state names who won now, whatever an earlier clash said
    if (lostRace) conflict = recordClash(conflict, closedOver, [localReceiptNo], { renamed: true });
    // The cloud has this register's move, or is past it, or settled it otherwise: the local mark has done its job.
    if (lostRace || isFinal(order.status) || RANK[order.status] >= RANK[localStatus]) {
      localStatus = null;
      localReceiptNo = null;
      localAt = null;
    }
  }
  prepared(
    db,
    `INSERT INTO customer_order (order_no, channel, customer_name, customer_phone, status, lines, total, paid, pickup_on, note, final_by,
       final_at, receipt_no, cancel_reason, created_at, updated_at, version, local_status, local_receipt_no, local_at, conflict,
       applied_paid, pickups, local_pickups)
     VALUES (:orderNo, :channel, :customerName, :customerPhone, :status, :lines, :total, :paid, :pickupOn, :note, :finalBy,
       :finalAt, :receiptNo, :cancelReason, :createdAt, :updatedAt, :version, :localStatus, :localReceiptNo, :localAt, :conflict,
       :appliedPaid, :pickups, :localPickups)
     ON CONFLICT (order_no) DO UPDATE SET channel = excluded.channel, customer_name = excluded.customer_name,
       customer_phone = excluded.customer_phone, status = excluded.status, lines = excluded.lines, total = excluded.total,
       paid = excluded.paid, pickup_on = excluded.pickup_on, note = excluded.note, final_by = excluded.final_by,
       final_at = excluded.final_at, receipt_no = excluded.receipt_no, cancel_reason = excluded.cancel_reason,
       updated_at = excluded.updated_at, version = excluded.version, local_status = excluded.local_status,
       local_receipt_no = excluded.local_receipt_no, local_at = excluded.local_at, conflict = excluded.conflict,
       applied_paid = excluded.applied_paid, pickups = excluded.pickups, local_pickups = excluded.local_pickups`,
  ).run({
    orderNo: order.orderNo,
    channel: order.channel,
    customerName: order.customerName,
    customerPhone: order.customerPhone,
    status: order.status,
    lines: JSON.stringify(order.lines),
    total: order.total,
    paid: order.paid,
    pickupOn: order.pickupOn,
    note: order.note,
    finalBy: order.finalBy?.name ?? null,
    finalAt: order.finalAt,
    receiptNo: order.receiptNo,
    cancelReason: order.cancelReason,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    version: order.version,
    localStatus,
    localReceiptNo,
    localAt,
    conflict,
    appliedPaid: order.appliedPaid,
    pickups: JSON.stringify(order.pickups),
    localPickups: JSON.stringify(localPickups),
  });
}

/** This register's name as orders carry it (a pickup's `by`, `finalBy`): store code and register code. */
export function registerName(db: Db): string {
  const identity = readIdentity(db);
  return identity ? `${identity.store.code}-${identity.register.code}` : '';
}

/** This register's pickup, written with its outbox row by the caller's transaction (the sale's or the hand-over's). */
export function addLocalPickup(db: Db, orderNo: string, pickup: LocalPickup): void {
  const row = findOrder(db, orderNo);
  // Confirmed by the cloud when asked: its copy already counts it.
  if (!row || cloudPickupsOf(row).some((p) => p.receiptNo === pickup.receiptNo)) return;
  prepared(db, 'UPDATE customer_order SET local_pickups = :pickups WHERE order_no = :orderNo').run({
    orderNo: row.order_no,
    pickups: JSON.stringify([...localPickupsOf(row), pickup]),
  });
}

/**
 * The cloud quarantined some of this register's rows (recordAck): an order pickup or collection
 * it refused lost a race the pull may never show (the order stays open, partly collected by
 * another register). The clash is kept for the cashier, never silently dropped.
 */
export function settleRefusedOrderRows(db: Db, seqs: readonly number[]): void {
  if (seqs.length === 0) return;
  const rows = prepared<{ seqs: string }, { kind: string; ref: string; payload: string }>(
    db,
    "SELECT kind, ref, payload FROM outbox WHERE seq IN (SELECT value FROM json_each(:seqs)) AND kind IN ('order.pickup', 'order.transition')",
  ).all({ seqs: JSON.stringify(seqs) });
  for (const outboxRow of rows) {
    const order = findOrder(db, outboxRow.ref);
    if (!order) continue;
    if (outboxRow.kind === 'order.transition') {
      settleRefusedMove(db, order, JSON.parse(outboxRow.payload) as { to: string; receiptNo?: string | null });
      continue;
    }
    const payload = JSON.parse(outboxRow.payload) as { receiptNo?: string | null };
    // already settled (a pull closed the order over it, or this refusal was reported before)
    if (!localPickupsOf(order).some((p) => p.receiptNo === payload.receiptNo)) continue;
    // Refused because another register took the goods (or closed the order): as far as this copy
    // knows (clashWinner); none known yet leaves `by` empty for the next pull to fill in.
    // The refused pickup leaves the order's copy either way (else it shows pending for ever, its
    // goods counted as handed over); a clash already shown keeps saying who won (one per order) and
    // lists this number too.
    const conflict = recordClash(order.conflict, refusedClash(order, registerName(db)), [payload.receiptNo ?? null]);
    prepared(db, 'UPDATE customer_order SET conflict = :conflict, local_pickups = :pickups WHERE order_no = :orderNo').run({
      conflict,
      orderNo: order.order_no,
      pickups: JSON.stringify(localPickupsOf(order).filter((p) => p.receiptNo !== payload.receiptNo)),
    });
  }
}

/** The clash a refused row of this register shows: who won as far as this copy knows, else nobody yet. */
function refusedClash(order: OrderRow, self: string): Winner {
  const winner = rowWinner(order, self);
  return winner ?? { status: isFinal(order.status) ? order.status : 'collected', by: '', at: null, receiptNo: null };
}

/**
 * A move (a collection, a cancel, ready…) the cloud refused. A later pull shows who won, but only
 * when the order changed since this copy's version: when the pull came first (this register knew
 * of another register's pickup, collected offline, and was refused), none ever comes, and the local
 * mark would stay pending for ever. The refused mark goes now; a refused collection or cancel
 * shows the clash, naming the other register as far as this copy knows (else the next pull does).
 */
function settleRefusedMove(db: Db, order: OrderRow, move: { to: string; receiptNo?: string | null }): void {
  // only the move still marked here (a pull may have settled it already)
  if (order.local_status !== move.to || order.local_receipt_no !== (move.receiptNo ?? null)) return;
  const conflict = isFinal(order.local_status)
    ? recordClash(order.conflict, refusedClash(order, registerName(db)), [order.local_receipt_no])
    : order.conflict;
  prepared(
    db,
    'UPDATE customer_order SET conflict = :conflict, local_status = NULL, local_receipt_no = NULL, local_at = NULL WHERE order_no = :orderNo',
  ).run({ conflict, orderNo: order.order_no });
}

export function orderCursor(db: Db): number {
  return readSetting(db, ORDER_CURSOR_KEY, OrderCursor, 0);
}

/** Applies one pulled page with its cursor, in one transaction; answers how many orders changed. */
export function applyOrderPage(db: Db, page: OrderPullPage, selfName: string, now: number): number {
  return db
    .transaction(() => {
      const before = orderCursor(db);
      for (const order of page.orders) upsertPulledOrder(db, order, selfName);
      prepared(db, 'DELETE FROM order_reservation').run();
      const insert = prepared(db, 'INSERT INTO order_reservation (sku, quantity_milli) VALUES (:sku, :quantityMilli)');
      for (const r of page.reserved) insert.run(r);
      if (page.next > before) writeSetting(db, ORDER_CURSOR_KEY, page.next);
      writeSetting(db, ORDER_PULLED_AT_KEY, now);
      return page.orders.length;
    })
    .immediate();
}

/** This register's move, written with its outbox row by the caller's transaction. */
export function markLocalMove(db: Db, orderNo: string, to: Exclude<OrderStatus, 'new'>, receiptNo: string | null, now: number): void {
  prepared(
    db,
    'UPDATE customer_order SET local_status = :to, local_receipt_no = :receiptNo, local_at = :now WHERE order_no = :orderNo',
  ).run({ orderNo, to, receiptNo, now });
}

/** The cloud answered a move directly: its order replaces ours (same rules as a pull). */
export function recordCloudOrder(db: Db, order: Order, selfName: string): void {
  db.transaction(() => upsertPulledOrder(db, order, selfName)).immediate();
}

export function listOrders(db: Db, filter: OrderFilter): TillOrderList {
  const rows = prepared<[], OrderRow>(db, "SELECT * FROM customer_order ORDER BY coalesce(pickup_on, '9999'), created_at").all();
  const orders = rows.map(tillOrder);
  const counts: Record<OrderStatus, number> = { new: 0, preparing: 0, ready: 0, collected: 0, cancelled: 0 };
  for (const o of orders) counts[o.status] += 1;
  const wanted = (o: TillOrder) =>
    filter === 'all' || o.conflict !== null || (filter === 'open' ? !isFinal(o.status) : o.status === filter);
  return {
    orders: orders.filter(wanted),
    counts,
    conflicts: orders.filter((o) => o.conflict !== null).length,
    pulledAt: readSetting(db, ORDER_PULLED_AT_KEY, PulledAt, null),
  };
}

/** For the status bar, the action bar's badge, and an open queue (which reloads when the cursor moves). */
export function orderFigures(db: Db): { new: number; conflicts: number; cursor: number } {
  const row = prepared<[], { fresh: number; conflicts: number }>(
    db,
    // by the status index and the conflicts' partial index (migration 0027): the status bar reads
    // this after every sale, and the table keeps every order ever pulled
    `SELECT (SELECT count(*) FROM customer_order
              WHERE status = 'new' AND local_status IS NULL AND local_pickups = '[]' AND conflict IS NULL) AS fresh,
            (SELECT count(*) FROM customer_order WHERE conflict IS NOT NULL) AS conflicts`,
  ).get() as { fresh: number; conflicts: number };
  return { new: row.fresh, conflicts: row.conflicts, cursor: orderCursor(db) };
}
