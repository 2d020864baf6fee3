/**
 * The console's 會員 screen, server side, on real PostgreSQL over real sockets: search by phone,
 * code and name with the phone masked in the list and on the member's page, the whole phone only on
 * its own request, which is audited (who, whose, when); the ledger with
 * the store and receipt of each movement; 20 adjustments sent at once ending at their exact sum
 * (the account's lock), never below zero, each audited with before and after; the rules checked
 * and audited; the exceptions limited to a store manager's stores, resolved with a note by an owner or HQ manager
 * (audited, then listed as resolved with who and when); a return whose points wait for an original
 * that never comes closed with a reason (audited, listed as closed; refused once its original took
 * the points), by a store manager too for their stores' (another store's is NOT_FOUND, two closes at
 * once close it once); and the roles refused at the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertMember } from '../../../cloud/domain/catalogue';
import { issueGiftCards } from '../../../cloud/domain/gift-cards';
import type { MemberEnrolment } from '../../../src/shared/member-schemas';
import {
  createShop,
  enrolRegister,
  fingerprint,
  pushMutations,
  receipt,
  useTestDatabase,
  type EnrolledRegister,
  type Shop,
} from '../cloud/helpers';
import { HqClient, addUser, startHq } from './hq-helpers';

const database = useTestDatabase();
let server: Awaited<ReturnType<typeof startHq>>;
let shop: Shop;
let till: EnrolledRegister;
let tillSeq = 0;
let enrolledCode: string;

function enrolment(provisionalCode: string, phone: string, name: string, marketing: boolean): MemberEnrolment {
  const at = Date.parse('2026-11-02T03:04:00Z');
  return {
    provisionalCode,
    name,
    phone,
    email: 'chan@example.hk',
    birthMonth: 5,
    marketingConsent: { given: marketing, wordingVersion: 'dm-2026-01', at },
    enrolledAt: at,
  };
}

async function push(mutations: { kind: string; ref: string; payload: unknown }[]): Promise<void> {
  const answer = await pushMutations(
    server.base,
    till,
    mutations.map((m) => ({ ...m, seq: (tillSeq += 1) })),
  );
  expect(answer.status).toBe(200);
}

beforeAll(async () => {
  const pool = database().pool;
  server = await startHq(pool, { now: () => Date.now() });
  shop = await createShop(pool);
  till = await enrolRegister(pool, server.base, shop.stores[0]!);
  const now = Date.now();
  await upsertMember(pool, shop.merchantId, { code: 'VIP1', name: '黃美玲', phone: '+852 9333 4444', tier: 'gold' }, now);
  await upsertMember(pool, shop.merchantId, { code: 'VIP2', name: '黃大仙', phone: null }, now);
  for (let i = 0; i < 30; i += 1) {
    await upsertMember(pool, shop.merchantId, { code: `BULK${String(i).padStart(2, '0')}`, name: `會員${i}`, phone: null }, now);
  }
  // one enrolled at the till (consent recorded), who buys there: points earned at MK
  await push([{ kind: 'member.enrolled', ref: 'TMK-1', payload: enrolment('TMK-1', '61234567', '陳大文', true) }]);
  const sale = { ...receipt(till, 2, [{ sku: 'P1', quantity: 2 }]), member: { code: 'TMK-1', pointsEarned: 0 } };
  await push([{ kind: 'document.sale', ref: sale.receiptNo, payload: sale }]);
  // an unknown member at MK: an exception of that store
  const stray = { ...receipt(till, 3, [{ sku: 'P1', quantity: 1 }]), member: { code: 'NOBODY', pointsEarned: 0 } };
  await push([{ kind: 'document.sale', ref: stray.receiptNo, payload: stray }]);
  enrolledCode = (
    await pool.query<{ code: string }>('SELECT code FROM member WHERE merchant_id = $1 AND phone_key = $2', [shop.merchantId, '61234567'])
  ).rows[0]!.code;
  await addUser(pool, shop.merchantId, 'owner@members.hk', 'owner');
  await addUser(pool, shop.merchantId, 'hq@members.hk', 'hq_manager');
  await addUser(pool, shop.merchantId, 'mk@members.hk', 'store_manager', [shop.stores[0]!.id]);
  await addUser(pool, shop.merchantId, 'tst@members.hk', 'store_manager', [shop.stores[1]!.id]);
  await addUser(pool, shop.merchantId, 'viewer@members.hk', 'viewer');
  for (const email of ['owner', 'hq', 'mk', 'tst', 'viewer']) await as(`${email}@members.hk`);
  // scrypt per user and per login: beside the lead's load tests this takes a while
}, 600_000);
afterAll(async () => {
  await server?.close();
});

const clients = new Map<string, HqClient>();

/** One logged-in client per user for the whole file (each login is an scrypt). */
async function as(email: string): Promise<HqClient> {
  const known = clients.get(email);
  if (known) return known;
  const client = new HqClient(server.base);
  expect((await client.login(email)).status).toBe(200);
  clients.set(email, client);
  return client;
}

