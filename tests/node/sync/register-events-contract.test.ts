/**
 * The contract of register events (src/shared/register-event-schemas.ts) from the register's end:
 * a real register core on its own SQLite file opens a shift, pays in and out, drops to the safe,
 * voids carts, counts the drawer, closes the shift and the day, and its real sync worker pushes
 * what its outbox holds to the real cloud on PostgreSQL. The cloud takes every event whole and
 * quarantines none, including those made before the register was enrolled in a store of another
 * code (renumbered into the enrolled series before the first push, as documents are).
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createStore, type Store } from '../../../cloud/domain/merchants';
import { registerEventKinds } from '../../../src/shared/outbox-kinds';
import type { Register } from '../../../src/main/register';
import { BUN, MILK_TEA, WATER, call, createCloudShop, enrol, enrolmentCode, eventually, sell, syncStatus, useSyncRig } from './helpers';

const { database, server, openRegister } = useSyncRig();

const notes = (counts: Record<number, number>) => Object.entries(counts).map(([value, count]) => ({ value: Number(value), count }));

/** The register's own outbox rows of event kinds, as it pushes them. */
function outboxEvents(dir: string): { kind: string; ref: string; payload: unknown }[] {
  const db = new Database(join(dir, 'register.db'), { readonly: true });
  try {
    return db
      .prepare<[], { kind: string; ref: string; payload: string }>(
        `SELECT kind, ref, payload FROM outbox WHERE kind IN (${registerEventKinds.map((k) => `'${k}'`).join(', ')}) ORDER BY seq`,
      )
      .all()
      .map((row) => ({ kind: row.kind, ref: row.ref, payload: JSON.parse(row.payload) as unknown }));
  } finally {
    db.close();
  }
}

async function cloudEvents(registerId: string): Promise<{ kind: string; ref: string; payload: unknown }[]> {
  return (
    await database().pool.query<{ kind: string; ref: string; payload: unknown }>(
      'SELECT kind, ref, payload FROM register_event WHERE register_id = $1 ORDER BY seq',
      [registerId],
    )
  ).rows;
}

async function registerIdOf(store: Store): Promise<string> {
  return (await database().pool.query<{ id: string }>('SELECT id FROM register WHERE store_id = $1', [store.id])).rows[0]?.id as string;
}

/** Scans into a new cart and voids it. */
async function voidCart(register: Register, barcodes: string[], reason: string): Promise<void> {
  for (const code of barcodes) await call(register, 'cart:scan', { code });
  await call(register, 'cart:void', { reason });
}

/** A shift with every cash event: float, pay-in, pay-out, safe drop, a sale, voided carts, the count and the close. */
async function workAShift(register: Register): Promise<void> {
  await call(register, 'shift:open', { float: notes({ 10_000: 5, 1_000: 3, 100: 4 }) });
  await call(register, 'shift:cash-movement', { kind: 'pay-in', amount: 5_000, reason: '找續用散紙' });
  await call(register, 'shift:cash-movement', { kind: 'pay-out', amount: 3_550, reason: '買牛奶' });
  await call(register, 'shift:cash-movement', { kind: 'safe-drop', amount: 10_000, reason: '存入夾萬' });
  const sale = await sell(register, [MILK_TEA.barcode, BUN.barcode]);
  await voidCart(register, [WATER.barcode, WATER.barcode], '客人改變主意');
  // a cart holding only a return: its total is below zero
  const found = await call<{ lines: { id: number }[] }>(register, 'sale:find', { receiptNo: sale.receiptNo });
  await call(register, 'cart:add-return', { receiptNo: sale.receiptNo, lines: [{ saleLineId: found.lines[0]!.id, quantity: 1 }] });
  await call(register, 'cart:void', { reason: '客人不退了' });
  // HK$5.00 short of what should be in the drawer
  const counted = await call<{ expected: number }>(register, 'shift:count', { counted: notes({ 10_000: 4, 5_000: 1, 1_000: 1, 100: 9 }) });
  await call(register, 'shift:close', counted.expected === 61_900 ? {} : { reason: '找錯錢' });
}

