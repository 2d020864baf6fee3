/**
 * The console's report for a day equals the registers' Z reports for that day: two real register
 * cores (their own SQLite, the bundled sync worker) sell, return and pay by cash, card and Octopus,
 * push to a real cloud on PostgreSQL, and close the day; the console's breakdown (over HTTP, as
 * the page reads it) must give the same net, counts, tenders, categories and staff figures, per
 * register and in total, and its CSV the same amounts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Receipt, Cart } from '../../../src/shared/checkout-schemas';
import type { ZReport } from '../../../src/shared/shift-schemas';
import { storeDate } from '../../../src/shared/store-time';
import { upsertProduct } from '../../../cloud/domain/catalogue';
import type { ReportRow, SalesBreakdown } from '../../../cloud/hq/contract';
import {
  BUN,
  MILK_TEA,
  ROOT,
  WATER,
  call,
  createCloudShop,
  enrol,
  enrolmentCode,
  eventually,
  syncStatus,
  useSyncRig,
} from '../sync/helpers';
import { HqClient, addUser, startHq } from './hq-helpers';

const rig = useSyncRig();
let hq: Awaited<ReturnType<typeof startHq>>;
beforeAll(async () => {
  hq = await startHq(rig.database().pool, { now: () => Date.now() });
});
afterAll(async () => {
  await hq?.close();
});

const demo = JSON.parse(readFileSync(join(ROOT, 'assets', 'demo', 'store.json'), 'utf8')) as {
  products: { sku: string; nameZh: string; nameEn: string; category: string; barcodes: string[] }[];
};

type Tender =
  | { method: 'cash'; amount: number }
  | { method: 'card'; amount: number; approvalCode: string; cardLast4: string }
  | { method: 'octopus'; amount: number; reference: string };

function tender(method: 'cash' | 'card' | 'octopus', amount: number): Tender {
  if (method === 'card') return { method, amount, approvalCode: 'A1B2C3', cardLast4: '4242' };
  if (method === 'octopus') return { method, amount, reference: 'OCT123456' };
  return { method, amount };
}

async function sell(register: Parameters<typeof call>[0], codes: string[], method: 'cash' | 'card' | 'octopus'): Promise<Receipt> {
  let cart: Cart | undefined;
  for (const code of codes) cart = await call<Cart>(register, 'cart:scan', { code });
  return call<Receipt>(register, 'sale:complete', { cartId: cart!.id, tenders: [tender(method, cart!.total)] });
}

async function refund(register: Parameters<typeof call>[0], receipt: Receipt, lines = receipt.lines.slice(0, 1)): Promise<Receipt> {
  const cart = await call<Cart>(register, 'cart:add-return', {
    receiptNo: receipt.receiptNo,
    lines: lines.map((l) => ({ saleLineId: l.id, quantity: l.quantity })),
  });
  return call<Receipt>(register, 'sale:complete', { cartId: cart.id, tenders: [tender('cash', Math.abs(cart.total))] });
}

/** key → [count, amount, quantity] of a cut, summed when a key repeats. */
function byKey(
  rows: readonly { key: string; count: number; amount: number; quantity?: number | null }[],
): Record<string, [number, number, number]> {
  const out: Record<string, [number, number, number]> = {};
  for (const r of rows) {
    const prev = out[r.key] ?? [0, 0, 0];
    out[r.key] = [prev[0] + r.count, prev[1] + r.amount, prev[2] + (r.quantity ?? 0)];
  }
  return out;
}

const cut = (rows: ReportRow[]) => byKey(rows.map((r) => ({ key: r.key, count: r.count, amount: r.amount, quantity: r.quantityMilli })));

