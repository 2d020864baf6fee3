/**
 * Points and store credit as tenders (issue 13), between real registers (SQLite) and the real cloud
 * (PostgreSQL): online the cloud takes the redemption under the account's lock and the document
 * that follows applies nothing twice; offline the register's bound decides, in the sale's
 * transaction; two registers overspending offline end on the exceptions list, the sales kept; a
 * return pays a stored-value tender back to the same account.
 */
import { describe, expect, it } from 'vitest';
import { listLedgerExceptions } from '../../../cloud/domain/ledger-exceptions';
import { adjustBalance } from '../../../cloud/domain/members';
import { upsertMember } from '../../../cloud/domain/catalogue';
import type { Cart, Receipt } from '../../../src/shared/checkout-schemas';
import type { MemberFindResult } from '../../../src/shared/member-schemas';
import { STORED_VALUE_METHOD } from '../../../src/shared/stored-value';
import type { Register } from '../../../src/main/register';
import { BUN, MILK_TEA, call, createCloudShop, enrol, enrolmentCode, eventually, syncStatus, useSyncRig } from './helpers';
import { startFaultProxy } from './fault-proxy';

const { database, server, openRegister } = useSyncRig();

let members = 0;
/** A shop with one member holding 2,000 points and HK$50.00 of store credit. */
async function shopWithMember(): Promise<{ shop: Awaited<ReturnType<typeof createCloudShop>>; code: string }> {
  const shop = await createCloudShop(database().pool);
  members += 1;
  const code = `SV${members}`;
  const pool = database().pool;
  await upsertMember(
    pool,
    shop.merchantId,
    { code, name: '陳大文', phone: `9123 40${String(members).padStart(2, '0')}`, tier: 'standard' },
    Date.now(),
  );
  await adjustBalance(
    pool,
    shop.merchantId,
    { memberCode: code, kind: 'points', amount: 2_000, reason: 'opening', ref: `${code}-p` },
    Date.now(),
  );
  await adjustBalance(
    pool,
    shop.merchantId,
    { memberCode: code, kind: 'credit', amount: 5_000, reason: 'opening', ref: `${code}-c` },
    Date.now(),
  );
  return { shop, code };
}

async function cloudBalances(code: string): Promise<{ points: number; credit: number }> {
  const rows = (
    await database().pool.query<{ kind: 'points' | 'credit'; balance: string; total: string }>(
      `SELECT a.kind, (SELECT balance_after FROM ledger_entry WHERE account_id = a.id ORDER BY id DESC LIMIT 1) AS balance,
              (SELECT sum(amount) FROM ledger_entry WHERE account_id = a.id) AS total
       FROM ledger_account a JOIN member m ON m.id = a.member_id WHERE m.code = $1`,
      [code],
    )
  ).rows;
  // a balance is the sum of its ledger's rows
  for (const r of rows) expect(Number(r.balance)).toBe(Number(r.total));
  const of = (kind: string) => Number(rows.find((r) => r.kind === kind)?.balance ?? 0);
  return { points: of('points'), credit: of('credit') };
}

async function enrolled(shop: Awaited<ReturnType<typeof createCloudShop>>, code: string, cloudUrl = server.base) {
  const r = await openRegister();
  await enrol(r.register, cloudUrl, await enrolmentCode(database().pool, shop.store));
  await eventually(
    () => call<MemberFindResult>(r.register, 'member:find', { query: code }),
    (f) => f.member?.storeCredit === 5_000,
    'the member and balances in the pull',
  );
  return r;
}

async function memberCart(register: Register, code: string, barcodes: string[]): Promise<Cart> {
  for (const barcode of barcodes) await call<Cart>(register, 'cart:scan', { code: barcode });
  return call<Cart>(register, 'cart:set-member', { code });
}

const drained = (register: Register) =>
  eventually(
    () => syncStatus(register),
    (s) => s.pending === 0,
    'the queue to drain',
  );

