/**
 * The merchant's earn and redeem rules owned by head office (issue 13), register and cloud for real
 * (SQLite files, the cloud on PostgreSQL): a register with no cloud sets its own; enrolled, it takes
 * the cloud's from the snapshot and refuses a local edit; a change at head office reaches the running
 * register through the pull and the next sale's receipt earns at the new rate (tier multiplier,
 * excluded category), the offline limit and points rate with it. The cloud credits every document by
 * the version in force when it was made, whatever the register printed: a sale made offline before the
 * change earns by the old rules, one made offline after it by the new, and a return reverses what the
 * returned sale earned.
 */
import { describe, expect, it } from 'vitest';
import { upsertMember, upsertProduct } from '../../../cloud/domain/catalogue';
import { setRules } from '../../../cloud/domain/members';
import { withTransaction } from '../../../cloud/db/tx';
import type { Cart, Receipt } from '../../../src/shared/checkout-schemas';
import type { RegisterMemberRulesView } from '../../../src/shared/member-rules';
import type { MemberFindResult } from '../../../src/shared/member-schemas';
import type { Register } from '../../../src/main/register';
import { BUN, MILK_TEA, call, createCloudShop, enrol, enrolmentCode, eventually, syncStatus, useSyncRig } from './helpers';
import { startFaultProxy } from './fault-proxy';

const { database, server, openRegister } = useSyncRig();

const CODE = 'MR1';

