/**
 * What pushed documents' points, store credit and gift card payments do to the ledgers, on real
 * PostgreSQL over real sockets: a document whose stored-value key cannot be posted is quarantined
 * alone (the rest of its batch and the queue behind it apply); the ledger holds what every document
 * paid, against the online redemption its key names or not, once however often it is pushed; and two
 * registers returning one sale at the same moment never pay back more than it was paid with.
 */
import { describe, expect, it } from 'vitest';
import { upsertMember } from '../../../cloud/domain/catalogue';
import { listLedgerExceptions } from '../../../cloud/domain/ledger-exceptions';
import { giftCardDetail, hashGiftCardCode, issueGiftCards } from '../../../cloud/domain/gift-cards';
import { adjustBalance, memberLedger, setRules } from '../../../cloud/domain/members';
import { withTransaction } from '../../../cloud/db/tx';
import { applyMemberWrites } from '../../../cloud/domain/member-mutations';
import { readMutation, type Write } from '../../../cloud/domain/mutation-kinds';
import type { Receipt } from '../../../src/shared/checkout-schemas';
import { GIFT_CARD_METHOD, GIFT_CARD_SKU } from '../../../src/shared/gift-card';
import { STORED_VALUE_METHOD } from '../../../src/shared/stored-value';
import { withTimeout } from '../../support/bounded.mjs';
import {
  call,
  createShop,
  enrolRegister,
  pushMutations,
  receipt,
  useTestDatabase,
  useTestServer,
  type EnrolledRegister,
  type Shop,
} from './helpers';

const db = useTestDatabase();
const server = useTestServer(db);

interface Pay {
  kind: 'points' | 'credit';
  /** cents of the total: negative for a refund */
  value: number;
  key: string;
}

/**
 * Document `n` of `register` for `member`: one P1 sold (a return: taken back, against sale
 * `original`), paid `pays` with points or store credit and the rest in cash.
 */
function memberDoc(register: EnrolledRegister, n: number, member: string, pays: Pay[], original?: string) {
  const kind = original === undefined ? 'sale' : 'return';
  const d: Receipt = {
    ...receipt(register, n, [{ sku: 'P1', quantity: kind === 'sale' ? 1 : -1 }], kind),
    member: { code: member, pointsEarned: 0 },
  } as Receipt;
  if (original !== undefined) d.originalReceiptNo = original;
  const cash = d.total - pays.reduce((sum, p) => sum + p.value, 0);
  const payment = (method: string, amount: number) => ({
    method,
    nameZh: method,
    nameEn: method,
    amount,
    tendered: amount,
    change: 0,
    reference: null,
    approvalCode: null,
    cardLast4: null,
  });
  d.payments = [
    ...pays.map((p) => ({
      ...payment(STORED_VALUE_METHOD[p.kind], p.value),
      storedValue: { kind: p.kind, units: -p.value, key: p.key, decidedBy: 'register' as const, balanceAfter: 0 },
    })),
    ...(cash === 0 ? [] : [payment('cash', cash)]),
  ] as Receipt['payments'];
  return { kind: `document.${kind}`, ref: d.receiptNo, payload: d };
}

/**
 * Document n of `register`: one P1 (at `unitPrice`, else its price; taken back when the document
 * names an original), `value` of it to (< 0) or from the gift card as the register decided, the rest cash.
 */
function giftCardDocument(
  register: EnrolledRegister,
  n: number,
  on: { card: { hash: string; last4: string }; value: number; key: string; original?: string | null; unitPrice?: number },
) {
  const kind = on.original === undefined ? 'sale' : 'return';
  const line = { sku: 'P1', quantity: kind === 'sale' ? 1 : -1, ...(on.unitPrice === undefined ? {} : { unitPrice: on.unitPrice }) };
  const d = receipt(register, n, [line], kind);
  if (on.original !== undefined) d.originalReceiptNo = on.original;
  const cash = d.payments[0]!;
  const rest = d.total - on.value;
  d.payments = [
    {
      ...cash,
      method: GIFT_CARD_METHOD,
      amount: on.value,
      tendered: on.value,
      change: 0,
      storedValue: { kind: 'gift', units: -on.value, key: on.key, decidedBy: 'register', balanceAfter: 0, card: on.card },
    },
    ...(rest === 0 ? [] : [{ ...cash, amount: rest, tendered: rest, change: 0 }]),
  ] as Receipt['payments'];
  return { seq: n, kind: `document.${kind}`, ref: d.receiptNo, payload: d };
}

