/**
 * Online redemptions that never become a sale (issue 13): the till asks the cloud to take points,
 * store credit or a gift card before the sale is written. When the cloud took it but the sale does
 * not follow (the answer was cut after the cloud committed and the offline bound then refused, the
 * cashier removed the tender and paid another way, the sale was voided), the register releases the
 * redemption through its outbox and the cloud gives the money back with a `release` row (append-only),
 * exactly once however often the push is cut and retried. A redemption that is neither settled by a
 * sale nor released is listed on the ledger exceptions after a bound, never silent.
 *
 * Real registers (SQLite), the real cloud (PostgreSQL), the fault proxy cutting answers after commit.
 */
import { describe, expect, it } from 'vitest';
import { listLedgerExceptions } from '../../../cloud/domain/ledger-exceptions';
import { adjustBalance, redeem, setRules } from '../../../cloud/domain/members';
import { giftCardDetail, hashGiftCardCode, issueGiftCards, voidGiftCard } from '../../../cloud/domain/gift-cards';
import { upsertMember } from '../../../cloud/domain/catalogue';
import { flagOpenRedemptions, OPEN_REDEMPTION_BOUND_MS } from '../../../cloud/domain/online-redemptions';
import { withTransaction } from '../../../cloud/db/tx';
import type { Cart, Receipt } from '../../../src/shared/checkout-schemas';
import type { GiftCardView } from '../../../src/shared/gift-card';
import { GIFT_CARD_METHOD } from '../../../src/shared/gift-card';
import type { MemberFindResult } from '../../../src/shared/member-schemas';
import type { RegisterMemberRulesView } from '../../../src/shared/member-rules';
import { STORED_VALUE_METHOD } from '../../../src/shared/stored-value';
import type { Register } from '../../../src/main/register';
import { openDatabase } from '../../../src/main/db/open';
import { MILK_TEA, call, createCloudShop, enrol, enrolmentCode, eventually, loginManager, syncStatus, useSyncRig } from './helpers';
import type { HealthReport } from '../../../src/shared/diagnostics-schemas';
import { startFaultProxy, type FaultProxy } from './fault-proxy';

const { database, server, openRegister } = useSyncRig();

type Shop = Awaited<ReturnType<typeof createCloudShop>>;

let members = 0;
/** A shop with one member (2,000 points, HK$50.00 of credit) and one voucher worth HK$100.00. */
async function shop(rules: { offlineLimitCents: number }): Promise<{ shop: Shop; member: string; card: string }> {
  const pool = database().pool;
  const s = await createCloudShop(pool);
  members += 1;
  const member = `RL${members}`;
  await upsertMember(
    pool,
    s.merchantId,
    { code: member, name: '陳大文', phone: `9123 41${String(members).padStart(2, '0')}`, tier: 'standard' },
    Date.now(),
  );
  await adjustBalance(
    pool,
    s.merchantId,
    { memberCode: member, kind: 'points', amount: 2_000, reason: 'opening', ref: `${member}-p` },
    Date.now(),
  );
  await adjustBalance(
    pool,
    s.merchantId,
    { memberCode: member, kind: 'credit', amount: 5_000, reason: 'opening', ref: `${member}-c` },
    Date.now(),
  );
  await withTransaction(pool, (client) => setRules(client, s.merchantId, rules, Date.now()));
  const [card] = await issueGiftCards(pool, s.merchantId, { count: 1, value: 10_000, batch: 'release', source: 'admin' }, Date.now());
  return { shop: s, member, card: (card as { code: string }).code };
}

