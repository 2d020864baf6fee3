/**
 * 網上訂單 at the till (issue 15): the store's online and social orders, pulled by the sync worker
 * and usable offline. The cloud owns each order's state machine; this register's moves travel
 * through the outbox (kind order.transition), exactly once, in the transaction that records them.
 *
 * Collecting asks the cloud first when it can be reached (two registers collecting at once: the
 * cloud's row lock lets one win and tells the other who did), then commits here. Offline, the
 * collection commits here and goes with the outbox; when another register won meanwhile, the pull
 * brings the clash back as a conflict the till shows until someone acknowledges it.
 *
 * - A prepaid order (nothing due) is handed over: a hand-over number in this register's own series
 *   ({store}-{register}-P000001), a 已預付 PREPAID slip; no money and no stock move here (the cloud
 *   turns the order's reservation into the sale movement).
 * - An order with something due opens in the cart at the order's prices, locked; it is tendered as
 *   any sale, and the sale's transaction also closes the order (sale-service → `collectWithSale`).
 */
import { PosError } from '../../shared/errors';
import {
  Order,
  orderNoFromCode,
  orderTransitions,
  type CollectResult,
  type OrderFilter,
  type OrderStatus,
  type SocialOrderInput,
  type SupersededClaim,
  type TillOrder,
  type TillOrderList,
  type TillPickupRequest,
} from '../../shared/order-schemas';
import { lineAmount } from '../../shared/money';
import type { OrderPickupPayload, PickupPart } from '../../shared/order-pickup';
import type { StaffSummary } from '../../shared/schemas';
import type { Clock } from '../clock';
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import type { Logger } from '../log';
import type { CartService } from '../checkout/cart-service';
import { nextRegisterSeq, receiptNumber } from '../checkout/sale-repo';
import type { CounterDevices } from '../devices/counter-devices';
import { readIdentity } from '../settings/identity';
import { readStoreTimeZone } from '../settings/store-time-zone';
import { createCloudClient, type CloudAnswer } from '../sync/cloud-client';
import { appendOutbox } from '../sync/outbox';
import { readEnrolment } from '../sync/sync-store';
import { handoverDocument, pickListDocument } from './order-documents';
import { dropReleasedClaim, recordClaim, recordClaimAnswer, supersededClaims } from './order-claims';
import {
  addLocalPickup,
  findOrder,
  isFinal,
  listOrders,
  markLocalMove,
  ownFinalPickup,
  planLocalPickup,
  recordCloudOrder,
  shownStatus,
  tillOrder,
  type OrderRow,
  registerName,
} from './order-repo';

/** What a cart paying part of an order keeps (cart.order_pickup): the pickup less its order and receipt numbers. */
interface CartPickup {
  collect: PickupPart[];
  release: PickupPart[];
  applied: number;
}

/** How long collecting waits for the cloud's word before going ahead offline. */
export const COLLECT_CLOUD_TIMEOUT_MS = 3_000;

export interface OrderServiceDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  carts: CartService;
  devices: CounterDevices;
  cloudToken: () => string | null;
  /** After COMMIT of a move: wake the sync worker, tell the windows. */
  onChanged: () => void;
  cloudTimeoutMs?: number;
}

type Move = 'preparing' | 'ready' | 'cancelled';

/** The claim a cart made for the sale it is about to write (order-claims.ts), named when the cloud is asked. */
interface CartClaim {
  cartId: number;
  claimId: string;
  /** This register's earlier claims on the order whose releases the outbox has not delivered yet. */
  supersedes: SupersededClaim[];
}

/**
 * ORDER_FINAL, naming who got there first and on which number (issues `finalBy`, `status`,
 * `receiptNo`: the till says "already collected at MK01-03, no. MK01-03-P000001" in the cashier's
 * language, before any goods or money change hands).
 */
function finalError(orderNo: string, status: OrderStatus, by: string, receiptNo: string | null): PosError {
  const issues = [
    ...(by ? [{ path: 'finalBy', message: by }] : []),
    { path: 'status', message: status },
    ...(receiptNo ? [{ path: 'receiptNo', message: receiptNo }] : []),
  ];
  return new PosError('ORDER_FINAL', `Order ${orderNo} was already ${status}${by ? ` by ${by}` : ''}`, issues);
}

