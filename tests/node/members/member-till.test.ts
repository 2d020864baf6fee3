/**
 * Members at the till through the register core (issue 13), offline: found by phone, code or a
 * scanned card from the pulled list, a member without a phone kept and found by code, member prices
 * at once, points on the document, enrolment queued in the outbox with the sale's exactly-once path.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Cart, Receipt } from '../../../src/shared/checkout-schemas';
import { MemberEnrolment, type MemberFindResult, type MemberHistory, type MemberView } from '../../../src/shared/member-schemas';
import { DEMO_CASHIER } from '../helpers/demo-register';
import { useDemoRegisters } from '../helpers/register-session';

const WATER = '4891234000050'; // 蒸餾水 HK$8.00, members HK$6.00 (demo promotion MEMBER-WATER)
const openRegister = useDemoRegisters();

describe('finding a member at the till', () => {
  it('by phone however it is typed, by code, and by a scanned card; the answer shows a masked phone', async () => {
    const { call } = await openRegister({ staff: DEMO_CASHIER });
    for (const query of ['91234567', '9123 4567', '+852 9123 4567']) {
      const found = await call<MemberFindResult>('member:find', { query });
      expect(found).toEqual({
        member: {
          code: 'M90000001',
          name: '陳大文',
          maskedPhone: '9xxx 4567',
          tier: 'gold',
          points: 1280,
          storeCredit: 5000,
          pointsPerDollar: 100,
          provisional: false,
        },
        source: 'local',
        offline: false,
      });
    }
    // a member head office keeps without a phone is still there, by code and by card
    for (const query of ['M90000002', 'm90000002', 'MBR:M90000002']) {
      expect((await call<MemberFindResult>('member:find', { query })).member).toMatchObject({ name: '李美華', maskedPhone: '' });
    }
  });

  it('nobody here and no cloud to ask: says offline, not "no such member"; a query that is neither phone nor code is refused', async () => {
    const { reg, call } = await openRegister({ staff: DEMO_CASHIER });
    expect(await call<MemberFindResult>('member:find', { query: '98887777' })).toEqual({ member: null, source: null, offline: true });
    for (const query of ['1234', 'hello world', '']) {
      const result = await reg.dispatch('member:find', { query });
      expect(result.ok ? null : result.error.code).toBe('BAD_REQUEST');
    }
  });

  it('needs a logged-in cashier', async () => {
    const { reg } = await openRegister();
    const result = await reg.dispatch('member:find', { query: '91234567' });
    expect(result.ok ? null : result.error.code).toBe('NOT_LOGGED_IN');
  });
});

describe('the member on the sale', () => {
  it('member prices apply at once and go when the member is removed; the receipt and the pushed document carry the points', async () => {
    const { call, reg } = await openRegister({ staff: DEMO_CASHIER });
    await call<Cart>('cart:scan', { code: WATER });
    let cart = await call<Cart>('cart:scan', { code: WATER });
    expect(cart.total).toBe(1600);
    cart = await call<Cart>('cart:set-member', { code: 'M90000001' });
    expect(cart.member).toMatchObject({ name: '陳大文', tier: 'gold', points: 1280 });
    expect(cart.total).toBe(1200);
    cart = await call<Cart>('cart:set-member', { code: null });
    expect([cart.member, cart.total]).toEqual([null, 1600]);
    const missing = await reg.dispatch('cart:set-member', { code: 'NOBODY' });
    expect(missing.ok ? null : missing.error.code).toBe('NOT_FOUND');

    cart = await call<Cart>('cart:set-member', { code: 'M90000001' });
    const receipt = await call<Receipt>('sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: 1200 }] });
    expect(receipt.member).toEqual({
      code: 'M90000001',
      name: '陳大文',
      maskedPhone: '9xxx 4567',
      tier: 'gold',
      pointsEarned: 12,
      pointsBalance: 1292,
    });
    expect(await call<Receipt>('sale:find', { receiptNo: receipt.receiptNo })).toEqual(receipt);
    // until the cloud acknowledges the sale, the till adds its points to the pulled balance
    expect((await call<MemberFindResult>('member:find', { query: '91234567' })).member?.points).toBe(1292);
    // the next cart starts without a member
    expect((await call<Cart>('cart:get', {})).member).toBeNull();
    const db = new Database(reg.dbFile, { readonly: true });
    try {
      const row = db.prepare("SELECT payload FROM outbox WHERE kind = 'document.sale'").get() as { payload: string };
      expect(JSON.parse(row.payload).member).toMatchObject({ code: 'M90000001', pointsEarned: 12 });
    } finally {
      db.close();
    }
  });
});

describe('returns and history', () => {
  it("a return by receipt brings the sale's member: the receipt and the pushed document reverse the points", async () => {
    const { call, reg } = await openRegister({ staff: DEMO_CASHIER });
    await call<Cart>('cart:scan', { code: WATER });
    await call<Cart>('cart:scan', { code: WATER });
    let cart = await call<Cart>('cart:set-member', { code: 'M90000001' });
    const sale = await call<Receipt>('sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: 1200 }] });
    const soldLine = sale.lines[0]!;

    cart = await call<Cart>('cart:add-return', { receiptNo: sale.receiptNo, lines: [{ saleLineId: soldLine.id, quantity: 1 }] });
    expect(cart.member).toMatchObject({ code: 'M90000001', points: 1292 });
    expect(cart.total).toBe(-600);
    const back = await call<Receipt>('sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: 600 }] });
    expect(back.member).toMatchObject({ code: 'M90000001', pointsEarned: -6, pointsBalance: 1286 });
    expect((await call<MemberFindResult>('member:find', { query: '91234567' })).member?.points).toBe(1286);
    const db = new Database(reg.dbFile, { readonly: true });
    try {
      const row = db.prepare("SELECT payload FROM outbox WHERE kind = 'document.return'").get() as { payload: string };
      expect(JSON.parse(row.payload).member).toMatchObject({ code: 'M90000001', pointsEarned: -6 });
    } finally {
      db.close();
    }

    // offline, the history is this till's own documents for the member, newest first, and says so
    const history = await call<MemberHistory>('member:history', { code: 'M90000001' });
    expect(history.source).toBe('local');
    expect(history.purchases.map((p) => [p.receiptNo, p.kind, p.storeCode, p.total])).toEqual([
      [back.receiptNo, 'return', 'MK01', -600],
      [sale.receiptNo, 'sale', 'MK01', 1200],
    ]);
    expect((await call<MemberHistory>('member:history', { code: 'M90000002' })).purchases).toEqual([]);
    const nobody = await reg.dispatch('member:history', { code: 'NOBODY' });
    expect(nobody.ok ? null : nobody.error.code).toBe('NOT_FOUND');
  });

  it('a return of a member’s sale keeps that member: another member on its cart is refused; a sale with no member takes no one’s points back', async () => {
    const { call, reg } = await openRegister({ staff: DEMO_CASHIER });
    await call<Cart>('cart:scan', { code: WATER });
    let cart = await call<Cart>('cart:set-member', { code: 'M90000001' });
    const sale = await call<Receipt>('sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: cart.total }] });
    await call<Cart>('cart:set-member', { code: 'M90000002' });
    const onOther = await reg.dispatch('cart:add-return', {
      receiptNo: sale.receiptNo,
      lines: [{ saleLineId: sale.lines[0]!.id, quantity: 1 }],
    });
    expect(onOther).toMatchObject({ ok: false, error: { code: 'MEMBER_RETURN_SALE_MEMBER' } });
    await call<Cart>('cart:set-member', { code: null });
    cart = await call<Cart>('cart:add-return', { receiptNo: sale.receiptNo, lines: [{ saleLineId: sale.lines[0]!.id, quantity: 1 }] });
    expect(cart.member?.code).toBe('M90000001');
    for (const code of ['M90000002', null])
      expect(await reg.dispatch('cart:set-member', { code })).toMatchObject({ ok: false, error: { code: 'MEMBER_RETURN_SALE_MEMBER' } });
    await call<Receipt>('sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: -cart.total }] });

    // a sale with no member earned nothing: returned on a member's cart, it takes none of theirs
    await call<Cart>('cart:scan', { code: WATER });
    cart = await call<Cart>('cart:get', {});
    const plain = await call<Receipt>('sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: cart.total }] });
    await call<Cart>('cart:set-member', { code: 'M90000002' });
    cart = await call<Cart>('cart:add-return', { receiptNo: plain.receiptNo, lines: [{ saleLineId: plain.lines[0]!.id, quantity: 1 }] });
    const back = await call<Receipt>('sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: -cart.total }] });
    expect(back.member).toMatchObject({ code: 'M90000002', pointsEarned: 0 });
  });
});

describe('enrolling at the till', () => {
  it('offline: a provisional code at once, findable by phone, queued once in the outbox with the consent as answered', async () => {
    const { call, reg } = await openRegister({ staff: DEMO_CASHIER });
    const member = await call<MemberView>('member:enrol', {
      name: ' 黃小玲 ',
      phone: '6123 4567',
      email: '',
      birthMonth: 8,
      marketingConsent: false,
    });
    expect(member).toMatchObject({ name: '黃小玲', maskedPhone: '6xxx 4567', tier: 'standard', points: 0, provisional: true });
    expect(member.code).toMatch(/^TMK01-01-\d{5}$/);
    expect((await call<MemberFindResult>('member:find', { query: '61234567' })).member?.code).toBe(member.code);
    const cart = await call<Cart>('cart:set-member', { code: member.code });
    expect(cart.member?.provisional).toBe(true);

    const again = await reg.dispatch('member:enrol', {
      name: '黃小玲',
      phone: '61234567',
      email: null,
      birthMonth: null,
      marketingConsent: true,
    });
    expect(again.ok ? null : again.error.code).toBe('CONFLICT');
    for (const bad of [
      { name: 'X', phone: '6123', email: null, birthMonth: null, marketingConsent: true },
      { name: 'X', phone: '61230000', email: 'not-an-email', birthMonth: null, marketingConsent: true },
      { name: 'X', phone: '61230000', email: null, birthMonth: 13, marketingConsent: true },
      { name: 'X', phone: '61230000', email: null, birthMonth: null },
      { name: 'X', phone: '61230000', email: null, birthMonth: null, marketingConsent: true, hkid: 'A123456(3)' },
    ]) {
      const result = await reg.dispatch('member:enrol', bad);
      expect(result.ok ? null : result.error.code).toBe('BAD_REQUEST');
    }
    const db = new Database(reg.dbFile, { readonly: true });
    try {
      const rows = db.prepare("SELECT ref, payload FROM outbox WHERE kind = 'member.enrolled'").all() as { ref: string; payload: string }[];
      expect(rows).toHaveLength(1);
      const payload = MemberEnrolment.parse(JSON.parse(rows[0]!.payload));
      expect(payload).toMatchObject({
        provisionalCode: member.code,
        phone: '61234567',
        email: null,
        birthMonth: 8,
        marketingConsent: { given: false, wordingVersion: 'dm-2026-01' },
      });
      expect(rows[0]!.ref).toBe(member.code);
    } finally {
      db.close();
    }
  });
});