/** An account's ledger at the cloud (reason, amount), its balance checked to be the sum of its rows. */
async function ledger(
  by: { member: string; kind: 'points' | 'credit' } | { card: string },
): Promise<{ balance: number; rows: [string, number][] }> {
  const rows = (
    await database().pool.query<{ reason: string; amount: string; balance_after: string }>(
      'card' in by
        ? `SELECT e.reason, e.amount, e.balance_after FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id
           JOIN gift_card g ON g.id = a.gift_card_id WHERE g.code_hash = $1 ORDER BY e.id`
        : `SELECT e.reason, e.amount, e.balance_after FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id
           JOIN member m ON m.id = a.member_id WHERE m.code = $1 AND a.kind = $2 ORDER BY e.id`,
      'card' in by ? [hashGiftCardCode(by.card)] : [by.member, by.kind],
    )
  ).rows;
  const sum = rows.reduce((total, r) => total + Number(r.amount), 0);
  const balance = Number(rows.at(-1)?.balance_after ?? 0);
  expect(balance).toBe(sum);
  return { balance, rows: rows.map((r) => [r.reason, Number(r.amount)]) };
}

async function enrolled(s: Shop, member: string, cloudUrl: string, offlineLimitCents: number) {
  const r = await openRegister();
  await enrol(r.register, cloudUrl, await enrolmentCode(database().pool, s.store));
  await eventually(
    () => call<MemberFindResult>(r.register, 'member:find', { query: member }),
    (f) => f.member?.storeCredit === 5_000,
    'the member and balances in the pull',
  );
  await eventually(
    () => call<RegisterMemberRulesView>(r.register, 'member:rules'),
    (rules) => rules.source === 'cloud' && rules.offlineLimitCents === offlineLimitCents,
    'the rules in the pull',
  );
  return r;
}

const drained = (register: Register) =>
  eventually(
    () => syncStatus(register),
    (s) => s.pending === 0,
    'the queue to drain',
  );

/** Pushes what is queued through a link that cuts every answer after the cloud committed, then drains it. */
async function pushThroughCuts(register: Register, proxy: FaultProxy): Promise<void> {
  const before = proxy.requests.filter((r) => r.method === 'POST' && r.path.includes('mutations')).length;
  proxy.setMode('faulty');
  await call(register, 'sync:now');
  await eventually(
    async () => proxy.requests.filter((r) => r.method === 'POST' && r.path.includes('mutations')).length,
    (n) => n >= before + 2,
    'the push sent twice',
  );
  proxy.setMode('pass');
  await call(register, 'sync:now');
  await drained(register);
}

/** What the register's SQLite says of its redemptions. */
function registerRedemptions(dir: string): { kind: string; outcome: string; receipt_no: string | null }[] {
  const db = openDatabase(`${dir}/register.db`, { checkIntegrity: false });
  try {
    return db.prepare('SELECT kind, outcome, receipt_no FROM stored_value_redemption ORDER BY id').all() as {
      kind: string;
      outcome: string;
      receipt_no: string | null;
    }[];
  } finally {
    db.close();
  }
}