describe('points and store credit as tenders', () => {
  it('online: the cloud takes points and credit under the lock; the synced document applies them once; the receipt shows both', async () => {
    const { shop, code } = await shopWithMember();
    const { register } = await enrolled(shop, code);
    const cart = await memberCart(register, code, [MILK_TEA.barcode, BUN.barcode]); // HK$18.00 + HK$7.65 (麵包糕點 9 折)
    expect(cart.total).toBe(2_565);
    const receipt = await call<Receipt>(register, 'sale:complete', {
      cartId: cart.id,
      tenders: [
        { method: STORED_VALUE_METHOD.points, amount: 1_000 },
        { method: STORED_VALUE_METHOD.credit, amount: 1_265 },
        { method: 'cash', amount: 300 },
      ],
    });
    expect(receipt.payments.map((p) => [p.method, p.amount, p.storedValue?.decidedBy, p.storedValue?.units])).toEqual([
      ['member-points', 1_000, 'cloud', -1_000],
      ['member-credit', 1_265, 'cloud', -1_265],
      ['cash', 300, undefined, undefined],
    ]);
    expect(receipt.member).toMatchObject({ pointsRedeemed: 1_000, pointsEarned: 25, pointsBalance: 1_025 });
    expect(receipt.member).toMatchObject({ storeCreditUsed: 1_265, storeCreditBalance: 3_735 });
    // taken at once, before the document synced
    expect(await cloudBalances(code)).toEqual({ points: 1_000, credit: 3_735 });
    await drained(register);
    expect(await cloudBalances(code)).toEqual({ points: 1_025, credit: 3_735 });
    // pushed again (a lost answer, a restart): nothing twice
    await call(register, 'sync:now');
    await drained(register);
    expect(await cloudBalances(code)).toEqual({ points: 1_025, credit: 3_735 });
    // the online redemptions carry no document; the document's own movements replayed onto them
    const entries = await database().pool.query('SELECT reason, amount FROM ledger_entry WHERE document = $1 ORDER BY id', [
      receipt.receiptNo,
    ]);
    expect(entries.rows.map((r) => [r.reason, Number(r.amount)])).toEqual([['earn', 25]]);
    // the till's view of the member follows
    const view = await call<MemberFindResult>(register, 'member:find', { query: code });
    expect(view.member).toMatchObject({ storeCredit: 3_735 });

    // a return pays the credit back to the same account, and reverses the points the line earned
    const returned = await call<Cart>(register, 'cart:add-return', {
      receiptNo: receipt.receiptNo,
      lines: [{ saleLineId: receipt.lines[0]!.id, quantity: 1 }],
    });
    expect(returned.member?.code).toBe(code);
    expect(returned.total).toBe(-1_800);
    const refund = await call<Receipt>(register, 'sale:complete', {
      cartId: returned.id,
      tenders: [
        { method: STORED_VALUE_METHOD.credit, amount: 1_200 },
        { method: 'cash', amount: 600 },
      ],
    });
    expect(refund.payments[0]).toMatchObject({ amount: -1_200, storedValue: { decidedBy: 'register', units: 1_200 } });
    expect(refund.member).toMatchObject({ storeCreditUsed: -1_200, storeCreditBalance: 4_935, pointsEarned: -18 });
    await drained(register);
    expect(await cloudBalances(code)).toEqual({ points: 1_007, credit: 4_935 });
  }, 60_000);

  it('offline the bound decides: what the pulled balance allows is taken, more is refused with what is available', async () => {
    const { shop, code } = await shopWithMember();
    const port = Number(new URL(server.base).port);
    const proxy = await startFaultProxy(port, { resetRate: 0, hangRate: 0, cutEvery: 0 });
    try {
      const { register } = await enrolled(shop, code, proxy.url);
      proxy.setMode('offline');
      // four teas (第二杯半價): HK$54.00; HK$51.00 of credit asked, only HK$50.00 on the account
      const cart = await memberCart(register, code, [MILK_TEA.barcode, MILK_TEA.barcode, MILK_TEA.barcode, MILK_TEA.barcode]);
      expect(cart.total).toBe(5_400);
      const refused = await register.dispatch('sale:complete', {
        cartId: cart.id,
        tenders: [
          { method: STORED_VALUE_METHOD.credit, amount: 5_100 },
          { method: 'cash', amount: cart.total - 5_100 },
        ],
      });
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'INSUFFICIENT_BALANCE', values: { kind: 'credit', availableCents: 5_000 } },
      });
      const paid = await call<Receipt>(register, 'sale:complete', {
        cartId: cart.id,
        tenders: [
          { method: STORED_VALUE_METHOD.credit, amount: 5_000 },
          { method: 'cash', amount: cart.total - 5_000 },
        ],
      });
      expect(paid.payments[0]?.storedValue).toMatchObject({ decidedBy: 'register', units: -5_000, balanceAfter: 0 });
      // the next sale offline finds nothing left
      const next = await memberCart(register, code, [BUN.barcode]);
      const none = await register.dispatch('sale:complete', {
        cartId: next.id,
        tenders: [
          { method: STORED_VALUE_METHOD.credit, amount: 100 },
          { method: 'cash', amount: next.total - 100 },
        ],
      });
      expect(none).toMatchObject({ ok: false, error: { code: 'INSUFFICIENT_BALANCE', values: { availableCents: 0 } } });
      proxy.setMode('pass');
      await call(register, 'sync:now');
      await drained(register);
      expect((await cloudBalances(code)).credit).toBe(0);
    } finally {
      await proxy.close();
    }
  }, 60_000);

  it('two registers overspending one account offline: both sales kept, the overdraft on the exceptions list', async () => {
    const { shop, code } = await shopWithMember();
    const port = Number(new URL(server.base).port);
    const proxy = await startFaultProxy(port, { resetRate: 0, hangRate: 0, cutEvery: 0 });
    try {
      const a = await enrolled(shop, code, proxy.url);
      const b = await enrolled(shop, code, proxy.url);
      proxy.setMode('offline');
      for (const { register } of [a, b]) {
        const cart = await memberCart(register, code, [MILK_TEA.barcode, MILK_TEA.barcode]); // HK$27.00 (第二杯半價)
        await call<Receipt>(register, 'sale:complete', {
          cartId: cart.id,
          tenders: [{ method: STORED_VALUE_METHOD.credit, amount: 2_700 }],
        });
      }
      proxy.setMode('pass');
      for (const { register } of [a, b]) {
        await call(register, 'sync:now');
        await drained(register);
      }
      expect((await cloudBalances(code)).credit).toBe(5_000 - 5_400);
      const exceptions = (await listLedgerExceptions(database().pool, shop.merchantId)).filter((x) => x.memberCode === code);
      expect(exceptions.map((x) => [x.kind, x.amount])).toEqual([['overdraft', 400]]);
      const quarantined = await database().pool.query('SELECT count(*)::int AS n FROM quarantine WHERE merchant_id = $1', [
        shop.merchantId,
      ]);
      expect(quarantined.rows[0].n).toBe(0);
    } finally {
      await proxy.close();
    }
  }, 180_000);

  it('stored value needs a member on the sale', async () => {
    const { shop, code } = await shopWithMember();
    const { register } = await enrolled(shop, code);
    const cart = await call<Cart>(register, 'cart:scan', { code: BUN.barcode });
    const refused = await register.dispatch('sale:complete', {
      cartId: cart.id,
      tenders: [{ method: STORED_VALUE_METHOD.points, amount: cart.total }],
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'STORED_VALUE_NO_MEMBER' } });
  }, 60_000);

  it('a return pays back to points or credit at most what the sale paid with them, less earlier returns', async () => {
    const { shop, code } = await shopWithMember();
    const { register } = await enrolled(shop, code);
    const cart = await memberCart(register, code, [MILK_TEA.barcode, BUN.barcode]); // HK$25.65
    const sale = await call<Receipt>(register, 'sale:complete', {
      cartId: cart.id,
      tenders: [
        { method: STORED_VALUE_METHOD.points, amount: 1_000 },
        { method: STORED_VALUE_METHOD.credit, amount: 500 },
        { method: 'cash', amount: 1_065 },
      ],
    });
    // the tea back (HK$18.00): HK$12.00 to points is more than the HK$10.00 they paid
    const tea = await call<Cart>(register, 'cart:add-return', {
      receiptNo: sale.receiptNo,
      lines: [{ saleLineId: sale.lines[0]!.id, quantity: 1 }],
    });
    const over = await register.dispatch('sale:complete', {
      cartId: tea.id,
      tenders: [
        { method: STORED_VALUE_METHOD.points, amount: 1_200 },
        { method: 'cash', amount: 600 },
      ],
    });
    expect(over).toMatchObject({
      ok: false,
      error: { code: 'STORED_VALUE_REFUND_OVER', values: { kind: 'points', availableCents: 1_000 } },
    });
    await call<Receipt>(register, 'sale:complete', {
      cartId: tea.id,
      tenders: [
        { method: STORED_VALUE_METHOD.points, amount: 1_000 },
        { method: STORED_VALUE_METHOD.credit, amount: 300 },
        { method: 'cash', amount: 500 },
      ],
    });
    // the bun back (HK$7.65): the points are all given back already, HK$2.00 of the credit is left
    const bun = await call<Cart>(register, 'cart:add-return', {
      receiptNo: sale.receiptNo,
      lines: [{ saleLineId: sale.lines[1]!.id, quantity: 1 }],
    });
    const noPoints = await register.dispatch('sale:complete', {
      cartId: bun.id,
      tenders: [
        { method: STORED_VALUE_METHOD.points, amount: 100 },
        { method: 'cash', amount: 665 },
      ],
    });
    expect(noPoints).toMatchObject({
      ok: false,
      error: { code: 'STORED_VALUE_REFUND_OVER', values: { kind: 'points', availableCents: 0 } },
    });
    const credit = await register.dispatch('sale:complete', {
      cartId: bun.id,
      tenders: [
        { method: STORED_VALUE_METHOD.credit, amount: 300 },
        { method: 'cash', amount: 465 },
      ],
    });
    expect(credit).toMatchObject({
      ok: false,
      error: { code: 'STORED_VALUE_REFUND_OVER', values: { kind: 'credit', availableCents: 200 } },
    });
    await call<Receipt>(register, 'sale:complete', {
      cartId: bun.id,
      tenders: [
        { method: STORED_VALUE_METHOD.credit, amount: 200 },
        { method: 'cash', amount: 565 },
      ],
    });
    await drained(register);
    // 2,000 − 1,000 + 25 earned + 1,000 back − 18 − 7 reversed; HK$50.00 − 5.00 + 3.00 + 2.00
    expect(await cloudBalances(code)).toEqual({ points: 2_000, credit: 5_000 });
  }, 120_000);
  it('a return keeps the member of the sale it returns: another member on its cart is refused; the points come off the sale’s member only', async () => {
    const { shop, code } = await shopWithMember();
    const other = `${code}B`;
    await upsertMember(
      database().pool,
      shop.merchantId,
      { code: other, name: '李小姐', phone: `9123 50${code.slice(2).padStart(2, '0')}`, tier: 'standard' },
      Date.now(),
    );
    const { register } = await enrolled(shop, code);
    await eventually(
      () => call<MemberFindResult>(register, 'member:find', { query: other }),
      (f) => f.member !== null,
      'the other member in the pull',
    );
    const cart = await memberCart(register, code, [MILK_TEA.barcode, BUN.barcode]); // HK$25.65
    const sale = await call<Receipt>(register, 'sale:complete', {
      cartId: cart.id,
      tenders: [
        { method: STORED_VALUE_METHOD.points, amount: 1_000 },
        { method: 'cash', amount: 1_565 },
      ],
    });
    expect(sale.member?.pointsEarned).toBe(25);
    // the tea back (HK$18.00): the sale's member comes with it, and the cashier cannot put another
    // member (or none) in their place: the points come off the sale's member (return-member.ts)
    const tea = await call<Cart>(register, 'cart:add-return', {
      receiptNo: sale.receiptNo,
      lines: [{ saleLineId: sale.lines[0]!.id, quantity: 1 }],
    });
    expect(tea.member?.code).toBe(code);
    for (const to of [other, null])
      expect(await register.dispatch('cart:set-member', { code: to })).toMatchObject({
        ok: false,
        error: { code: 'MEMBER_RETURN_SALE_MEMBER' },
      });
    const back = await call<Receipt>(register, 'sale:complete', { cartId: tea.id, tenders: [{ method: 'cash', amount: 1_800 }] });
    expect(back.member).toMatchObject({ code, pointsEarned: -18 });
    // the other member's cart cannot take the bun back either
    await memberCart(register, other, [MILK_TEA.barcode]);
    expect(
      await register.dispatch('cart:add-return', { receiptNo: sale.receiptNo, lines: [{ saleLineId: sale.lines[1]!.id, quantity: 1 }] }),
    ).toMatchObject({ ok: false, error: { code: 'MEMBER_RETURN_SALE_MEMBER' } });

    await drained(register);
    // the cloud agrees: 2,000 − 1,000 + 25 earned − 18 reversed on the sale's member; the other untouched
    expect((await cloudBalances(code)).points).toBe(1_007);
    expect((await cloudBalances(other)).points).toBe(0);
    const exceptions = (await listLedgerExceptions(database().pool, shop.merchantId)).filter((x) => x.kind === 'refund_over');
    expect(exceptions).toEqual([]);
  }, 120_000);
});
