/**
 * A member's recent purchases from every store (issue 13, the till's F8 panel), on real PostgreSQL
 * over real sockets: documents naming the member's code or a provisional code merged into it, from
 * any register of the merchant, newest first; nobody else's; never another merchant's; and the
 * online shop's orders, each once (an order collected at a till is not listed again as that sale).
 */
import { describe, expect, it } from 'vitest';
import { upsertMember } from '../../../cloud/domain/catalogue';
import { recordOnlineOrder } from '../../../cloud/domain/online-orders';
import { createShopKey } from '../../../cloud/domain/shop-keys';
import type { MemberHistory, MemberEnrolment } from '../../../src/shared/member-schemas';
import { SALES_DAY } from '../../support/register-documents';
import { call, createShop, enrolRegister, receipt, useTestDatabase, useTestServer, pushInTurn, type Till } from './helpers';

const db = useTestDatabase();
const server = useTestServer(db);

const push = async (till: Till, mutations: Parameters<typeof pushInTurn>[2]) => void (await pushInTurn(server.base, till, mutations));

function enrolment(provisionalCode: string, phone: string): MemberEnrolment {
  return {
    provisionalCode,
    name: '陳大文',
    phone,
    email: null,
    birthMonth: null,
    marketingConsent: { given: false, wordingVersion: 'dm-2026-01', at: Date.now() },
    enrolledAt: Date.now(),
  };
}

function sale(till: Till, n: number, sku: string, memberCode: string | null, kind: 'sale' | 'return' = 'sale') {
  const doc = receipt(till.register, n, [{ sku, quantity: kind === 'return' ? -1 : 2 }], kind);
  if (kind === 'return') doc.originalReceiptNo = `${till.register.storeCode}-${till.register.registerCode}-000001`;
  return {
    kind: `document.${kind}`,
    ref: doc.receiptNo,
    payload: memberCode === null ? doc : { ...doc, member: { code: memberCode, pointsEarned: 0 } },
  };
}

const history = (till: Till, code: string) =>
  call<MemberHistory & { error?: string }>(server.base, 'GET', `/v1/members/history?code=${encodeURIComponent(code)}`, {
    token: till.register.token,
  });

