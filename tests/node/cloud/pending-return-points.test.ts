/**
 * A return by receipt pushed before its original sale (sold on another register that has not
 * pushed yet): its points wait for the original (cloud/domain/pending-return-points.ts), listed for
 * head office, and come off the original's member when it arrives, capped by what it earned, once
 * however often either push is replayed; one closed by head office takes nothing when its original
 * arrives after all, and a close and that push sent at once end with exactly one of them done; on
 * real PostgreSQL over real sockets.
 */
import { describe, expect, it } from 'vitest';
import { upsertMember } from '../../../cloud/domain/catalogue';
import { AdminError, CloudError } from '../../../cloud/errors';
import { closeReturnPoints, listPendingReturnPoints } from '../../../cloud/domain/pending-return-points';
import {
  call,
  createShop,
  enrolRegister,
  receipt,
  useTestDatabase,
  useTestServer,
  type LineSpec,
  pushInTurn,
  type NumberedMutations,
  type Till,
  memberPoints,
} from './helpers';

const db = useTestDatabase();
const server = useTestServer(db);

type Pushed = NumberedMutations;

const push = async (till: Till, mutations: Parameters<typeof pushInTurn>[2]): Promise<Pushed> =>
  (await pushInTurn(server.base, till, mutations)).numbered;

async function replay(till: Till, numbered: Pushed): Promise<void> {
  const answer = await call<{ duplicates: number }>(server.base, 'POST', `/v1/registers/${till.register.registerId}/mutations`, {
    token: till.register.token,
    body: { mutations: numbered },
  });
  expect(answer.status).toBe(200);
  expect(answer.body.duplicates).toBe(numbered.length);
}

const receiptNo = (till: Till, n: number) => `${till.register.storeCode}-${till.register.registerCode}-${String(n).padStart(6, '0')}`;

/** Document `n` of the till, for `memberCode`; a return returns lines of `original` (another till's receipt). */
function document(till: Till, n: number, memberCode: string | null, lines: LineSpec[], original?: string) {
  const kind = lines.some((l) => l.quantity < 0) ? 'return' : 'sale';
  const doc = {
    ...receipt(till.register, n, lines, kind),
    member: memberCode === null ? null : { code: memberCode, pointsEarned: 999_999 },
  };
  if (original !== undefined) doc.originalReceiptNo = original;
  return { kind: `document.${kind}`, ref: doc.receiptNo, payload: doc };
}

const points = (code: string) => memberPoints(db().pool, code);

async function pendingRows(merchantId: number) {
  return (
    await db().pool.query<{ return_receipt_no: string; original_receipt_no: string; applied: boolean; points_taken: string | null }>(
      `SELECT return_receipt_no, original_receipt_no, applied_at IS NOT NULL AS applied, points_taken
       FROM pending_return_points WHERE merchant_id = $1 ORDER BY id`,
      [merchantId],
    )
  ).rows.map((r) => ({ ...r, points_taken: r.points_taken === null ? null : Number(r.points_taken) }));
}

/** A shop with members A and B and two tills: the sale is made on `seller`, returned on `returner`. */
async function shopWithTwoTills() {
  const shop = await createShop(db().pool);
  for (const [code, phone] of [
    ['PA', '62220001'],
    ['PB', '62220002'],
  ] as const)
    await upsertMember(db().pool, shop.merchantId, { code: `${code}${shop.merchantId}`, name: code, phone }, Date.now());
  const seller: Till = { register: await enrolRegister(db().pool, server.base, shop.stores[0]!), seq: 0 };
  const returner: Till = { register: await enrolRegister(db().pool, server.base, shop.stores[0]!), seq: 0 };
  return { merchantId: shop.merchantId, seller, returner, a: `PA${shop.merchantId}`, b: `PB${shop.merchantId}` };
}

