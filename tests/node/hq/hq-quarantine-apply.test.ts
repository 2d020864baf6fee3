/**
 * Quarantine, "apply after correction": a register's sale naming a SKU the catalogue lacks is
 * quarantined at push; a manager maps the SKU to a product and applies it through the same steps as
 * a push. It lands once (sale, stock, resolved entry, audit), a replay of the seq stays a no-op, a
 * correction that still fails writes nothing and says why, and a viewer is refused at the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  createShop,
  enrolRegister,
  fingerprint,
  saleMutation,
  useTestDatabase,
  type EnrolledRegister,
  type Shop,
} from '../cloud/helpers';
import { HqClient, addUser, startHq } from './hq-helpers';

const database = useTestDatabase();
let server: Awaited<ReturnType<typeof startHq>>;
let shop: Shop;
let mk: EnrolledRegister;

beforeAll(async () => {
  server = await startHq(database().pool, { now: () => Date.now() });
  shop = await createShop(database().pool);
  mk = await enrolRegister(database().pool, server.base, shop.stores[0]!);
  await addUser(database().pool, shop.merchantId, 'owner@q.hk', 'owner');
  await addUser(database().pool, shop.merchantId, 'viewer@q.hk', 'viewer');
});
afterAll(async () => {
  await server?.close();
});

async function as(email: string): Promise<HqClient> {
  const client = new HqClient(server.base);
  expect((await client.login(email)).status).toBe(200);
  return client;
}

async function push(mutations: unknown[]) {
  return call<{ lastAppliedSeq: number; quarantined: number; duplicates: number }>(
    server.base,
    'POST',
    `/v1/registers/${mk.registerId}/mutations`,
    {
      token: mk.token,
      body: { mutations },
    },
  );
}

describe('applying a quarantined document after correction', () => {
  it('maps the unknown SKU, applies it once through the push path, audits it, and refuses what still fails', async () => {
    const pool = database().pool;
    const sale = saleMutation(mk, 1, [
      { sku: 'P1', quantity: 1 },
      { sku: 'OLD-99', quantity: 2 },
    ]);
    expect((await push([sale])).body).toMatchObject({ lastAppliedSeq: 1, quarantined: 1 });
    const entry = (await pool.query<{ id: number }>("SELECT id FROM quarantine WHERE ref = $1 AND reason_code = 'UNKNOWN_SKU'", [sale.ref]))
      .rows[0]!;

    const viewer = await as('viewer@q.hk');
    expect((await viewer.request('POST', `/hq/api/quarantine/${entry.id}/apply`, { skuMap: { 'OLD-99': 'P2' } })).status).toBe(403);

    // a correction that still names a SKU the catalogue lacks: refused with the reason, nothing written
    const owner = await as('owner@q.hk');
    const before = await fingerprint(pool, ['enrol_bucket', 'hq_session', 'hq_user', 'hq_audit', 'login_attempt']);
    const still = await owner.request('POST', `/hq/api/quarantine/${entry.id}/apply`, { skuMap: { 'OLD-99': 'STILL-GONE' } });
    expect(still.status).toBe(400);
    expect(String(still.body.message)).toContain('UNKNOWN_SKU');
    expect(await fingerprint(pool, ['enrol_bucket', 'hq_session', 'hq_user', 'hq_audit', 'login_attempt'])).toEqual(before);

    const applied = await owner.request('POST', `/hq/api/quarantine/${entry.id}/apply`, { skuMap: { 'OLD-99': 'P2' }, note: '舊貨號' });
    expect(applied.status).toBe(200);
    const rows = (
      await pool.query<{ sku: string; quantity_milli: number }>(
        'SELECT l.sku, l.quantity_milli FROM sale s JOIN sale_line l ON l.sale_id = s.id WHERE s.receipt_no = $1 ORDER BY l.position',
        [sale.ref],
      )
    ).rows;
    expect(rows).toEqual([
      { sku: 'P1', quantity_milli: 1000 },
      { sku: 'P2', quantity_milli: 2000 },
    ]);
    const stock = (
      await pool.query<{ sku: string; q: number }>(
        "SELECT sku, sum(quantity_milli)::bigint AS q FROM stock_movement WHERE store_id = $1 AND reason = 'sale' GROUP BY sku ORDER BY sku",
        [shop.stores[0]!.id],
      )
    ).rows;
    expect(stock).toEqual([
      { sku: 'P1', q: -1000 },
      { sku: 'P2', q: -2000 },
    ]);
    const resolved = (
      await pool.query<{ resolved_at: Date | null; resolution: string }>('SELECT resolved_at, resolution FROM quarantine WHERE id = $1', [
        entry.id,
      ])
    ).rows[0]!;
    expect(resolved.resolved_at).not.toBeNull();
    expect(resolved.resolution).toContain('OLD-99 → P2');
    const audit = (await owner.request('GET', '/hq/api/audit')).body.entries as { action: string; target: string; before: unknown }[];
    expect(audit.find((a) => a.action === 'quarantine.apply')).toMatchObject({
      target: `${entry.id} ${sale.ref}`,
      before: { skuMap: { 'OLD-99': 'P2' } },
    });

    // once: a second apply finds nothing open, and the register's replay of seq 1 stays a no-op
    expect((await owner.request('POST', `/hq/api/quarantine/${entry.id}/apply`, { skuMap: { 'OLD-99': 'P2' } })).status).toBe(404);
    expect((await push([sale])).body).toMatchObject({ lastAppliedSeq: 1, duplicates: 1 });
    expect((await pool.query('SELECT 1 FROM sale WHERE receipt_no = $1', [sale.ref])).rowCount).toBe(1);
    // and the dashboard counts it
    const dash = (await owner.request('GET', '/hq/api/dashboard')).body as { openQuarantine: number };
    expect(dash.openQuarantine).toBe(0);
  });
});
