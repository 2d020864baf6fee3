/**
 * Zero false quarantines (issue 11 item 8): documents made by the real register core (demo
 * promotions, line and cart discounts, price overrides, weighed lines, cash rounding with change,
 * cards, wallets, split tenders, returns pro rata, exchanges) all pass the cloud's checks and are
 * applied, whatever a cashier does.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cart, Receipt, TenderInput } from '../../../src/shared/checkout-schemas';
import { createRegister, type Register } from '../../../src/main/register';
import { silentLogger } from '../../../src/main/log';
import { upsertProduct } from '../../../cloud/domain/catalogue';
import { enrol, issueEnrolmentCode } from '../../../cloud/domain/enrolment';
import { createMerchant, createStore } from '../../../cloud/domain/merchants';
import { applyMutationBatch } from '../../../cloud/domain/mutations';
import { readMutation } from '../../../cloud/domain/mutation-kinds';
import { MutationRejected } from '../../../cloud/domain/quarantine';
import { authenticate } from '../../../cloud/domain/registers';
import { useTestDatabase } from './helpers';

const db = useTestDatabase();
let register: Register;
let dir: string;

/** Demo products: milk tea (2nd half price), egg tarts (3 for HK$18), bakery (10 % off), plain drinks and snacks. */
const BARCODES = [
  '4891234000012',
  '4891234000135',
  '4891234000128',
  '4891234000142',
  '4891234000050',
  '4891234000227',
  '4891234000289',
  '4891234000388',
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'suanpan-cloud-docs-'));
  register = await createRegister({ dataDir: dir, demo: true, log: silentLogger });
  await ok(register.dispatch('staff:login', { staffId: 3, pin: '9999' }));
});
afterAll(() => {
  register.close();
  rmSync(dir, { recursive: true, force: true });
});