interface ListBody {
  members: {
    code: string;
    name: string;
    maskedPhone: string;
    points: number;
    storeCredit: number;
    consent: { marketing: boolean } | null;
  }[];
  hasMore: boolean;
}

describe('finding members', () => {
  it('by phone written any way, by code (own or provisional, any case), by part of the name; the list never carries a whole phone', async () => {
    const manager = await as('mk@members.hk');
    const search = async (q: string) =>
      (await manager.request('GET', `/hq/api/members?q=${encodeURIComponent(q)}`)).body as unknown as ListBody;
    expect((await search('9333 4444')).members.map((m) => m.code)).toEqual(['VIP1']);
    expect((await search('+85293334444')).members[0]).toMatchObject({ code: 'VIP1', maskedPhone: '9xxx 4444', name: '黃美玲' });
    expect((await search('vip1')).members.map((m) => m.code)).toEqual(['VIP1']);
    expect((await search('TMK-1')).members.map((m) => m.code)).toEqual([enrolledCode]);
    expect(new Set((await search('黃')).members.map((m) => m.code))).toEqual(new Set(['VIP1', 'VIP2']));
    expect((await search('%')).members).toEqual([]);
    const enrolled = (await search('61234567')).members[0]!;
    expect(enrolled).toMatchObject({ maskedPhone: '6xxx 4567', points: 20, storeCredit: 0, consent: { marketing: true } });
    // paged: 33 members, 25 a page
    const first = (await manager.request('GET', '/hq/api/members')).body as unknown as ListBody;
    expect(first.members).toHaveLength(25);
    expect(first.hasMore).toBe(true);
    const second = (await manager.request('GET', '/hq/api/members?offset=25')).body as unknown as ListBody;
    expect(second.members).toHaveLength(8);
    expect(second.hasMore).toBe(false);
    const all = [...first.members, ...second.members];
    expect(new Set(all.map((m) => m.code)).size).toBe(33);
    expect(JSON.stringify(all)).not.toMatch(/93334444|9333 4444|61234567/);
  });

  it('the member’s page has the masked phone, the consent and the ledger with store, receipt and time', async () => {
    const viewer = await as('viewer@members.hk');
    const page = (await viewer.request('GET', `/hq/api/members/TMK-1`)).body as {
      member: {
        code: string;
        maskedPhone: string;
        consent: { marketing: boolean; givenAt: number };
        enrolledStoreCode: string;
      };
    };
    expect(page.member).toMatchObject({
      code: enrolledCode,
      maskedPhone: '6xxx 4567',
      enrolledStoreCode: 'MK',
      consent: { marketing: true, givenAt: Date.parse('2026-11-02T03:04:00Z') },
    });
    expect(page.member).not.toHaveProperty('phone');
    expect(JSON.stringify(page)).not.toMatch(/61234567|6123 4567/);
    const ledger = (await viewer.request('GET', `/hq/api/members/${enrolledCode}/ledger`)).body as {
      entries: { kind: string; reason: string; amount: number; balanceAfter: number; document: string; storeCode: string }[];
    };
    expect(ledger.entries).toMatchObject([
      { kind: 'points', reason: 'earn', amount: 20, balanceAfter: 20, document: `MK-${till.registerCode}-000002`, storeCode: 'MK' },
    ]);
    expect((await viewer.request('GET', '/hq/api/members/NOSUCH')).status).toBe(404);
  });
});

