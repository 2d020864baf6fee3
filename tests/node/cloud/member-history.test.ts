/**
 * A member's recent purchases from every store (issue 13, the till's F8 panel), on real PostgreSQL
 * over real sockets: documents naming the member's code or a provisional code merged into it, from
 * any register of the merchant, newest first; nobody else's; never another merchant's.
 */
import { describe, expect, it } from 'vitest';
import type { MemberHistory, MemberEnrolment } from '../../../src/shared/member-schemas';
import { call, createShop, enrolRegister, receipt, pushMutations, useTestDatabase, useTestServer, type EnrolledRegister } from './helpers';

const db = useTestDatabase();
const server = useTestServer(db);

interface Till {
  register: EnrolledRegister;
  seq: number;
}

async function push(till: Till, mutations: { kind: string; ref: string; payload: unknown }[]) {
  const numbered = mutations.map((m) => ({ ...m, seq: (till.seq += 1) }));
  const answer = await pushMutations(server.base, till.register, numbered);
  expect(answer.status).toBe(200);
}

function enrolment(provisionalCode: string, phone: string): MemberEnrolment {
  return {
    provisionalCode,
    name: '陳大文',
    phone,
    email: null,
    birthMonth: null,
    marketingConsent: { given: false, wordingVersion: 'dm-2026-01', at: Date.now() },
    enrolledAt: Date.now(),
  };
}

function sale(till: Till, n: number, sku: string, memberCode: string | null, kind: 'sale' | 'return' = 'sale') {
  const doc = receipt(till.register, n, [{ sku, quantity: kind === 'return' ? -1 : 2 }], kind);
  if (kind === 'return') doc.originalReceiptNo = `${till.register.storeCode}-${till.register.registerCode}-000001`;
  return {
    kind: `document.${kind}`,
    ref: doc.receiptNo,
    payload: memberCode === null ? doc : { ...doc, member: { code: memberCode, pointsEarned: 0 } },
  };
}

const history = (till: Till, code: string) =>
  call<MemberHistory & { error?: string }>(server.base, 'GET', `/v1/members/history?code=${encodeURIComponent(code)}`, {
    token: till.register.token,
  });

describe("a member's history for the till", () => {
  it('every store’s documents for the member, under its own code and the provisional one merged into it, newest first', async () => {
    const shop = await createShop(db().pool);
    const sku = shop.skus[0]!;
    const a: Till = { register: await enrolRegister(db().pool, server.base, shop.stores[0]!), seq: 0 };
    const b: Till = { register: await enrolRegister(db().pool, server.base, shop.stores[1]!), seq: 0 };
    // enrolled offline at A, then a sale there under the provisional code
    await push(a, [
      { kind: 'member.enrolled', ref: 'THIST-00001', payload: enrolment('THIST-00001', '91234567') },
      sale(a, 1, sku, 'THIST-00001'),
    ]);
    const member = (
      await call<{ member: { code: string } }>(server.base, 'GET', '/v1/members/lookup?phone=91234567', { token: b.register.token })
    ).body.member;
    // at B, found by phone: a sale and a return under the member's own code, and someone else's sale
    await push(b, [sale(b, 1, sku, member.code), sale(b, 2, sku, null), sale(b, 3, sku, member.code, 'return')]);

    const answer = await history(b, member.code);
    expect(answer.status).toBe(200);
    expect(answer.body.source).toBe('cloud');
    const storeA = a.register.storeCode;
    const storeB = b.register.storeCode;
    expect(answer.body.purchases.map((p) => [p.receiptNo, p.kind, p.storeCode, p.channel, p.total])).toEqual([
      [`${storeB}-${b.register.registerCode}-000003`, 'return', storeB, 'register', -1000],
      [`${storeB}-${b.register.registerCode}-000001`, 'sale', storeB, 'register', 2000],
      [`${storeA}-${a.register.registerCode}-000001`, 'sale', storeA, 'register', 2000],
    ]);
    // the provisional code answers the same history
    expect((await history(a, 'THIST-00001')).body.purchases).toHaveLength(3);
  });

  it('answers 404 for a code nobody has, 400 for a code that is not one, 401 without a token, and never another merchant’s member', async () => {
    const shop = await createShop(db().pool);
    const other = await createShop(db().pool);
    const till: Till = { register: await enrolRegister(db().pool, server.base, shop.stores[0]!), seq: 0 };
    const stranger: Till = { register: await enrolRegister(db().pool, server.base, other.stores[0]!), seq: 0 };
    await push(till, [{ kind: 'member.enrolled', ref: 'TMINE-00001', payload: enrolment('TMINE-00001', '98765432') }]);
    expect((await history(till, 'TMINE-00001')).status).toBe(200);
    expect((await history(stranger, 'TMINE-00001')).status).toBe(404);
    expect((await history(till, 'M99999999')).status).toBe(404);
    expect((await history(till, 'not a code!')).body.error).toBe('BAD_REQUEST');
    expect((await call(server.base, 'GET', '/v1/members/history?code=TMINE-00001')).status).toBe(401);
  });
});
