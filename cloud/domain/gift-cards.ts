/**
 * Gift cards and vouchers (issue 13), settled here on the members' ledger (members.ts postMovements):
 * a card is an account of kind `gift`, its balance the running sum of its entries, each entry keyed
 * by the document or request it belongs to, so a retried push or request applies once.
 *
 * - Head office issues a batch (admin CLI): codes are made here, printed once, and only their
 *   hashes kept (src/shared/gift-card.ts). Issued without a value a card waits to be sold at a
 *   till; with a value it is a voucher, active at once.
 * - A till's pushed document activates the cards it sold (the line's load, an `issue` entry) and
 *   voids the cards it took back (a return of the selling line: the balance taken off, a `void`
 *   entry); its gift card payments are recorded whatever the balance (paid at the till: an
 *   overspend at two offline tills is an overdraft exception, nothing is quarantined).
 * - Online, a till asks here first (POST /v1/gift-cards/redeem): refused beyond the balance, or
 *   for a card that is not active, under the account's lock.
 * - Every change to a card goes to the change feed (entity `gift_card`), so a voided card is
 *   refused by every till from its next pull.
 * - A till that has not pulled a card yet asks for it by hash (POST /v1/gift-cards/lookup). Every
 *   request that names a card by hash or code (lookup, redemption) is a possible guess: it takes a
 *   token of its caller's bucket before anything is read (one atomic statement, whatever the number
 *   of requests in flight or of cloud instances), and a card that exists gives it back, so only
 *   wrong codes use the bucket up; an empty bucket refuses every such request, a right code too.
 */
import { randomInt, scryptSync } from 'node:crypto';
import type { FeedGiftCard } from '../../src/shared/change-feed';
import {
  GIFT_CARD_SKU,
  formatGiftCardCode,
  giftCardCheckDigit,
  giftCardHash,
  parseGiftCardCode,
  type GiftCardStatus,
} from '../../src/shared/gift-card';
import { AdminError, CloudError } from '../errors';
import type { Pool, PoolClient, Queryable } from '../db/pool';
import { withTransaction } from '../db/tx';
import { appendChanges, type Change } from './change-log';
import { upsertProduct } from './catalogue';
import { countEnrolAttempt, returnEnrolAttempt } from './enrolment';
import { isCloudNote, noteFactsOf, postMovements, type GiftCardMovement, type LedgerReason, type Posted } from './members';
import type { Write } from './mutation-kinds';
import type { RegisterContext } from './registers';
import { loadGiftRefundCaps } from './gift-refund-caps';
import type { LedgerExceptionFacts, LedgerNoteFacts } from '../hq/contract';
import {
  documentSpend,
  isRegisterSource,
  openRedemptionKey,
  recordRedemptionEntry,
  refundKey,
  settleRedemptionKey,
} from './online-redemption-keys';

/** The hash of a card's digits (the one rule: src/shared/gift-card.ts). */
export function hashGiftCardDigits(digits: string): string {
  return giftCardHash(digits, (password, salt, keylen, options) =>
    scryptSync(password, salt, keylen, { ...options, maxmem: 64 * 1024 * 1024 }),
  );
}

/** The hash of a code as typed or scanned; a malformed code is refused with why. */
export function hashGiftCardCode(code: string): string {
  const parsed = parseGiftCardCode(code);
  if (!parsed.ok)
    throw new CloudError(
      'BAD_REQUEST',
      parsed.problem === 'CHECK_DIGIT' ? 'That gift card code has a wrong check digit' : 'A gift card code is 19 digits',
    );
  return hashGiftCardDigits(parsed.digits);
}

/** 18 random digits and the check digit: 10^18 codes, a new card guessed once in ~10^14 tries of a 10,000-card batch. */
export function newGiftCardDigits(): string {
  let body = '';
  for (let i = 0; i < 18; i++) body += String(randomInt(10));
  return body + giftCardCheckDigit(body);
}

interface CardRow {
  id: number;
  code_hash: string;
  last4: string;
  status: GiftCardStatus;
  balance: string;
}

const CARD_COLUMNS = `g.id, g.code_hash, g.last4, g.status,
  coalesce((SELECT e.balance_after FROM ledger_account a JOIN LATERAL (
     SELECT balance_after FROM ledger_entry WHERE account_id = a.id ORDER BY id DESC LIMIT 1) e ON true
   WHERE a.gift_card_id = g.id), 0) AS balance`;

