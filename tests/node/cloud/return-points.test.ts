/**
 * A return's points come off the member the original sale earned for (cloud/domain/return-points.ts),
 * on real PostgreSQL over real sockets: whatever member the return names (another one, or none),
 * never more than the sale earned less its earlier returns, once however often it is pushed; what
 * the return's own member earns on an exchange's new lines stays theirs.
 */
import { describe, expect, it } from 'vitest';
import { upsertMember } from '../../../cloud/domain/catalogue';
import {
  call,
  createShop,
  enrolRegister,
  receipt,
  useTestDatabase,
  useTestServer,
  type LineSpec,
  pushInTurn,
  type Till,
  memberPoints,
} from './helpers';

const db = useTestDatabase();
const server = useTestServer(db);

const push = async (till: Till, mutations: Parameters<typeof pushInTurn>[2]) => (await pushInTurn(server.base, till, mutations)).numbered;

/** Document `n` of the till; a return or exchange returns lines of document 1. */
function document(till: Till, n: number, memberCode: string | null, lines: LineSpec[]) {
  const kind = lines.some((l) => l.quantity < 0) ? (lines.some((l) => l.quantity > 0) ? 'exchange' : 'return') : 'sale';
  const doc = {
    ...receipt(till.register, n, lines, kind),
    member: memberCode === null ? null : { code: memberCode, pointsEarned: 999_999 },
  };
  if (kind !== 'sale') doc.originalReceiptNo = `${till.register.storeCode}-${till.register.registerCode}-000001`;
  return { kind: `document.${kind}`, ref: doc.receiptNo, payload: doc };
}

const points = (code: string) => memberPoints(db().pool, code);

async function shopWithMembers() {
  const shop = await createShop(db().pool);
  for (const [code, phone] of [
    ['RA', '61110001'],
    ['RB', '61110002'],
  ] as const)
    await upsertMember(db().pool, shop.merchantId, { code: `${code}${shop.merchantId}`, name: code, phone }, Date.now());
  const till: Till = { register: await enrolRegister(db().pool, server.base, shop.stores[0]!), seq: 0 };
  return { till, a: `RA${shop.merchantId}`, b: `RB${shop.merchantId}` };
}

describe('points a return takes back', () => {
  it('come off the original sale’s member whatever member the return names, never past what it earned, once', async () => {
    const { till, a, b } = await shopWithMembers();
    await push(till, [document(till, 1, a, [{ sku: 'P1', quantity: 5 }])]);
    expect(await points(a)).toEqual({ balance: 50, entries: 1 });
    // the cashier put B on the return: A loses the points, B is untouched
    await push(till, [document(till, 2, b, [{ sku: 'P1', quantity: -2 }])]);
    expect((await points(a)).balance).toBe(30);
    expect(await points(b)).toEqual({ balance: 0, entries: 0 });
    // a return with no member on the cart still takes them back from A
    const numbered = await push(till, [document(till, 3, null, [{ sku: 'P1', quantity: -2 }])]);
    expect((await points(a)).balance).toBe(10);
    // pushed again (an answer lost): nothing twice
    const replay = await call<{ duplicates: number }>(server.base, 'POST', `/v1/registers/${till.register.registerId}/mutations`, {
      token: till.register.token,
      body: { mutations: numbered },
    });
    expect(replay.body.duplicates).toBe(1);
    expect((await points(a)).balance).toBe(10);
    // a further return of the same sale takes at most what is left of its 50 points
    await push(till, [document(till, 4, a, [{ sku: 'P1', quantity: -2 }])]);
    expect(await points(a)).toEqual({ balance: 0, entries: 4 });
    expect(await points(b)).toEqual({ balance: 0, entries: 0 });
  });

  it('an exchange: the original’s member loses the returned lines’ points, the return’s member keeps what the new lines earn; two returns in one batch stay within the sale', async () => {
    const { till, a, b } = await shopWithMembers();
    await push(till, [document(till, 1, a, [{ sku: 'P1', quantity: 5 }])]);
    await push(till, [
      document(till, 2, b, [
        { sku: 'P1', quantity: -1 },
        { sku: 'P1', quantity: 3 },
      ]),
    ]);
    expect((await points(a)).balance).toBe(40);
    expect(await points(b)).toEqual({ balance: 30, entries: 1 });
    // two returns of the same sale in one push: 30 + 30 asked, 40 left: the total never passes the 50 earned
    await push(till, [document(till, 3, null, [{ sku: 'P1', quantity: -3 }]), document(till, 4, b, [{ sku: 'P1', quantity: -3 }])]);
    expect((await points(a)).balance).toBe(0);
    expect((await points(b)).balance).toBe(30);
  });

  it('a sale and its return in one push: the return takes back from the sale’s member what it earned in that push', async () => {
    const { till, a, b } = await shopWithMembers();
    await push(till, [document(till, 1, a, [{ sku: 'P1', quantity: 5 }]), document(till, 2, b, [{ sku: 'P1', quantity: -2 }])]);
    expect((await points(a)).balance).toBe(30);
    expect(await points(b)).toEqual({ balance: 0, entries: 0 });
  });
});
