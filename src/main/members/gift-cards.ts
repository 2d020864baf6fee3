/**
 * Gift cards at the till (issue 13): the one owner of what this register knows of a card and of
 * how a card moves here. Built on the stored-value machinery of points and store credit
 * (stored-value.ts, offline-redemption.ts): a card is an account whose balance is the cloud's
 * (pulled) plus what this register did to it that the cloud has not acknowledged yet.
 *
 * - Sold as a line (`cart_gift_card`): the sale's transaction activates the card (`gift_card_line`
 *   activate), the document carries the line's card (hash, last 4, load), the cloud loads it once.
 * - Spent as a tender (method `gift-card`, the card's hash as the payment's reference): online the
 *   cloud decides under the account's lock (POST /v1/gift-cards/redeem); offline, or with no answer
 *   in time, the ONE offline bound (checkOfflineRedemption) on figures read in the sale's transaction.
 * - A return refunds a card tender to the same card; a return of the line that sold a card voids it
 *   here at once (refused when the card was spent) and at the cloud with the document.
 * - A card this register has not pulled yet (sold or issued a moment ago) is asked of the cloud when
 *   online (POST /v1/gift-cards/lookup, by hash, the member look-up's short timeout) and kept as a
 *   pulled card, so the tender works as for any other; offline it is "not found locally".
 * - Unknown, void, not yet sold or used-up cards are refused with their own codes (the screen words them).
 */
import { scryptSync } from 'node:crypto';
import { FeedGiftCard } from '../../shared/change-feed';
import { PosError } from '../../shared/errors';
import { formatHKD } from '../../shared/money';
import {
  GIFT_CARD_METHOD,
  giftCardHash,
  parseGiftCardCode,
  type GiftCardLine,
  type GiftCardStatus,
  type GiftCardView,
} from '../../shared/gift-card';
import type { StoredValuePayment } from '../../shared/stored-value';
import { storeDate } from '../../shared/store-time';
import type { Clock } from '../clock';
import type { PlannedPayment } from '../checkout/tender-plan';
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import type { Logger } from '../log';
import { readStoreTimeZone } from '../settings/store-time-zone';
import { answeredVersion, createCloudClient } from '../sync/cloud-client';
import { IN_PULLED_FIGURES } from '../sync/pulled-figures';
import { readEnrolment } from '../sync/sync-store';
import { CLOUD_LOOKUP_TIMEOUT_MS } from './member-service';
import { checkOfflineRedemption, offlineRedemptionAvailable, readOfflineRedemptionRules } from './offline-redemption';
import { refundableTo } from './refund-cap';
import { askCloudToRedeem, redemptionClient } from './redemptions';
import { cartStoredValueKey, CLOUD_REDEEM_TIMEOUT_MS, type CloudRedemption } from './stored-value';

/** The hash of a card's digits (the one rule: src/shared/gift-card.ts). */
export function hashGiftCardDigits(digits: string): string {
  return giftCardHash(digits, (password, salt, keylen, options) =>
    scryptSync(password, salt, keylen, { ...options, maxmem: 64 * 1024 * 1024 }),
  );
}

/**
 * A pulled card (the change feed's `gift_card`, a look-up's answer) as of change-log `version`: the
 * cloud's status and balance replace the last ones, unless this register holds the card as of a
 * newer version (a redemption the cloud answered after this change was read).
 */
export function upsertCloudGiftCard(db: Db, c: FeedGiftCard, version = 0): void {
  prepared(
    db,
    `INSERT INTO cloud_gift_card (hash, last4, status, balance, version) VALUES (:hash, :last4, :status, :balance, :version)
     ON CONFLICT (hash) DO UPDATE SET last4 = excluded.last4, status = excluded.status, balance = excluded.balance, version = excluded.version
     WHERE excluded.version >= cloud_gift_card.version`,
  ).run({ hash: c.hash, last4: c.last4, status: c.status, balance: c.balance, version });
}

/**
 * The cloud took a spend from a card that is active there: its answer is the card's whole balance,
 * the load this register sold included. The pulled row may still say `issued` (the pull after the
 * sale's push has not landed): it becomes `active` with that balance, or cardState would add the
 * local load on top of a balance that already holds it. The balance is as of the answer's version:
 * a row already past it (a later pull, which holds this redemption) stays; an answer with no
 * version (a replay, an older cloud) is written as it is.
 */