const feedOf = (r: CardRow): FeedGiftCard => ({ hash: r.code_hash, last4: r.last4, status: r.status, balance: Number(r.balance) });

/** Cards as registers pull them; all the merchant's when `ids` is omitted. */
export async function loadGiftCardFeed(db: Queryable, merchantId: number, ids?: number[]): Promise<FeedGiftCard[]> {
  const rows = (
    await db.query<CardRow>(
      `SELECT ${CARD_COLUMNS} FROM gift_card g WHERE g.merchant_id = $1 AND ($2::bigint[] IS NULL OR g.id = ANY($2::bigint[])) ORDER BY g.id`,
      [merchantId, ids ?? null],
    )
  ).rows;
  return rows.map(feedOf);
}

export async function giftCardChanges(db: Queryable, merchantId: number, ids: Iterable<number>): Promise<Change[]> {
  const unique = [...new Set(ids)].sort((a, b) => a - b);
  if (unique.length === 0) return [];
  return (await loadGiftCardFeed(db, merchantId, unique)).map((data) => ({ entity: 'gift_card', op: 'upsert', data }));
}

/** The product a sold card is a line of: made with the merchant's first batch (registers pull it). */
async function ensureGiftCardProduct(pool: Pool, merchantId: number, now: number): Promise<void> {
  const found = (await pool.query('SELECT 1 FROM product WHERE merchant_id = $1 AND sku = $2', [merchantId, GIFT_CARD_SKU])).rows[0];
  if (found) return;
  await upsertProduct(pool, merchantId, { sku: GIFT_CARD_SKU, nameZh: '禮品卡', nameEn: 'Gift card', taxClass: 'none', price: 0 }, now);
}

export interface IssuedCard {
  /** printed once, here: the cloud keeps only its hash */
  code: string;
  last4: string;
  status: GiftCardStatus;
  value: number;
}

/**
 * Head office issues `count` cards (admin CLI). Without a value they wait to be sold at a till;
 * with one (cents) they are vouchers, active at once with an `issue` entry. Answers the codes, the
 * only time they exist outside the printed cards.
 */
export async function issueGiftCards(
  pool: Pool,
  merchantId: number,
  input: { count: number; value: number; batch: string; source: string },
  now: number,
): Promise<IssuedCard[]> {
  if (!Number.isInteger(input.count) || input.count < 1 || input.count > 10_000)
    throw new AdminError('INVALID', 'count is 1 to 10,000 cards');
  if (!Number.isInteger(input.value) || input.value < 0 || input.value > 1_000_000)
    throw new AdminError('INVALID', 'value is cents, 0 (sold at the till) to 1,000,000');
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(input.batch)) throw new AdminError('INVALID', 'batch is 1 to 64 of A-Z a-z 0-9 . _ -');
  await ensureGiftCardProduct(pool, merchantId, now);
  const cards = Array.from({ length: input.count }, () => {
    const digits = newGiftCardDigits();
    return { digits, hash: hashGiftCardDigits(digits), last4: digits.slice(-4) };
  });
  return withTransaction(pool, async (client) => {
    const status: GiftCardStatus = input.value > 0 ? 'active' : 'issued';
    const ids = (
      await client.query<{ id: number }>(
        `INSERT INTO gift_card (merchant_id, code_hash, last4, status, batch, issued_at, activated_at, updated_at)
         SELECT $1, h, l, $4::text, $5, $6::timestamptz, CASE WHEN $4::text = 'active' THEN $6::timestamptz END, $6::timestamptz
         FROM unnest($2::text[], $3::text[]) AS t(h, l)
         RETURNING id`,
        [merchantId, cards.map((c) => c.hash), cards.map((c) => c.last4), status, input.batch, new Date(now)],
      )
    ).rows.map((r) => Number(r.id));
    if (input.value > 0) {
      await postMovements(
        client,
        ids.map((giftCardId, i) => ({
          merchantId,
          giftCardId,
          kind: 'gift' as const,
          amount: input.value,
          idemKey: `gift-issue:${cards[i]!.hash}`,
          reason: 'issue' as const,
          document: null,
          source: input.source,
          note: `batch ${input.batch}`,
          noteFacts: { case: 'issued_in_batch', batch: input.batch },
          whenShort: 'refuse' as const,
        })),
        now,
      );
    }
    await appendChanges(client, merchantId, await giftCardChanges(client, merchantId, ids), now);
    return cards.map((c) => ({ code: formatGiftCardCode(c.digits), last4: c.last4, status, value: input.value }));
  });
}

