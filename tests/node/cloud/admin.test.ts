import { afterEach, describe, expect, it } from 'vitest';
import { runAdmin } from '../../../cloud/admin/commands';
import { enrol } from '../../../cloud/domain/enrolment';
import { applyMutationBatch } from '../../../cloud/domain/mutations';
import { authenticate } from '../../../cloud/domain/registers';
import { authenticateShopKey } from '../../../cloud/domain/shop-keys';
import { MIGRATIONS_DIR, createTestDatabase, manualClock, receipt, saleMutation, type TestDatabase } from './helpers';

const drops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const drop of drops.splice(0)) await drop();
});

/** An empty database of its own, and a CLI whose output is captured. */
async function cli() {
  const db = await createTestDatabase({ migrated: false });
  drops.push(() => db.drop());
  const clock = manualClock(Date.parse('2025-07-01T02:00:00Z'));
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    await runAdmin(argv, { pool: db.pool, clock, migrationsDir: MIGRATIONS_DIR, out: (l) => out.push(l), err: (l) => err.push(l) });
    return { out: out.join('\n'), err: err.join('\n') };
  };
  const json = async <T = Record<string, unknown>>(...argv: string[]) => JSON.parse((await run(...argv)).out) as T;
  return { db: db as TestDatabase, clock, run, json };
}

