import { describe, expect, it } from 'vitest';
import { Promotion as RegisterPromotion } from '../../../src/main/pricing/promotion-schema';
import { setPrice, upsertMember, upsertProduct, upsertPromotion } from '../../../cloud/domain/catalogue';
import { pruneChanges } from '../../../cloud/domain/change-log';
import { recordOnlineOrder } from '../../../cloud/domain/online-orders';
import {
  call,
  createShop,
  enrolRegister,
  manualClock,
  saleMutation,
  useTestDatabase,
  useTestServer,
  type EnrolledRegister,
  type Shop,
} from './helpers';

const db = useTestDatabase();
const clock = manualClock();
const server = useTestServer(db, { clock });

interface ChangeDto {
  version: number;
  entity: string;
  op: string;
  data: Record<string, unknown>;
}
interface Page {
  changes: ChangeDto[];
  nextSince: number;
  hasMore: boolean;
  lastVersion: number;
  serverTime: number;
  error?: string;
}

async function setup(): Promise<{ shop: Shop; register: EnrolledRegister }> {
  const shop = await createShop(db().pool, { initialStock: 50, now: clock.now() });
  return { shop, register: await enrolRegister(db().pool, server.base, shop.stores[0]!, clock.now()) };
}

const pull = (register: EnrolledRegister, query: string) =>
  call<Page>(server.base, 'GET', `/v1/changes${query}`, { token: register.token });

async function pullAll(register: EnrolledRegister, since: number, limit: number): Promise<ChangeDto[]> {
  const seen: ChangeDto[] = [];
  let cursor = since;
  for (;;) {
    const page = await pull(register, `?since=${cursor}&limit=${limit}`);
    expect(page.status).toBe(200);
    seen.push(...page.body.changes);
    cursor = page.body.nextSince;
    if (!page.body.hasMore) return seen;
  }
}

/** What a register holds after applying changes in order: the last data per entity key. */
function replay(changes: ChangeDto[]): Map<string, Record<string, unknown>> {
  const state = new Map<string, Record<string, unknown>>();
  const keyOf = (c: ChangeDto) =>
    c.entity === 'product'
      ? `product:${String(c.data.sku)}`
      : c.entity === 'stock'
        ? `stock:${String(c.data.storeCode)}:${String(c.data.sku)}`
        : c.entity === 'price'
          ? `price:${String(c.data.sku)}:${String(c.data.validFrom)}`
          : `${c.entity}:${String(c.data.id)}`;
  for (const c of changes) state.set(keyOf(c), c.data);
  return state;
}