export interface GiftCardEntry {
  id: number;
  reason: LedgerReason;
  amount: number;
  balanceAfter: number;
  document: string | null;
  source: string;
  note: string | null;
  noteFacts: LedgerNoteFacts | null;
  /** `note` is the cloud's English line from before 0036 (isCloudNote): shown as it is, labelled for IT */
  cloudNote: boolean;
  overdraft: number;
  at: number;
}

export interface GiftCardDetail {
  id: number;
  last4: string;
  status: GiftCardStatus;
  balance: number;
  batch: string;
  issuedAt: number;
  soldOn: string | null;
  voidedAt: number | null;
  voidReason: string | null;
  /** a void the cloud wrote (a return at a till); null: a person's reason */
  voidFacts: LedgerNoteFacts | null;
  /** `voidReason` is the cloud's English line from before 0036 (a return's, isCloudNote) */
  voidReasonCloud: boolean;
  voidedBy: string | null;
  entries: GiftCardEntry[];
}

/** One card by its id (the console) or its hash (the CLI's lookup by code), with its ledger, newest first. */
export async function giftCardDetail(
  db: Queryable,
  merchantId: number,
  by: { id: number } | { hash: string },
): Promise<GiftCardDetail | null> {
  const row = (
    await db.query<
      CardRow & {
        batch: string;
        issued_at: Date;
        sold_on: string | null;
        voided_at: Date | null;
        void_reason: string | null;
        void_facts: unknown;
        voided_by: string | null;
      }
    >(
      `SELECT ${CARD_COLUMNS}, g.batch, g.issued_at, g.sold_on, g.voided_at, g.void_reason, g.void_facts, g.voided_by
       FROM gift_card g WHERE g.merchant_id = $1 AND ${'id' in by ? 'g.id = $2' : 'g.code_hash = $2'}`,
      [merchantId, 'id' in by ? by.id : by.hash],
    )
  ).rows[0];
  if (!row) return null;
  const entries = (
    await db.query<{
      id: number;
      reason: LedgerReason;
      amount: string;
      balance_after: string;
      document: string | null;
      source: string;
      note: string | null;
      note_facts: unknown;
      overdraft: string;
      created_at: Date;
    }>(
      `SELECT e.id, e.reason, e.amount, e.balance_after, e.document, e.source, e.note, e.note_facts, e.overdraft, e.created_at
       FROM ledger_account a JOIN ledger_entry e ON e.account_id = a.id WHERE a.gift_card_id = $1 ORDER BY e.id DESC LIMIT 200`,
      [row.id],
    )
  ).rows;
  return {
    id: Number(row.id),
    last4: row.last4,
    status: row.status,
    balance: Number(row.balance),
    batch: row.batch,
    issuedAt: row.issued_at.getTime(),
    soldOn: row.sold_on,
    voidedAt: row.voided_at?.getTime() ?? null,
    voidReason: row.void_reason,
    voidFacts: noteFactsOf(row.void_facts),
    voidReasonCloud: isCloudNote(row.void_reason, noteFactsOf(row.void_facts), 'void', row.voided_by),
    voidedBy: row.voided_by,
    entries: entries.map((e) => ({
      id: Number(e.id),
      reason: e.reason,
      amount: Number(e.amount),
      balanceAfter: Number(e.balance_after),
      document: e.document,
      source: e.source,
      note: e.note,
      noteFacts: noteFactsOf(e.note_facts),
      cloudNote: isCloudNote(e.note, noteFactsOf(e.note_facts), e.reason, e.source),
      overdraft: Number(e.overdraft),
      at: e.created_at.getTime(),
    })),
  };
}

export interface GiftCardListed {
  id: number;
  last4: string;
  status: GiftCardStatus;
  balance: number;
  batch: string;
  issuedAt: number;
}

/** Cards, newest first: all, or those whose last 4 (or batch) match `q`, one page and whether more follow. */
export async function searchGiftCards(
  db: Queryable,
  merchantId: number,
  q: string,
  page: { offset: number; limit: number },
): Promise<{ cards: GiftCardListed[]; hasMore: boolean }> {
  const text = q.trim();
  const rows = (
    await db.query<CardRow & { batch: string; issued_at: Date }>(
      `SELECT ${CARD_COLUMNS}, g.batch, g.issued_at FROM gift_card g
       WHERE g.merchant_id = $1 AND ($2 = '' OR g.last4 = right($2, 4) OR g.batch = $2)
       ORDER BY g.id DESC OFFSET $3 LIMIT $4`,
      [merchantId, text, page.offset, page.limit + 1],
    )
  ).rows;
  return {
    cards: rows.slice(0, page.limit).map((r) => ({
      id: Number(r.id),
      last4: r.last4,
      status: r.status,
      balance: Number(r.balance),
      batch: r.batch,
      issuedAt: r.issued_at.getTime(),
    })),
    hasMore: rows.length > page.limit,
  };
}