describe('a return pushed before its original sale', () => {
  it('takes nothing from the return’s member; when the original arrives its member loses the capped points, once', async () => {
    const { merchantId, seller, returner, a } = await shopWithTwoTills();
    const original = receiptNo(seller, 1);
    // 7 returned (70 points asked) of a sale of 5 that earned 50: the return names A too
    const returned = await push(returner, [document(returner, 2, a, [{ sku: 'P1', quantity: -7 }], original)]);
    expect(await points(a)).toEqual({ balance: 0, entries: 0 });
    expect(await pendingRows(merchantId)).toEqual([
      { return_receipt_no: receiptNo(returner, 2), original_receipt_no: original, applied: false, points_taken: null },
    ]);
    const listed = await listPendingReturnPoints(db().pool, merchantId, null, Date.now() + 60_000);
    expect(listed).toMatchObject([{ returnReceiptNo: receiptNo(returner, 2), originalReceiptNo: original }]);
    expect(listed[0]!.waitedMs).toBeGreaterThanOrEqual(60_000);

    const sold = await push(seller, [document(seller, 1, a, [{ sku: 'P1', quantity: 5 }])]);
    expect(await points(a)).toEqual({ balance: 0, entries: 2 });
    const reversal = (
      await db().pool.query<{ amount: number; idem_key: string }>(
        "SELECT amount, idem_key FROM ledger_entry WHERE merchant_id = $1 AND idem_key LIKE '%:points:return'",
        [merchantId],
      )
    ).rows;
    expect(reversal).toEqual([{ amount: -50, idem_key: `doc:${receiptNo(returner, 2)}:points:return` }]);
    expect(await pendingRows(merchantId)).toEqual([
      { return_receipt_no: receiptNo(returner, 2), original_receipt_no: original, applied: true, points_taken: 50 },
    ]);
    expect(await listPendingReturnPoints(db().pool, merchantId, null, Date.now())).toEqual([]);

    // both pushes again (answers lost): nothing changes
    await replay(returner, returned);
    await replay(seller, sold);
    expect(await points(a)).toEqual({ balance: 0, entries: 2 });
    expect((await pendingRows(merchantId))[0]).toMatchObject({ applied: true, points_taken: 50 });
  });

  it('naming another member than the original’s: only the original’s member loses points', async () => {
    const { seller, returner, a, b } = await shopWithTwoTills();
    await push(returner, [document(returner, 2, b, [{ sku: 'P1', quantity: -2 }], receiptNo(seller, 1))]);
    expect(await points(b)).toEqual({ balance: 0, entries: 0 });
    await push(seller, [document(seller, 1, a, [{ sku: 'P1', quantity: 5 }])]);
    expect(await points(a)).toEqual({ balance: 30, entries: 2 });
    expect(await points(b)).toEqual({ balance: 0, entries: 0 });
  });

  it('two returns waiting for one sale take together no more than it earned', async () => {
    const { merchantId, seller, returner, a, b } = await shopWithTwoTills();
    const original = receiptNo(seller, 1);
    // 40 + 40 points asked of a sale that earns 50, one return naming B, one naming nobody
    await push(returner, [document(returner, 2, b, [{ sku: 'P1', quantity: -4 }], original)]);
    await push(returner, [document(returner, 3, null, [{ sku: 'P1', quantity: -4 }], original)]);
    expect((await listPendingReturnPoints(db().pool, merchantId, null, Date.now())).map((p) => p.returnReceiptNo)).toEqual([
      receiptNo(returner, 2),
      receiptNo(returner, 3),
    ]);
    await push(seller, [document(seller, 1, a, [{ sku: 'P1', quantity: 5 }])]);
    expect(await points(a)).toEqual({ balance: 0, entries: 3 });
    expect(await points(b)).toEqual({ balance: 0, entries: 0 });
    expect((await pendingRows(merchantId)).map((p) => p.points_taken)).toEqual([40, 10]);
    // a third return of it, the original now here, finds nothing left to take
    await push(returner, [document(returner, 4, a, [{ sku: 'P1', quantity: -1 }], original)]);
    expect(await points(a)).toEqual({ balance: 0, entries: 3 });
  });

  it('a return naming no original receipt still takes its points from the member it names', async () => {
    const { merchantId, returner, a } = await shopWithTwoTills();
    await push(returner, [document(returner, 1, a, [{ sku: 'P1', quantity: 2 }])]);
    await push(returner, [document(returner, 2, a, [{ sku: 'P1', quantity: -2 }])]);
    expect(await points(a)).toEqual({ balance: 0, entries: 2 });
    expect(await pendingRows(merchantId)).toEqual([]);
  });
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function pendingId(merchantId: number, returnReceiptNo: string): Promise<number> {
  const row = (
    await db().pool.query<{ id: string }>('SELECT id FROM pending_return_points WHERE merchant_id = $1 AND return_receipt_no = $2', [
      merchantId,
      returnReceiptNo,
    ])
  ).rows[0];
  return Number(row!.id);
}

async function closedRow(id: number) {
  return (
    await db().pool.query<{
      applied: boolean;
      points_taken: number | null;
      closed: boolean;
      close_reason: string | null;
      arrived: boolean;
    }>(
      `SELECT applied_at IS NOT NULL AS applied, points_taken, closed_at IS NOT NULL AS closed, close_reason,
              original_arrived_at IS NOT NULL AS arrived
       FROM pending_return_points WHERE id = $1`,
      [id],
    )
  ).rows[0];
}

const close = (merchantId: number, id: number, reason: string) =>
  closeReturnPoints(db().pool, merchantId, { id, by: null, reason, storeScope: null }, Date.now(), async () => {});

describe('a waiting return closed by head office', () => {
  it('leaves the waiting list for the closed one; its original arriving later takes nothing, and the row says it came', async () => {
    const { merchantId, seller, returner, a } = await shopWithTwoTills();
    const original = receiptNo(seller, 1);
    const returned = await push(returner, [document(returner, 2, null, [{ sku: 'P1', quantity: -2 }], original)]);
    const id = await pendingId(merchantId, receiptNo(returner, 2));
    await expect(close(merchantId, id, '  ')).rejects.toMatchObject({ code: 'USAGE' });
    const closed = await close(merchantId, id, 'register MK-03 stolen; its sales are lost');
    expect(closed).toMatchObject({ id, closeReason: 'register MK-03 stolen; its sales are lost', closedBy: null, originalArrivedAt: null });
    expect(await listPendingReturnPoints(db().pool, merchantId, null, Date.now())).toEqual([]);
    expect(await listPendingReturnPoints(db().pool, merchantId, null, Date.now(), 'closed')).toMatchObject([
      { returnReceiptNo: receiptNo(returner, 2), originalReceiptNo: original, closeReason: 'register MK-03 stolen; its sales are lost' },
    ]);
    // closed twice: refused, the first reason stands
    await expect(close(merchantId, id, 'again')).rejects.toMatchObject({ code: 'CONFLICT', cause: { code: 'RETURN_POINTS_SETTLED' } });

    // the original arrives after all: A keeps the 50 points it earned
    const sold = await push(seller, [document(seller, 1, a, [{ sku: 'P1', quantity: 5 }])]);
    expect(await points(a)).toEqual({ balance: 50, entries: 1 });
    expect(await closedRow(id)).toEqual({
      applied: false,
      points_taken: null,
      closed: true,
      close_reason: 'register MK-03 stolen; its sales are lost',
      arrived: true,
    });
    const [listed] = await listPendingReturnPoints(db().pool, merchantId, null, Date.now(), 'closed');
    expect(listed!.originalArrivedAt).toBeGreaterThanOrEqual(listed!.closedAt!);
    await replay(returner, returned);
    await replay(seller, sold);
    expect(await points(a)).toEqual({ balance: 50, entries: 1 });
  });

  it('and the push that brings its original, at once: exactly one of them is done, whichever goes first (24 rounds)', async () => {
    const { merchantId, seller, returner, a } = await shopWithTwoTills();
    const outcomes = new Set<string>();
    for (let round = 1; round <= 24; round += 1) {
      const original = receiptNo(seller, round);
      const returnNo = receiptNo(returner, round);
      await push(returner, [document(returner, round, null, [{ sku: 'P1', quantity: -2 }], original)]);
      const id = await pendingId(merchantId, returnNo);
      const closing = () =>
        close(merchantId, id, `round ${round}`).then(
          () => 'closed',
          (error: unknown) => {
            // refused: the original came first and took the points, with the cloud's own typed error
            expect(error).toBeInstanceOf(AdminError);
            expect((error as AdminError).cause).toBeInstanceOf(CloudError);
            return ((error as AdminError).cause as CloudError).code;
          },
        );
      const selling = () => push(seller, [document(seller, round, a, [{ sku: 'P1', quantity: 5 }])]);
      // each sent first in turn; the close is a direct call, so sent second it waits a few ms, as the
      // push does the HTTP round trip and the register's row before it reaches the merchant's lock
      const outcome =
        round % 2 === 0
          ? (await Promise.all([closing(), selling()]))[0]
          : (await Promise.all([selling(), pause((round * 3) % 20).then(closing)]))[1];
      outcomes.add(outcome);
      const row = await closedRow(id);
      const reversal = (
        await db().pool.query<{ amount: number }>('SELECT amount FROM ledger_entry WHERE merchant_id = $1 AND idem_key = $2', [
          merchantId,
          `doc:${returnNo}:points:return`,
        ])
      ).rows;
      if (outcome === 'closed') {
        expect(row).toMatchObject({ applied: false, points_taken: null, closed: true, arrived: true });
        expect(reversal).toEqual([]);
      } else {
        expect(outcome).toBe('RETURN_POINTS_SETTLED');
        expect(row).toMatchObject({ applied: true, points_taken: 20, closed: false, arrived: false });
        expect(reversal).toEqual([{ amount: -20 }]);
      }
    }
    // every round's sale earned 50; each round the push won took 20 back
    const { balance } = await points(a);
    const pushWon = (
      await db().pool.query<{ n: string }>(
        'SELECT count(*) AS n FROM pending_return_points WHERE merchant_id = $1 AND applied_at IS NOT NULL',
        [merchantId],
      )
    ).rows[0]!.n;
    expect(balance).toBe(24 * 50 - Number(pushWon) * 20);
    expect([...outcomes].sort()).toEqual(['RETURN_POINTS_SETTLED', 'closed']);
  }, 120_000);
});
