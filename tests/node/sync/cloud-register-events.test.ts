/**
 * The cloud side of register events (cloud/domain/register-events.ts, schemas in
 * src/shared/register-event-schemas.ts), on real PostgreSQL over real sockets: every kind as the
 * register writes it is kept whole in register_event, exactly once; a malformed one (a field
 * missing, a wrong type, a count below zero, an amount that is not whole cents, figures that do not
 * add up), an unknown kind, or one named for another store or another active register is
 * quarantined with its reason; none blocks the queue, none is a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeRegister } from '../../../cloud/domain/registers';
import { call, createShop, enrolRegister, saleMutation, startServer, useTestDatabase, type Server, type Shop } from '../cloud/helpers';
import type { EnrolledRegister } from '../../support/register-documents';

const db = useTestDatabase();
let server: Server;
let shop: Shop;

beforeAll(async () => {
  server = await startServer({ pool: db().pool, enrolAttemptsPerMinute: 1000 });
  shop = await createShop(db().pool);
});
afterAll(async () => {
  await server.close();
});

const AT = Date.UTC(2026, 11, 1, 2, 0);

/** A closed shift's cash section as the register computes it: float 500, sales 300 cash (20 change), a pay-in, a pay-out, counted 5 short. */
function shiftCash(shiftId: number) {
  return {
    shiftId,
    staffId: 3,
    staffNameZh: '陳經理',
    staffNameEn: 'Manager Chan',
    openedAt: AT,
    closedAt: AT + 3_600_000,
    float: 50_000,
    cashTendered: 32_000,
    changeGiven: 2_000,
    cashRefunds: 0,
    payIns: 5_000,
    payOuts: 3_500,
    safeDrops: 0,
    expected: 81_500,
    counted: 81_000,
    overShort: -500,
    overShortReason: '找錯錢',
    noSales: 1,
  };
}

/** One event of each kind, for `register` (its store and code), as the register writes them. */
function events(register: EnrolledRegister, code = register.registerCode) {
  const series = `${register.storeCode}-${code}`;
  return {
    opened: {
      kind: 'shift.opened',
      ref: `${series}-S7`,
      payload: { shiftId: 7, registerCode: code, staffId: 3, openedAt: AT, float: 50_000, count: [{ value: 10_000, count: 5 }] },
    },
    moved: {
      kind: 'cash.movement',
      ref: `${series}-S7-M2`,
      payload: { shiftId: 7, movementId: 2, kind: 'pay-out', amount: 3_500, reason: '買牛奶', staffId: 3, at: AT + 60_000 },
    },
    closed: { kind: 'shift.closed', ref: `${series}-S7`, payload: { ...shiftCash(7), registerCode: code, approvedBy: null } },
    day: {
      kind: 'day.closed',
      ref: `${series}-Z4`,
      payload: {
        storeCode: register.storeCode,
        registerCode: code,
        zNo: 4,
        openedAt: AT,
        closedAt: AT + 4_000_000,
        firstReceipt: `${series}-000010`,
        lastReceipt: `${series}-000011`,
        counts: { sales: 2, returns: 0, exchanges: 0, documents: 2, voids: 1, noSales: 1 },
        gross: 30_000,
        promotions: 0,
        discounts: 0,
        returns: 0,
        voidsValue: 800,
        net: 30_000,
        tax: 0,
        rounding: 0,
        tenders: [{ method: 'cash', nameZh: '現金', nameEn: 'Cash', count: 2, amount: 30_000 }],
        categories: [{ code: null, nameZh: '未分類', nameEn: 'Uncategorised', quantityMilli: 2000, net: 30_000 }],
        staff: [{ staffId: 3, nameZh: '陳經理', nameEn: 'Manager Chan', documents: 2, net: 30_000 }],
        channels: [{ channel: 'shop', documents: 2, net: 30_000 }],
        shifts: [shiftCash(7)],
        outsideShifts: { cashTendered: 0, changeGiven: 0, cashRefunds: 0 },
        overShort: -500,
      },
    },
    voided: {
      kind: 'cart.voided',
      ref: 'cart-12',
      payload: { cartId: 12, reason: '客人改變主意', lines: 2, total: -1_650, staff: { id: 3, nameZh: '陳經理', nameEn: 'Manager Chan' } },
    },
  };
}

type Event = { kind: string; ref: string; payload: unknown };

/** `event` with its payload changed by `change` (a copy). */
function altered(event: Event, change: (payload: Record<string, unknown>) => void): Event {
  const payload = structuredClone(event.payload) as Record<string, unknown>;
  change(payload);
  return { ...event, payload };
}

async function push(register: EnrolledRegister, mutations: unknown[]) {
  return call<{ lastAppliedSeq: number; applied: number; duplicates: number; quarantinedSeqs: number[] }>(
    server.base,
    'POST',
    `/v1/registers/${register.registerId}/mutations`,
    { token: register.token, body: { mutations } },
  );
}

async function quarantine(register: EnrolledRegister): Promise<{ seq: number; reason_code: string }[]> {
  return (
    await db().pool.query<{ seq: number; reason_code: string }>(
      'SELECT seq::int, reason_code FROM quarantine WHERE register_id = $1 ORDER BY seq',
      [register.registerId],
    )
  ).rows;
}