/** What a void did, for the audit entry written in its transaction. */
export interface Voided {
  id: number;
  last4: string;
  balanceBefore: number;
  reason: string;
}

/** Sets a card void and takes its balance off (a `void` entry); answers what it took. Under the card's row lock. */
async function voidCard(
  client: PoolClient,
  merchantId: number,
  card: { id: number },
  input: {
    reason: string;
    /** a reason the cloud writes (a return at a till), for the reader's language; none: a person's */
    facts?: LedgerNoteFacts;
    by: string;
    idemKey: string;
    document: string | null;
    source: string;
  },
  now: number,
): Promise<{ balanceBefore: number; wasVoid: boolean }> {
  const row = (
    await client.query<{ status: GiftCardStatus }>('SELECT status FROM gift_card WHERE id = $1 AND merchant_id = $2 FOR UPDATE', [
      card.id,
      merchantId,
    ])
  ).rows[0];
  if (!row) throw new CloudError('NOT_FOUND', 'No such gift card');
  const [feed] = await loadGiftCardFeed(client, merchantId, [card.id]);
  const balance = feed?.balance ?? 0;
  if (row.status !== 'void') {
    await client.query(
      "UPDATE gift_card SET status = 'void', voided_at = $2, void_reason = $3, voided_by = $4, void_facts = $5, updated_at = $2 WHERE id = $1",
      [card.id, new Date(now), input.reason.slice(0, 200), input.by.slice(0, 200), input.facts ? JSON.stringify(input.facts) : null],
    );
  }
  if (balance > 0) {
    await postMovements(
      client,
      [
        {
          merchantId,
          giftCardId: card.id,
          kind: 'gift',
          amount: -balance,
          idemKey: input.idemKey,
          reason: 'void',
          document: input.document,
          source: input.source,
          note: input.reason.slice(0, 200),
          ...(input.facts ? { noteFacts: input.facts } : {}),
          whenShort: 'record',
          acceptEarlier: true,
        },
      ],
      now,
    );
  }
  return { balanceBefore: balance, wasVoid: row.status === 'void' };
}

/**
 * Head office voids a card (the console, the CLI): refused everywhere from the registers' next pull,
 * its balance taken off with a `void` entry. `audit` runs in the same transaction.
 */
export async function voidGiftCard(
  pool: Pool,
  merchantId: number,
  input: { id: number; reason: string; by: string },
  now: number,
  audit?: (client: PoolClient, done: Voided) => Promise<void>,
): Promise<GiftCardDetail> {
  if (input.reason.trim().length === 0) throw new AdminError('USAGE', 'A void needs a reason');
  await withTransaction(pool, async (client) => {
    const card = (
      await client.query<{ id: number; last4: string }>('SELECT id, last4 FROM gift_card WHERE id = $1 AND merchant_id = $2', [
        input.id,
        merchantId,
      ])
    ).rows[0];
    if (!card) throw new AdminError('NOT_FOUND', 'No such gift card');
    const done = await voidCard(
      client,
      merchantId,
      { id: Number(card.id) },
      { reason: input.reason.trim(), by: input.by, idemKey: `gift-void:${card.id}`, document: null, source: input.by },
      now,
    );
    if (done.wasVoid) throw new AdminError('CONFLICT', 'That gift card is already void');
    await appendChanges(client, merchantId, await giftCardChanges(client, merchantId, [Number(card.id)]), now);
    await audit?.(client, { id: Number(card.id), last4: card.last4, balanceBefore: done.balanceBefore, reason: input.reason.trim() });
  });
  return (await giftCardDetail(pool, merchantId, { id: input.id })) as GiftCardDetail;
}