describe('admin CLI', () => {
  it('create-store <name> on an empty database, then enrol-code <name> prints a code that enrols a register', async () => {
    const { db, clock, run, json } = await cli();
    const store = await json('create-store', 'Mong Kok');
    expect(store).toMatchObject({ code: 'MONGKOK', nameZh: 'Mong Kok', nameEn: 'Mong Kok' });
    expect((await db.pool.query('SELECT name FROM merchant')).rows).toEqual([{ name: 'Default' }]);
    // A Chinese name has no ASCII to make a code from.
    expect(await json('create-store', '銅鑼灣店')).toMatchObject({ code: 'S1', nameZh: '銅鑼灣店' });

    const printed = await run('enrol-code', 'Mong Kok', '--ttl-minutes', '30');
    expect(printed.out).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(printed.err).toContain('MONGKOK');
    const enrolment = await enrol(db.pool, { code: printed.out }, clock.now());
    expect(enrolment.store.code).toBe('MONGKOK');
    // …once, and only for 30 minutes.
    const late = await run('enrol-code', 'MONGKOK', '--ttl-minutes', '30');
    await expect(enrol(db.pool, { code: late.out }, clock.now() + 31 * 60_000)).rejects.toMatchObject({ code: 'ENROLMENT_CODE_EXPIRED' });
    await expect(enrol(db.pool, { code: printed.out }, clock.now())).rejects.toMatchObject({ code: 'ENROLMENT_CODE_USED' });

    const registers = await json<{ registerId: string; revokedAt: number | null }[]>('list-registers');
    expect(registers).toHaveLength(1);
    expect(await json('revoke-register', registers[0]!.registerId)).toMatchObject({ revokedAt: clock.now() });
    await expect(authenticate(db.pool, enrolment.token)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
  });

  it('the long form names the merchant; with several merchants the short form asks which', async () => {
    const { run, json } = await cli();
    await json('create-merchant', '大快活');
    await json('create-merchant', 'Fairwood Online');
    expect(
      await json('create-store', '大快活', 'CWB', '銅鑼灣', 'Causeway Bay', '--address-zh', '軒尼詩道 500 號', '--phone', '2345 6789'),
    ).toMatchObject({
      code: 'CWB',
      nameZh: '銅鑼灣',
      nameEn: 'Causeway Bay',
      addressZh: '軒尼詩道 500 號',
      phone: '2345 6789',
    });
    await expect(run('create-store', 'Another')).rejects.toMatchObject({ code: 'AMBIGUOUS' });
    expect(await json('create-store', 'Another', '--merchant', 'Fairwood Online')).toMatchObject({ code: 'ANOTHER' });
    expect(await json<{ code: string }[]>('list-stores')).toEqual([
      expect.objectContaining({ code: 'CWB' }),
      expect.objectContaining({ code: 'ANOTHER' }),
    ]);
    expect(await json<{ code: string }[]>('list-stores', '--merchant', 'Fairwood Online')).toEqual([
      expect.objectContaining({ code: 'ANOTHER' }),
    ]);
    await expect(run('create-store', '大快活', 'cwb!', 'x', 'y')).rejects.toMatchObject({ code: 'INVALID' });
    await expect(run('create-store', '大快活', 'CWB', 'x', 'y')).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(run('enrol-code', 'NOWHERE')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('catalogue, stock, online orders, quarantine and the sales summary', async () => {
    const { db, clock, run, json } = await cli();
    await json('create-merchant', 'Shop');
    await json('create-store', 'Shop', 'MK', '旺角店', 'Mong Kok');
    const products = await json<unknown[]>(
      'upsert-product',
      JSON.stringify([
        { sku: 'TEA', nameZh: '奶茶', nameEn: 'Milk tea', barcodes: ['4891234567890'], price: 1800 },
        { sku: 'BUN', nameZh: '菠蘿包', nameEn: 'Pineapple bun', price: 900 },
      ]),
    );
    expect(products).toHaveLength(2);
    expect(await json('set-price', 'TEA', '2000', '--from', '2025-08-01T00:00:00+08:00')).toEqual({
      sku: 'TEA',
      price: 2000,
      validFrom: Date.parse('2025-07-31T16:00:00Z'),
    });
    await expect(run('set-price', 'NOPE', '100')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(run('set-price', 'TEA', '12.5')).rejects.toMatchObject({ code: 'USAGE' });
    expect(await json('upsert-member', '{"code":"M1","name":"陳大文","tier":"gold"}')).toMatchObject({
      code: 'M1',
      tier: 'gold',
      active: true,
    });
    expect(
      await json(
        'upsert-promotion',
        JSON.stringify({
          code: 'BUN2',
          nameZh: '菠蘿包兩個',
          nameEn: 'Two buns',
          kind: 'bundle',
          params: { target: { skus: ['BUN'] }, quantity: 2, price: 1600 },
        }),
      ),
    ).toMatchObject({ kind: 'bundle', priority: 0, active: true });

    expect(await json('receive-stock', 'MK', 'TEA', '24', '--ref', 'GRN-1')).toEqual({ recorded: true, onHandMilli: 24_000 });
    expect(await json('receive-stock', 'MK', 'TEA', '24', '--ref', 'GRN-1')).toEqual({ recorded: false, onHandMilli: 24_000 });
    await expect(run('receive-stock', 'MK', 'TEA', '24')).rejects.toMatchObject({ code: 'USAGE' });
    // a negative adjustment is a quantity, not an option (issue 18)
    expect(await json('receive-stock', 'MK', 'TEA', '-2.5', '--ref', 'ADJ-7', '--reason', 'adjust')).toEqual({
      recorded: true,
      onHandMilli: 21_500,
    });
    expect(await json('receive-stock', '--ref', 'ADJ-8', 'MK', 'TEA', '-1.5', '--reason', 'adjust')).toEqual({
      recorded: true,
      onHandMilli: 20_000,
    });
    expect(
      await json(
        'record-online-order',
        JSON.stringify({
          orderNo: 'WEB-9',
          store: 'MK',
          completedAt: Date.parse('2025-07-01T17:00:00Z'),
          lines: [{ sku: 'TEA', quantity: 2, unitPrice: 1800 }],
        }),
      ),
    ).toMatchObject({ total: 3600, created: true });

    // A register pushes one good sale and one it cannot apply.
    const storeId = ((await db.pool.query("SELECT id FROM store WHERE code = 'MK'")).rows[0] as { id: number }).id;
    const code = (await run('enrol-code', String(storeId))).out;
    const register = await authenticate(db.pool, (await enrol(db.pool, { code }, clock.now())).token);
    const identity = { storeCode: 'MK', registerCode: register.registerCode };
    await applyMutationBatch(
      db.pool,
      register,
      [saleMutation(identity, 1, [{ sku: 'BUN', quantity: 3, unitPrice: 900 }]), saleMutation(identity, 2, [{ sku: 'GONE', quantity: 1 }])],
      clock.now(),
    );

    const quarantined = await json<{ id: number; seq: number; reason: string; payload: { receiptNo: string } }[]>('list-quarantine');
    expect(quarantined).toEqual([
      expect.objectContaining({
        seq: 2,
        reason: 'UNKNOWN_SKU',
        payload: expect.objectContaining({ receiptNo: `MK-${register.registerCode}-000002` }),
      }),
    ]);
    expect(await json('resolve-quarantine', String(quarantined[0]!.id))).toEqual({ resolved: true });
    expect(await json('list-quarantine')).toEqual([]);
    expect(await json<unknown[]>('list-quarantine', '--all')).toHaveLength(1);

    // The online order at 01:00 HKT on 2 July falls on the 2nd; the register sale on the 1st.
    expect(await json('sales-summary')).toEqual([
      { storeCode: 'MK', channel: 'register', day: '2025-07-01', sales: 1, returns: 0, exchanges: 0, total: 2700 },
      { storeCode: 'MK', channel: 'online', day: '2025-07-02', sales: 1, returns: 0, exchanges: 0, total: 3600 },
    ]);
    expect(await json<{ day: string }[]>('sales-summary', '--from', '2025-07-02')).toEqual([
      expect.objectContaining({ channel: 'online', day: '2025-07-02' }),
    ]);
    expect(await json<{ day: string }[]>('sales-summary', '--to', '2025-07-01')).toEqual([
      expect.objectContaining({ channel: 'register', day: '2025-07-01' }),
    ]);

    expect(await json('prune-changes', '--through', '3')).toMatchObject({ minVersion: 3, deleted: 3 });
  });

  it('refuses unknown commands, missing arguments and unknown options with the usage', async () => {
    const { run } = await cli();
    await expect(run('make-coffee')).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining('Usage:') });
    await expect(run('enrol-code')).rejects.toMatchObject({ code: 'USAGE' });
    await expect(run('enrol-code', 'MK', '--ttl', '5')).rejects.toMatchObject({ code: 'USAGE' });
    await expect(run('upsert-product', '{not json')).rejects.toMatchObject({ code: 'INVALID' });
    await expect(run('create-store', 'X', '--merchant', 'nobody')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('member rules, a balance adjusted with a reason (once per --ref, never below zero) and the exceptions list', async () => {
    const { run, json } = await cli();
    await json('create-store', 'Mong Kok');
    expect(await json('member-rules')).toMatchObject({ earnCentsPerPoint: 100, pointsPerDollar: 100 });
    expect(await json('member-rules', '{"tierMultipliers":{"gold":2},"offlineLimitCents":20000}')).toMatchObject({
      tierMultipliers: { gold: 2 },
      offlineLimitCents: 20000,
    });
    await expect(run('member-rules', '{"hkid":true}')).rejects.toMatchObject({ code: 'INVALID' });
    await json('upsert-member', '{"code":"M1","name":"陳大文","phone":"91234567"}');
    expect(await json('adjust-balance', 'M1', 'points', '500', '--reason', 'welcome gift', '--ref', 'welcome-M1')).toMatchObject({
      balance: 500,
      replayed: false,
    });
    expect(await json('adjust-balance', 'M1', 'points', '500', '--reason', 'welcome gift', '--ref', 'welcome-M1')).toMatchObject({
      balance: 500,
      replayed: true,
    });
    await expect(run('adjust-balance', 'M1', 'points', '-501', '--reason', 'typo', '--ref', 'fix-1')).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(run('adjust-balance', 'M1', 'points', '5', '--ref', 'x')).rejects.toMatchObject({ code: 'USAGE' });
    await expect(run('adjust-balance', 'NOBODY', 'credit', '5', '--reason', 'x', '--ref', 'y')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await json('list-ledger-exceptions')).toEqual({ exceptions: [], returnPointsWaiting: [] });
  });

  it('list-ledger-exceptions shows the returns whose points wait for their original; close-return-points closes one with a reason, audited', async () => {
    const { db, clock, run, json } = await cli();
    await json('create-store', 'Mong Kok');
    await json('upsert-product', '{"sku":"BUN","nameZh":"菠蘿包","nameEn":"Pineapple bun","price":900}');
    const storeId = ((await db.pool.query("SELECT id FROM store WHERE code = 'MONGKOK'")).rows[0] as { id: number }).id;
    const register = await authenticate(
      db.pool,
      (await enrol(db.pool, { code: (await run('enrol-code', String(storeId))).out }, clock.now())).token,
    );
    // returned on a receipt of a register that never pushed (lost)
    const back = {
      ...receipt(
        { storeCode: 'MONGKOK', registerCode: register.registerCode },
        1,
        [{ sku: 'BUN', quantity: -1, unitPrice: 900 }],
        'return',
      ),
    };
    back.originalReceiptNo = 'MONGKOK-99-000007';
    await applyMutationBatch(db.pool, register, [{ seq: 1, kind: 'document.return', ref: back.receiptNo, payload: back }], clock.now());
    clock.advance(9 * 24 * 60 * 60_000);

    type Listed = {
      exceptions: unknown[];
      returnPointsWaiting: { id: number; returnReceiptNo: string; waitedMs: number; closeReason: string | null }[];
    };
    const listed = await json<Listed>('list-ledger-exceptions');
    expect(listed.exceptions).toEqual([]);
    expect(listed.returnPointsWaiting).toEqual([
      expect.objectContaining({
        returnReceiptNo: back.receiptNo,
        originalReceiptNo: 'MONGKOK-99-000007',
        storeCode: 'MONGKOK',
        waitedMs: 9 * 24 * 60 * 60_000,
      }),
    ]);
    const id = String(listed.returnPointsWaiting[0]!.id);
    await expect(run('close-return-points', id)).rejects.toMatchObject({ code: 'USAGE' });
    await expect(run('close-return-points', '999999', '--reason', 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await json('close-return-points', id, '--reason', 'register MK-99 lost in the fire')).toMatchObject({
      returnReceiptNo: back.receiptNo,
      closedAt: clock.now(),
      closedBy: null,
      closeReason: 'register MK-99 lost in the fire',
    });
    await expect(run('close-return-points', id, '--reason', 'again')).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await json<Listed>('list-ledger-exceptions')).returnPointsWaiting).toEqual([]);
    expect((await json<Listed>('list-ledger-exceptions', '--closed')).returnPointsWaiting).toEqual([
      expect.objectContaining({ returnReceiptNo: back.receiptNo, closeReason: 'register MK-99 lost in the fire' }),
    ]);
    const audits = await db.pool.query("SELECT user_email, target, after FROM hq_audit WHERE action = 'member.return-points.close'");
    expect(audits.rows).toEqual([
      {
        user_email: 'cloud:admin',
        target: `${back.receiptNo} (original MONGKOK-99-000007)`,
        after: { closedAt: clock.now(), reason: 'register MK-99 lost in the fire' },
      },
    ]);
  });

  it('create-shop-key prints the key once (only its hash is stored), list-shop-keys shows its prefix, revoke-shop-key stops it', async () => {
    const { db, clock, run, json } = await cli();
    await json('create-store', 'Mong Kok');
    const printed = await run('create-shop-key', 'Online shop', '--scopes', 'orders');
    expect(printed.out).toMatch(/^spk_[A-Za-z0-9_-]{43}$/);
    expect(printed.err).toContain('shown once');
    const keys = await json<{ id: number; prefix: string; scopes: string[]; revokedAt: number | null }[]>('list-shop-keys');
    expect(keys).toEqual([expect.objectContaining({ prefix: printed.out.slice(0, 12), scopes: ['orders'], revokedAt: null })]);
    expect(JSON.stringify(keys)).not.toContain(printed.out);
    const stored = await db.pool.query('SELECT * FROM shop_key');
    expect(JSON.stringify(stored.rows)).not.toContain(printed.out.slice(12));
    await expect(authenticateShopKey(db.pool, printed.out, 'orders', clock.now())).resolves.toMatchObject({ label: 'Online shop' });
    await expect(run('create-shop-key', 'x', '--scopes', 'orders,stock')).rejects.toMatchObject({ code: 'INVALID' });
    expect(await json('revoke-shop-key', keys[0]!.prefix)).toMatchObject({ revokedAt: clock.now() });
    await expect(authenticateShopKey(db.pool, printed.out, 'orders', clock.now())).rejects.toMatchObject({ code: 'SHOP_KEY_REVOKED' });
    await expect(run('revoke-shop-key', 'spk_nothere1')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