async function shopWithMembers(codes: string[]): Promise<Shop> {
  const pool = db().pool;
  const shop = await createShop(pool);
  for (const [i, code] of codes.entries()) {
    await upsertMember(pool, shop.merchantId, { code, name: '陳太', phone: `9333${String(7000 + i)}`, tier: 'standard' }, Date.now());
    for (const kind of ['points', 'credit'] as const)
      await adjustBalance(
        pool,
        shop.merchantId,
        { memberCode: code, kind, amount: 10_000, reason: 'opening', ref: `${code}-${kind}` },
        Date.now(),
      );
  }
  return shop;
}

/** The sum of a member's entries of `kind`, less the opening 10,000. */
async function moved(shop: Shop, code: string, kind: 'points' | 'credit', reasons = ['redeem', 'refund', 'release']): Promise<number> {
  const row = (
    await db().pool.query<{ total: string }>(
      `SELECT coalesce(sum(e.amount), 0) AS total FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id JOIN member m ON m.id = a.member_id
       WHERE m.merchant_id = $1 AND m.code = $2 AND a.kind = $3 AND e.reason = ANY($4::text[])`,
      [shop.merchantId, code, kind, reasons],
    )
  ).rows[0];
  return Number(row?.total ?? 0);
}

const redeemOnline = (register: EnrolledRegister, body: Record<string, unknown>) =>
  call<{ balance?: number; error?: string }>(server.base, 'POST', '/v1/members/redeem', { token: register.token, body });

async function quarantined(register: EnrolledRegister): Promise<{ seq: number; reason_code: string; message: string }[]> {
  return (
    await db().pool.query<{ seq: number; reason_code: string; message: string }>(
      'SELECT seq, reason_code, reason AS message FROM quarantine WHERE register_id = $1 ORDER BY seq',
      [register.registerId],
    )
  ).rows;
}

describe('a document whose stored-value key cannot be posted', () => {
  it('one key on two payments of a sale is quarantined; the batch around it and the queue behind it apply', async () => {
    const shop = await shopWithMembers(['A1']);
    const register = await enrolRegister(db().pool, server.base, shop.stores[0]!);
    const key = 'sv-AAAAAAAA';
    const answer = await pushMutations(server.base, register, [
      { seq: 1, ...memberDoc(register, 1, 'A1', [{ kind: 'credit', value: 100, key: 'sv-first-0001' }]) },
      {
        seq: 2,
        ...memberDoc(register, 2, 'A1', [
          { kind: 'points', value: 100, key },
          { kind: 'credit', value: 100, key },
        ]),
      },
      { seq: 3, ...memberDoc(register, 3, 'A1', [{ kind: 'credit', value: 200, key: 'sv-third-0003' }]) },
    ]);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ lastAppliedSeq: 3, applied: 2, quarantined: 1, quarantinedSeqs: [2] });
    expect((await quarantined(register))[0]?.message).toContain('sv-AAAAAAAA');
    expect(await moved(shop, 'A1', 'credit')).toBe(-300);
    expect(await moved(shop, 'A1', 'points')).toBe(0);
  });

  it('a key the till redeemed online for one member, on a document naming another, is quarantined LEDGER_REFUSED; the rest applies', async () => {
    const shop = await shopWithMembers(['A1', 'B2']);
    const register = await enrolRegister(db().pool, server.base, shop.stores[0]!);
    const key = 'sv-online-0001';
    expect((await redeemOnline(register, { idempotencyKey: key, memberCode: 'A1', kind: 'credit', value: 100 })).status).toBe(200);
    const answer = await pushMutations(server.base, register, [
      { seq: 1, ...memberDoc(register, 1, 'B2', [{ kind: 'credit', value: 100, key }]) },
      { seq: 2, ...memberDoc(register, 2, 'B2', [{ kind: 'credit', value: 300, key: 'sv-other-0002' }]) },
    ]);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ lastAppliedSeq: 2, applied: 1, quarantined: 1, quarantinedSeqs: [1] });
    expect(await quarantined(register)).toMatchObject([
      { seq: 1, reason_code: 'LEDGER_REFUSED', message: expect.stringContaining('IDEMPOTENCY_CONFLICT') },
    ]);
    // the queue behind it goes on
    const next = await pushMutations(server.base, register, [
      { seq: 3, ...memberDoc(register, 3, 'B2', [{ kind: 'credit', value: 50, key: 'sv-next-0003' }]) },
    ]);
    expect(next.body).toMatchObject({ lastAppliedSeq: 3, applied: 1, quarantined: 0 });
    expect([await moved(shop, 'A1', 'credit'), await moved(shop, 'B2', 'credit')]).toEqual([-100, -350]);
  });
});