/** Card ids by hash (a batch's documents). */
async function cardsByHash(
  db: Queryable,
  merchantId: number,
  hashes: string[],
): Promise<Map<string, { id: number; status: GiftCardStatus; last4: string }>> {
  if (hashes.length === 0) return new Map();
  const rows = (
    await db.query<{ id: number; code_hash: string; status: GiftCardStatus; last4: string }>(
      'SELECT id, code_hash, status, last4 FROM gift_card WHERE merchant_id = $1 AND code_hash = ANY($2::text[])',
      [merchantId, [...new Set(hashes)]],
    )
  ).rows;
  return new Map(rows.map((r) => [r.code_hash, { id: Number(r.id), status: r.status, last4: r.last4 }]));
}

async function recordCardProblem(
  client: Queryable,
  merchantId: number,
  giftCardId: number | null,
  document: string,
  facts: Extract<LedgerExceptionFacts, { case: `gift_card_${string}` }>,
  detail: string,
  now: number,
): Promise<void> {
  await client.query(
    `INSERT INTO ledger_exception (merchant_id, kind, amount, document, detail, created_at, gift_card_id, facts)
     VALUES ($1, 'gift_card', 0, $2, $3, $4, $5, $6)`,
    [merchantId, document, detail, new Date(now), giftCardId, JSON.stringify(facts)],
  );
}

/** A return paid back to a card more than its original sale paid with it: only that much was credited, and a person looks at why. */
async function recordCardRefundBeyondPaid(
  client: Queryable,
  merchantId: number,
  card: { id: number; last4: string },
  d: Extract<Write, { type: 'document' }>,
  paidBack: number,
  credited: number,
  now: number,
): Promise<void> {
  const last4 = card.last4;
  const original = d.sale.originalReceiptNo;
  const facts: LedgerExceptionFacts = {
    case: 'gift_card_refund_beyond_paid',
    last4,
    paidBack,
    credited,
    why: original === null ? 'no_original' : 'original_paid_less',
    originalReceiptNo: original,
  };
  const why =
    original === null ? 'it names no original sale' : `the original ${original} paid ${credited} cents with it that was not yet given back`;
  // once per document and card, however often the document is pushed again
  await client.query(
    `INSERT INTO ledger_exception (merchant_id, kind, amount, document, detail, created_at, gift_card_id, facts)
     SELECT $1, 'gift_card', $2, $3, $4, $5, $6, $7
     WHERE NOT EXISTS (SELECT 1 FROM ledger_exception WHERE merchant_id = $1 AND kind = 'gift_card' AND document = $3 AND gift_card_id = $6
                         AND facts->>'case' = 'gift_card_refund_beyond_paid')`,
    [
      merchantId,
      paidBack - credited,
      d.sale.receiptNo,
      `Return ${d.sale.receiptNo} paid back ${paidBack} cents to gift card **** ${last4}; ${why}: only ${credited} cents were credited`,
      new Date(now),
      card.id,
      JSON.stringify(facts),
    ],
  );
}