export function createOrderService(deps: OrderServiceDeps) {
  const { db, clock, log } = deps;
  const timeoutMs = deps.cloudTimeoutMs ?? COLLECT_CLOUD_TIMEOUT_MS;
  /** Collections on this register take turns: the number predicted before asking the cloud is the one committed. */
  let turn: Promise<unknown> = Promise.resolve();

  const selfName = () => registerName(db);

  function mustFind(orderNo: string): OrderRow {
    const row = findOrder(db, orderNo);
    if (!row) throw new PosError('NOT_FOUND', `No order ${orderNo} on this register (not pulled yet, or another store's)`);
    return row;
  }

  function refuseFinal(row: OrderRow): never {
    const status = shownStatus(row);
    // The cloud's word on who got there first when it has one; else this register's own move, or
    // its own last pickup (the cloud has not listed it yet).
    const own = ownFinalPickup(row);
    const by = row.final_by ?? (row.local_status !== null || own ? selfName() : '');
    throw finalError(row.order_no, status, by, row.final_by !== null ? row.receipt_no : (own?.receiptNo ?? row.local_receipt_no));
  }

  function checkMove(row: OrderRow, to: Exclude<OrderStatus, 'new'>): void {
    const from = shownStatus(row);
    if (isFinal(from)) refuseFinal(row);
    if (!orderTransitions[from].includes(to))
      throw new PosError('ORDER_TRANSITION_INVALID', `Order ${row.order_no} is ${from}: it cannot go to ${to}`);
  }

  /**
   * May goods of this order go out here now (a collection, a pickup, a sale paying it)? Not once it
   * is final, and not while a clash stands on it: the cashier reads who took what and which of this
   * register's slips lost (goods out twice already, to follow up) and acknowledges it first, so
   * nothing more is handed over on a copy the cashier has not checked.
   */
  function checkHandOver(row: OrderRow): void {
    checkMove(row, 'collected');
    if (row.conflict === null) return;
    const by = tillOrder(row).conflict?.by || 'another register';
    throw new PosError('ORDER_CLASH', `Order ${row.order_no} clashed with ${by}: acknowledge the clash before handing over more of it`);
  }

  /** Writes this register's move and its outbox row; joins the caller's transaction. */
  function writeMove(orderNo: string, to: Exclude<OrderStatus, 'new'>, receiptNo: string | null, reason: string | null): void {
    const now = clock.now();
    markLocalMove(db, orderNo, to, receiptNo, now);
    appendOutbox(db, { kind: 'order.transition', ref: orderNo, payload: { orderNo, to, receiptNo, reason }, now });
  }

  function cloud() {
    const enrolment = readEnrolment(db);
    const token = enrolment ? deps.cloudToken() : null;
    if (!enrolment || token === null) return null;
    return {
      enrolment,
      client: createCloudClient({ baseUrl: enrolment.cloudUrl, token, timeoutMs, now: clock.now }),
    };
  }

  /**
   * CLAIM_RELEASED: the cloud got the question of a claim this register had released already (it
   * arrived late, or an HTTP layer sent it again): that claim is void. Nothing was collected; a
   * cart still holding it lets it go, so its next try is a new claim.
   */
  function claimReleased(orderNo: string, claim: CartClaim | null): PosError {
    log.warn('the cloud refused a claim this register had released', { orderNo, claimId: claim?.claimId ?? null });
    if (claim && dropReleasedClaim(db, claim.cartId, claim.claimId, clock.now())) deps.onChanged();
    return new PosError('ORDER_CLAIM_RELEASED', `The claim on order ${orderNo} was released meanwhile: nothing was collected; try again`);
  }

  /** A claim's id in the question's body, when it has one, and the claims it supersedes. */
  const claimFieldsOf = (claim: CartClaim | null) =>
    claim ? { claimId: claim.claimId, ...(claim.supersedes.length > 0 ? { supersedes: claim.supersedes } : {}) } : {};

  /** The cloud's answer to a question: a claim's answer is the order after the releases it named. */
  function recordAnswer(order: Order, claim: CartClaim | null): void {
    if (claim) recordClaimAnswer(db, order, selfName());
    else recordCloudOrder(db, order, selfName());
  }

  /**
   * CLAIM_STANDING: another claim of this register stands on that number in the cloud, one this
   * question did not name as superseded (its release is on its way). Nothing was collected.
   */
  function claimStanding(orderNo: string): PosError {
    log.warn('the cloud holds another claim of this register on the order', { orderNo });
    return new PosError(
      'ORDER_CLAIM_STANDING',
      `An earlier claim of this register on order ${orderNo} is still being released: nothing was collected; try again once it is synced`,
    );
  }

  /**
   * Asks the cloud to collect the order on `receiptNo` (before a sale: naming the cart's claim).
   * Answers 'offline' when it cannot be asked or did not answer (the outbox carries the move);
   * throws ORDER_FINAL (after recording who won) when another register or the shop got there first.
   */
  async function askCloudToCollect(orderNo: string, receiptNo: string, claim: CartClaim | null = null): Promise<'confirmed' | 'offline'> {
    const link = cloud();
    if (!link) return 'offline';
    const answer: CloudAnswer<{ order: unknown }> = await link.client.request(
      'POST',
      `/v1/registers/${encodeURIComponent(link.enrolment.registerId)}/orders/${encodeURIComponent(orderNo)}/status`,
      JSON.stringify({ to: 'collected', receiptNo, ...claimFieldsOf(claim) }),
    );
    if (answer.kind === 'unreachable') return 'offline';
    if (answer.kind === 'ok') {
      const parsed = Order.safeParse(answer.body.order);
      if (parsed.success) recordAnswer(parsed.data, claim);
      return 'confirmed';
    }
    if (answer.code === 'ORDER_FINAL') {
      const body = answer.body as {
        status?: unknown;
        finalBy?: { name?: unknown } | null;
        finalAt?: unknown;
        receiptNo?: unknown;
        open?: unknown;
      };
      const status = body.status === 'cancelled' ? 'cancelled' : 'collected';
      const by = typeof body.finalBy?.name === 'string' ? body.finalBy.name : '';
      // Partly collected by another register: the order is still open in the cloud, so its copy is
      // not marked final here (the pull brings the pickup; a copy marked collected would stay so).
      if (body.open === true) {
        deps.onChanged();
        throw finalError(orderNo, status, by, typeof body.receiptNo === 'string' ? body.receiptNo : null);
      }
      db.transaction(() => {
        prepared(
          db,
          `UPDATE customer_order SET status = :status, final_by = :by, final_at = :at, receipt_no = :receiptNo
           WHERE order_no = :orderNo`,
        ).run({
          orderNo,
          status,
          by,
          at: typeof body.finalAt === 'number' ? body.finalAt : null,
          receiptNo: typeof body.receiptNo === 'string' ? body.receiptNo : null,
        });
      }).immediate();
      deps.onChanged();
      throw finalError(orderNo, status, by, typeof body.receiptNo === 'string' ? body.receiptNo : null);
    }
    if (answer.code === 'CLAIM_RELEASED') throw claimReleased(orderNo, claim);
    if (answer.code === 'CLAIM_STANDING') throw claimStanding(orderNo);
    if (answer.status >= 500 || answer.status === 429 || answer.status === 408) return 'offline';
    log.warn('the cloud refused to collect an order', { orderNo, code: answer.code });
    throw new PosError(answer.code === 'NOT_FOUND' ? 'NOT_FOUND' : 'ORDER_TRANSITION_INVALID', `${answer.code}: ${answer.message}`);
  }

  /**
   * Asks the cloud to take a pickup of part of an order (or a swap) on `receiptNo`, before any goods
   * change hands. 'offline' when it cannot be asked (the outbox carries the pickup); ORDER_FINAL
   * when another register or the shop took those goods (or closed the order) first; CONFLICT when
   * the cloud's figures differ from this register's copy (a pull is due: try again).
   */
  async function askCloudToPickup(pickup: OrderPickupPayload, claim: CartClaim | null = null): Promise<'confirmed' | 'offline'> {
    const link = cloud();
    if (!link) return 'offline';
    const answer: CloudAnswer<{ order: unknown }> = await link.client.request(
      'POST',
      `/v1/registers/${encodeURIComponent(link.enrolment.registerId)}/orders/${encodeURIComponent(pickup.orderNo)}/pickups`,
      JSON.stringify({ ...pickup, ...claimFieldsOf(claim) }),
    );
    if (answer.kind === 'unreachable') return 'offline';
    if (answer.kind === 'ok') {
      const parsed = Order.safeParse(answer.body.order);
      if (parsed.success) recordAnswer(parsed.data, claim);
      return 'confirmed';
    }
    if (answer.code === 'ORDER_FINAL') {
      const body = answer.body as { status?: unknown; finalBy?: { name?: unknown } | null; receiptNo?: unknown };
      deps.onChanged();
      throw finalError(
        pickup.orderNo,
        body.status === 'cancelled' ? 'cancelled' : 'collected',
        typeof body.finalBy?.name === 'string' ? body.finalBy.name : '',
        typeof body.receiptNo === 'string' ? body.receiptNo : null,
      );
    }
    if (answer.code === 'CLAIM_RELEASED') throw claimReleased(pickup.orderNo, claim);
    if (answer.code === 'CLAIM_STANDING') throw claimStanding(pickup.orderNo);
    if (answer.status >= 500 || answer.status === 429 || answer.status === 408) return 'offline';
    log.warn('the cloud refused a pickup', { orderNo: pickup.orderNo, code: answer.code });
    if (answer.code === 'TOTAL_MISMATCH')
      throw new PosError('CONFLICT', `Order ${pickup.orderNo} changed in the cloud meanwhile: wait for the next sync, then try again`);
    throw new PosError(answer.code === 'NOT_FOUND' ? 'NOT_FOUND' : 'BAD_REQUEST', `${answer.code}: ${answer.message}`);
  }

  /** The pickup's plan on this register's copy; BAD_REQUEST naming the problem. */
  function planOrRefuse(row: OrderRow, pickup: { collect: PickupPart[]; release: PickupPart[] }) {
    const check = planLocalPickup(row, pickup);
    if (!check.ok) throw new PosError('BAD_REQUEST', check.message, [{ path: 'lines', message: check.message }]);
    return check.plan;
  }

  /** Inside the caller's transaction: this register's pickup and its outbox row (once per receipt). */
  function writePickup(row: OrderRow, receiptNo: string, pickup: CartPickup, final: boolean): void {
    const payload: OrderPickupPayload = { orderNo: row.order_no, receiptNo, ...pickup };
    addLocalPickup(db, row.order_no, { receiptNo, ...pickup, final, at: clock.now() });
    appendOutbox(db, { kind: 'order.pickup', ref: row.order_no, payload, now: clock.now() });
  }

  /** Has the cloud already listed this pickup (it confirmed it when asked, or a pull brought it)? */
  const cloudHasPickup = (row: OrderRow, receiptNo: string): boolean =>
    tillOrder(row).pickups.some((p) => p.by !== '' && p.receiptNo === receiptNo);

  /**
   * Has the cloud collected the order (or taken this pickup of it) for this register on `receiptNo`
   * already (it confirmed it when asked, or a pull brought it)?
   */
  function claimedOn(row: OrderRow, receiptNo: string, pickup: string | null): boolean {
    if (pickup !== null) return cloudHasPickup(row, receiptNo);
    return row.status === 'collected' && row.final_by === selfName() && row.receipt_no === receiptNo;
  }

  function inTurn<T>(work: () => Promise<T>): Promise<T> {
    const next = turn.then(work, work);
    turn = next.catch(() => undefined);
    return next;
  }

  function nextHandover(): { seq: number; handoverNo: string } {
    const identity = readIdentity(db);
    if (!identity) throw new PosError('INTERNAL', 'This register has no identity');
    const seq = (prepared<[], number>(db, 'SELECT coalesce(max(seq), 0) + 1 FROM order_handover').pluck().get() as number) ?? 1;
    return { seq, handoverNo: `${identity.store.code}-${identity.register.code}-P${String(seq).padStart(6, '0')}` };
  }

  function printMeta() {
    const identity = readIdentity(db);
    return {
      storeName: identity ? `${identity.store.nameZh} ${identity.store.nameEn}` : '',
      printedAt: clock.now(),
      timeZone: readStoreTimeZone(db),
    };
  }

  /** A part of a prepaid order handed over with nothing to pay: a hand-over slip, its pickup and outbox row. */
  async function handOverPart(actor: StaffSummary, orderNo: string, pickup: CartPickup, value: number): Promise<CollectResult> {
    const predicted = nextHandover();
    await askCloudToPickup({ orderNo, receiptNo: predicted.handoverNo, ...pickup });
    const order = db
      .transaction(() => {
        const row = mustFind(orderNo);
        // The cloud's copy lists this very pickup: it took it, whether its answer reached us or was
        // lost after it committed (and a pull brought the order meanwhile). Refusing now would leave
        // goods the cloud counts as handed over without their slip, and reuse the slip's number.
        const confirmed = cloudHasPickup(row, predicted.handoverNo);
        let final = row.status === 'collected';
        if (!confirmed) {
          checkHandOver(row);
          const plan = planOrRefuse(row, pickup);
          if (plan.applied !== pickup.applied) throw new PosError('CONFLICT', `Order ${orderNo} changed meanwhile: try again`);
          final = plan.final;
        }
        const { seq, handoverNo } = nextHandover();
        if (handoverNo !== predicted.handoverNo) throw new PosError('CONFLICT', 'Another hand-over took this number: try again');
        prepared(
          db,
          `INSERT INTO order_handover (seq, handover_no, order_no, staff_id, total, handed_at)
           VALUES (:seq, :handoverNo, :orderNo, :staffId, :total, :now)`,
        ).run({ seq, handoverNo, orderNo: row.order_no, staffId: actor.id, total: value, now: clock.now() });
        writePickup(row, handoverNo, pickup, final);
        return tillOrder(mustFind(orderNo));
      })
      .immediate();
    deps.onChanged();
    try {
      deps.devices.enqueuePrint(
        handoverDocument(
          order,
          {
            handoverNo: predicted.handoverNo,
            staffName: `${actor.nameZh} ${actor.nameEn}`.trim(),
            collect: pickup.collect,
            applied: pickup.applied,
          },
          printMeta(),
        ),
        { kind: 'report', ref: predicted.handoverNo },
      );
    } catch (error) {
      log.warn('the prepaid slip could not be queued', { error: (error as Error).message });
    }
    return { kind: 'handed-over', order, handoverNo: predicted.handoverNo };
  }

  async function handOver(actor: StaffSummary, orderNo: string): Promise<CollectResult> {
    // Decided before the first await: the order is open here, and the number it will be handed over on.
    const predicted = nextHandover();
    const answer = await askCloudToCollect(orderNo, predicted.handoverNo);
    const order = db
      .transaction(() => {
        const row = mustFind(orderNo);
        // Confirmed by the cloud just now: that is the truth, whatever the pull has said meanwhile.
        // So is a pulled copy collected here on this very number (the cloud's answer was lost after it committed).
        const taken = row.status === 'collected' && row.final_by === selfName() && row.receipt_no === predicted.handoverNo;
        if (answer === 'offline' && !taken) checkHandOver(row);
        const { seq, handoverNo } = nextHandover();
        if (handoverNo !== predicted.handoverNo) throw new PosError('CONFLICT', 'Another hand-over took this number: try again');
        prepared(
          db,
          `INSERT INTO order_handover (seq, handover_no, order_no, staff_id, total, handed_at)
           VALUES (:seq, :handoverNo, :orderNo, :staffId, :total, :now)`,
        ).run({ seq, handoverNo, orderNo: row.order_no, staffId: actor.id, total: row.total, now: clock.now() });
        writeMove(row.order_no, 'collected', handoverNo, null);
        return tillOrder(mustFind(orderNo));
      })
      .immediate();
    deps.onChanged();
    try {
      deps.devices.enqueuePrint(
        handoverDocument(order, { handoverNo: predicted.handoverNo, staffName: `${actor.nameZh} ${actor.nameEn}`.trim() }, printMeta()),
        { kind: 'report', ref: predicted.handoverNo },
      );
    } catch (error) {
      log.warn('the prepaid slip could not be queued', { error: (error as Error).message });
    }
    return { kind: 'handed-over', order, handoverNo: predicted.handoverNo };
  }

  /** What is left of every line: the rest of a partly collected order. */
  function everythingLeft(order: TillOrder): { collect: PickupPart[]; release: PickupPart[] } {
    return {
      collect: order.lines
        .map((l) => ({ line: l.line, quantityMilli: l.quantityMilli - l.collectedMilli - l.releasedMilli }))
        .filter((p) => p.quantityMilli > 0),
      release: [],
    };
  }

  /** A checked pickup: handed over when there is nothing to pay and nothing swapped in, else opened in the cart. */
  async function startPickup(
    actor: StaffSummary,
    row: OrderRow,
    parts: { collect: PickupPart[]; release: PickupPart[] },
    add: { code: string; quantity: number }[],
  ): Promise<CollectResult> {
    const plan = planOrRefuse(row, parts);
    if (parts.release.length > 0 && add.length === 0)
      throw new PosError('BAD_REQUEST', 'A swapped-out line needs the item taken instead: scan or type it', [
        { path: 'add', message: 'required with a swap' },
      ]);
    const order = tillOrder(row);
    const value = parts.collect.reduce((sum, part) => {
      const line = order.lines.find((l) => l.line === part.line);
      return sum + (line ? lineAmount(line.unitPrice, part.quantityMilli / 1000) : 0);
    }, 0);
    const pickup: CartPickup = { ...parts, applied: plan.applied };
    if (add.length === 0 && value === plan.applied) return handOverPart(actor, row.order_no, pickup, value);
    const cart = deps.carts.loadOrder(actor, {
      orderNo: row.order_no,
      paid: plan.applied,
      lines: parts.collect.map((part) => {
        const line = order.lines.find((l) => l.line === part.line)!;
        return { sku: line.sku, quantityMilli: part.quantityMilli, unitPrice: line.unitPrice };
      }),
      pickup: JSON.stringify(pickup),
      add,
    });
    return { kind: 'in-cart', order, cartId: cart.id };
  }

  return {
    list(filter: OrderFilter): TillOrderList {
      return listOrders(db, filter);
    },

    get(orderNo: string): TillOrder {
      return tillOrder(mustFind(orderNo));
    },

    /** Preparing, ready or cancelled: recorded here and sent through the outbox (exactly once). */
    move(actor: StaffSummary, orderNo: string, to: Move, reason: string | null): TillOrder {
      const order = db
        .transaction(() => {
          const row = mustFind(orderNo);
          checkMove(row, to);
          if (to === 'cancelled' && !reason)
            throw new PosError('BAD_REQUEST', 'Say why the order is cancelled', [{ path: 'reason', message: 'required' }]);
          writeMove(row.order_no, to, null, to === 'cancelled' ? reason : null);
          if (to === 'cancelled') {
            // The reservation is released here at once; the cloud's next page says the same for every register.
            const lines = tillOrder(row).lines;
            const release = prepared(db, 'UPDATE order_reservation SET quantity_milli = max(0, quantity_milli - :q) WHERE sku = :sku');
            for (const line of lines) release.run({ sku: line.sku, q: line.quantityMilli });
          }
          return tillOrder(mustFind(orderNo));
        })
        .immediate();
      log.info('order moved', { orderNo, to, staffId: actor.id });
      deps.onChanged();
      return order;
    },

    /** The pick list on the receipt printer; a new order becomes 'preparing'. */
    printPickList(actor: StaffSummary, orderNo: string): TillOrder {
      const row = mustFind(orderNo);
      const order = shownStatus(row) === 'new' ? this.move(actor, orderNo, 'preparing', null) : tillOrder(row);
      if (isFinal(order.status)) refuseFinal(row);
      deps.devices.enqueuePrint(pickListDocument(order, printMeta()), { kind: 'report', ref: `pick-${order.orderNo}` });
      return order;
    },

    /** A scanned `ORD:…` code or a typed order number: handed over when prepaid, else opened in the cart. */
    collect(actor: StaffSummary, code: string): Promise<CollectResult> {
      const orderNo = orderNoFromCode(code);
      if (orderNo === null)
        throw new PosError('BAD_REQUEST', 'That is not an order number', [{ path: 'code', message: 'not an order number' }]);
      return inTurn(async () => {
        const row = mustFind(orderNo);
        checkHandOver(row);
        const order = tillOrder(row);
        // Partly collected already: the rest is one more pickup (the prepayment left applies to it).
        if (order.partlyCollected) return startPickup(actor, row, everythingLeft(order), []);
        if (order.due <= 0) return handOver(actor, row.order_no);
        const cart = deps.carts.loadOrder(actor, {
          orderNo: row.order_no,
          paid: order.paid,
          lines: order.lines.map((l) => ({ sku: l.sku, quantityMilli: l.quantityMilli, unitPrice: l.unitPrice })),
        });
        return { kind: 'in-cart', order, cartId: cart.id };
      });
    },

    /**
     * Part of an order (or a swap) at the counter: the lines the customer takes now, the lines
     * swapped out and the items taken instead. With nothing to pay and nothing swapped in, a
     * hand-over slip; else the cart, with the taken lines at the order's prices (locked), the new
     * items at the store's, and the prepayment the pickup uses deducted (a cheaper swap pays back).
     */
    pickup(actor: StaffSummary, request: TillPickupRequest): Promise<CollectResult> {
      return inTurn(async () => {
        const row = mustFind(request.orderNo);
        checkHandOver(row);
        const parts = (field: 'collectMilli' | 'swapMilli') =>
          request.lines.filter((l) => l[field] > 0).map((l) => ({ line: l.line, quantityMilli: l[field] }));
        return startPickup(actor, row, { collect: parts('collectMilli'), release: parts('swapMilli') }, request.add);
      });
    },

    /**
     * Before a sale that pays an order commits: asks the cloud to collect it (or take the cart's
     * pickup) on the receipt number the sale will take, naming the cart's claim. Throws ORDER_FINAL
     * when another register won, CONFLICT when the cloud had that claim released already; offline,
     * the sale goes on. A claim this register already made on that very number (its
     * sale failed after it: the retry takes the same number) stands for the retry; one whose sale
     * is never written is released (order-claims.ts).
     */
    claimForSale(cartId: number, cartOrderNo: string, pickup: string | null): Promise<void> {
      return inTurn(async () => {
        const row = mustFind(cartOrderNo);
        const identity = readIdentity(db);
        if (!identity) throw new PosError('INTERNAL', 'This register has no identity');
        const receiptNo = receiptNumber(identity.store.code, identity.register.code, nextRegisterSeq(db));
        if (claimedOn(row, receiptNo, pickup)) return;
        checkHandOver(row);
        // bound to the cart before the cloud is asked: a void (or another sale on this number) releases it
        const claimId = recordClaim(db, cartId, row.order_no, receiptNo, clock.now());
        // earlier claims of this register on the order, released here but maybe not in the cloud
        // yet: the question names them (the cloud releases them first, in the same move); one it
        // cannot name (made before claim ids) would be taken for this claim, so the outbox carries
        // its release, then this collection, in that order (as offline)
        const supersedes = supersededClaims(db, row.order_no);
        if (supersedes === null || (claimId === undefined && supersedes.length > 0)) return;
        const claim = claimId === undefined ? null : { cartId, claimId, supersedes };
        if (pickup === null) await askCloudToCollect(row.order_no, receiptNo, claim);
        else await askCloudToPickup({ orderNo: row.order_no, receiptNo, ...(JSON.parse(pickup) as CartPickup) }, claim);
      });
    },

    /** Inside the sale's transaction: may the order be collected (or this part of it) on this receipt? Answers its channel. */
    checkForSale(orderNo: string, receiptNo: string, pickup: string | null): { channel: 'online' | 'social' } {
      const row = mustFind(orderNo);
      const channel = row.channel === 'online' ? 'online' : 'social';
      // The cloud may have confirmed this very collection (or taken this very pickup) already: only
      // someone else's final state refuses, and a pickup must still fit here.
      if (claimedOn(row, receiptNo, pickup)) return { channel };
      checkHandOver(row);
      if (pickup !== null) {
        const wanted = JSON.parse(pickup) as CartPickup;
        if (planOrRefuse(row, wanted).applied !== wanted.applied)
          throw new PosError('CONFLICT', `Order ${orderNo} changed meanwhile: void the sale and collect it again`);
      }
      return { channel };
    },

    /** Inside the sale's transaction, after the document's outbox row: the order (or the cart's part of it) is collected on this receipt. */
    collectWithSale(orderNo: string, receiptNo: string, pickup: string | null): void {
      const row = mustFind(orderNo);
      if (pickup === null) {
        writeMove(row.order_no, 'collected', receiptNo, null);
        return;
      }
      const wanted = JSON.parse(pickup) as CartPickup;
      const confirmed = cloudHasPickup(row, receiptNo);
      writePickup(row, receiptNo, wanted, confirmed ? row.status === 'collected' : planOrRefuse(row, wanted).final);
    },

    /** A chat or phone order taken here: created in the cloud (online only), then in this register's queue at once. */
    async create(actor: StaffSummary, input: SocialOrderInput): Promise<TillOrder> {
      const link = cloud();
      const identity = readIdentity(db);
      if (!link || !identity) throw new PosError('CLOUD_UNREACHABLE', 'Orders are created in the cloud: enrol this register first');
      const orderNo = `${identity.store.code}${identity.register.code}-${clock.now().toString(36).toUpperCase()}`;
      const answer = await link.client.request<{ order: unknown }>(
        'POST',
        `/v1/registers/${encodeURIComponent(link.enrolment.registerId)}/orders`,
        JSON.stringify({
          orderNo,
          store: identity.store.code,
          channel: input.channel,
          customer: { name: input.customerName, phone: input.customerPhone },
          lines: input.lines,
          paid: input.paid,
          expectedTotal: null,
          pickupOn: input.pickupOn,
          note: input.note,
        }),
      );
      if (answer.kind === 'unreachable')
        throw new PosError('CLOUD_UNREACHABLE', 'The cloud did not answer: the order was not created; try again');
      if (answer.kind === 'error') {
        if (answer.code === 'TOTAL_MISMATCH')
          throw new PosError('BAD_REQUEST', `The amount paid is more than the order costs (${answer.message})`, [
            { path: 'paid.amount', message: answer.message },
          ]);
        throw new PosError(answer.status === 400 ? 'BAD_REQUEST' : 'CONFLICT', `${answer.code}: ${answer.message}`);
      }
      const order = Order.parse(answer.body.order);
      recordCloudOrder(db, order, selfName());
      log.info('social order created at the till', { orderNo, staffId: actor.id, channel: input.channel });
      deps.onChanged();
      return tillOrder(mustFind(orderNo));
    },

    /**
     * The cashier has seen the clash: it leaves the list of conflicts, and the order can be handed
     * over here again (it keeps the cloud's state and this register's pickups still waiting for it).
     */
    acknowledge(orderNo: string): TillOrder {
      db.transaction(() => {
        mustFind(orderNo);
        prepared(db, 'UPDATE customer_order SET conflict = NULL WHERE order_no = :orderNo').run({ orderNo });
      }).immediate();
      deps.onChanged();
      return tillOrder(mustFind(orderNo));
    },
  };
}

export type OrderService = ReturnType<typeof createOrderService>;