export function writeRedeemedCard(
  db: Db,
  card: { hash: string; last4: string },
  answer: { balance: number; version: number | null },
): void {
  prepared(
    db,
    `INSERT INTO cloud_gift_card (hash, last4, status, balance, version) VALUES (:hash, :last4, 'active', :balance, coalesce(:version, 0))
     ON CONFLICT (hash) DO UPDATE SET balance = excluded.balance, version = coalesce(:version, cloud_gift_card.version),
       status = CASE WHEN cloud_gift_card.status = 'issued' THEN 'active' ELSE cloud_gift_card.status END
     WHERE :version IS NULL OR :version >= cloud_gift_card.version`,
  ).run({ hash: card.hash, last4: card.last4, balance: answer.balance, version: answer.version });
}

/** A document whose effect on the card the pulled balance does not hold yet (sync/pulled-figures.ts). */
const NOT_IN_PULLED = (receipt: string) =>
  `NOT EXISTS (SELECT 1 FROM outbox o WHERE o.ref = ${receipt} AND o.kind LIKE 'document.%' AND ${IN_PULLED_FIGURES})`;

export interface CardState {
  hash: string;
  last4: string;
  status: GiftCardStatus;
  /** what this register may count on: the pulled balance plus the loads it sold that the pull does not show yet */
  lastKnownBalance: number;
  /** cents this register took from the card (less what it paid back) that the cloud has not acknowledged */
  unsyncedSpent: number;
  /** the balance as the receipt shows it */
  balance: number;
}

/** What this register knows of a card now, or null when it has never pulled it. */
export function cardState(db: Db, hash: string): CardState | null {
  const pulled = prepared<{ hash: string }, { last4: string; status: GiftCardStatus; balance: number }>(
    db,
    'SELECT last4, status, balance FROM cloud_gift_card WHERE hash = :hash',
  ).get({ hash });
  // A card is activated once: while the pulled row still says `issued` (or there is none), the
  // loads this register sold are not in it yet, acknowledged or not (the pull comes after the push).
  const local = prepared<{ hash: string }, { last4: string | null; loads: number; voided: number }>(
    db,
    `SELECT max(last4) AS last4,
            coalesce(sum(CASE WHEN action = 'activate' THEN value END), 0) AS loads,
            coalesce(sum(action = 'void'), 0) AS voided
     FROM gift_card_line WHERE hash = :hash`,
  ).get({ hash }) as { last4: string | null; loads: number; voided: number };
  if (pulled && pulled.status !== 'issued') local.loads = 0;
  if (!pulled && local.last4 === null) return null;
  const moved =
    (prepared<{ hash: string }, number>(
      db,
      `SELECT coalesce(sum(m.units), 0) FROM stored_value_movement m
       WHERE m.kind = 'gift' AND m.decided_by = 'register' AND m.card_hash = :hash AND ${NOT_IN_PULLED('m.receipt_no')}`,
    )
      .pluck()
      .get({ hash }) as number) ?? 0;
  const lastKnownBalance = (pulled?.balance ?? 0) + local.loads;
  const status: GiftCardStatus =
    pulled?.status === 'void' || local.voided > 0 ? 'void' : pulled?.status === 'active' || local.loads > 0 ? 'active' : 'issued';
  return {
    hash,
    last4: pulled?.last4 ?? (local.last4 as string),
    status,
    lastKnownBalance,
    unsyncedSpent: Math.max(0, -moved),
    balance: lastKnownBalance + moved,
  };
}

/** Cents of value this register took offline from the card on the store's day `day`, synced or not. */
function spentOfflineOn(db: Db, hash: string, day: string): number {
  return (
    (prepared<{ hash: string; day: string }, number>(
      db,
      `SELECT coalesce(sum(-value), 0) FROM stored_value_movement
       WHERE kind = 'gift' AND card_hash = :hash AND decided_by = 'register' AND units < 0 AND store_day = :day`,
    )
      .pluck()
      .get({ hash, day }) as number) ?? 0
  );
}

function gone(state: CardState): PosError | null {
  if (state.status === 'void') return new PosError('GIFT_CARD_VOID', `Gift card **** ${state.last4} is void`);
  if (state.status === 'issued') return new PosError('GIFT_CARD_NOT_SOLD', `Gift card **** ${state.last4} has not been sold yet`);
  return null;
}