/** The batch's gift card lines and payments, in document order; answers the ids of the cards it changed. */
export async function applyGiftCardWrites(
  client: PoolClient,
  register: RegisterContext,
  writes: readonly Write[],
  now: number,
): Promise<number[]> {
  const documents = writes.flatMap((w) =>
    w.type === 'document' && (w.giftCardLines.length > 0 || w.storedValue.some((u) => u.kind === 'gift')) ? [w] : [],
  );
  if (documents.length === 0) return [];
  const merchantId = register.merchantId;
  const source = `register:${register.registerId}`;
  const hashes = documents.flatMap((d) => [
    ...d.giftCardLines.map((l) => l.card.hash),
    ...d.storedValue.flatMap((u) => (u.cardHash ? [u.cardHash] : [])),
  ]);
  const cards = await cardsByHash(client, merchantId, hashes);
  const caps = await loadGiftRefundCaps(
    client,
    merchantId,
    documents.flatMap((d) =>
      d.sale.originalReceiptNo !== null && d.storedValue.some((u) => u.kind === 'gift' && u.value < 0) ? [d.sale.originalReceiptNo] : [],
    ),
  );
  const touched: number[] = [];
  const receiptNo = (d: (typeof documents)[number]) => d.sale.receiptNo;
  // refund keys given in this batch (refundKey)
  const refundKeys = new Map<string, string>();
  for (const d of documents) {
    // 1. cards sold (activated with their load) and taken back (voided)
    for (const line of d.giftCardLines) {
      const card = cards.get(line.card.hash);
      if (!card) {
        await recordCardProblem(
          client,
          merchantId,
          null,
          receiptNo(d),
          { case: 'gift_card_not_issued', last4: line.card.last4 },
          `Document ${receiptNo(d)} names gift card **** ${line.card.last4}, which this cloud did not issue`,
          now,
        );
        continue;
      }
      touched.push(card.id);
      if (line.sold) {
        const idemKey = `doc:${receiptNo(d)}:gift:${line.position}`;
        const replay = (await client.query('SELECT 1 FROM ledger_entry WHERE merchant_id = $1 AND idem_key = $2', [merchantId, idemKey]))
          .rows[0];
        if (replay) continue;
        const status = (await client.query<{ status: GiftCardStatus }>('SELECT status FROM gift_card WHERE id = $1 FOR UPDATE', [card.id]))
          .rows[0]?.status;
        if (status === 'issued') {
          await client.query("UPDATE gift_card SET status = 'active', sold_on = $2, activated_at = $3, updated_at = $3 WHERE id = $1", [
            card.id,
            receiptNo(d),
            new Date(now),
          ]);
        } else {
          // paid for at the till: loaded all the same, and a person looks at why
          await recordCardProblem(
            client,
            merchantId,
            card.id,
            receiptNo(d),
            { case: 'gift_card_sold_while', last4: line.card.last4, status: status === 'void' ? 'void' : 'active' },
            `Gift card **** ${line.card.last4} was sold on ${receiptNo(d)} while it was ${status === 'void' ? 'void' : 'already active'}`,
            now,
          );
        }
        await postMovements(
          client,
          [
            {
              merchantId,
              giftCardId: card.id,
              kind: 'gift',
              amount: line.card.value,
              idemKey,
              reason: 'issue',
              document: receiptNo(d),
              source,
              whenShort: 'record',
            },
          ],
          now,
        );
      } else {
        const done = await voidCard(
          client,
          merchantId,
          card,
          {
            reason: `returned on ${receiptNo(d)}`,
            facts: { case: 'returned_on', receiptNo: receiptNo(d) },
            by: source,
            idemKey: `doc:${receiptNo(d)}:gift-void:${line.position}`,
            document: receiptNo(d),
            source,
          },
          now,
        );
        if (!done.wasVoid && done.balanceBefore < line.card.value) {
          await recordCardProblem(
            client,
            merchantId,
            card.id,
            receiptNo(d),
            { case: 'gift_card_refund_over', last4: line.card.last4, refunded: line.card.value, left: done.balanceBefore },
            `Gift card **** ${line.card.last4} was refunded on ${receiptNo(d)} for ${line.card.value} cents with only ${done.balanceBefore} left on it`,
            now,
          );
        }
      }
    }
    // 2. what the document paid with its cards (or paid back to them): recorded, an overspend listed;
    //    a refund to a card is cut to what the original sale paid with it (gift-refund-caps.ts)
    const movements: GiftCardMovement[] = [];
    for (const use of d.storedValue) {
      if (use.kind !== 'gift' || !use.cardHash) continue;
      const card = cards.get(use.cardHash);
      if (!card) {
        await recordCardProblem(
          client,
          merchantId,
          null,
          receiptNo(d),
          { case: 'gift_card_paid_not_issued' },
          `Document ${receiptNo(d)} paid with a gift card this cloud did not issue`,
          now,
        );
        continue;
      }
      touched.push(card.id);
      let value = use.value;
      if (value < 0) {
        const cap = caps.take(d.sale.originalReceiptNo, receiptNo(d), use.cardHash, -value);
        if (cap < -value) await recordCardRefundBeyondPaid(client, merchantId, card, d, -value, cap, now);
        if (cap === 0) continue;
        value = -cap;
      }
      const key = `register:${register.registerId}:${use.key}`;
      const movement: GiftCardMovement = {
        merchantId,
        giftCardId: card.id,
        kind: 'gift',
        amount: -value,
        idemKey: key,
        reason: value > 0 ? 'redeem' : 'refund',
        document: receiptNo(d),
        source,
        whenShort: 'record',
      };
      // a spend the till redeemed online is settled by this document (online-redemption-keys.ts)
      if (value < 0) movements.push({ ...movement, idemKey: await refundKey(client, merchantId, key, receiptNo(d), refundKeys) });
      else
        movements.push(
          ...documentSpend(movement, await settleRedemptionKey(client, merchantId, key, source, receiptNo(d), now), -use.value),
        );
    }
    await postMovements(client, movements, now);
  }
  return touched;
}