async function memberSale(register: Register): Promise<Receipt> {
  for (const barcode of [MILK_TEA.barcode, BUN.barcode]) await call<Cart>(register, 'cart:scan', { code: barcode });
  const cart = await call<Cart>(register, 'cart:set-member', { code: CODE });
  expect(cart.total).toBe(2_565); // HK$18.00 + HK$7.65 (the bun at the bakery's 9 折)
  return call<Receipt>(register, 'sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: cart.total }] });
}

async function cloudPoints(receiptNo: string): Promise<number | null> {
  const row = // a return's reversal has its own key (cloud/domain/return-points.ts)
    (
      await database().pool.query<{ amount: string | null }>(
        `SELECT sum(amount) AS amount FROM ledger_entry WHERE idem_key = ANY($1::text[])`,
        [[`doc:${receiptNo}:points`, `doc:${receiptNo}:points:return`]],
      )
    ).rows[0];
  return row === undefined || row.amount === null ? null : Number(row.amount);
}

const drained = (register: Register) =>
  eventually(
    async () => {
      await call(register, 'sync:now');
      return syncStatus(register);
    },
    (s) => s.pending === 0,
    'the queue to drain',
    60_000,
  );

describe('member rules from the cloud', () => {
  it(
    'head office changes the rules; the running register pulls them and the next receipt earns at the new rate; the cloud credits by the version in force',
    { timeout: 240_000 },
    async () => {
      const pool = database().pool;
      const shop = await createCloudShop(pool);
      // the cloud's own category for the bun, which the new rules exclude
      await upsertProduct(
        pool,
        shop.merchantId,
        { sku: BUN.sku, nameZh: '菠蘿包', nameEn: 'Pineapple Bun', barcodes: [BUN.barcode], price: BUN.price, categoryCode: 'BAKERY' },
        Date.now(),
      );
      await upsertMember(pool, shop.merchantId, { code: CODE, name: '陳大文', phone: '9123 5500', tier: 'gold' }, Date.now());
      const port = Number(new URL(server.base).port);
      const proxy = await startFaultProxy(port, { resetRate: 0, hangRate: 0, cutEvery: 0 });
      try {
        const { register } = await openRegister();

        // Not enrolled: the register keeps rules of its own.
        const own = await call<RegisterMemberRulesView>(register, 'member:set-rules', {
          earnCentsPerPoint: 200,
          pointsPerDollar: 10,
          offlineLimitCents: 100,
          tierMultipliers: { gold: 5 },
          excludedCategories: [],
        });
        expect(own).toMatchObject({ source: 'local', version: 0, earnCentsPerPoint: 200 });

        // Enrolled: the snapshot's rules (head office never set any: the defaults, version 0) replace them; a local edit is refused.
        await enrol(register, proxy.url, await enrolmentCode(pool, shop.store));
        const pulled = await eventually(
          () => call<RegisterMemberRulesView>(register, 'member:rules'),
          (r) => r.source === 'cloud',
          'the cloud’s rules in the snapshot',
        );
        expect(pulled).toMatchObject({
          version: 0,
          earnCentsPerPoint: 100,
          pointsPerDollar: 100,
          offlineLimitCents: 50_000,
          tierMultipliers: {},
        });
        const refused = await register.dispatch('member:set-rules', {
          ...own,
          version: undefined,
          source: undefined,
          effectiveFrom: undefined,
        });
        expect(refused.ok ? null : refused.error.code).toBe('CONFLICT');
        await eventually(
          () => call<MemberFindResult>(register, 'member:find', { query: CODE }),
          (f) => f.member !== null,
          'the member in the pull',
        );

        // Sale A by the defaults: 25 points (HK$25.65, gold earns ×1).
        const a = await memberSale(register);
        expect(a.member?.pointsEarned).toBe(25);
        await drained(register);
        expect(await cloudPoints(a.receiptNo)).toBe(25);

        // Offline: sale X, then head office changes the rules, then sale Y. The register has not pulled
        // the change, so it prints the old figure on both; the cloud credits each by the rules in force
        // when it was made.
        proxy.setMode('offline');
        const x = await memberSale(register);
        await new Promise((resolve) => setTimeout(resolve, 5));
        await withTransaction(pool, (client) =>
          setRules(
            client,
            shop.merchantId,
            {
              earnCentsPerPoint: 50,
              tierMultipliers: { gold: 3 },
              excludedCategories: ['BAKERY'],
              pointsPerDollar: 50,
              offlineLimitCents: 12_300,
            },
            Date.now(),
          ),
        );
        await new Promise((resolve) => setTimeout(resolve, 5));
        const y = await memberSale(register);
        expect([x.member?.pointsEarned, y.member?.pointsEarned]).toEqual([25, 25]);
        proxy.setMode('pass');
        await drained(register);
        expect(await cloudPoints(x.receiptNo)).toBe(25);
        // HK$18.00 of tea at HK$0.50 a point, ×3 for gold; the bun's bakery earns nothing
        expect(await cloudPoints(y.receiptNo)).toBe(108);

        // The running register pulls version 1: the next receipt earns at the new rate, and the
        // payment screen's rate and the offline bound follow.
        const v1 = await eventually(
          async () => {
            await call(register, 'sync:now');
            return call<RegisterMemberRulesView>(register, 'member:rules');
          },
          (r) => r.version === 1,
          'version 1 of the rules pulled',
        );
        expect(v1).toMatchObject({ source: 'cloud', earnCentsPerPoint: 50, tierMultipliers: { gold: 3 }, excludedCategories: ['BAKERY'] });
        expect((await call<MemberFindResult>(register, 'member:find', { query: CODE })).member?.pointsPerDollar).toBe(50);
        const c = await memberSale(register);
        expect(c.member?.pointsEarned).toBe(108);
        await drained(register);
        expect(await cloudPoints(c.receiptNo)).toBe(108);

        // A return of sale A's tea after the change reverses what A earned by its own version (HK$18.00 at ×1).
        const returned = await call<Cart>(register, 'cart:add-return', {
          receiptNo: a.receiptNo,
          lines: [{ saleLineId: a.lines[0]!.id, quantity: 1 }],
        });
        const refund = await call<Receipt>(register, 'sale:complete', {
          cartId: returned.id,
          tenders: [{ method: 'cash', amount: -returned.total }],
        });
        await drained(register);
        expect(await cloudPoints(refund.receiptNo)).toBe(-18);
      } finally {
        await proxy.close();
      }
    },
  );
});