function insufficient(code: 'GIFT_CARD_INSUFFICIENT' | 'GIFT_CARD_OFFLINE_LIMIT', availableCents: number, why: string): PosError {
  if (code === 'GIFT_CARD_INSUFFICIENT' && availableCents <= 0)
    return new PosError('GIFT_CARD_USED_UP', `${why}: nothing is left on the card`);
  return new PosError(code, `${why}: at most ${formatHKD(availableCents, 'en')} can be used`, undefined, { kind: 'gift', availableCents });
}

export interface GiftCardDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  cloudToken: () => string | null;
  timeoutMs?: number;
  /** how long a look-up of a card not pulled yet waits for the cloud (default: the member look-up's) */
  lookupTimeoutMs?: number;
}

export function createGiftCards(deps: GiftCardDeps) {
  const { db, clock, log } = deps;
  const timeoutMs = deps.timeoutMs ?? CLOUD_REDEEM_TIMEOUT_MS;
  const lookupTimeoutMs = deps.lookupTimeoutMs ?? CLOUD_LOOKUP_TIMEOUT_MS;

  const notHere = () =>
    new PosError('GIFT_CARD_UNKNOWN_OFFLINE', 'Offline: this register has no such gift card (not pulled yet) and cannot ask the cloud');

  /** A card this register has not pulled: the cloud's answer, kept as a pulled card; or why not. */
  async function askCloud(hash: string): Promise<CardState> {
    // Decided before the first await: whether there is a cloud to ask.
    const enrolment = readEnrolment(db);
    const token = enrolment ? deps.cloudToken() : null;
    if (!enrolment || token === null) throw notHere();
    const client = createCloudClient({ baseUrl: enrolment.cloudUrl, token, timeoutMs: lookupTimeoutMs, now: clock.now });
    const answer = await client.request<{ card?: unknown; version?: unknown }>(
      'POST',
      '/v1/gift-cards/lookup',
      JSON.stringify({ cardHash: hash }),
    );
    if (answer.kind === 'ok') {
      const parsed = FeedGiftCard.safeParse(answer.body.card);
      if (!parsed.success || parsed.data.hash !== hash) {
        log.warn('the cloud answered a gift card look-up with a shape this register does not read', {
          issue: parsed.success ? 'another card' : parsed.error.issues[0]?.message,
        });
        throw notHere();
      }
      // kept, so the tender, the sale of the card and the next look-up find it without the cloud
      return db
        .transaction(() => {
          if (!cardState(db, hash)) upsertCloudGiftCard(db, parsed.data, answeredVersion(answer.body) ?? 0);
          return cardState(db, hash) as CardState;
        })
        .immediate();
    }
    if (answer.kind === 'error' && answer.code === 'NOT_FOUND')
      throw new PosError('GIFT_CARD_UNKNOWN', 'The cloud has no such gift card: head office did not issue it');
    if (answer.kind === 'error' && answer.code === 'RATE_LIMITED')
      throw new PosError('GIFT_CARD_LOOKUP_LIMITED', 'Too many gift card look-ups from this register: try again later');
    log.warn('gift card: the cloud did not answer a look-up', { answer: answer.kind === 'error' ? answer.code : answer.kind });
    throw notHere();
  }

  function view(state: CardState): GiftCardView {
    const rules = readOfflineRedemptionRules(db);
    const day = storeDate(clock.now(), readStoreTimeZone(db));
    return {
      id: state.hash,
      last4: state.last4,
      status: state.status,
      balance: state.balance,
      availableOffline:
        state.status === 'active'
          ? offlineRedemptionAvailable({
              lastKnownBalance: state.lastKnownBalance,
              unsyncedSpent: state.unsyncedSpent,
              spentOfflineTodayCents: spentOfflineOn(db, state.hash, day),
              dailyLimitCents: rules.dailyLimitCents,
              unitsPerDollar: 100,
            })
          : 0,
    };
  }

  /** The spends of a plan's gift card payments, each with its movement's key (the same before and inside the transaction). */
  function spends(cartId: number, payments: readonly PlannedPayment[]): { index: number; hash: string; value: number; key: string }[] {
    const found: { index: number; hash: string; value: number; key: string }[] = [];
    payments.forEach((p, index) => {
      if (p.method !== GIFT_CARD_METHOD) return;
      const key = cartStoredValueKey(db, cartId);
      found.push({
        index,
        hash: p.reference ?? '',
        value: Math.abs(p.amount),
        key: `sv-${key}-g${found.length + 1}-${Math.abs(p.amount)}`,
      });
    });
    return found;
  }

  return {
    /**
     * A card by its code as scanned or typed (gift:find): what the till shows, or why it is refused.
     * A card this register has not pulled is asked of the cloud (online) and kept.
     */
    async find(code: string): Promise<GiftCardView> {
      const parsed = parseGiftCardCode(code);
      if (!parsed.ok)
        throw new PosError('GIFT_CARD_INVALID', parsed.problem === 'CHECK_DIGIT' ? 'Wrong check digit' : 'Not a 19-digit gift card code');
      const hash = hashGiftCardDigits(parsed.digits);
      return view(cardState(db, hash) ?? (await askCloud(hash)));
    },

    /** The card as it is now, by its hash (the screen's id), for the payment screen. */
    byId(hash: string): GiftCardView {
      const state = cardState(db, hash);
      if (!state) throw new PosError('GIFT_CARD_UNKNOWN', 'This register has no such gift card');
      return view(state);
    },

    /**
     * Online, before the sale's transaction: the cloud takes each card spend under the account's
     * lock. Answers the spends it took, by key; the rest are left to the offline bound in `record`.
     */
    async authorize(cartId: number, payments: readonly PlannedPayment[]): Promise<Map<string, CloudRedemption>> {
      const taken = new Map<string, CloudRedemption>();
      const found = db.transaction(() => spends(cartId, payments)).immediate();
      const refund = payments.some((p) => p.amount < 0);
      const client = redemptionClient(db, deps.cloudToken, timeoutMs, clock.now);
      if (refund || found.length === 0 || client === null) return taken;
      for (const spend of found) {
        const state = cardState(db, spend.hash);
        if (!state) throw new PosError('GIFT_CARD_UNKNOWN', 'This register has no such gift card');
        const refused = gone(state);
        if (refused) throw refused;
        const answer = await askCloudToRedeem<{ balance?: unknown; status?: unknown; version?: unknown }>(db, client, {
          cartId,
          ask: { key: spend.key, kind: 'gift', memberCode: null, cardHash: spend.hash, value: spend.value },
          path: '/v1/gift-cards/redeem',
          body: { cardHash: spend.hash, value: spend.value },
          now: clock.now,
        });
        if (answer.kind === 'ok' && Number.isSafeInteger(answer.body.balance)) {
          taken.set(spend.key, { units: spend.value, balance: answer.body.balance as number, version: answeredVersion(answer.body) });
        } else if (answer.kind === 'error' && answer.code === 'INSUFFICIENT_BALANCE') {
          const balance = Number.isSafeInteger(answer.body.balance) ? Math.max(0, answer.body.balance as number) : 0;
          throw insufficient('GIFT_CARD_INSUFFICIENT', balance, 'The cloud says the card does not cover it');
        } else if (
          answer.kind === 'error' &&
          answer.code === 'GIFT_CARD_UNUSABLE' &&
          answer.body.status === 'issued' &&
          state.status === 'active'
        ) {
          // this register sold it, and that sale has not reached the cloud yet: the offline bound decides
          log.warn('gift card: the cloud has not heard of its sale yet; the offline bound decides', { card: state.last4 });
        } else if (answer.kind === 'error' && answer.code === 'GIFT_CARD_UNUSABLE') {
          throw answer.body.status === 'void'
            ? new PosError('GIFT_CARD_VOID', `Gift card **** ${state.last4} is void`)
            : new PosError('GIFT_CARD_NOT_SOLD', `Gift card **** ${state.last4} has not been sold yet`);
        } else {
          // never the code: the card's last 4 at most
          log.warn('gift card: the cloud did not take the redemption; the offline bound decides', {
            card: state.last4,
            answer: answer.kind === 'error' ? answer.code : answer.kind,
          });
        }
      }
      return taken;
    },

    /**
     * Inside the sale's transaction: each gift card payment's movement (the cloud's, the offline
     * bound's, or a refund to the card), by its index in `payments`. A refund with no card named
     * goes back to the card the returned sale was paid with.
     */
    recordTenders(input: {
      cartId: number;
      receiptNo: string;
      payments: PlannedPayment[];
      taken: ReadonlyMap<string, CloudRedemption>;
      /** the sales a return takes lines back from: a refund goes to the card they were paid with, at most what it paid */
      soldSaleIds: readonly number[];
      now: number;
    }): Map<number, StoredValuePayment> {
      const recorded = new Map<number, StoredValuePayment>();
      const refundCard = refundCardOf(db, input.soldSaleIds);
      for (const payment of input.payments) {
        if (payment.method === GIFT_CARD_METHOD && payment.amount < 0 && !payment.reference) payment.reference = refundCard;
      }
      const found = spends(input.cartId, input.payments);
      if (found.length === 0) return recorded;
      const rules = readOfflineRedemptionRules(db);
      const day = storeDate(input.now, readStoreTimeZone(db));
      const insert = prepared(
        db,
        `INSERT INTO stored_value_movement (receipt_no, position, card_hash, card_last4, kind, units, value, idem_key, decided_by, balance_after, store_day, created_at)
         VALUES (:receiptNo, :position, :hash, :last4, 'gift', :units, :value, :key, :decidedBy, :balanceAfter, :day, :now)`,
      );
      for (const spend of found) {
        const payment = input.payments[spend.index] as PlannedPayment;
        const state = spend.hash ? cardState(db, spend.hash) : null;
        if (!state) throw new PosError('GIFT_CARD_UNKNOWN', 'This register has no such gift card');
        const refund = payment.amount < 0;
        let movement: StoredValuePayment;
        const cloud = input.taken.get(spend.key);
        const card = { hash: state.hash, last4: state.last4 };
        if (refund) {
          // a return pays back to the card the sale was paid with, never more than that card paid it
          // (and earlier returns got back); a void card is a person's call: the cloud lists it
          const refundable = refundableTo(db, input.soldSaleIds, { method: GIFT_CARD_METHOD, reference: state.hash });
          if (spend.value > refundable)
            throw new PosError(
              'GIFT_CARD_REFUND_OVER',
              `At most ${formatHKD(refundable, 'en')} goes back to gift card **** ${state.last4}: what it paid on the returned sale`,
              undefined,
              { kind: 'gift', availableCents: refundable },
            );
          movement = {
            kind: 'gift',
            units: spend.value,
            key: spend.key,
            decidedBy: 'register',
            balanceAfter: state.balance + spend.value,
            card,
          };
        } else if (cloud) {
          writeRedeemedCard(db, state, cloud);
          const after = cardState(db, state.hash) as CardState;
          movement = { kind: 'gift', units: -cloud.units, key: spend.key, decidedBy: 'cloud', balanceAfter: after.balance, card };
        } else {
          const refused = gone(state);
          if (refused) throw refused;
          const decision = checkOfflineRedemption({
            requested: spend.value,
            lastKnownBalance: state.lastKnownBalance,
            unsyncedSpent: state.unsyncedSpent,
            spentOfflineTodayCents: spentOfflineOn(db, state.hash, day),
            dailyLimitCents: rules.dailyLimitCents,
            unitsPerDollar: 100,
          });
          if (!decision.ok) {
            if (decision.reason === 'INVALID_AMOUNT') throw new PosError('BAD_REQUEST', decision.message);
            throw insufficient(
              decision.reason === 'INSUFFICIENT_BALANCE' ? 'GIFT_CARD_INSUFFICIENT' : 'GIFT_CARD_OFFLINE_LIMIT',
              decision.available,
              decision.message,
            );
          }
          movement = {
            kind: 'gift',
            units: -spend.value,
            key: spend.key,
            decidedBy: 'register',
            balanceAfter: state.balance - spend.value,
            card,
          };
        }
        insert.run({
          receiptNo: input.receiptNo,
          position: spend.index + 1,
          hash: state.hash,
          last4: state.last4,
          units: movement.units,
          value: payment.amount,
          key: spend.key,
          decidedBy: movement.decidedBy,
          balanceAfter: movement.balanceAfter,
          day,
          now: input.now,
        });
        recorded.set(spend.index, movement);
      }
      return recorded;
    },
  };
}