describe('the whole phone', () => {
  const phoneViews = async () =>
    (
      await database().pool.query<{ user_email: string; target: string; at: Date }>(
        "SELECT user_email, target, at FROM hq_audit WHERE merchant_id = $1 AND action = 'member.phone.view' ORDER BY id",
        [shop.merchantId],
      )
    ).rows;

  it('is sent only on its own request, and each request is audited: who looked at whose phone, when', async () => {
    const before = (await phoneViews()).length;
    const viewer = await as('viewer@members.hk');
    const asked = Date.now();
    const answer = await viewer.request('POST', '/hq/api/members/TMK-1/phone');
    expect(answer).toMatchObject({ status: 200, body: { phone: '61234567' } });
    const manager = await as('mk@members.hk');
    expect((await manager.request('POST', '/hq/api/members/VIP1/phone')).body).toMatchObject({ phone: '+852 9333 4444' });
    // no phone: nothing to show, the asking is still recorded
    expect((await manager.request('POST', '/hq/api/members/VIP2/phone')).body).toMatchObject({ phone: null });
    const views = (await phoneViews()).slice(before);
    expect(views.map((v) => [v.user_email, v.target])).toEqual([
      ['viewer@members.hk', enrolledCode],
      ['mk@members.hk', 'VIP1'],
      ['mk@members.hk', 'VIP2'],
    ]);
    for (const v of views) expect(v.at.getTime()).toBeGreaterThanOrEqual(asked - 1000);
    // an unknown member: 404, nothing recorded; a GET is not the way (it would skip the CSRF check)
    expect((await viewer.request('POST', '/hq/api/members/NOSUCH/phone')).status).toBe(404);
    expect((await viewer.request('GET', '/hq/api/members/TMK-1/phone')).status).toBe(404);
    expect(await phoneViews()).toHaveLength(before + 3);
  });
});

describe('adjusting balances', () => {
  it('20 adjustments sent at once end at their exact sum, each audited with the balance before and after', async () => {
    const owner = await as('owner@members.hk');
    const amounts = Array.from({ length: 20 }, (_, i) => (i % 4 === 3 ? -100 : 250 + i));
    const answers = await Promise.all(
      amounts.map((amount, i) =>
        owner.request('POST', '/hq/api/members/VIP1/adjust', {
          kind: 'credit',
          amount,
          reason: `goodwill ${i}`,
          idempotencyKey: `concurrent-${i}-${Date.now()}`,
        }),
      ),
    );
    // a take-away that came before enough was added is refused, never below zero; everything else lands
    const landed = amounts.filter((_, i) => answers[i]!.status === 200);
    for (const [i, a] of answers.entries()) {
      if (a.status !== 200) expect({ amount: amounts[i], error: a.body.error }).toEqual({ amount: -100, error: 'INSUFFICIENT_BALANCE' });
    }
    expect(landed.filter((a) => a > 0)).toHaveLength(15);
    const sum = landed.reduce((s, a) => s + a, 0);
    const page = (await owner.request('GET', '/hq/api/members/VIP1')).body as { member: { storeCredit: number } };
    expect(page.member.storeCredit).toBe(sum);
    const rows = (
      await database().pool.query<{ before: { balance: number }; after: { balance: number; amount: number } }>(
        "SELECT before, after FROM hq_audit WHERE merchant_id = $1 AND action = 'member.adjust' AND target = 'VIP1 credit' ORDER BY id",
        [shop.merchantId],
      )
    ).rows;
    expect(rows).toHaveLength(landed.length);
    // the audit entries chain: each one's before is the previous one's after
    let balance = 0;
    for (const r of rows) {
      expect(r.before.balance).toBe(balance);
      expect(r.after.balance).toBe(balance + r.after.amount);
      balance = r.after.balance;
    }
    expect(balance).toBe(sum);
  });

  it('below zero is refused with nothing written; a retried request is applied once; the ledger shows who and why', async () => {
    const manager = await as('hq@members.hk');
    const take = await manager.request('POST', `/hq/api/members/${enrolledCode}/adjust`, {
      kind: 'points',
      amount: -21,
      reason: 'typo',
      idempotencyKey: 'below-zero-1',
    });
    expect(take.status).toBe(409);
    expect(take.body.error).toBe('INSUFFICIENT_BALANCE');
    const body = { kind: 'points', amount: -5, reason: '顧客投訴補償更正', idempotencyKey: 'retried-once-1' };
    const first = await manager.request('POST', `/hq/api/members/${enrolledCode}/adjust`, body);
    const again = await manager.request('POST', `/hq/api/members/${enrolledCode}/adjust`, body);
    expect(first.body).toMatchObject({ balance: 15, replayed: false });
    expect(again.body).toMatchObject({ balance: 15, replayed: true });
    const ledger = (await manager.request('GET', `/hq/api/members/${enrolledCode}/ledger`)).body as {
      entries: { reason: string; amount: number; source: string; note: string; storeCode: string | null }[];
    };
    expect(ledger.entries[0]).toEqual(
      expect.objectContaining({ reason: 'adjust', amount: -5, source: 'hq:hq@members.hk', note: '顧客投訴補償更正', storeCode: null }),
    );
    expect(ledger.entries).toHaveLength(2);
    // a reason is required; 0 is not an adjustment
    for (const bad of [
      { ...body, idempotencyKey: 'no-reason-1', reason: '  ' },
      { ...body, idempotencyKey: 'zero-amount-1', amount: 0 },
    ]) {
      expect((await manager.request('POST', `/hq/api/members/${enrolledCode}/adjust`, bad)).body.error).toBe('BAD_REQUEST');
    }
  });

  it('a viewer’s and a store manager’s adjustment are refused at the API, with nothing written', async () => {
    for (const email of ['viewer@members.hk', 'mk@members.hk']) {
      const client = await as(email);
      const answer = await client.request('POST', '/hq/api/members/VIP2/adjust', {
        kind: 'credit',
        amount: 1000,
        reason: 'should not land',
        idempotencyKey: `refused-${email}`,
      });
      expect(answer.status).toBe(403);
      expect(answer.body.error).toBe('PERMISSION_DENIED');
      expect((await client.request('PUT', '/hq/api/member-rules', { pointsPerDollar: 1 })).body.error).toBe('PERMISSION_DENIED');
    }
    const page = (await (await as('owner@members.hk')).request('GET', '/hq/api/members/VIP2')).body as { member: { storeCredit: number } };
    expect(page.member.storeCredit).toBe(0);
  });
});