describe('register events in the cloud', () => {
  it('keeps each kind as the register writes it once, and a revoked register of the store’s too; the queue goes on', async () => {
    const register = await enrolRegister(db().pool, server.base, shop.stores[0]!);
    const before = await enrolRegister(db().pool, server.base, shop.stores[0]!);
    await revokeRegister(db().pool, before.registerId, Date.now());
    const own = Object.values(events(register));
    // the same till enrolled again sends what it did under its old (revoked) enrolment
    const old = events(register, before.registerCode);
    const kept = [...own, old.opened, old.day];
    const mutations = [...kept.map((e, index) => ({ seq: index + 1, ...e })), saleMutation(register, kept.length + 1)];

    const first = await push(register, mutations);
    expect(first.status).toBe(200);
    expect(await quarantine(register)).toEqual([]);
    expect(first.body).toMatchObject({ lastAppliedSeq: mutations.length, applied: mutations.length, quarantinedSeqs: [] });
    const again = await push(register, mutations);
    expect(again.body).toMatchObject({ lastAppliedSeq: mutations.length, applied: 0, duplicates: mutations.length });

    const rows = (
      await db().pool.query<{ seq: number; kind: string; ref: string; payload: unknown }>(
        'SELECT seq::int, kind, ref, payload FROM register_event WHERE register_id = $1 ORDER BY seq',
        [register.registerId],
      )
    ).rows;
    expect(rows).toEqual(kept.map((e, index) => ({ seq: index + 1, kind: e.kind, ref: e.ref, payload: e.payload })));
  });

  it('quarantines a malformed event with its reason, and neither blocks the queue nor answers 500', async () => {
    const register = await enrolRegister(db().pool, server.base, shop.stores[0]!);
    const neighbour = await enrolRegister(db().pool, server.base, shop.stores[0]!);
    const e = events(register);
    const bad: [Event, string][] = [
      [{ ...e.opened, payload: [1, 2] }, 'INVALID_PAYLOAD'],
      [altered(e.opened, (p) => delete p.count), 'INVALID_PAYLOAD'],
      [altered(e.opened, (p) => (p.float = '500.00')), 'INVALID_PAYLOAD'],
      [altered(e.opened, (p) => (p.float = 60_000)), 'INVALID_PAYLOAD'], // not what the count adds up to
      [altered(e.opened, (p) => (p.count = [{ value: 10_000, count: -5 }])), 'INVALID_PAYLOAD'],
      [altered(e.opened, (p) => (p.hkid = 'A123456(7)')), 'INVALID_PAYLOAD'], // nothing the register does not send
      [altered(e.moved, (p) => (p.amount = 35.5)), 'INVALID_PAYLOAD'], // dollars, not cents
      [altered(e.moved, (p) => (p.amount = -3_500)), 'INVALID_PAYLOAD'],
      [altered(e.moved, (p) => (p.kind = 'tip')), 'INVALID_PAYLOAD'],
      [altered(e.moved, (p) => (p.reason = '買\u0000牛奶')), 'INVALID_PAYLOAD'],
      [altered(e.closed, (p) => (p.payIns = -5_000)), 'INVALID_PAYLOAD'],
      [altered(e.closed, (p) => (p.expected = 90_000)), 'INVALID_PAYLOAD'],
      [altered(e.closed, (p) => (p.overShort = 0)), 'INVALID_PAYLOAD'],
      [altered(e.closed, (p) => (p.counted = null)), 'INVALID_PAYLOAD'],
      [altered(e.day, (p) => ((p.counts as Record<string, number>).sales = -2)), 'INVALID_PAYLOAD'],
      [altered(e.day, (p) => (p.net = 300.5)), 'INVALID_PAYLOAD'],
      [altered(e.day, (p) => (p.zNo = null)), 'INVALID_PAYLOAD'], // an X report is not a closed day
      [altered(e.voided, (p) => (p.lines = 0)), 'INVALID_PAYLOAD'],
      [altered(e.voided, (p) => delete p.staff), 'INVALID_PAYLOAD'],
      [{ ...e.voided, ref: 'cart-13' }, 'REF_MISMATCH'],
      [{ ...e.opened, ref: `${register.storeCode}-${register.registerCode}-S8` }, 'REF_MISMATCH'],
      [{ ...e.moved, ref: `${register.storeCode}-${register.registerCode}-S7-M3` }, 'REF_MISMATCH'],
      [{ ...e.opened, ref: `${register.storeCode}-99-S7` }, 'REF_MISMATCH'], // the payload names register 01
      [{ ...e.opened, ref: `TST-${register.registerCode}-S7` }, 'STORE_MISMATCH'],
      [altered({ ...e.day, ref: `TST-${register.registerCode}-Z4` }, (p) => (p.storeCode = 'TST')), 'STORE_MISMATCH'],
      [altered(e.day, (p) => (p.storeCode = 'TST')), 'STORE_MISMATCH'],
      [events(register, neighbour.registerCode).opened, 'FOREIGN_REGISTER'], // an active register's series is its own
      [events(register, neighbour.registerCode).moved, 'FOREIGN_REGISTER'],
      [{ ...e.moved, kind: 'cash.count' }, 'UNKNOWN_KIND'],
      [{ ...e.moved, kind: 'drawer.opened' }, 'UNKNOWN_KIND'],
      [{ ...e.opened, kind: 'shift.teleported' }, 'UNKNOWN_KIND'],
    ];
    const next = bad.length + 1;
    const mutations = [
      ...bad.map(([event], index) => ({ seq: index + 1, ...event })),
      { seq: next, ...e.opened },
      saleMutation(register, next + 1),
    ];

    const first = await push(register, mutations);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ lastAppliedSeq: next + 1, applied: 2, quarantinedSeqs: bad.map((_, index) => index + 1) });
    expect(await quarantine(register)).toEqual(bad.map(([, reason], index) => ({ seq: index + 1, reason_code: reason })));
    const kept = (await db().pool.query('SELECT seq::int FROM register_event WHERE register_id = $1', [register.registerId])).rows;
    expect(kept).toEqual([{ seq: next }]);
    expect((await push(register, mutations)).body).toMatchObject({ applied: 0, duplicates: mutations.length });
  });
});