/**
 * A till online asks before it takes a card (POST /v1/gift-cards/redeem): refused for a card that
 * is not active, and beyond its balance, under the account's lock. A replay of the key answers the
 * entry already made.
 */
export async function redeemGiftCard(
  pool: Pool,
  input: { merchantId: number; hash: string; value: number; idemKey: string; source: string; document?: string | null },
  now: number,
): Promise<Posted & { status: GiftCardStatus; version: number | null }> {
  return withTransaction(pool, async (client) => {
    const card = (
      await client.query<{ id: number; status: GiftCardStatus }>(
        'SELECT id, status FROM gift_card WHERE merchant_id = $1 AND code_hash = $2 FOR UPDATE', // a void at the same time waits, or is seen
        [input.merchantId, input.hash],
      )
    ).rows[0];
    if (!card) throw new CloudError('NOT_FOUND', 'No such gift card');
    const tracked = isRegisterSource(input.source);
    if (tracked) await openRedemptionKey(client, input.merchantId, input.idemKey, input.source, now);
    const replay = (
      await client.query('SELECT 1 FROM ledger_entry WHERE merchant_id = $1 AND idem_key = $2', [input.merchantId, input.idemKey])
    ).rows[0];
    if (card.status !== 'active' && !replay) {
      throw new CloudError('GIFT_CARD_UNUSABLE', `The gift card is ${card.status}`, { status: card.status });
    }
    const [posted] = await postMovements(
      client,
      [
        {
          merchantId: input.merchantId,
          giftCardId: Number(card.id),
          kind: 'gift',
          amount: -input.value,
          idemKey: input.idemKey,
          reason: 'redeem',
          document: input.document ?? null,
          source: input.source,
          whenShort: 'refuse',
        },
      ],
      now,
    );
    if (tracked && posted) await recordRedemptionEntry(client, input.merchantId, input.idemKey, posted.entryId);
    // the card's change, and its version: the till keeps the balance as of it, so a pull read before
    // this redemption cannot put the older balance back (a replay answers no version: it wrote none)
    const version = posted?.replayed
      ? null
      : await appendChanges(client, input.merchantId, await giftCardChanges(client, input.merchantId, [Number(card.id)]), now);
    return { ...(posted as Posted), status: card.status, version };
  });
}

/**
 * A caller spends a card online (a till: POST /v1/gift-cards/redeem; the online shop: POST
 * /v1/shop/gift-cards/redeem): the one owner of both. One guess of the caller (asGiftCardGuess: the
 * card named by `hash`, worked out inside it, so a malformed code costs nothing and a wrong one a
 * token), then the redemption under the card's lock, keyed `<keyPrefix>:<idempotencyKey>`. `named`:
 * the entry's document is that key (the shop's refunds find their redemption by it); a till's
 * redemption has none (its sale's document settles it, or the till releases it).
 */
export async function redeemGiftCardAs(
  pool: Pool,
  caller: { merchantId: number; source: string; keyPrefix: string },
  input: { hash: () => string; value: number; idempotencyKey: string; named: boolean },
  now: number,
): Promise<Posted & { status: GiftCardStatus; version: number | null }> {
  const idemKey = `${caller.keyPrefix}:${input.idempotencyKey}`;
  return asGiftCardGuess(pool, caller.source, now, () =>
    redeemGiftCard(
      pool,
      {
        merchantId: caller.merchantId,
        hash: input.hash(),
        value: input.value,
        idemKey,
        source: caller.source,
        document: input.named ? idemKey : null,
      },
      now,
    ),
  );
}

/**
 * The online shop gives back (part of) what one of its redemptions took (an order cancelled or
 * returned): to the same card, never more than that redemption took less its earlier refunds, and
 * not to a void card (the shop pays that customer back another way). Under the card's lock, so
 * refunds sent at once cannot together give back more.
 */
