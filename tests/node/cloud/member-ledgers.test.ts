/**
 * Members and their ledgers in the cloud (issue 13), on real PostgreSQL over real sockets: till
 * enrolment and merge by phone, points from pushed documents exactly once, redemptions that many
 * concurrent requests cannot take below zero, overdrafts on the exceptions list, and the balances
 * always equal to the sum of their ledger rows.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { upsertMember, upsertProduct } from '../../../cloud/domain/catalogue';
import { listLedgerExceptions } from '../../../cloud/domain/ledger-exceptions';
import { adjustBalance, setRules } from '../../../cloud/domain/members';
import type { MemberEnrolment } from '../../../src/shared/member-schemas';
import {
  SALES_DAY,
  call,
  createShop,
  enrolRegister,
  receipt,
  useTestDatabase,
  useTestServer,
  type LineSpec,
  type Shop,
  pushInTurn,
  type Till,
} from './helpers';

const db = useTestDatabase();
const server = useTestServer(db);

async function newTill(shop: Shop, storeIndex = 0): Promise<Till> {
  return { register: await enrolRegister(db().pool, server.base, shop.stores[storeIndex]!), seq: 0 };
}

async function push(till: Till, mutations: Parameters<typeof pushInTurn>[2]) {
  const { body, numbered } = await pushInTurn(server.base, till, mutations);
  return { answer: body, numbered };
}

function enrolment(provisionalCode: string, phone: string, name = '陳大文'): MemberEnrolment {
  return {
    provisionalCode,
    name,
    phone,
    email: null,
    birthMonth: 5,
    marketingConsent: { given: true, wordingVersion: 'dm-2026-01', at: Date.now() },
    enrolledAt: Date.now(),
  };
}

function memberSale(till: Till, n: number, memberCode: string, lines: LineSpec[], kind: 'sale' | 'return' = 'sale') {
  const doc = { ...receipt(till.register, n, lines, kind), member: { code: memberCode, pointsEarned: 999_999 } };
  if (kind === 'return') doc.originalReceiptNo = `${till.register.storeCode}-${till.register.registerCode}-000001`;
  return { kind: `document.${kind}`, ref: doc.receiptNo, payload: doc };
}

const lookup = (till: Till, query: string) =>
  call<{ member?: { id: number; code: string; points: number; storeCredit: number; aliases: string[] }; error?: string }>(
    server.base,
    'GET',
    `/v1/members/lookup?${query}`,
    { token: till.register.token },
  );

const redeem = (till: Till, body: Record<string, unknown>) =>
  call<{ balance?: number; replayed?: boolean; error?: string }>(server.base, 'POST', '/v1/members/redeem', {
    token: till.register.token,
    body,
  });

async function ledgerMismatches(): Promise<unknown[]> {
  return (
    await db().pool.query(
      `SELECT a.id, (SELECT sum(amount) FROM ledger_entry WHERE account_id = a.id) AS total,
              (SELECT balance_after FROM ledger_entry WHERE account_id = a.id ORDER BY id DESC LIMIT 1) AS balance
       FROM ledger_account a
       WHERE (SELECT sum(amount) FROM ledger_entry WHERE account_id = a.id) IS DISTINCT FROM
             (SELECT balance_after FROM ledger_entry WHERE account_id = a.id ORDER BY id DESC LIMIT 1)`,
    )
  ).rows;
}

describe('members enrolled at a till', () => {
  it('a till enrolment creates the member with its consent; the same phone from another till merges into it', async () => {
    const shop = await createShop(db().pool);
    const [a, b] = [await newTill(shop, 0), await newTill(shop, 1)];
    await push(a, [{ kind: 'member.enrolled', ref: 'TMK01-0001', payload: enrolment('TMK01-0001', '91234567') }]);
    await push(b, [{ kind: 'member.enrolled', ref: 'TTST01-0001', payload: enrolment('TTST01-0001', '91234567', 'Chan Tai Man') }]);
    const byPhone = await lookup(a, 'phone=%2B852%209123%204567');
    expect(byPhone.status).toBe(200);
    expect(byPhone.body.member?.code).toMatch(/^M\d{8}$/);
    expect(byPhone.body.member?.aliases).toEqual(['TMK01-0001', 'TTST01-0001']);
    for (const code of ['TMK01-0001', 'TTST01-0001'])
      expect((await lookup(b, `code=${code}`)).body.member?.id).toBe(byPhone.body.member?.id);
    const consents = await db().pool.query('SELECT marketing, wording_version FROM member_consent WHERE member_id = $1', [
      byPhone.body.member?.id,
    ]);
    expect(consents.rows).toEqual([
      { marketing: true, wording_version: 'dm-2026-01' },
      { marketing: true, wording_version: 'dm-2026-01' },
    ]);
    // a replayed enrolment (same provisional code) makes nothing new
    const count = async () =>
      Number((await db().pool.query('SELECT count(*) FROM member WHERE merchant_id = $1', [shop.merchantId])).rows[0].count);
    expect(await count()).toBe(1);
  });

  it('two tills enrolling one new phone at the same moment make one member', async () => {
    const shop = await createShop(db().pool);
    const tills = await Promise.all([0, 1, 0, 1].map((i) => newTill(shop, i)));
    await Promise.all(tills.map((t, i) => push(t, [{ kind: 'member.enrolled', ref: `TX${i}`, payload: enrolment(`TX${i}`, '62345678') }])));
    const rows = (await db().pool.query('SELECT id FROM member WHERE merchant_id = $1', [shop.merchantId])).rows;
    expect(rows).toHaveLength(1);
    const aliases = (await db().pool.query('SELECT count(*)::int AS n FROM member_alias WHERE member_id = $1', [rows[0].id])).rows[0].n;
    expect(aliases).toBe(4);
  });

  it('an enrolment that is not one (an HKID field, a bad phone) is quarantined, never half-applied', async () => {
    const shop = await createShop(db().pool);
    const till = await newTill(shop);
    const { answer } = await push(till, [
      { kind: 'member.enrolled', ref: 'TBAD1', payload: { ...enrolment('TBAD1', '91230000'), hkid: 'A1234563' } },
      { kind: 'member.enrolled', ref: 'TBAD2', payload: enrolment('TBAD2', '1234') },
    ]);
    expect(answer).toMatchObject({ applied: 0, quarantined: 2 });
  });

  it('looking up answers 404 for nobody, 400 for a number that is not a Hong Kong one, 401 without a token', async () => {
    const shop = await createShop(db().pool);
    const till = await newTill(shop);
    expect((await lookup(till, 'phone=98765432')).status).toBe(404);
    expect((await lookup(till, 'phone=12')).body.error).toBe('BAD_REQUEST');
    expect((await lookup(till, 'nothing=1')).body.error).toBe('BAD_REQUEST');
    expect((await call(server.base, 'GET', '/v1/members/lookup?phone=98765432')).status).toBe(401);
  });
});

describe('points from pushed documents', () => {
  it('a sale earns by the cloud’s rules (tier multiplier, excluded category), once however often it is pushed; a return reverses', async () => {
    const shop = await createShop(db().pool);
    await upsertProduct(
      db().pool,
      shop.merchantId,
      { sku: 'TOBACCO', nameZh: '煙', nameEn: 'Cigarettes', categoryCode: 'tobacco', price: 6000 },
      Date.now(),
    );
    await setRules(
      db().pool,
      shop.merchantId,
      { earnCentsPerPoint: 100, tierMultipliers: { gold: 2 }, excludedCategories: ['tobacco'] },
      // in force before the documents below were made (their points follow the version in force then)
      SALES_DAY,
    );
    await upsertMember(db().pool, shop.merchantId, { code: 'VIP1', name: '黃太', phone: '93334444', tier: 'gold' }, Date.now());
    const till = await newTill(shop);
    // 2 × HK$10 eligible + HK$60 excluded → 20 units × 2 = 40 points; the till's 999999 is ignored
    const sale = memberSale(till, 1, 'VIP1', [
      { sku: 'P1', quantity: 2 },
      { sku: 'TOBACCO', quantity: 1, unitPrice: 6000 },
    ]);
    const { numbered } = await push(till, [sale]);
    expect((await lookup(till, 'code=VIP1')).body.member?.points).toBe(40);
    // the same batch again (an answer lost): absorbed, nothing counted twice
    const replay = await call<{ duplicates: number }>(server.base, 'POST', `/v1/registers/${till.register.registerId}/mutations`, {
      token: till.register.token,
      body: { mutations: numbered },
    });
    expect(replay.body.duplicates).toBe(1);
    expect((await lookup(till, 'code=VIP1')).body.member?.points).toBe(40);
    await push(till, [memberSale(till, 2, 'VIP1', [{ sku: 'P1', quantity: -1 }], 'return')]);
    expect((await lookup(till, 'code=VIP1')).body.member?.points).toBe(20);
    // the feed carries the balance to every register
    const page = await call<{ changes: { entity: string; data: { code: string; points: number } }[] }>(
      server.base,
      'GET',
      '/v1/changes?since=0&limit=1000',
      { token: till.register.token },
    );
    const last = page.body.changes.filter((c) => c.entity === 'member' && c.data.code === 'VIP1').at(-1);
    expect(last?.data.points).toBe(20);
  });

  it('a document naming a provisional code counts for the member it became; an unknown member keeps the sale and lists it', async () => {
    const shop = await createShop(db().pool);
    const till = await newTill(shop);
    await push(till, [
      { kind: 'member.enrolled', ref: 'TMK-7', payload: enrolment('TMK-7', '51112222') },
      memberSale(till, 2, 'TMK-7', [{ sku: 'P1', quantity: 3 }]),
      memberSale(till, 3, 'NOBODY', [{ sku: 'P1', quantity: 1 }]),
    ]);
    expect((await lookup(till, 'phone=51112222')).body.member?.points).toBe(30);
    const sales = await db().pool.query('SELECT count(*)::int AS n FROM sale WHERE register_id = $1', [till.register.registerId]);
    expect(sales.rows[0].n).toBe(2);
    const exceptions = await listLedgerExceptions(db().pool, shop.merchantId);
    expect(exceptions).toMatchObject([{ kind: 'unknown_member', document: `MK-${till.register.registerCode}-000003` }]);
    // the facts the console words it from, beside the English line the admin CLI prints
    expect(exceptions[0]?.facts).toEqual({ case: 'unknown_member', memberCode: 'NOBODY' });
    expect(exceptions[0]?.detail).toBe(
      `Document MK-${till.register.registerCode}-000003 names member NOBODY, which this cloud does not know: no points were given`,
    );
  });

  it('points reversed after they were spent: recorded as an overdraft and listed, the return is not refused', async () => {
    const shop = await createShop(db().pool);
    await upsertMember(db().pool, shop.merchantId, { code: 'OD1', name: '李生', phone: '67778888' }, Date.now());
    const till = await newTill(shop);
    await push(till, [memberSale(till, 1, 'OD1', [{ sku: 'P1', quantity: 5 }])]);
    expect((await redeem(till, { idempotencyKey: 'spend-od1-0001', memberCode: 'OD1', kind: 'points', amount: 50 })).body.balance).toBe(0);
    const { answer } = await push(till, [memberSale(till, 2, 'OD1', [{ sku: 'P1', quantity: -5 }], 'return')]);
    expect(answer.applied).toBe(1);
    expect((await lookup(till, 'code=OD1')).body.member?.points).toBe(-50);
    expect(await listLedgerExceptions(db().pool, shop.merchantId)).toMatchObject([{ kind: 'overdraft', amount: 50, memberCode: 'OD1' }]);
    // points earned while still below zero bring the balance back up: no second exception (they were
    // listed as an overdraft of their own, found by the member chaos test); the row keeps its part below zero
    await push(till, [memberSale(till, 3, 'OD1', [{ sku: 'P1', quantity: 2 }])]);
    expect((await lookup(till, 'code=OD1')).body.member?.points).toBe(-30);
    const exceptions = await listLedgerExceptions(db().pool, shop.merchantId);
    expect(exceptions).toHaveLength(1);
    expect(exceptions).toMatchObject([{ kind: 'overdraft', amount: 50, memberCode: 'OD1' }]);
    expect(exceptions[0]?.facts).toEqual({ case: 'overdraft', reason: 'reverse', account: 'points', taken: 50, before: 0, after: -50 });
    expect(exceptions[0]?.detail).toBe('reverse of 50 points left the balance at -50 (it was 0)');
    const overdrawn = await db().pool.query<{ amount: string; overdraft: string }>(
      `SELECT e.amount, e.overdraft FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id JOIN member m ON m.id = a.member_id
       WHERE m.code = 'OD1' AND a.kind = 'points' ORDER BY e.id`,
    );
    expect(overdrawn.rows.map((r) => [Number(r.amount), Number(r.overdraft)])).toEqual([
      [50, 0],
      [-50, 0],
      [-50, 50],
      [20, 20],
    ]);
    expect(await ledgerMismatches()).toEqual([]);
  });
});

describe('redemptions decided by the cloud', () => {
  it('60 concurrent redemptions from 3 tills: exactly what the balance covers goes through, never below zero; retries count once', async () => {
    const shop = await createShop(db().pool);
    await upsertMember(db().pool, shop.merchantId, { code: 'RACE', name: '張小姐', phone: '90001111' }, Date.now());
    await adjustBalance(
      db().pool,
      shop.merchantId,
      { memberCode: 'RACE', kind: 'credit', amount: 10_000, reason: 'opening', ref: 'race-open' },
      Date.now(),
    );
    const tills = [await newTill(shop), await newTill(shop), await newTill(shop, 1)];
    const requests = Array.from({ length: 60 }, (_, i) => ({
      till: tills[i % 3] as Till,
      body: { idempotencyKey: `race-${String(i % 40).padStart(4, '0')}`, memberCode: 'RACE', kind: 'credit', amount: 700 },
    }));
    const answers = await Promise.all(requests.map((r) => redeem(r.till, r.body)));
    const okFresh = answers.filter((a) => a.status === 200 && a.body.replayed === false).length;
    const refused = answers.filter((a) => a.body.error === 'INSUFFICIENT_BALANCE').length;
    // 10,000 / 700 = 14 redemptions; keys repeat per till only (the key is per register)
    expect(okFresh).toBe(14);
    expect(answers.every((a) => a.status === 200 || a.body.error === 'INSUFFICIENT_BALANCE')).toBe(true);
    expect(refused).toBeGreaterThan(0);
    const balance = (await lookup(tills[0]!, 'code=RACE')).body.member?.storeCredit;
    expect(balance).toBe(10_000 - 14 * 700);
    const negative = await db().pool.query('SELECT count(*)::int AS n FROM ledger_entry WHERE balance_after < 0 AND merchant_id = $1', [
      shop.merchantId,
    ]);
    expect(negative.rows[0].n).toBe(0);
    // the same key and till again: the same entry, nothing taken
    const first = requests.find((_, i) => answers[i]?.body.replayed === false) as (typeof requests)[number];
    const again = await redeem(first.till, first.body);
    expect(again.body).toMatchObject({ replayed: true, balance });
    // the same key for another amount: refused
    expect((await redeem(first.till, { ...first.body, amount: 1 })).body.error).toBe('IDEMPOTENCY_CONFLICT');
    expect(await ledgerMismatches()).toEqual([]);
  }, 60_000);

  it('property: any mix of earning, redeeming and adjusting leaves each balance equal to its ledger sum', async () => {
    const shop = await createShop(db().pool, { products: 1 });
    for (const code of ['PA', 'PB']) await upsertMember(db().pool, shop.merchantId, { code, name: code }, Date.now());
    const till = await newTill(shop);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            op: fc.constantFrom('sale', 'return', 'redeem', 'adjust'),
            member: fc.constantFrom('PA', 'PB'),
            units: fc.integer({ min: 1, max: 5 }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        async (ops) => {
          for (const op of ops) {
            n += 1;
            if (op.op === 'sale' || op.op === 'return') {
              await push(till, [memberSale(till, n, op.member, [{ sku: 'P1', quantity: op.op === 'sale' ? op.units : -op.units }], op.op)]);
            } else if (op.op === 'redeem') {
              await redeem(till, { idempotencyKey: `prop-${n}-key`, memberCode: op.member, kind: 'points', amount: op.units * 3 });
            } else {
              await adjustBalance(
                db().pool,
                shop.merchantId,
                { memberCode: op.member, kind: 'points', amount: op.units, reason: 'goodwill', ref: `p${n}` },
                Date.now(),
              );
            }
          }
          expect(await ledgerMismatches()).toEqual([]);
        },
      ),
      { numRuns: 15 },
    );
  }, 120_000);
});