describe('the ledger holds what each document paid', () => {
  it('a sale paying more points than the till redeemed online under its key takes the rest, once however often it is pushed', async () => {
    const shop = await shopWithMembers(['A1']);
    const register = await enrolRegister(db().pool, server.base, shop.stores[0]!);
    const key = 'sv-online-0001';
    expect((await redeemOnline(register, { idempotencyKey: key, memberCode: 'A1', kind: 'points', value: 100 })).status).toBe(200);
    const batch = [{ seq: 1, ...memberDoc(register, 1, 'A1', [{ kind: 'points', value: 500, key }]) }];
    expect((await pushMutations(server.base, register, batch)).body).toMatchObject({ applied: 1, quarantined: 0 });
    expect((await pushMutations(server.base, register, batch)).body).toMatchObject({ applied: 0, duplicates: 1 });
    expect(await moved(shop, 'A1', 'points')).toBe(-500);
  });

  it('a sale paying less than was redeemed online gives the difference back; two sales under one key each pay', async () => {
    const shop = await shopWithMembers(['A1']);
    const register = await enrolRegister(db().pool, server.base, shop.stores[0]!);
    expect((await redeemOnline(register, { idempotencyKey: 'sv-online-0001', memberCode: 'A1', kind: 'credit', value: 400 })).status).toBe(
      200,
    );
    const answer = await pushMutations(server.base, register, [
      { seq: 1, ...memberDoc(register, 1, 'A1', [{ kind: 'credit', value: 300, key: 'sv-online-0001' }]) },
      { seq: 2, ...memberDoc(register, 2, 'A1', [{ kind: 'credit', value: 100, key: 'sv-twice-0002' }]) },
      { seq: 3, ...memberDoc(register, 3, 'A1', [{ kind: 'credit', value: 100, key: 'sv-twice-0002' }]) },
    ]);
    expect(answer.body).toMatchObject({ applied: 3, quarantined: 0 });
    expect(await moved(shop, 'A1', 'credit')).toBe(-500);
    // the difference given back says why, as facts the console words in the reader's language
    const member = (
      await db().pool.query<{ id: string }>("SELECT id FROM member WHERE merchant_id = $1 AND code = 'A1'", [shop.merchantId])
    ).rows[0]!;
    const { entries } = await memberLedger(db().pool, shop.merchantId, Number(member.id), { limit: 50 });
    expect(entries.filter((e) => e.noteFacts !== null).map((e) => [e.reason, e.amount, e.noteFacts])).toEqual([
      ['release', 100, { case: 'sale_paid_other_than_online', salePaid: 300, takenOnline: 400 }],
    ]);
    // the next batch again under a key two documents already settled: a third spend, paid
    const later = await pushMutations(server.base, register, [
      { seq: 4, ...memberDoc(register, 4, 'A1', [{ kind: 'credit', value: 100, key: 'sv-twice-0002' }]) },
    ]);
    expect(later.body).toMatchObject({ applied: 1, quarantined: 0 });
    expect(await moved(shop, 'A1', 'credit')).toBe(-600);
  });

  it('points redeemed online before a rule change stand as the cloud took them: the same value moves nothing more', async () => {
    const shop = await shopWithMembers(['A1']);
    const register = await enrolRegister(db().pool, server.base, shop.stores[0]!);
    // the cloud takes the redemption at 50 points a dollar; the document was made (SALES_DAY) under the defaults, 100
    await withTransaction(db().pool, (client) => setRules(client, shop.merchantId, { pointsPerDollar: 50 }, Date.now() - 1000));
    expect((await redeemOnline(register, { idempotencyKey: 'sv-online-0001', memberCode: 'A1', kind: 'points', value: 400 })).status).toBe(
      200,
    );
    const answer = await pushMutations(server.base, register, [
      { seq: 1, ...memberDoc(register, 1, 'A1', [{ kind: 'points', value: 400, key: 'sv-online-0001' }]) },
    ]);
    expect(answer.body).toMatchObject({ applied: 1, quarantined: 0 });
    expect(await moved(shop, 'A1', 'points')).toBe(-200);
  });

  it('a gift card: what a sale paid beyond the online redemption under its key is taken, and a second sale under that key pays', async () => {
    const pool = db().pool;
    const shop = await createShop(pool);
    const [card] = await issueGiftCards(pool, shop.merchantId, { count: 1, value: 10_000, batch: 'sv', source: 'admin' }, Date.now());
    const hash = hashGiftCardCode(card!.code);
    const register = await enrolRegister(pool, server.base, shop.stores[0]!);
    const key = 'sv-gift-0001';
    const online = await call(server.base, 'POST', '/v1/gift-cards/redeem', {
      token: register.token,
      body: { idempotencyKey: key, cardHash: hash, value: 100 },
    });
    expect(online.status).toBe(200);
    const giftSale = (n: number, value: number) => {
      const d = receipt(register, n, [{ sku: 'P1', quantity: 1 }]);
      const rest = d.total - value;
      const cash = d.payments[0]!;
      d.payments = [
        {
          ...cash,
          method: GIFT_CARD_METHOD,
          amount: value,
          tendered: value,
          storedValue: {
            kind: 'gift',
            units: -value,
            key,
            decidedBy: 'cloud',
            balanceAfter: 0,
            card: { hash, last4: card!.code.replace(/\D/g, '').slice(-4) },
          },
        },
        { ...cash, amount: rest, tendered: rest },
      ] as Receipt['payments'];
      return { seq: n, kind: 'document.sale', ref: d.receiptNo, payload: d };
    };
    const answer = await pushMutations(server.base, register, [giftSale(1, 500), giftSale(2, 200)]);
    expect(await quarantined(register)).toEqual([]);
    expect(answer.body).toMatchObject({ applied: 2, quarantined: 0 });
    const spent = (
      await pool.query<{ total: string }>(
        `SELECT sum(e.amount) AS total FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id JOIN gift_card g ON g.id = a.gift_card_id
         WHERE g.code_hash = $1 AND e.reason <> 'issue'`,
        [hash],
      )
    ).rows[0];
    expect(Number(spent?.total)).toBe(-700);
  });
});