describe("a member's history for the till", () => {
  it('every store’s documents for the member, under its own code and the provisional one merged into it, newest first', async () => {
    const shop = await createShop(db().pool);
    const sku = shop.skus[0]!;
    const a: Till = { register: await enrolRegister(db().pool, server.base, shop.stores[0]!), seq: 0 };
    const b: Till = { register: await enrolRegister(db().pool, server.base, shop.stores[1]!), seq: 0 };
    // enrolled offline at A, then a sale there under the provisional code
    await push(a, [
      { kind: 'member.enrolled', ref: 'THIST-00001', payload: enrolment('THIST-00001', '91234567') },
      sale(a, 1, sku, 'THIST-00001'),
    ]);
    const member = (
      await call<{ member: { code: string } }>(server.base, 'GET', '/v1/members/lookup?phone=91234567', { token: b.register.token })
    ).body.member;
    // at B, found by phone: a sale and a return under the member's own code, and someone else's sale
    await push(b, [sale(b, 1, sku, member.code), sale(b, 2, sku, null), sale(b, 3, sku, member.code, 'return')]);

    const answer = await history(b, member.code);
    expect(answer.status).toBe(200);
    expect(answer.body.source).toBe('cloud');
    const storeA = a.register.storeCode;
    const storeB = b.register.storeCode;
    expect(answer.body.purchases.map((p) => [p.receiptNo, p.kind, p.storeCode, p.channel, p.total])).toEqual([
      [`${storeB}-${b.register.registerCode}-000003`, 'return', storeB, 'register', -1000],
      [`${storeB}-${b.register.registerCode}-000001`, 'sale', storeB, 'register', 2000],
      [`${storeA}-${a.register.registerCode}-000001`, 'sale', storeA, 'register', 2000],
    ]);
    // the provisional code answers the same history
    expect((await history(a, 'THIST-00001')).body.purchases).toHaveLength(3);
  });

  it('the online shop’s orders too: each once, with its channel, an order collected at a till folded into its row, a return of its own', async () => {
    const shop = await createShop(db().pool);
    const [mk, tst] = shop.stores as [(typeof shop.stores)[number], (typeof shop.stores)[number]];
    const sku = shop.skus[0]!;
    const till: Till = { register: await enrolRegister(db().pool, server.base, mk), seq: 0 };
    await upsertMember(db().pool, shop.merchantId, { code: 'WEBH', name: '陳大文', phone: '91230077' }, Date.now());
    const { key } = await createShopKey(db().pool, shop.merchantId, { label: 'Online shop', scopes: ['orders', 'members'] }, Date.now());
    const shopPost = async (path: string, body: Record<string, unknown>) => {
      const answer = await call<Record<string, unknown>>(server.base, 'POST', path, { token: key, body });
      expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
      return answer.body;
    };
    const receiptNo = (n: number) => `${mk.code}-${till.register.registerCode}-${String(n).padStart(6, '0')}`;

    // 1. a till sale for the member; an online sale recorded with the member (HK$15.00, sent from TST)
    await push(till, [sale(till, 1, sku, 'WEBH')]);
    await recordOnlineOrder(
      db().pool,
      shop.merchantId,
      {
        orderNo: 'REC-1',
        store: tst.code,
        completedAt: SALES_DAY + 2 * 60_000,
        lines: [{ sku, quantity: 1, unitPrice: 1500 }],
        member: { code: 'WEBH' },
      },
      Date.now(),
    );
    // 2. WEB-H2: the cloud knows it only by its points (HK$50.00 earning); WEB-H3 paid with 20 points only
    await shopPost('/v1/shop/members/earn', {
      idempotencyKey: 'hist-h2-earn',
      memberCode: 'WEBH',
      orderNo: 'WEB-H2',
      eligibleCents: 5_000,
    });
    await shopPost('/v1/shop/members/redeem', {
      idempotencyKey: 'hist-h3-pay',
      memberCode: 'WEBH',
      orderNo: 'WEB-H3',
      kind: 'points',
      value: 20,
    });
    // 3. WEB-H4: an order for pickup at MK (2 × HK$10.00), earning, paid and collected at the till on its receipt 2
    await shopPost('/v1/orders', {
      orderNo: 'WEB-H4',
      store: mk.code,
      channel: 'online',
      customer: { name: '陳大文', phone: '9123 0077' },
      lines: [{ sku, quantity: 2 }],
      paid: null,
    });
    await shopPost('/v1/shop/members/earn', {
      idempotencyKey: 'hist-h4-earn',
      memberCode: 'WEBH',
      orderNo: 'WEB-H4',
      eligibleCents: 2_000,
    });
    const collecting = receipt(till.register, 2, [{ sku, quantity: 2 }]);
    await push(till, [
      {
        kind: 'document.sale',
        ref: collecting.receiptNo,
        payload: { ...collecting, member: { code: 'WEBH', pointsEarned: 0 }, order: { orderNo: 'WEB-H4', channel: 'online' } },
      },
    ]);
    const moved = await call(server.base, 'POST', `/v1/registers/${till.register.registerId}/orders/WEB-H4/status`, {
      token: till.register.token,
      body: { to: 'collected', receiptNo: receiptNo(2) },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    // 4. HK$20.00 of WEB-H2 comes back
    await shopPost('/v1/shop/members/earn', {
      idempotencyKey: 'hist-h2-back',
      memberCode: 'WEBH',
      orderNo: 'WEB-H2',
      eligibleCents: -2_000,
    });

    const answer = await history(till, 'WEBH');
    expect(answer.status).toBe(200);
    expect(
      answer.body.purchases.map((p) => [
        p.channel,
        p.kind,
        p.receiptNo,
        p.storeCode,
        p.total,
        p.totalUnknown ?? false,
        p.collectedOn ?? [],
      ]),
    ).toEqual([
      ['online', 'return', 'WEB-H2', '', -2_000, false, []],
      ['online', 'sale', 'WEB-H4', mk.code, 2_000, false, [receiptNo(2)]],
      ['online', 'sale', 'WEB-H3', '', 0, true, []],
      ['online', 'sale', 'WEB-H2', '', 5_000, false, []],
      ['online', 'sale', 'REC-1', tst.code, 1_500, false, []],
      ['register', 'sale', receiptNo(1), mk.code, 2_000, false, []],
    ]);
  });

  it('answers 404 for a code nobody has, 400 for a code that is not one, 401 without a token, and never another merchant’s member', async () => {
    const shop = await createShop(db().pool);
    const other = await createShop(db().pool);
    const till: Till = { register: await enrolRegister(db().pool, server.base, shop.stores[0]!), seq: 0 };
    const stranger: Till = { register: await enrolRegister(db().pool, server.base, other.stores[0]!), seq: 0 };
    await push(till, [{ kind: 'member.enrolled', ref: 'TMINE-00001', payload: enrolment('TMINE-00001', '98765432') }]);
    expect((await history(till, 'TMINE-00001')).status).toBe(200);
    expect((await history(stranger, 'TMINE-00001')).status).toBe(404);
    expect((await history(till, 'M99999999')).status).toBe(404);
    expect((await history(till, 'not a code!')).body.error).toBe('BAD_REQUEST');
    expect((await call(server.base, 'GET', '/v1/members/history?code=TMINE-00001')).status).toBe(401);
  });
});