describe('pulling changes', () => {
  it('pages are gap-free and in order while several writers commit at once', async () => {
    const { shop, register } = await setup();
    const writers = [
      (async () => {
        for (let i = 0; i < 15; i += 1)
          await upsertProduct(
            db().pool,
            shop.merchantId,
            { sku: `NEW${i}`, nameZh: `新${i}`, nameEn: `New ${i}`, price: 100 + i },
            clock.now(),
          );
      })(),
      (async () => {
        for (let i = 0; i < 15; i += 1) await setPrice(db().pool, shop.merchantId, 'P1', 1000 + i, clock.now() + i + 1, clock.now());
      })(),
      (async () => {
        for (let n = 1; n <= 15; n += 1) {
          const answer = await call(server.base, 'POST', `/v1/registers/${register.registerId}/mutations`, {
            token: register.token,
            body: { mutations: [saleMutation(register, n, [{ sku: 'P2', quantity: 1 }])] },
          });
          expect(answer.status).toBe(200);
        }
      })(),
      (async () => {
        for (let n = 1; n <= 10; n += 1)
          await recordOnlineOrder(
            db().pool,
            shop.merchantId,
            { orderNo: `WEB-${n}`, store: 'MK', lines: [{ sku: 'P3', quantity: 1, unitPrice: 990 }] },
            clock.now(),
          );
      })(),
      (async () => {
        for (let n = 1; n <= 10; n += 1) await upsertMember(db().pool, shop.merchantId, { code: `M${n}`, name: `會員 ${n}` }, clock.now());
      })(),
    ];
    // A register pulling small pages the whole time.
    const seen: ChangeDto[] = [];
    let cursor = 0;
    let done = false;
    const finished = Promise.all(writers).then(() => {
      done = true;
    });
    while (!done) {
      const page = await pull(register, `?since=${cursor}&limit=7`);
      expect(page.status).toBe(200);
      seen.push(...page.body.changes);
      cursor = page.body.nextSince;
    }
    await finished;
    seen.push(...(await pullAll(register, cursor, 7)));

    const versions = seen.map((c) => c.version);
    expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i + 1));
    const head = await pull(register, `?since=${versions.length}`);
    expect(head.body).toMatchObject({ changes: [], hasMore: false, lastVersion: versions.length });

    // Replaying the feed gives exactly the snapshot.
    const state = replay(seen);
    const snapshot = (
      await call<{
        version: number;
        products: Record<string, unknown>[];
        members: Record<string, unknown>[];
        stock: Record<string, unknown>[];
      }>(server.base, 'GET', '/v1/snapshot', { token: register.token })
    ).body;
    expect(snapshot.version).toBe(versions.length);
    for (const p of snapshot.products) expect(state.get(`product:${String(p.sku)}`)).toEqual(p);
    for (const m of snapshot.members) expect(state.get(`member:${String(m.id)}`)).toEqual(m);
    for (const s of snapshot.stock) expect(state.get(`stock:${String(s.storeCode)}:${String(s.sku)}`)).toEqual(s);
    expect(state.get('stock:MK:P2')).toEqual({ storeCode: 'MK', sku: 'P2', onHandMilli: 35_000 });
    expect(state.get('stock:MK:P3')).toEqual({ storeCode: 'MK', sku: 'P3', onHandMilli: 40_000 });
  });

  it('a cursor older than the retention horizon gets 410 SNAPSHOT_REQUIRED; the snapshot then continues the feed', async () => {
    const { shop, register } = await setup();
    const head = (await pull(register, '?since=0&limit=1')).body.lastVersion;
    await pruneChanges(db().pool, shop.merchantId, head - 2);

    const stale = await pull(register, '?since=0');
    expect(stale.status).toBe(410);
    expect(stale.body).toMatchObject({ error: 'SNAPSHOT_REQUIRED', minVersion: head - 2 });
    expect(stale.body.serverTime).toBe(clock.now());
    // Exactly at the horizon is still fine.
    expect((await pull(register, `?since=${head - 2}`)).body.changes.map((c) => c.version)).toEqual([head - 1, head]);

    await upsertMember(db().pool, shop.merchantId, { code: 'VIP1', name: '陳大文', tier: 'gold', phone: '91234567' }, clock.now());
    const snapshot = await call<{
      version: number;
      products: unknown[];
      prices: unknown[];
      promotions: unknown[];
      members: unknown[];
      stock: unknown[];
    }>(server.base, 'GET', '/v1/snapshot', {
      token: register.token,
    });
    expect(snapshot.status).toBe(200);
    expect(snapshot.body.version).toBe(head + 1);
    expect(snapshot.body.products).toHaveLength(3);
    expect(snapshot.body.prices).toEqual(shop.skus.map((sku) => ({ sku, price: 1000, validFrom: clock.now() })));
    expect(snapshot.body.members).toEqual([
      {
        id: expect.any(Number),
        code: 'VIP1',
        name: '陳大文',
        phone: '91234567',
        tier: 'gold',
        active: true,
        points: 0,
        storeCredit: 0,
        aliases: [],
      },
    ]);
    expect(snapshot.body.stock).toHaveLength(6);
    expect((await pull(register, `?since=${snapshot.body.version}`)).body).toMatchObject({ changes: [], hasMore: false });

    // A cursor from the future (the cloud database was restored from a backup) also starts over.
    expect((await pull(register, `?since=${head + 1000}`)).body.error).toBe('SNAPSHOT_REQUIRED');
  });

  it('pages by `limit` (default 500, at most 1000) and refuses a bad query with 400', async () => {
    const { register } = await setup();
    const first = await pull(register, '?limit=2');
    expect(first.body.changes.map((c) => c.version)).toEqual([1, 2]);
    expect(first.body).toMatchObject({ nextSince: 2, hasMore: true });
    const all = await pull(register, '');
    expect(all.body.hasMore).toBe(false);
    expect(all.body.changes.length).toBe(all.body.lastVersion);
    for (const query of ['?limit=0', '?limit=1001', '?since=-1', '?since=abc', '?limit=2.5', '?since=1&since=2']) {
      const answer = await pull(register, query);
      expect(answer.status, query).toBe(400);
      expect(answer.body.error).toBe('BAD_REQUEST');
    }
  });

  it('prices are effective-dated: a scheduled price is pulled ahead and becomes current at its time', async () => {
    const { shop, register } = await setup();
    const from = clock.now() + 3_600_000;
    await setPrice(db().pool, shop.merchantId, 'P1', 1200, from, clock.now());
    const changes = (await pull(register, '?since=0')).body.changes.filter((c) => c.entity === 'price' && c.data.sku === 'P1');
    expect(changes.at(-1)?.data).toEqual({ sku: 'P1', price: 1200, validFrom: from });
    const prices = async () =>
      (
        await call<{ prices: { sku: string; price: number; validFrom: number }[] }>(server.base, 'GET', '/v1/snapshot', {
          token: register.token,
        })
      ).body.prices.filter((p) => p.sku === 'P1');
    expect(await prices()).toEqual([
      { sku: 'P1', price: 1000, validFrom: expect.any(Number) },
      { sku: 'P1', price: 1200, validFrom: from },
    ]);
    clock.advance(3_600_000);
    expect(await prices()).toEqual([{ sku: 'P1', price: 1200, validFrom: from }]);
  });

  it('promotions reach registers in exactly the shape the register’s pricing engine accepts', async () => {
    const { shop, register } = await setup();
    await upsertPromotion(
      db().pool,
      shop.merchantId,
      {
        code: 'EGG3',
        nameZh: '蛋撻 3 件 $18',
        nameEn: 'Egg tarts 3 for $18',
        kind: 'bundle',
        params: { target: { skus: ['P1'] }, quantity: 3, price: 1800 },
      },
      clock.now(),
    );
    await upsertPromotion(
      db().pool,
      shop.merchantId,
      {
        code: 'NINE',
        nameZh: '九折',
        nameEn: '10% off',
        kind: 'percent',
        params: { target: { categoryCodes: ['drinks'] }, basisPoints: 1000 },
        priority: 5,
        startsAt: clock.now(),
        endsAt: clock.now() + 86_400_000,
      },
      clock.now(),
    );
    await expect(
      upsertPromotion(
        db().pool,
        shop.merchantId,
        { code: 'BAD', nameZh: '壞', nameEn: 'Bad', kind: 'bundle', params: { target: {}, quantity: 1, price: 1 } },
        clock.now(),
      ),
    ).rejects.toMatchObject({ code: 'INVALID' });
    const promotions = (await pull(register, '?since=0')).body.changes.filter((c) => c.entity === 'promotion');
    expect(promotions).toHaveLength(2);
    for (const p of promotions) expect(RegisterPromotion.safeParse(p.data).success).toBe(true);
    // An upsert by code updates the same promotion (same id) and appends a new change.
    await upsertPromotion(
      db().pool,
      shop.merchantId,
      {
        code: 'EGG3',
        nameZh: '蛋撻 3 件 $16',
        nameEn: 'Egg tarts 3 for $16',
        kind: 'bundle',
        params: { target: { skus: ['P1'] }, quantity: 3, price: 1600 },
      },
      clock.now(),
    );
    const after = (await pull(register, '?since=0')).body.changes.filter((c) => c.entity === 'promotion');
    expect(after.at(-1)?.data).toMatchObject({ id: promotions[0]?.data.id, code: 'EGG3', params: { price: 1600 } });
  });

  it('an upsert that changes nothing appends nothing; a moved barcode changes both products', async () => {
    const { shop, register } = await setup();
    const head = (await pull(register, '?limit=1')).body.lastVersion;
    await upsertProduct(
      db().pool,
      shop.merchantId,
      { sku: 'P1', nameZh: '產品1', nameEn: 'Product 1', barcodes: ['4890000000001'], price: 1000 },
      clock.now(),
    );
    expect((await pull(register, '?limit=1')).body.lastVersion).toBe(head);
    await upsertProduct(
      db().pool,
      shop.merchantId,
      { sku: 'P2', nameZh: '產品2', nameEn: 'Product 2', barcodes: ['4890000000002', '4890000000001'] },
      clock.now(),
    );
    const changed = (await pull(register, `?since=${head}`)).body.changes;
    expect(changed.map((c) => [c.entity, c.data.sku, c.data.barcodes])).toEqual([
      ['product', 'P1', []],
      ['product', 'P2', ['4890000000001', '4890000000002']],
    ]);
  });
});