export type GiftCards = ReturnType<typeof createGiftCards>;

/** The card a cart line sells, if it is a gift card line. */
export function cartLineCard(db: Db, cartLineId: number): { hash: string; last4: string } | undefined {
  return prepared<{ cartLineId: number }, { hash: string; last4: string }>(
    db,
    'SELECT hash, last4 FROM cart_gift_card WHERE cart_line_id = :cartLineId',
  ).get({ cartLineId });
}

/** The gift cards on a cart's lines, by line id: one read for the whole cart. */
export function cartCards(db: Db, cartId: number): Map<number, { hash: string; last4: string }> {
  const rows = prepared<{ cartId: number }, { cartLineId: number; hash: string; last4: string }>(
    db,
    `SELECT g.cart_line_id AS cartLineId, g.hash, g.last4 FROM cart_gift_card g JOIN cart_line l ON l.id = g.cart_line_id
     WHERE l.cart_id = :cartId`,
  ).all({ cartId });
  return new Map(rows.map((r) => [r.cartLineId, { hash: r.hash, last4: r.last4 }]));
}

/** The card a sold document's line activated, if any. */
export function soldLineCard(db: Db, receiptNo: string, position: number): { hash: string; last4: string; value: number } | undefined {
  return prepared<{ receiptNo: string; position: number }, { hash: string; last4: string; value: number }>(
    db,
    "SELECT hash, last4, value FROM gift_card_line WHERE receipt_no = :receiptNo AND position = :position AND action = 'activate'",
  ).get({ receiptNo, position });
}