describe('register events: what the real register writes, the cloud takes', () => {
  it('a worked shift and a closed day reach the cloud whole, none quarantined', async () => {
    const shop = await createCloudShop(database().pool);
    const { register, dir } = await openRegister();
    await enrol(register, server.base, await enrolmentCode(database().pool, shop.store));
    await workAShift(register);
    await call(register, 'day:close');

    await eventually(
      () => syncStatus(register),
      (s) => s.pending === 0,
      'the queue to empty',
    );
    const registerId = await registerIdOf(shop.store);
    expect((await database().pool.query('SELECT reason_code, reason FROM quarantine WHERE register_id = $1', [registerId])).rows).toEqual(
      [],
    );
    const sent = outboxEvents(dir);
    expect(sent.map((e) => e.kind)).toEqual([
      'shift.opened',
      'cash.movement',
      'cash.movement',
      'cash.movement',
      'cart.voided',
      'cart.voided',
      'shift.closed',
      'day.closed',
    ]);
    expect(await cloudEvents(registerId)).toEqual(sent);
  });

  it('a shift opened before enrolment, in a store the cloud codes otherwise, is taken in the enrolled series', async () => {
    const shop = await createCloudShop(database().pool);
    const store = await createStore(database().pool, shop.merchantId, { code: 'TST1', nameZh: '尖沙咀店', nameEn: 'Tsim Sha Tsui' });
    const { register, dir } = await openRegister();
    // the demo register's series is MK01-01 until it is enrolled
    await call(register, 'shift:open', { float: notes({ 10_000: 5 }) });
    await call(register, 'shift:cash-movement', { kind: 'pay-in', amount: 2_000, reason: '找續用散紙' });
    await voidCart(register, [MILK_TEA.barcode], '試機');
    await enrol(register, server.base, await enrolmentCode(database().pool, store));
    await call(register, 'shift:count', { counted: notes({ 10_000: 5, 2_000: 1 }) });
    await call(register, 'shift:close', {});
    await call(register, 'day:close');

    await eventually(
      () => syncStatus(register),
      (s) => s.pending === 0,
      'the queue to empty',
    );
    const registerId = await registerIdOf(store);
    expect((await database().pool.query('SELECT reason_code, reason FROM quarantine WHERE register_id = $1', [registerId])).rows).toEqual(
      [],
    );
    const taken = await cloudEvents(registerId);
    expect(taken.map((e) => [e.kind, e.ref])).toEqual([
      ['shift.opened', 'TST1-01-S1'],
      ['cash.movement', 'TST1-01-S1-M1'],
      ['cart.voided', expect.stringMatching(/^cart-\d+$/)],
      ['shift.closed', 'TST1-01-S1'],
      ['day.closed', 'TST1-01-Z1'],
    ]);
    expect(taken).toEqual(outboxEvents(dir));
  });
});

describe('enrolment under another register code', () => {
  it('the open shift, the days, the open and suspended carts go on under the enrolled code', async () => {
    const shop = await createCloudShop(database().pool);
    // another till takes register 01 of the store, so this one is enrolled as 02
    const first = await openRegister();
    await enrol(first.register, server.base, await enrolmentCode(database().pool, shop.store));
    const { register } = await openRegister();
    // a day closed and a shift opened before enrolment, under the demo code 01
    await call(register, 'shift:open', { float: notes({ 10_000: 2 }) });
    await call(register, 'shift:count', { counted: notes({ 10_000: 2 }) });
    await call(register, 'shift:close', {});
    expect((await call<{ totals: { zNo: number } }>(register, 'day:close')).totals.zNo).toBe(1);
    await call(register, 'shift:open', { float: notes({ 10_000: 3 }) });
    await call(register, 'cart:scan', { code: BUN.barcode });
    await call(register, 'cart:suspend', { label: '等朋友' });
    await call(register, 'cart:scan', { code: MILK_TEA.barcode });

    const status = await enrol(register, server.base, await enrolmentCode(database().pool, shop.store));
    expect(status.enrolment?.registerCode).toBe('02');

    const cart = await call<{ lines: { sku: string }[] }>(register, 'cart:get');
    expect(cart.lines.map((l) => l.sku)).toEqual([MILK_TEA.sku]);
    const suspended = await call<{ label: string }[]>(register, 'cart:list-suspended');
    expect(suspended.map((s) => s.label)).toEqual(['等朋友']);
    await call(register, 'cart:void', { reason: '試機' });
    expect((await call<{ shift: unknown }>(register, 'shift:state')).shift).not.toBeNull();
    await call(register, 'shift:count', { counted: notes({ 10_000: 3 }) });
    await call(register, 'shift:close', {});
    // the Z numbers go on: the day before enrolment was Z1
    expect((await call<{ totals: { zNo: number } }>(register, 'day:close')).totals.zNo).toBe(2);

    await eventually(
      () => syncStatus(register),
      (s) => s.pending === 0,
      'the queue to empty',
    );
    const store = shop.store;
    const registerId = (
      await database().pool.query<{ id: string }>("SELECT id FROM register WHERE store_id = $1 AND code = '02'", [store.id])
    ).rows[0]!.id;
    expect((await database().pool.query('SELECT reason_code FROM quarantine WHERE register_id = $1', [registerId])).rows).toEqual([]);
    expect((await cloudEvents(registerId)).map((e) => e.kind)).toEqual(
      expect.arrayContaining(['shift.opened', 'shift.closed', 'day.closed', 'cart.voided']),
    );
  });
});