describe('refunds to a gift card', () => {
  it('two returns reusing one key for the same refund to the card each pay it back', async () => {
    const pool = db().pool;
    const shop = await createShop(pool);
    const [card] = await issueGiftCards(pool, shop.merchantId, { count: 1, value: 10_000, batch: 'sv', source: 'admin' }, Date.now());
    const hash = hashGiftCardCode(card!.code);
    const register = await enrolRegister(pool, server.base, shop.stores[0]!);
    const last4 = card!.code.replace(/\D/g, '').slice(-4);
    const onCard = (n: number, value: number, key: string, original?: string) =>
      giftCardDocument(register, n, { card: { hash, last4 }, value, key, ...(original === undefined ? {} : { original }) });
    const sale = onCard(1, 500, 'sv-gift-sale');
    const batch = [sale, onCard(2, -100, 'sv-gift-back', sale.ref), onCard(3, -100, 'sv-gift-back', sale.ref)];
    expect((await pushMutations(server.base, register, batch)).body).toMatchObject({ applied: 3, quarantined: 0 });
    expect((await pushMutations(server.base, register, batch)).body).toMatchObject({ applied: 0, duplicates: 3 });
    const refunded = (
      await pool.query<{ total: string; n: number }>(
        `SELECT sum(e.amount) AS total, count(*)::int AS n FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id
         JOIN gift_card g ON g.id = a.gift_card_id WHERE g.code_hash = $1 AND e.reason = 'refund'`,
        [hash],
      )
    ).rows[0];
    expect([Number(refunded?.total), refunded?.n]).toEqual([200, 2]);
  });
});