export async function refundShopGiftCard(
  pool: Pool,
  input: { merchantId: number; keyId: number; redemptionKey: string; value: number; idempotencyKey: string; source: string },
  now: number,
): Promise<Posted & { last4: string }> {
  const ref = `shop:${input.keyId}:${input.redemptionKey}`;
  const idemKey = `shop:${input.keyId}:${input.idempotencyKey}`;
  return withTransaction(pool, async (client) => {
    const redemption = (
      await client.query<{ gift_card_id: string }>(
        `SELECT a.gift_card_id FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id
         WHERE e.merchant_id = $1 AND e.idem_key = $2 AND e.reason = 'redeem' AND a.gift_card_id IS NOT NULL`,
        [input.merchantId, ref],
      )
    ).rows[0];
    if (!redemption) throw new CloudError('NOT_FOUND', 'No gift card redemption with that key from this shop key');
    const cardId = Number(redemption.gift_card_id);
    // 1. the card locked first (as a redemption and a void take it): a void at the same time waits, or is seen
    const card = (
      await client.query<{ status: GiftCardStatus; last4: string }>('SELECT status, last4 FROM gift_card WHERE id = $1 FOR UPDATE', [
        cardId,
      ])
    ).rows[0] as { status: GiftCardStatus; last4: string };
    const replay = (await client.query('SELECT 1 FROM ledger_entry WHERE merchant_id = $1 AND idem_key = $2', [input.merchantId, idemKey]))
      .rows[0];
    if (!replay) {
      if (card.status !== 'active') throw new CloudError('GIFT_CARD_UNUSABLE', `The gift card is ${card.status}`, { status: card.status });
      // 2. what the redemption took, less what its refunds gave back
      const left = -Number(
        (
          await client.query<{ total: string }>(
            'SELECT coalesce(sum(amount), 0) AS total FROM ledger_entry WHERE merchant_id = $1 AND document = $2',
            [input.merchantId, ref],
          )
        ).rows[0]?.total ?? 0,
      );
      if (input.value > left)
        throw new CloudError('INSUFFICIENT_BALANCE', `At most ${left} cents of that redemption can go back to the card`, {
          refundable: left,
        });
    }
    const [posted] = await postMovements(
      client,
      [
        {
          merchantId: input.merchantId,
          giftCardId: cardId,
          kind: 'gift',
          amount: input.value,
          idemKey,
          reason: 'refund',
          document: ref,
          source: input.source,
          whenShort: 'record',
        },
      ],
      now,
    );
    if (!posted?.replayed) await appendChanges(client, input.merchantId, await giftCardChanges(client, input.merchantId, [cardId]), now);
    return { ...(posted as Posted), last4: card.last4 };
  });
}

/**
 * Wrong gift card codes one caller (a register, a shop key) may try: GUESS_BURST at once, then the
 * bucket refills over GUESS_PERIOD_MS. A till's real look-ups of cards it has not pulled yet are
 * a handful a day; a code that exists costs nothing.
 */
export const GIFT_CARD_GUESS_BURST = 20;
export const GIFT_CARD_GUESS_PERIOD_MS = 600_000;

/**
 * Runs `work` (which names a card by hash) as one guess of `caller` (`register:<id>`): refused
 * RATE_LIMITED before anything is read when the caller's bucket is empty, decided by one atomic
 * statement, so requests sent at once cannot all pass a check made before any of them counted. The
 * token comes back unless `work` found no such card (NOT_FOUND).
 */
export async function asGiftCardGuess<T>(pool: Pool, caller: string, now: number, work: () => Promise<T>): Promise<T> {
  const bucket = `gift-card-guess:${caller}`;
  await countEnrolAttempt(pool, bucket, GIFT_CARD_GUESS_BURST, now, 'gift card look-up', {
    periodMs: GIFT_CARD_GUESS_PERIOD_MS,
    from: caller.startsWith('register:') ? 'this register' : 'this key',
  });
  let found = true;
  try {
    return await work();
  } catch (error) {
    if (error instanceof CloudError && error.code === 'NOT_FOUND') found = false;
    throw error;
  } finally {
    if (found) await returnEnrolAttempt(pool, bucket, GIFT_CARD_GUESS_BURST);
  }
}

/**
 * A card by its hash as registers pull it (POST /v1/gift-cards/lookup), or NOT_FOUND, with the
 * change-log version it is as of: read in the same statement (one snapshot), so every change up to
 * that version is in the card (versions commit in order: change-log.ts).
 */
export async function lookupGiftCard(db: Queryable, merchantId: number, hash: string): Promise<{ card: FeedGiftCard; version: number }> {
  const row = (
    await db.query<CardRow & { version: string }>(
      `SELECT ${CARD_COLUMNS}, (SELECT last_version FROM change_counter WHERE merchant_id = $1) AS version
       FROM gift_card g WHERE g.merchant_id = $1 AND g.code_hash = $2`,
      [merchantId, hash],
    )
  ).rows[0];
  if (!row) throw new CloudError('NOT_FOUND', 'No such gift card');
  return { card: feedOf(row), version: Number(row.version) };
}