describe('reports across stores', () => {
  it('give, for the day, exactly the figures of the registers’ Z reports: net, counts, tenders, categories, staff, per register', async () => {
    const pool = rig.database().pool;
    const shop = await createCloudShop(pool, { skus: [MILK_TEA.sku, BUN.sku, WATER.sku] });
    // the catalogue's categories, as the demo register has them (registers pull products from here)
    for (const p of demo.products.filter((d) => [MILK_TEA.sku, BUN.sku, WATER.sku].includes(d.sku)))
      await upsertProduct(
        pool,
        shop.merchantId,
        { sku: p.sku, nameZh: p.nameZh, nameEn: p.nameEn, categoryCode: p.category, barcodes: p.barcodes },
        Date.now(),
      );
    await addUser(pool, shop.merchantId, 'owner@z.hk', 'owner');

    const a = (await rig.openRegister()).register;
    const b = (await rig.openRegister()).register;
    await enrol(a, rig.server.base, await enrolmentCode(pool, shop.store));
    await enrol(b, rig.server.base, await enrolmentCode(pool, shop.store));
    await call(b, 'staff:logout');
    await call(b, 'staff:login', { staffId: 1, pin: '1234' }); // a cashier on the second till

    const receipts: Receipt[] = [];
    receipts.push(await sell(a, [MILK_TEA.barcode, MILK_TEA.barcode, BUN.barcode], 'cash'));
    const byCard = await sell(a, [BUN.barcode, WATER.barcode], 'card');
    receipts.push(byCard);
    receipts.push(await refund(a, byCard));
    receipts.push(await sell(b, [WATER.barcode, WATER.barcode], 'octopus'));
    receipts.push(await sell(b, [MILK_TEA.barcode, BUN.barcode], 'cash'));
    for (const r of [a, b])
      await eventually(
        () => syncStatus(r),
        (s) => s.pending === 0,
        'the queue to empty',
      );
    await call(b, 'staff:logout');
    await call(b, 'staff:login', { staffId: 3, pin: '9999' }); // the manager closes the day
    const zs = [await call<ZReport>(a, 'day:close'), await call<ZReport>(b, 'day:close')];
    expect(zs.map((z) => z.totals.counts.documents)).toEqual([3, 2]);

    const days = receipts.map((r) => storeDate(r.completedAt, 'Asia/Hong_Kong')).sort();
    const owner = new HqClient(hq.base);
    expect((await owner.login('owner@z.hk')).status).toBe(200);
    const answer = await owner.request('GET', `/hq/api/reports/breakdown?from=${days[0]}&to=${days.at(-1)}&store=${shop.store.id}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const report = answer.body as unknown as SalesBreakdown;

    const sum = (pick: (z: ZReport['totals']) => number) => zs.reduce((total, z) => total + pick(z.totals), 0);
    expect(report.totals).toEqual({
      documents: sum((z) => z.counts.documents),
      sales: sum((z) => z.counts.sales),
      returns: sum((z) => z.counts.returns),
      exchanges: sum((z) => z.counts.exchanges),
      gross: sum((z) => z.gross),
      promotions: sum((z) => z.promotions),
      discounts: sum((z) => z.discounts),
      returnsValue: sum((z) => z.returns),
      net: sum((z) => z.net),
      tax: sum((z) => z.tax),
      rounding: sum((z) => z.rounding),
    });
    expect(report.totals.net).toBeGreaterThan(0);
    expect(report.totals.returns).toBe(1);

    // per register: each Z on its own
    expect(cut(report.by.register)).toEqual(
      Object.fromEntries(zs.map((z) => [`${z.totals.storeCode}-${z.totals.registerCode}`, [z.totals.counts.documents, z.totals.net, 0]])),
    );
    // tenders, categories and staff: the Zs' figures added up
    expect(cut(report.by.method)).toEqual(
      byKey(zs.flatMap((z) => z.totals.tenders.map((t) => ({ key: t.method, count: t.count, amount: t.amount })))),
    );
    expect(Object.keys(cut(report.by.method)).sort()).toEqual(['card', 'cash', 'octopus']);
    expect(cut(report.by.category.map((r) => ({ ...r, count: 0 })))).toEqual(
      byKey(zs.flatMap((z) => z.totals.categories.map((c) => ({ key: c.code ?? '', count: 0, amount: c.net, quantity: c.quantityMilli })))),
    );
    expect(cut(report.by.staff)).toEqual(
      byKey(zs.flatMap((z) => z.totals.staff.map((s) => ({ key: s.nameEn, count: s.documents, amount: s.net })))),
    );
    // the document cuts each add up to the net
    for (const dimension of ['day', 'hour', 'store', 'channel'] as const)
      expect(
        report.by[dimension].reduce((total, r) => total + r.amount, 0),
        dimension,
      ).toBe(report.totals.net);
    expect(report.by.channel.find((r) => r.key === 'register')).toMatchObject({ count: 5, nameEn: 'Registers' });

    // the CSV of a cut has the same amounts, as HK$ with two decimals
    const csv = await owner.request('GET', `/hq/api/reports/breakdown.csv?from=${days[0]}&to=${days.at(-1)}&by=register`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = (csv.body.text as string).replace(/^\uFEFF/, ''); // fetch's text() drops the BOM
    expect(text.startsWith('register,name_zh,name_en,documents,amount_hkd\r\n')).toBe(true);
    for (const z of zs) expect(text).toContain(`${z.totals.storeCode}-${z.totals.registerCode},`);
    for (const z of zs) expect(text).toContain(`,${z.totals.counts.documents},${(z.totals.net / 100).toFixed(2)}\r\n`);
  });
});