describe('rules and exceptions', () => {
  it('the rules are checked and audited; the cloud redeems at the new rate at once', async () => {
    const owner = await as('owner@members.hk');
    const current = (await owner.request('GET', '/hq/api/member-rules')).body as { rules: Record<string, unknown> };
    expect(current.rules).toMatchObject({ earnCentsPerPoint: 100, pointsPerDollar: 100, offlineLimitCents: 50_000 });
    const next = {
      earnCentsPerPoint: 200,
      pointsPerDollar: 50,
      offlineLimitCents: 30_000,
      tierMultipliers: { gold: 1.5 },
      excludedCategories: ['tobacco'],
    };
    expect((await owner.request('PUT', '/hq/api/member-rules', { ...next, pointsPerDollar: 0 })).body.error).toBe('BAD_REQUEST');
    expect((await owner.request('PUT', '/hq/api/member-rules', { ...next, tierMultipliers: { gold: 101 } })).body.error).toBe(
      'BAD_REQUEST',
    );
    expect(((await owner.request('PUT', '/hq/api/member-rules', next)).body as { rules: unknown }).rules).toEqual(next);
    const page = (await owner.request('GET', '/hq/api/members/VIP1')).body as { pointsPerDollar: number };
    expect(page.pointsPerDollar).toBe(50);
    const audit = (
      await database().pool.query<{ before: { pointsPerDollar: number }; after: { pointsPerDollar: number } }>(
        "SELECT before, after FROM hq_audit WHERE merchant_id = $1 AND action = 'member.rules'",
        [shop.merchantId],
      )
    ).rows;
    expect(audit).toMatchObject([{ before: { pointsPerDollar: 100 }, after: { pointsPerDollar: 50 } }]);
  });

  it('the exceptions are listed with their store; another store’s manager does not see them', async () => {
    type Exceptions = { exceptions: { kind: string; document: string; storeCode: string }[] };
    const owner = (await (await as('owner@members.hk')).request('GET', '/hq/api/member-exceptions')).body as Exceptions;
    expect(owner.exceptions).toMatchObject([
      {
        kind: 'unknown_member',
        document: `MK-${till.registerCode}-000003`,
        storeCode: 'MK',
        // the facts the console words it from, in the reader's language
        facts: { case: 'unknown_member', memberCode: 'NOBODY' },
      },
    ]);
    const mk = (await (await as('mk@members.hk')).request('GET', '/hq/api/member-exceptions')).body as Exceptions;
    expect(mk.exceptions).toHaveLength(1);
    const tst = (await (await as('tst@members.hk')).request('GET', '/hq/api/member-exceptions')).body as Exceptions;
    expect(tst.exceptions).toEqual([]);
  });

  it('an owner or HQ manager resolves an overdraft with a note: audited, then listed as resolved with who and when', async () => {
    const pool = database().pool;
    const owner = await as('owner@members.hk');
    // an overdraft: OD1 earns points at MK, head office takes them all back, then the sale is returned
    await upsertMember(pool, shop.merchantId, { code: 'OD1', name: '李生', phone: '67778888' }, Date.now());
    const sale = { ...receipt(till, 10, [{ sku: 'P1', quantity: 5 }]), member: { code: 'OD1', pointsEarned: 0 } };
    await push([{ kind: 'document.sale', ref: sale.receiptNo, payload: sale }]);
    const earned = ((await owner.request('GET', '/hq/api/members/OD1')).body as { member: { points: number } }).member.points;
    expect(earned).toBeGreaterThan(0);
    const takeBack = { kind: 'points', amount: -earned, reason: '誤加', idempotencyKey: 'od1-take-back' };
    expect((await owner.request('POST', '/hq/api/members/OD1/adjust', takeBack)).status).toBe(200);
    const back = { ...receipt(till, 11, [{ sku: 'P1', quantity: -5 }], 'return'), member: { code: 'OD1', pointsEarned: 0 } };
    back.originalReceiptNo = sale.receiptNo;
    await push([{ kind: 'document.return', ref: back.receiptNo, payload: back }]);

    type Row = {
      id: number;
      kind: string;
      amount: number;
      memberCode: string | null;
      storeCode: string | null;
      resolvedAt: number | null;
      resolvedBy: string | null;
      resolution: string | null;
    };
    const list = async (email: string, state = 'open') =>
      ((await (await as(email)).request('GET', `/hq/api/member-exceptions?state=${state}`)).body as { exceptions: Row[] }).exceptions;
    const overdraft = (await list('owner@members.hk')).find((x) => x.kind === 'overdraft')!;
    expect(overdraft).toMatchObject({
      memberCode: 'OD1',
      amount: earned,
      storeCode: 'MK',
      resolvedAt: null,
      resolvedBy: null,
      facts: { case: 'overdraft', reason: 'reverse', account: 'points', taken: earned, before: 0, after: -earned },
    });

    const resolveAudits = async () =>
      (
        await pool.query<{ user_email: string; target: string; before: { resolvedAt: null }; after: { resolution: string } }>(
          "SELECT user_email, target, before, after FROM hq_audit WHERE merchant_id = $1 AND action = 'member.exception.resolve' ORDER BY id",
          [shop.merchantId],
        )
      ).rows;
    // a viewer and a store manager are refused at the API, with nothing written
    for (const email of ['viewer@members.hk', 'mk@members.hk']) {
      const answer = await (await as(email)).request('POST', `/hq/api/member-exceptions/${overdraft.id}/resolve`, { note: 'mine' });
      expect(answer).toMatchObject({ status: 403, body: { error: 'PERMISSION_DENIED' } });
    }
    const untouched = await pool.query('SELECT resolved_at, resolved_by, resolution FROM ledger_exception WHERE id = $1', [overdraft.id]);
    expect(untouched.rows[0]).toEqual({ resolved_at: null, resolved_by: null, resolution: null });
    expect(await resolveAudits()).toEqual([]);
    // a note is required
    expect((await owner.request('POST', `/hq/api/member-exceptions/${overdraft.id}/resolve`, { note: '  ' })).body.error).toBe(
      'BAD_REQUEST',
    );

    const note = '已致電李生，下次消費時扣回積分';
    const before = Date.now();
    const hq = await as('hq@members.hk');
    const done = await hq.request('POST', `/hq/api/member-exceptions/${overdraft.id}/resolve`, { note });
    expect(done.status).toBe(200);
    expect((done.body as { exception: Row }).exception).toMatchObject({ id: overdraft.id, resolvedBy: 'hq@members.hk', resolution: note });
    // once only: the second one finds nothing open
    expect((await owner.request('POST', `/hq/api/member-exceptions/${overdraft.id}/resolve`, { note: 'again' })).status).toBe(404);

    expect((await list('owner@members.hk')).map((x) => x.id)).not.toContain(overdraft.id);
    const resolved = (await list('owner@members.hk', 'resolved')).find((x) => x.id === overdraft.id)!;
    expect(resolved).toMatchObject({ kind: 'overdraft', memberCode: 'OD1', resolvedBy: 'hq@members.hk', resolution: note });
    expect(resolved.resolvedAt).toBeGreaterThanOrEqual(before - 1000);
    // the store's manager sees it resolved; another store's does not
    expect((await list('mk@members.hk', 'resolved')).map((x) => x.id)).toContain(overdraft.id);
    expect((await list('tst@members.hk', 'resolved')).map((x) => x.id)).not.toContain(overdraft.id);
    expect(await resolveAudits()).toEqual([
      expect.objectContaining({
        user_email: 'hq@members.hk',
        target: `${overdraft.id} overdraft OD1`,
        before: expect.objectContaining({ resolvedAt: null, amount: earned }),
        after: expect.objectContaining({ resolution: note }),
      }),
    ]);
  });

  it('two managers resolving the same exception at once: one of them does, the other is told it is gone', async () => {
    const open = (
      (await (await as('owner@members.hk')).request('GET', '/hq/api/member-exceptions')).body as { exceptions: { id: number }[] }
    ).exceptions;
    const target = open[0]!.id;
    const answers = await Promise.all(
      ['owner@members.hk', 'hq@members.hk'].map(async (email) =>
        (await as(email)).request('POST', `/hq/api/member-exceptions/${target}/resolve`, { note: `checked by ${email}` }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 404]);
    const audits = await database().pool.query(
      "SELECT count(*)::int AS n FROM hq_audit WHERE merchant_id = $1 AND action = 'member.exception.resolve' AND target LIKE $2",
      [shop.merchantId, `${target} %`],
    );
    expect(audits.rows[0].n).toBe(1);
  });
});

describe('returns whose points wait for their original sale', () => {
  type Pending = {
    id: number;
    returnReceiptNo: string;
    originalReceiptNo: string;
    storeCode: string | null;
    waitedMs: number;
    closedAt: number | null;
    closedBy: string | null;
    closeReason: string | null;
  };
  const list = async (email: string, state = 'waiting') =>
    ((await (await as(email)).request('GET', `/hq/api/pending-return-points?state=${state}`)).body as { pending: Pending[] }).pending;
  const closeAudits = async () =>
    (
      await database().pool.query<{ user_email: string; target: string; before: unknown; after: { reason: string } }>(
        "SELECT user_email, target, before, after FROM hq_audit WHERE merchant_id = $1 AND action = 'member.return-points.close' ORDER BY id",
        [shop.merchantId],
      )
    ).rows;

  it('an owner or HQ manager closes one with a reason: audited, then listed as closed with who, when and why', async () => {
    // returned at MK on a receipt of a register that will never push (MK-77 was lost)
    const back = { ...receipt(till, 20, [{ sku: 'P1', quantity: -1 }], 'return'), member: null };
    back.originalReceiptNo = 'MK-77-000001';
    await push([{ kind: 'document.return', ref: back.receiptNo, payload: back }]);
    const waiting = (await list('owner@members.hk')).find((p) => p.returnReceiptNo === back.receiptNo)!;
    expect(waiting).toMatchObject({ originalReceiptNo: 'MK-77-000001', storeCode: 'MK', closedAt: null });
    expect(waiting.waitedMs).toBeGreaterThanOrEqual(0);
    expect((await list('mk@members.hk')).map((p) => p.id)).toContain(waiting.id);
    expect((await list('tst@members.hk')).map((p) => p.id)).not.toContain(waiting.id);

    const path = `/hq/api/pending-return-points/${waiting.id}/close`;
    expect(await (await as('viewer@members.hk')).request('POST', path, { reason: 'mine' })).toMatchObject({
      status: 403,
      body: { error: 'PERMISSION_DENIED' },
    });
    const owner = await as('owner@members.hk');
    expect((await owner.request('POST', path, { reason: '  ' })).body.error).toBe('BAD_REQUEST');
    expect(await closeAudits()).toEqual([]);

    const reason = 'MK-77 被盜，該機的銷售無法上傳';
    const before = Date.now();
    const done = await (await as('hq@members.hk')).request('POST', path, { reason });
    expect(done.status).toBe(200);
    expect((done.body as { pending: Pending }).pending).toMatchObject({ id: waiting.id, closedBy: 'hq@members.hk', closeReason: reason });
    // once only: the second is told it is settled, in its own words
    expect(await owner.request('POST', path, { reason: 'again' })).toMatchObject({ status: 409, body: { error: 'RETURN_POINTS_SETTLED' } });
    expect((await owner.request('POST', '/hq/api/pending-return-points/999999/close', { reason: 'x' })).status).toBe(404);

    expect((await list('owner@members.hk')).map((p) => p.id)).not.toContain(waiting.id);
    const closed = (await list('owner@members.hk', 'closed')).find((p) => p.id === waiting.id)!;
    expect(closed).toMatchObject({ closedBy: 'hq@members.hk', closeReason: reason });
    expect(closed.closedAt).toBeGreaterThanOrEqual(before - 1000);
    expect((await list('tst@members.hk', 'closed')).map((p) => p.id)).not.toContain(waiting.id);
    expect(await closeAudits()).toEqual([
      expect.objectContaining({
        user_email: 'hq@members.hk',
        target: `${back.receiptNo} (original MK-77-000001)`,
        before: expect.objectContaining({ closedAt: null, returnReceiptNo: back.receiptNo }),
        after: expect.objectContaining({ reason }),
      }),
    ]);
  });

  it('a store manager closes their own store’s waiting return, never another store’s, and sees only their stores’; two closes at once close it once', async () => {
    const pool = database().pool;
    const tstTill = await enrolRegister(pool, server.base, shop.stores[1]!);
    // one waiting return at MK, one at TST, each of a receipt that will never come
    const atMk = { ...receipt(till, 22, [{ sku: 'P1', quantity: -1 }], 'return'), member: null };
    atMk.originalReceiptNo = 'MK-78-000001';
    await push([{ kind: 'document.return', ref: atMk.receiptNo, payload: atMk }]);
    const atTst = { ...receipt(tstTill, 1, [{ sku: 'P1', quantity: -1 }], 'return'), member: null };
    atTst.originalReceiptNo = 'TST-78-000001';
    expect(
      (await pushMutations(server.base, tstTill, [{ seq: 1, kind: 'document.return', ref: atTst.receiptNo, payload: atTst }])).status,
    ).toBe(200);
    const all = await list('owner@members.hk');
    const mkRow = all.find((p) => p.returnReceiptNo === atMk.receiptNo)!;
    const tstRow = all.find((p) => p.returnReceiptNo === atTst.receiptNo)!;
    expect([mkRow.storeCode, tstRow.storeCode]).toEqual(['MK', 'TST']);
    // the list: only their stores' rows
    const mkList = await list('mk@members.hk');
    expect(mkList.map((p) => p.id)).toContain(mkRow.id);
    expect(mkList.map((p) => p.storeCode)).not.toContain('TST');
    const tstList = await list('tst@members.hk');
    expect(tstList.map((p) => p.id)).toEqual([tstRow.id]);

    // another store's row: refused as if it did not exist (the console words NOT_FOUND: hq-members.spec), nothing written
    const mk = await as('mk@members.hk');
    const nothing = await fingerprint(pool, ['enrol_bucket', 'hq_session']);
    const refused = await mk.request('POST', `/hq/api/pending-return-points/${tstRow.id}/close`, { reason: 'not mine' });
    expect(refused).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
    expect(await fingerprint(pool, ['enrol_bucket', 'hq_session'])).toEqual(nothing);
    expect((await list('owner@members.hk')).map((p) => p.id)).toContain(tstRow.id);

    // their own store's row, closed twice at once: one close, one audit row, the other told it is settled
    const path = `/hq/api/pending-return-points/${mkRow.id}/close`;
    const answers = await Promise.all([
      mk.request('POST', path, { reason: '單號輸入錯誤' }),
      mk.request('POST', path, { reason: '單號輸入錯誤' }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)!.body.error).toBe('RETURN_POINTS_SETTLED');
    const closed = (await list('mk@members.hk', 'closed')).find((p) => p.id === mkRow.id)!;
    expect(closed).toMatchObject({ closedBy: 'mk@members.hk', closeReason: '單號輸入錯誤' });
    expect((await closeAudits()).filter((a) => a.target.startsWith(`${atMk.receiptNo} `))).toEqual([
      expect.objectContaining({ user_email: 'mk@members.hk', after: expect.objectContaining({ reason: '單號輸入錯誤' }) }),
    ]);
    expect((await list('tst@members.hk', 'closed')).map((p) => p.id)).not.toContain(mkRow.id);
    // the TST manager closes theirs
    expect(
      (await (await as('tst@members.hk')).request('POST', `/hq/api/pending-return-points/${tstRow.id}/close`, { reason: 'lost' })).status,
    ).toBe(200);
  });

  it('one whose original arrived and took the points is refused with RETURN_POINTS_SETTLED, nothing written', async () => {
    const other = await enrolRegister(database().pool, server.base, shop.stores[0]!);
    const sold = { ...receipt(other, 1, [{ sku: 'P1', quantity: 3 }]), member: { code: 'VIP2', pointsEarned: 0 } };
    const back = { ...receipt(till, 21, [{ sku: 'P1', quantity: -1 }], 'return'), member: null };
    back.originalReceiptNo = sold.receiptNo;
    await push([{ kind: 'document.return', ref: back.receiptNo, payload: back }]);
    const waiting = (await list('owner@members.hk')).find((p) => p.returnReceiptNo === back.receiptNo)!;
    expect((await pushMutations(server.base, other, [{ seq: 1, kind: 'document.sale', ref: sold.receiptNo, payload: sold }])).status).toBe(
      200,
    );
    const audits = (await closeAudits()).length;
    const answer = await (
      await as('owner@members.hk')
    ).request('POST', `/hq/api/pending-return-points/${waiting.id}/close`, {
      reason: 'too late',
    });
    expect(answer).toMatchObject({ status: 409, body: { error: 'RETURN_POINTS_SETTLED' } });
    const row = await database().pool.query('SELECT closed_at, close_reason, points_taken FROM pending_return_points WHERE id = $1', [
      waiting.id,
    ]);
    expect(row.rows[0]).toMatchObject({ closed_at: null, close_reason: null });
    expect(Number(row.rows[0].points_taken)).toBeGreaterThan(0);
    expect((await closeAudits()).length).toBe(audits);
  });
});

describe('gift cards', () => {
  it('listed masked with balance and ledger; a viewer or store manager may not void; an owner voids, audited, and the void reaches the feed', async () => {
    const pool = database().pool;
    const issued = await issueGiftCards(pool, shop.merchantId, { count: 2, value: 5_000, batch: 'hq-test', source: 'admin' }, Date.now());
    const last4 = issued[0]!.last4;
    type List = { cards: { id: number; last4: string; status: string; balance: number }[] };
    const viewer = await as('viewer@members.hk');
    const list = (await viewer.request('GET', '/hq/api/gift-cards?q=hq-test')).body as List;
    expect(list.cards).toHaveLength(2);
    // masked: the last 4 only, never the code nor its hash
    const text = JSON.stringify(list);
    for (const card of issued) expect(text).not.toContain(card.code.replace(/ /g, '').slice(0, 12));
    expect(text).not.toContain('gc1:');
    const card = list.cards.find((c) => c.last4 === last4)!;
    expect(card).toMatchObject({ status: 'active', balance: 5_000 });
    const page = (await viewer.request('GET', `/hq/api/gift-cards/${card.id}`)).body as { entries: { reason: string; amount: number }[] };
    expect(page.entries.map((e) => [e.reason, e.amount])).toEqual([['issue', 5_000]]);

    for (const email of ['viewer@members.hk', 'mk@members.hk']) {
      const refused = await (await as(email)).request('POST', `/hq/api/gift-cards/${card.id}/void`, { reason: 'should not land' });
      expect(refused.status).toBe(403);
      expect(refused.body.error).toBe('PERMISSION_DENIED');
    }
    const owner = await as('owner@members.hk');
    const voided = await owner.request('POST', `/hq/api/gift-cards/${card.id}/void`, { reason: 'reported stolen' });
    expect(voided.status).toBe(200);
    expect(voided.body).toMatchObject({
      card: { status: 'void', balance: 0, voidReason: 'reported stolen', voidedBy: 'hq:owner@members.hk' },
    });
    expect((await owner.request('POST', `/hq/api/gift-cards/${card.id}/void`, { reason: 'again' })).status).toBe(409);
    const audit = (
      await pool.query<{ target: string; before: { balance: number }; after: { status: string } }>(
        "SELECT target, before, after FROM hq_audit WHERE merchant_id = $1 AND action = 'gift-card.void'",
        [shop.merchantId],
      )
    ).rows;
    expect(audit).toMatchObject([{ target: `**** ${last4}`, before: { balance: 5_000 }, after: { status: 'void' } }]);
    const change = (
      await pool.query<{ data: { status: string; balance: number } }>(
        "SELECT data FROM change_log WHERE merchant_id = $1 AND entity = 'gift_card' AND data->>'last4' = $2 ORDER BY version DESC LIMIT 1",
        [shop.merchantId, last4],
      )
    ).rows[0];
    expect(change?.data).toMatchObject({ status: 'void', balance: 0 });
  });
});