describe('online redemptions released when no sale follows', () => {
  it('a gift card: the answer cut after the cloud took it, the offline bound refuses, the sale voided: released once, the card whole', async () => {
    const { shop: s, member, card } = await shop({ offlineLimitCents: 0 });
    const port = Number(new URL(server.base).port);
    const proxy = await startFaultProxy(port, { resetRate: 0, hangRate: 0, cutEvery: 1 });
    try {
      const { register, dir } = await enrolled(s, member, proxy.url, 0);
      const view = await call<GiftCardView>(register, 'gift:find', { code: card });
      const cart = await call<Cart>(register, 'cart:scan', { code: MILK_TEA.barcode });
      // every answer is cut after the cloud committed: the till never hears that the card paid
      proxy.setMode('faulty');
      const paid = await register.dispatch('sale:complete', {
        cartId: cart.id,
        tenders: [
          { method: GIFT_CARD_METHOD, amount: 1_500, reference: view.id },
          { method: 'cash', amount: cart.total - 1_500 },
        ],
      });
      proxy.setMode('pass');
      // no answer, and offline this till may take nothing (limit 0): no sale
      expect(paid).toMatchObject({ ok: false, error: { code: 'GIFT_CARD_OFFLINE_LIMIT' } });
      // … but the cloud took it
      expect((await ledger({ card })).rows).toEqual([
        ['issue', 10_000],
        ['redeem', -1_500],
      ]);
      // the cashier gives up on the sale
      await call(register, 'cart:void', { reason: 'customer left' });
      await pushThroughCuts(register, proxy);
      expect(await ledger({ card })).toEqual({
        balance: 10_000,
        rows: [
          ['issue', 10_000],
          ['redeem', -1_500],
          ['release', 1_500],
        ],
      });
      expect(registerRedemptions(dir)).toEqual([{ kind: 'gift', outcome: 'released', receipt_no: null }]);
      // what the cloud noted on each movement, as facts the console words in the reader's language
      const detail = await giftCardDetail(database().pool, s.merchantId, { hash: hashGiftCardCode(card) });
      expect(detail?.entries.map((e) => [e.reason, e.noteFacts])).toEqual([
        ['release', { case: 'released_by_register', why: 'completion-failed' }],
        ['redeem', null],
        ['issue', { case: 'issued_in_batch', batch: 'release' }],
      ]);
      // pushed again: nothing twice
      await call(register, 'sync:now');
      await drained(register);
      expect((await ledger({ card })).balance).toBe(10_000);
      expect(await listLedgerExceptions(database().pool, s.merchantId, null, 'open', Date.now() + 2 * OPEN_REDEMPTION_BOUND_MS)).toEqual(
        [],
      );
    } finally {
      await proxy.close();
    }
  });

  it('points taken, then a card head office voided a moment ago refused: the cashier removes both and pays cash; the points go back', async () => {
    const { shop: s, member, card } = await shop({ offlineLimitCents: 50_000 });
    const { register, dir } = await enrolled(s, member, server.base, 50_000);
    const view = await call<GiftCardView>(register, 'gift:find', { code: card });
    await call<Cart>(register, 'cart:set-member', { code: member });
    const cart = await call<Cart>(register, 'cart:scan', { code: MILK_TEA.barcode });
    // head office voids the card; this till may not have pulled that yet (then the cloud refuses it)
    const cardId = (await database().pool.query<{ id: string }>('SELECT id FROM gift_card WHERE code_hash = $1', [hashGiftCardCode(card)]))
      .rows[0]?.id;
    await voidGiftCard(database().pool, s.merchantId, { id: Number(cardId), reason: 'lost', by: 'admin' }, Date.now());
    // the cloud takes HK$10.00 of points, then the card is refused: no sale
    const refused = await register.dispatch('sale:complete', {
      cartId: cart.id,
      tenders: [
        { method: STORED_VALUE_METHOD.points, amount: 1_000 },
        { method: GIFT_CARD_METHOD, amount: 500, reference: view.id },
        { method: 'cash', amount: cart.total - 1_500 },
      ],
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'GIFT_CARD_VOID' } });
    // the tenders removed: cash
    const receipt = await call<Receipt>(register, 'sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: cart.total }] });
    await drained(register);
    const earned = Math.floor(receipt.total / 100);
    expect(await ledger({ member, kind: 'points' })).toEqual({
      balance: 2_000 + earned,
      rows: [
        ['adjust', 2_000],
        ['redeem', -1_000],
        ['release', 1_000],
        ['earn', earned],
      ],
    });
    expect(registerRedemptions(dir).filter((r) => r.kind === 'points')).toEqual([
      { kind: 'points', outcome: 'released', receipt_no: null },
    ]);
  });

  it('the answer cut and the sale completed with it (same key): the document settles the redemption once, nothing released', async () => {
    const { shop: s, member } = await shop({ offlineLimitCents: 50_000 });
    const port = Number(new URL(server.base).port);
    const proxy = await startFaultProxy(port, { resetRate: 0, hangRate: 0, cutEvery: 1 });
    try {
      const { register, dir } = await enrolled(s, member, proxy.url, 50_000);
      const cart = await call<Cart>(register, 'cart:set-member', { code: member });
      await call<Cart>(register, 'cart:scan', { code: MILK_TEA.barcode });
      proxy.setMode('faulty');
      const receipt = await call<Receipt>(register, 'sale:complete', {
        cartId: cart.id,
        tenders: [
          { method: STORED_VALUE_METHOD.credit, amount: 1_000 },
          { method: 'cash', amount: 800 },
        ],
      });
      proxy.setMode('pass');
      // the till did not hear the cloud: its own bound decided, under the same key
      expect(receipt.payments[0]?.storedValue).toMatchObject({ decidedBy: 'register', units: -1_000 });
      await pushThroughCuts(register, proxy);
      expect(await ledger({ member, kind: 'credit' })).toEqual({
        balance: 4_000,
        rows: [
          ['adjust', 5_000],
          ['redeem', -1_000],
        ],
      });
      expect(registerRedemptions(dir)).toEqual([{ kind: 'credit', outcome: 'settled', receipt_no: receipt.receiptNo }]);
      expect(await listLedgerExceptions(database().pool, s.merchantId, null, 'open', Date.now() + 2 * OPEN_REDEMPTION_BOUND_MS)).toEqual(
        [],
      );
    } finally {
      await proxy.close();
    }
  });

  it('a redemption that reaches the cloud after the sale carrying its key (the till heard nothing and decided) is settled, never open', async () => {
    const { shop: s, member } = await shop({ offlineLimitCents: 50_000 });
    const pool = database().pool;
    const port = Number(new URL(server.base).port);
    const proxy = await startFaultProxy(port, { resetRate: 0, hangRate: 0, cutEvery: 0 });
    try {
      const { register } = await enrolled(s, member, proxy.url, 50_000);
      const cart = await call<Cart>(register, 'cart:set-member', { code: member });
      await call<Cart>(register, 'cart:scan', { code: MILK_TEA.barcode });
      proxy.setMode('offline');
      const receipt = await call<Receipt>(register, 'sale:complete', {
        cartId: cart.id,
        tenders: [
          { method: STORED_VALUE_METHOD.credit, amount: 1_000 },
          { method: 'cash', amount: 800 },
        ],
      });
      expect(receipt.payments[0]?.storedValue).toMatchObject({ decidedBy: 'register', units: -1_000 });
      proxy.setMode('pass');
      await call(register, 'sync:now');
      await drained(register);
      // the document came first: it made the key's row, settled by this receipt
      const keys = (
        await pool.query<{ idem_key: string; source: string; settled_document: string | null }>(
          'SELECT idem_key, source, settled_document FROM online_redemption WHERE merchant_id = $1',
          [s.merchantId],
        )
      ).rows;
      expect(keys).toEqual([
        { idem_key: expect.stringMatching(/^register:/), source: expect.stringMatching(/^register:/), settled_document: receipt.receiptNo },
      ]);
      const key = keys[0] as { idem_key: string; source: string };

      // the request the till gave up on arrives now, under the same key: it takes nothing more
      const late = await redeem(
        pool,
        {
          merchantId: s.merchantId,
          memberCode: member,
          kind: 'credit',
          value: 1_000,
          idemKey: key.idem_key,
          document: null,
          source: key.source,
        },
        Date.now(),
      );
      expect(late.balance).toBe(4_000);
      expect(await ledger({ member, kind: 'credit' })).toEqual({
        balance: 4_000,
        rows: [
          ['adjust', 5_000],
          ['redeem', -1_000],
        ],
      });
      const later = Date.now() + 2 * OPEN_REDEMPTION_BOUND_MS;
      expect(await flagOpenRedemptions(pool, s.merchantId, later)).toBe(0);
      expect(await listLedgerExceptions(pool, s.merchantId, null, 'open', later)).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('a register stopped while the cloud took credit for a sale shows it held on the health panel until the sale completes with it after the restart', async () => {
    const { shop: s, member } = await shop({ offlineLimitCents: 50_000 });
    const port = Number(new URL(server.base).port);
    const proxy = await startFaultProxy(port, { resetRate: 0, hangRate: 0, cutEvery: 0 });
    try {
      const r = await enrolled(s, member, proxy.url, 50_000);
      const cart = await call<Cart>(r.register, 'cart:set-member', { code: member });
      await call<Cart>(r.register, 'cart:scan', { code: MILK_TEA.barcode });
      expect((await call<HealthReport>(r.register, 'health:status')).redemptions).toEqual({ held: 0, value: 0, oldestAt: null });
      // the cloud takes the credit, its answer is held: the register stops before it hears
      proxy.holdAnswersTo(/\/v1\/members\/redeem/, 60_000, 'cut');
      const paying = r.register.dispatch('sale:complete', {
        cartId: cart.id,
        tenders: [
          { method: STORED_VALUE_METHOD.credit, amount: 1_000 },
          { method: 'cash', amount: 800 },
        ],
      });
      await eventually(
        async () => registerRedemptions(r.dir),
        (rows) => rows.length === 1,
        'the ask committed',
      );
      await eventually(
        async () => (await ledger({ member, kind: 'credit' })).balance,
        (balance) => balance === 4_000,
        'the cloud took it',
      );
      await r.restart();
      await paying.catch(() => undefined);
      proxy.holdAnswersTo(null);
      await loginManager(r.register);
      const held = (await call<HealthReport>(r.register, 'health:status')).redemptions;
      expect(held).toMatchObject({ held: 1, value: 1_000 });
      expect(held.oldestAt).toBeGreaterThan(0);
      expect(registerRedemptions(r.dir)).toEqual([{ kind: 'credit', outcome: 'asked', receipt_no: null }]);

      // the cashier finishes the sale: the same key, so the cloud's entry is the sale's and nothing is taken twice
      const receipt = await call<Receipt>(r.register, 'sale:complete', {
        cartId: cart.id,
        tenders: [
          { method: STORED_VALUE_METHOD.credit, amount: 1_000 },
          { method: 'cash', amount: 800 },
        ],
      });
      expect((await call<HealthReport>(r.register, 'health:status')).redemptions).toEqual({ held: 0, value: 0, oldestAt: null });
      expect(registerRedemptions(r.dir)).toEqual([{ kind: 'credit', outcome: 'settled', receipt_no: receipt.receiptNo }]);
      await call(r.register, 'sync:now');
      await drained(r.register);
      expect(await ledger({ member, kind: 'credit' })).toEqual({
        balance: 4_000,
        rows: [
          ['adjust', 5_000],
          ['redeem', -1_000],
        ],
      });
    } finally {
      await proxy.close();
    }
  });

  it('a redemption with neither a sale nor a release is on the exceptions list after the bound, once', async () => {
    const { shop: s, member } = await shop({ offlineLimitCents: 50_000 });
    const pool = database().pool;
    const registerId = '00000000-0000-4000-8000-000000000013';
    const taken = await redeem(
      pool,
      {
        merchantId: s.merchantId,
        memberCode: member,
        kind: 'credit',
        value: 700,
        idemKey: `register:${registerId}:sv-lost-0000-c1-700`,
        document: null,
        source: `register:${registerId}`,
      },
      Date.now(),
    );
    expect(taken.balance).toBe(4_300);
    // within the bound: not yet
    expect(await listLedgerExceptions(pool, s.merchantId, null, 'open', Date.now() + OPEN_REDEMPTION_BOUND_MS / 2)).toEqual([]);
    const later = Date.now() + OPEN_REDEMPTION_BOUND_MS + 60_000;
    expect(await flagOpenRedemptions(pool, s.merchantId, later)).toBe(1);
    expect(await flagOpenRedemptions(pool, s.merchantId, later)).toBe(0);
    const listed = await listLedgerExceptions(pool, s.merchantId, null, 'open', later);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ kind: 'redemption_open', amount: 700, memberCode: member, account: 'credit' });
    const takenAt = (
      await pool.query<{ at: Date }>('SELECT created_at AS at FROM online_redemption WHERE merchant_id = $1', [s.merchantId])
    ).rows[0]?.at.getTime();
    expect(listed[0]?.facts).toEqual({
      case: 'redemption_open',
      // a register id this cloud never enrolled: no code to name it by
      registerCode: null,
      source: `register:${registerId}`,
      account: 'credit',
      taken: 700,
      takenAt,
    });
  });
});