describe('refunds to a gift card are the cloud’s arithmetic', () => {
  it('a return pays back to a card at most what its original paid with that card: an inflated or receipt-less refund loads nothing more, and is listed', async () => {
    const pool = db().pool;
    const shop = await createShop(pool);
    const [card] = await issueGiftCards(pool, shop.merchantId, { count: 1, value: 10_000, batch: 'sv', source: 'admin' }, Date.now());
    const hash = hashGiftCardCode(card!.code);
    const last4 = card!.code.replace(/\D/g, '').slice(-4);
    const register = await enrolRegister(pool, server.base, shop.stores[0]!);
    /** Document n: one P1 at `price` (a return: taken back), `onCard` of it to or from the card, the rest cash. */
    const doc = (n: number, price: number, onCard: number, original?: string | null) =>
      giftCardDocument(register, n, {
        card: { hash, last4 },
        value: onCard,
        key: `sv-capped-${n}`,
        unitPrice: price,
        ...(original === undefined ? {} : { original }),
      });
    const sale = doc(1, 1_000, 600);
    const batch = [
      sale,
      // a hostile till: the returned line "cost" HK$10,000 and all of it goes back to the card
      doc(2, 1_000_000, -1_000_000, sale.ref),
      // and again on the same original: nothing of its HK$6 is left
      doc(3, 1_000, -600, sale.ref),
      // a return naming no original
      doc(4, 50_000, -50_000, null),
    ];
    const first = await pushMutations(server.base, register, batch);
    expect(first.body).toMatchObject({ applied: 4, quarantined: 0 });
    const balance = async () => (await giftCardDetail(pool, shop.merchantId, { hash }))!.balance;
    // 10,000 loaded, 600 spent, 600 given back: never more than the sale paid with it
    expect(await balance()).toBe(10_000);
    // a replay moves nothing again
    expect((await pushMutations(server.base, register, batch)).body).toMatchObject({ applied: 0, duplicates: 4 });
    expect(await balance()).toBe(10_000);
    const listed = (await listLedgerExceptions(pool, shop.merchantId)).filter((x) => x.facts?.case === 'gift_card_refund_beyond_paid');
    expect(listed.map((x) => [x.document, x.amount, x.facts])).toEqual([
      [
        batch[1]!.ref,
        1_000_000 - 600,
        {
          case: 'gift_card_refund_beyond_paid',
          last4,
          paidBack: 1_000_000,
          credited: 600,
          why: 'original_paid_less',
          originalReceiptNo: sale.ref,
        },
      ],
      [
        batch[2]!.ref,
        600,
        { case: 'gift_card_refund_beyond_paid', last4, paidBack: 600, credited: 0, why: 'original_paid_less', originalReceiptNo: sale.ref },
      ],
      [
        batch[3]!.ref,
        50_000,
        { case: 'gift_card_refund_beyond_paid', last4, paidBack: 50_000, credited: 0, why: 'no_original', originalReceiptNo: null },
      ],
    ]);
    expect(listed.every((x) => x.account === 'gift' && x.giftCardLast4 === last4)).toBe(true);
  });

  it('twenty registers returning one card-paid sale at the same moment pay back to the card at most what the sale paid with it', async () => {
    const pool = db().pool;
    const shop = await createShop(pool);
    const [card] = await issueGiftCards(pool, shop.merchantId, { count: 1, value: 10_000, batch: 'sv', source: 'admin' }, Date.now());
    const hash = hashGiftCardCode(card!.code);
    const last4 = card!.code.replace(/\D/g, '').slice(-4);
    const registers: EnrolledRegister[] = [];
    for (let i = 0; i < 20; i += 1) registers.push(await enrolRegister(pool, server.base, shop.stores[0]!));
    const onCard = (register: EnrolledRegister, n: number, value: number, original?: string) =>
      giftCardDocument(register, n, {
        card: { hash, last4 },
        value,
        key: `sv-racing-${register.registerCode}-${n}`,
        ...(original === undefined ? {} : { original }),
      });
    const sale = onCard(registers[0]!, 1, 1_000);
    expect((await pushMutations(server.base, registers[0]!, [sale])).body).toMatchObject({ applied: 1 });
    const answers = await Promise.all(
      registers.map((r) => pushMutations(server.base, r, [onCard(r, r === registers[0] ? 2 : 1, -1_000, sale.ref)])),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect((await giftCardDetail(pool, shop.merchantId, { hash }))!.balance).toBe(10_000);
    const listed = (await listLedgerExceptions(pool, shop.merchantId)).filter((x) => x.facts?.case === 'gift_card_refund_beyond_paid');
    expect(listed).toHaveLength(19);
  });
});

describe('refunds to store credit', () => {
  /** Until `count` connections of the test database wait for a lock (bounded). */
  async function waitersAtLeast(count: number): Promise<void> {
    const probe = async () => {
      for (;;) {
        const row = (
          await db().pool.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
          )
        ).rows[0];
        if ((row?.n ?? 0) >= count) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    await withTimeout(probe(), 10_000, `${count} pushes waiting for a lock`);
  }

  it('two registers returning one sale at the same moment pay back at most what it was paid with; the excess is listed', async () => {
    const shop = await shopWithMembers(['M1']);
    const pool = db().pool;
    const first = await enrolRegister(pool, server.base, shop.stores[0]!);
    const second = await enrolRegister(pool, server.base, shop.stores[0]!);
    let seq = 0;
    for (let round = 1; round <= 3; round += 1) {
      seq += 1;
      const sale = memberDoc(first, seq, 'M1', [{ kind: 'credit', value: 100, key: `sv-sale-${round}-0000` }]);
      expect((await pushMutations(server.base, first, [{ seq, ...sale }])).body).toMatchObject({ applied: 1 });
      const before = await moved(shop, 'M1', 'credit');
      // the member's credit account held by the test: both returns reach the ledger before either commits
      const holder = await pool.connect();
      let pushes: Promise<unknown>;
      try {
        await holder.query('BEGIN');
        await holder.query(
          "SELECT a.id FROM ledger_account a JOIN member m ON m.id = a.member_id WHERE m.merchant_id = $1 AND m.code = 'M1' AND a.kind = 'credit' FOR UPDATE",
          [shop.merchantId],
        );
        pushes = Promise.all([
          pushMutations(server.base, first, [
            { seq: seq + 1, ...memberDoc(first, seq + 1, 'M1', [{ kind: 'credit', value: -100, key: `sv-back-${round}-aaaa` }], sale.ref) },
          ]),
          pushMutations(server.base, second, [
            { seq: round, ...memberDoc(second, round, 'M1', [{ kind: 'credit', value: -100, key: `sv-back-${round}-bbbb` }], sale.ref) },
          ]),
        ]);
        await waitersAtLeast(2);
      } finally {
        await holder.query('COMMIT');
        holder.release();
      }
      const answers = (await pushes) as { status: number }[];
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      seq += 1;
      expect((await moved(shop, 'M1', 'credit')) - before).toBe(100);
      const over = (await listLedgerExceptions(pool, shop.merchantId)).filter((x) => x.kind === 'refund_over');
      expect(over).toHaveLength(round);
    }
  });

  it('two returns reusing one key for the same refund each pay back once, in one batch or the next; replays move nothing more', async () => {
    const shop = await shopWithMembers(['M1']);
    const register = await enrolRegister(db().pool, server.base, shop.stores[0]!);
    const sale = memberDoc(register, 1, 'M1', [{ kind: 'credit', value: 500, key: 'sv-sale-0001' }]);
    const back = (n: number) => ({
      seq: n,
      ...memberDoc(register, n, 'M1', [{ kind: 'credit', value: -100, key: 'sv-back-same' }], sale.ref),
    });
    const batch = [{ seq: 1, ...sale }, back(2), back(3)];
    expect((await pushMutations(server.base, register, batch)).body).toMatchObject({ applied: 3, quarantined: 0 });
    expect(await moved(shop, 'M1', 'credit', ['refund'])).toBe(200);
    expect((await pushMutations(server.base, register, batch)).body).toMatchObject({ applied: 0, duplicates: 3 });
    expect((await pushMutations(server.base, register, [back(4)])).body).toMatchObject({ applied: 1, quarantined: 0 });
    expect(await moved(shop, 'M1', 'credit', ['refund'])).toBe(300);
    // the ledger itself, handed each return again (no push protocol in front of it): nothing moves twice
    const context = {
      registerId: register.registerId,
      registerCode: register.registerCode,
      merchantId: shop.merchantId,
      storeId: shop.stores[0]!.id,
      storeCode: register.storeCode,
      viaPreviousToken: false,
    };
    const writes = [back(2), back(3), back(4)].map((m) => readMutation(context, m));
    for (const w of writes) if (w instanceof Error) throw w;
    await withTransaction(db().pool, (client) => applyMemberWrites(client, context, writes as Write[], Date.now()));
    await withTransaction(db().pool, (client) => applyMemberWrites(client, context, [writes[2] as Write], Date.now()));
    expect(await moved(shop, 'M1', 'credit', ['refund'])).toBe(300);
    const keys = (
      await db().pool.query<{ idem_key: string; document: string }>(
        "SELECT idem_key, document FROM ledger_entry WHERE merchant_id = $1 AND reason = 'refund' ORDER BY id",
        [shop.merchantId],
      )
    ).rows;
    const source = `register:${register.registerId}:sv-back-same`;
    expect(keys).toEqual([
      { idem_key: source, document: back(2).ref },
      { idem_key: `${source}:on:${back(3).ref}`, document: back(3).ref },
      { idem_key: `${source}:on:${back(4).ref}`, document: back(4).ref },
    ]);
    expect(await quarantined(register)).toEqual([]);
  });

  it('a return naming another member than the one who paid credits nothing to it, and is listed', async () => {
    const shop = await shopWithMembers(['M1', 'N2']);
    const register = await enrolRegister(db().pool, server.base, shop.stores[0]!);
    const sale = memberDoc(register, 1, 'M1', [{ kind: 'credit', value: 100, key: 'sv-sale-0001' }]);
    const answer = await pushMutations(server.base, register, [
      { seq: 1, ...sale },
      { seq: 2, ...memberDoc(register, 2, 'N2', [{ kind: 'credit', value: -100, key: 'sv-back-0002' }], sale.ref) },
      // M1's own return still gets what M1 paid back
      { seq: 3, ...memberDoc(register, 3, 'M1', [{ kind: 'credit', value: -100, key: 'sv-back-0003' }], sale.ref) },
    ]);
    expect(answer.body).toMatchObject({ applied: 3, quarantined: 0 });
    expect([await moved(shop, 'M1', 'credit'), await moved(shop, 'N2', 'credit')]).toEqual([0, 0]);
    const over = (await listLedgerExceptions(db().pool, shop.merchantId)).filter((x) => x.kind === 'refund_over');
    expect(over.map((x) => [x.document, x.amount])).toEqual([[receipt(register, 2, []).receiptNo, 100]]);
    expect(over[0]?.facts).toEqual({
      case: 'refund_over',
      account: 'credit',
      memberCode: 'N2',
      paidBack: 100,
      credited: 0,
      why: 'other_member',
      originalReceiptNo: sale.ref,
    });
  });

  it('a return naming no original sale credits nothing to store credit, and is listed saying so', async () => {
    const shop = await shopWithMembers(['M1']);
    const register = await enrolRegister(db().pool, server.base, shop.stores[0]!);
    const back = memberDoc(register, 1, 'M1', [{ kind: 'credit', value: -100, key: 'sv-back-none' }], 'none');
    back.payload.originalReceiptNo = null;
    expect((await pushMutations(server.base, register, [{ seq: 1, ...back }])).body).toMatchObject({ applied: 1, quarantined: 0 });
    expect(await moved(shop, 'M1', 'credit')).toBe(0);
    const over = (await listLedgerExceptions(db().pool, shop.merchantId)).filter((x) => x.kind === 'refund_over');
    expect(over.map((x) => x.facts)).toEqual([
      { case: 'refund_over', account: 'credit', memberCode: 'M1', paidBack: 100, credited: 0, why: 'no_original', originalReceiptNo: null },
    ]);
    expect(over[0]?.detail).toBe(
      `Return ${back.ref} paid back 100 cents to store credit of member M1; it names no original sale: only 0 cents were credited`,
    );
  });
});

describe('gift card exceptions', () => {
  it('each gift card case is listed with its facts: a card sold again, taken back for more than is left, one not issued here, paid with one not issued here', async () => {
    const pool = db().pool;
    const shop = await createShop(pool);
    const [card] = await issueGiftCards(pool, shop.merchantId, { count: 1, value: 0, batch: 'gx', source: 'admin' }, Date.now());
    // a card of another merchant: this one never issued it
    const [stranger] = await issueGiftCards(
      pool,
      (await createShop(pool)).merchantId,
      { count: 1, value: 0, batch: 'gx', source: 'admin' },
      Date.now(),
    );
    const cardOf = (issued: { code: string; last4: string }, value: number) => ({
      hash: hashGiftCardCode(issued.code),
      last4: issued.last4,
      value,
      balanceAfter: value,
    });
    const register = await enrolRegister(pool, server.base, shop.stores[0]!);
    const cardDoc = (n: number, sold: boolean, line: ReturnType<typeof cardOf>) => {
      const d = receipt(register, n, [{ sku: GIFT_CARD_SKU, quantity: sold ? 1 : -1, unitPrice: line.value }], sold ? 'sale' : 'return');
      (d.lines[0] as Receipt['lines'][number]).giftCard = line;
      return { seq: n, kind: `document.${d.kind}`, ref: d.receiptNo, payload: d };
    };
    const paidWith = (n: number, line: ReturnType<typeof cardOf>, value: number) => {
      const d = receipt(register, n, [{ sku: 'P1', quantity: 1, unitPrice: value }]);
      const cash = d.payments[0]!;
      d.payments = [
        {
          ...cash,
          method: GIFT_CARD_METHOD,
          storedValue: { kind: 'gift', units: -value, key: `sv-gx-${n}-pay`, decidedBy: 'register', balanceAfter: 0, card: line },
        },
      ] as Receipt['payments'];
      return { seq: n, kind: 'document.sale', ref: d.receiptNo, payload: d };
    };
    const answer = await pushMutations(server.base, register, [
      cardDoc(1, true, cardOf(card!, 5_000)), // sold: activated with HK$50
      cardDoc(2, true, cardOf(card!, 5_000)), // sold again while active: loaded all the same (HK$100)
      paidWith(3, cardOf(card!, 0), 9_000), // HK$90 spent: HK$10 left
      cardDoc(4, false, cardOf(card!, 5_000)), // taken back for HK$50 with HK$10 on it
      cardDoc(5, true, cardOf(stranger!, 2_000)),
      paidWith(6, cardOf(stranger!, 0), 1_000),
    ]);
    expect(await quarantined(register)).toEqual([]);
    expect(answer.body).toMatchObject({ applied: 6, quarantined: 0 });
    const listed = (await listLedgerExceptions(pool, shop.merchantId)).filter((x) => x.kind === 'gift_card');
    expect(listed.map((x) => [x.document, x.facts])).toEqual([
      [receipt(register, 2, []).receiptNo, { case: 'gift_card_sold_while', last4: card!.last4, status: 'active' }],
      [receipt(register, 4, []).receiptNo, { case: 'gift_card_refund_over', last4: card!.last4, refunded: 5_000, left: 1_000 }],
      [receipt(register, 5, []).receiptNo, { case: 'gift_card_not_issued', last4: stranger!.last4 }],
      [receipt(register, 6, []).receiptNo, { case: 'gift_card_paid_not_issued' }],
    ]);
    // the return that took the card back voided it: said as facts, on the card and on its void entry
    const returnedOn = { case: 'returned_on', receiptNo: receipt(register, 4, []).receiptNo };
    const detail = await giftCardDetail(pool, shop.merchantId, { hash: hashGiftCardCode(card!.code) });
    expect(detail?.voidFacts).toEqual(returnedOn);
    expect(detail?.entries.filter((e) => e.reason === 'void').map((e) => e.noteFacts)).toEqual([returnedOn]);
  });
});