/**
 * In the sale's transaction: a line that sells a card activates it (it must be a card head office
 * issued and nobody sold); a returned line that sold one voids it (refused once any of it was
 * spent). Answers the line's card for the document, or undefined for any other line.
 */
export function recordGiftCardLine(
  db: Db,
  input: {
    receiptNo: string;
    position: number;
    cartLineId: number;
    quantityMilli: number;
    unitPrice: number;
    /** a returned line: the sold line it takes back */
    soldOn: { receiptNo: string; position: number } | null;
    now: number;
  },
): GiftCardLine | undefined {
  const insert = prepared(
    db,
    `INSERT INTO gift_card_line (receipt_no, position, hash, last4, action, value, balance_after, created_at)
     VALUES (:receiptNo, :position, :hash, :last4, :action, :value, :balanceAfter, :now)`,
  );
  if (input.quantityMilli > 0) {
    const card = cartLineCard(db, input.cartLineId);
    if (!card) return undefined;
    if (input.quantityMilli !== 1000) throw new PosError('BAD_REQUEST', 'A gift card line sells one card');
    const state = cardState(db, card.hash);
    if (!state) throw new PosError('GIFT_CARD_UNKNOWN', 'This register has no such gift card');
    if (state.status === 'void') throw new PosError('GIFT_CARD_VOID', `Gift card **** ${card.last4} is void`);
    if (state.status === 'active') throw new PosError('GIFT_CARD_ALREADY_SOLD', `Gift card **** ${card.last4} is already sold`);
    if (input.unitPrice < 1) throw new PosError('BAD_REQUEST', 'A gift card is loaded with more than HK$0');
    const line = { hash: card.hash, last4: card.last4, value: input.unitPrice, balanceAfter: state.balance + input.unitPrice };
    insert.run({ receiptNo: input.receiptNo, position: input.position, ...line, action: 'activate', now: input.now });
    return line;
  }
  if (!input.soldOn) return undefined;
  const sold = soldLineCard(db, input.soldOn.receiptNo, input.soldOn.position);
  if (!sold) return undefined;
  const state = cardState(db, sold.hash);
  if (state && state.status !== 'void' && state.balance < sold.value)
    throw new PosError('GIFT_CARD_SPENT', `Gift card **** ${sold.last4} was used: it cannot be refunded`);
  const line = { hash: sold.hash, last4: sold.last4, value: sold.value, balanceAfter: 0 };
  insert.run({ receiptNo: input.receiptNo, position: input.position, ...line, action: 'void', now: input.now });
  return line;
}

/** The card a return's refund goes back to: the one its sale was paid with (the first, when there were several). */
export function refundCardOf(db: Db, soldSaleIds: readonly number[]): string | null {
  for (const saleId of soldSaleIds) {
    const hash = prepared<{ saleId: number }, string | null>(
      db,
      `SELECT reference FROM payment WHERE sale_id = :saleId AND method = '${GIFT_CARD_METHOD}' AND reference IS NOT NULL ORDER BY position LIMIT 1`,
    )
      .pluck()
      .get({ saleId });
    if (hash) return hash;
  }
  return null;
}

/** A document's gift card lines, by position, for a receipt read back from SQLite. */
export function giftCardLinesOf(db: Db, receiptNo: string): Map<number, GiftCardLine> {
  const rows = prepared<{ receiptNo: string }, { position: number; hash: string; last4: string; value: number; balance_after: number }>(
    db,
    'SELECT position, hash, last4, value, balance_after FROM gift_card_line WHERE receipt_no = :receiptNo',
  ).all({ receiptNo });
  return new Map(rows.map((r) => [r.position, { hash: r.hash, last4: r.last4, value: r.value, balanceAfter: r.balance_after }]));
}