async function ok<T>(pending: Promise<{ ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const result = await pending;
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

/** The register refusing a cashier's step is its business (a discount over a limit, say): the step is skipped. */
async function attempt(channel: string, payload: unknown): Promise<Cart | undefined> {
  const result = await register.dispatch(channel, payload);
  return result.ok ? (result.value as Cart) : undefined;
}

const Discount = fc.oneof(
  fc.record({ kind: fc.constant('percent' as const), basisPoints: fc.integer({ min: 1, max: 5000 }) }),
  fc.record({ kind: fc.constant('amount' as const), cents: fc.integer({ min: 1, max: 3000 }) }),
);

const Step = fc.record({
  items: fc.array(fc.record({ barcode: fc.constantFrom(...BARCODES), times: fc.integer({ min: 1, max: 4 }) }), { maxLength: 5 }),
  weighed: fc.option(fc.integer({ min: 1, max: 2500 }), { nil: undefined }),
  lineDiscount: fc.option(fc.record({ line: fc.nat(), discount: Discount }), { nil: undefined }),
  priceOverride: fc.option(fc.record({ line: fc.nat(), unitPrice: fc.integer({ min: 0, max: 5000 }) }), { nil: undefined }),
  cartDiscount: fc.option(Discount, { nil: undefined }),
  giveBack: fc.option(fc.record({ receipt: fc.nat(), line: fc.nat(), part: fc.constantFrom(1, 0.5, 0.25) }), { nil: undefined }),
  tender: fc.constantFrom('cash-exact', 'cash-note', 'card', 'octopus', 'split'),
});

type StepPlan = typeof Step extends fc.Arbitrary<infer T> ? T : never;

function tendersFor(total: number, how: string): TenderInput[] {
  if (total === 0) return [];
  const due = Math.abs(total);
  if (total < 0 || how === 'cash-exact') return [{ method: 'cash', amount: due }];
  if (how === 'cash-note') return [{ method: 'cash', amount: due, tendered: (Math.floor(due / 10_000) + 1) * 10_000 }];
  if (how === 'card') return [{ method: 'card', amount: due, approvalCode: 'A1B2C3', cardLast4: '4242' }];
  if (how === 'octopus') return [{ method: 'octopus', amount: due, reference: 'OCT-778899' }];
  const card = Math.floor(due / 2);
  return card === 0
    ? [{ method: 'cash', amount: due }]
    : [
        { method: 'card', amount: card, approvalCode: 'A1B2C3', cardLast4: '4242' },
        { method: 'cash', amount: due - card, tendered: due - card + 1000 },
      ];
}

const receipts: Receipt[] = [];

async function perform(step: StepPlan): Promise<void> {
  let cart = await ok<Cart>(register.dispatch('cart:get', {}));
  if (step.giveBack && receipts.length > 0) {
    const from = receipts[step.giveBack.receipt % receipts.length] as Receipt;
    const sold = from.lines.filter((l) => l.quantity > 0);
    const line = sold[step.giveBack.line % Math.max(1, sold.length)];
    if (line) {
      const quantity = Math.max(0.001, Math.round(line.quantity * step.giveBack.part * 1000) / 1000);
      cart = (await attempt('cart:add-return', { receiptNo: from.receiptNo, lines: [{ saleLineId: line.id, quantity }] })) ?? cart;
    }
  }
  for (const item of step.items) {
    for (let i = 0; i < item.times; i += 1) cart = (await attempt('cart:scan', { code: item.barcode })) ?? cart;
  }
  if (step.weighed !== undefined) cart = (await attempt('cart:add-product', { productId: 5, quantity: step.weighed / 1000 })) ?? cart;
  const sold = cart.lines.filter((l) => l.quantity > 0);
  if (step.priceOverride && sold.length > 0) {
    const line = sold[step.priceOverride.line % sold.length] as Cart['lines'][number];
    cart = (await attempt('cart:set-price', { lineId: line.id, unitPrice: step.priceOverride.unitPrice })) ?? cart;
  }
  if (step.lineDiscount && sold.length > 0) {
    const line = sold[step.lineDiscount.line % sold.length] as Cart['lines'][number];
    cart = (await attempt('cart:set-line-discount', { lineId: line.id, discount: step.lineDiscount.discount })) ?? cart;
  }
  if (step.cartDiscount) cart = (await attempt('cart:set-cart-discount', { discount: step.cartDiscount })) ?? cart;
  if (cart.lines.length === 0) return;
  const done = await register.dispatch('sale:complete', { cartId: cart.id, tenders: tendersFor(cart.total, step.tender) });
  if (done.ok) receipts.push(done.value as Receipt);
  else await ok(register.dispatch('cart:void', { reason: `test: ${done.error.message}`.slice(0, 200) }));
}

describe('documents the register makes (property)', () => {
  it('pass every check of the cloud and are applied: no false quarantine', async () => {
    // First what each check is about, for certain: promotions and change; a weighed line with line
    // and cart discounts and cash rounding; a return in part; an exchange; then anything at all.
    const none = {
      items: [],
      weighed: undefined,
      lineDiscount: undefined,
      priceOverride: undefined,
      cartDiscount: undefined,
      giveBack: undefined,
    };
    const scripted: StepPlan[] = [
      {
        ...none,
        items: [
          { barcode: '4891234000012', times: 2 },
          { barcode: '4891234000135', times: 3 },
        ],
        tender: 'cash-note',
      },
      {
        ...none,
        items: [{ barcode: '4891234000128', times: 1 }],
        weighed: 1234,
        lineDiscount: { line: 0, discount: { kind: 'percent', basisPoints: 1500 } },
        cartDiscount: { kind: 'amount', cents: 333 },
        tender: 'cash-exact',
      },
      { ...none, giveBack: { receipt: 1, line: 1, part: 0.5 }, tender: 'cash-exact' },
      { ...none, items: [{ barcode: '4891234000289', times: 1 }], giveBack: { receipt: 0, line: 0, part: 0.5 }, tender: 'split' },
    ];
    for (const step of scripted) await perform(step);
    expect(receipts.map((r) => r.kind)).toEqual(['sale', 'sale', 'return', 'exchange']);
    await fc.assert(
      fc.asyncProperty(fc.array(Step, { minLength: 1, maxLength: 4 }), async (steps) => {
        for (const step of steps) await perform(step);
      }),
      { numRuns: 60 },
    );
    const outbox = new Database(join(dir, 'register.db'), { readonly: true });
    const rows = outbox
      .prepare<[], { seq: number; kind: string; ref: string; payload: string }>('SELECT seq, kind, ref, payload FROM outbox ORDER BY seq')
      .all();
    outbox.close();
    const mutations = rows.map((r) => ({ seq: r.seq, kind: r.kind, ref: r.ref, payload: JSON.parse(r.payload) as unknown }));
    const documents = mutations.filter((m) => m.kind.startsWith('document.')).map((m) => m.payload as Receipt);

    // What was made covers what the checks are about, so the property says something.
    expect(documents.length).toBeGreaterThan(60);
    expect(documents.filter((d) => d.kind === 'return').length).toBeGreaterThan(0);
    expect(documents.filter((d) => d.kind === 'exchange').length).toBeGreaterThan(0);
    expect(documents.filter((d) => d.promotionTotal > 0).length).toBeGreaterThan(0);
    expect(documents.filter((d) => d.discountTotal > 0).length).toBeGreaterThan(0);
    expect(documents.filter((d) => d.rounding !== 0).length).toBeGreaterThan(0);
    expect(documents.filter((d) => d.change > 0).length).toBeGreaterThan(0);
    expect(documents.filter((d) => d.lines.some((l) => !Number.isInteger(l.quantity))).length).toBeGreaterThan(0);

    // The cloud: a merchant with the demo store's code and these products, the register enrolled as 01.
    const pool = db().pool;
    const merchant = await createMerchant(pool, 'Register documents');
    const store = await createStore(pool, merchant.id, { code: 'MK01', nameZh: '旺角店', nameEn: 'Mong Kok' });
    for (const sku of new Set(documents.flatMap((d) => d.lines.map((l) => l.sku)))) {
      await upsertProduct(pool, merchant.id, { sku, nameZh: sku, nameEn: sku, price: 100 }, Date.now());
    }
    const { code } = await issueEnrolmentCode(pool, store.id, { ttlMinutes: 5, now: Date.now() });
    const context = await authenticate(pool, (await enrol(pool, { code }, Date.now())).token);
    expect(context.registerCode).toBe('01');

    const refused = mutations.map((m) => readMutation(context, m)).filter((r): r is MutationRejected => r instanceof MutationRejected);
    expect(refused.map((r) => `${r.reason}: ${r.message}`)).toEqual([]);
    let quarantined = 0;
    for (let from = 0; from < mutations.length; from += 200) {
      quarantined += (await applyMutationBatch(pool, context, mutations.slice(from, from + 200), Date.now())).quarantined;
    }
    expect(quarantined).toBe(0);
    const applied = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM sale WHERE register_id = $1', [context.registerId]))
      .rows[0]?.n;
    expect(applied).toBe(documents.length);
  });
});
