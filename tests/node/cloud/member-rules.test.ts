/**
 * The merchant's rules in the cloud (issue 13), on real PostgreSQL over real sockets: every change
 * is a version in the change feed; a pushed document earns by the version in force when it was made
 * (never the till's figure, never a later version); a return reverses by the returned sale's version;
 * a refund to points or store credit is credited at most what the original sale paid from that
 * account (less earlier returns), the excess listed as an exception.
 */
import { describe, expect, it } from 'vitest';
import { upsertMember } from '../../../cloud/domain/catalogue';
import { listLedgerExceptions } from '../../../cloud/domain/ledger-exceptions';
import { adjustBalance, setRules } from '../../../cloud/domain/members';
import { withTransaction } from '../../../cloud/db/tx';
import type { Receipt } from '../../../src/shared/checkout-schemas';
import { STORED_VALUE_METHOD } from '../../../src/shared/stored-value';
import {
  SALES_DAY,
  call,
  createShop,
  enrolRegister,
  pushMutations,
  receipt,
  useTestDatabase,
  useTestServer,
  type LineSpec,
} from './helpers';

const db = useTestDatabase();
const server = useTestServer(db);

type Register = Awaited<ReturnType<typeof enrolRegister>>;

function doc(register: Register, n: number, lines: LineSpec[], options: { completedAt: number; original?: number; points?: number }) {
  const kind = lines.some((l) => l.quantity < 0) ? 'return' : 'sale';
  const base = receipt(register, n, lines, kind, options.completedAt);
  const d: Receipt = { ...base, member: { code: 'R1', pointsEarned: 999_999 } } as Receipt;
  if (options.original !== undefined) d.originalReceiptNo = receipt(register, options.original, []).receiptNo;
  if (options.points !== undefined) {
    // `points` cents of the total paid with points (a refund: paid back to them), the rest in cash
    const cash = d.total - options.points;
    d.payments = [
      {
        method: STORED_VALUE_METHOD.points,
        nameZh: '積分',
        nameEn: 'Points',
        amount: options.points,
        tendered: options.points,
        change: 0,
        reference: null,
        approvalCode: null,
        cardLast4: null,
        storedValue: { kind: 'points', units: -options.points, key: `sv-test-${n}-abcdefgh`, decidedBy: 'register', balanceAfter: 0 },
      },
      ...(cash === 0
        ? []
        : [
            {
              method: 'cash',
              nameZh: '現金',
              nameEn: 'Cash',
              amount: cash,
              tendered: cash,
              change: 0,
              reference: null,
              approvalCode: null,
              cardLast4: null,
            },
          ]),
    ] as Receipt['payments'];
  }
  return { seq: n, kind: `document.${kind}`, ref: d.receiptNo, payload: d };
}

async function entry(pool: ReturnType<typeof db>['pool'], idemKey: string): Promise<number | null> {
  const row = (await pool.query<{ amount: string }>('SELECT amount FROM ledger_entry WHERE idem_key = $1', [idemKey])).rows[0];
  return row ? Number(row.amount) : null;
}

describe('member rules in the cloud', () => {
  it('a document earns by the version in force when it was made; a return reverses by its sale’s; the feed carries each version', async () => {
    const pool = db().pool;
    const shop = await createShop(pool);
    await upsertMember(pool, shop.merchantId, { code: 'R1', name: '黃太', phone: '93335555', tier: 'gold' }, SALES_DAY);
    const changeAt = SALES_DAY + 10 * 60_000;
    await withTransaction(pool, (client) => setRules(client, shop.merchantId, { tierMultipliers: { gold: 3 } }, changeAt));
    // the same rules again: no new version
    await withTransaction(pool, (client) => setRules(client, shop.merchantId, { tierMultipliers: { gold: 3 } }, changeAt + 1));
    const register = await enrolRegister(pool, server.base, shop.stores[0]!);
    const two = [{ sku: 'P1', quantity: 2 }];
    const answer = await pushMutations(server.base, register, [
      doc(register, 1, two, { completedAt: changeAt - 60_000 }), // before: ×1
      doc(register, 2, two, { completedAt: changeAt + 60_000 }), // after: ×3
      doc(register, 3, [{ sku: 'P1', quantity: -1 }], { completedAt: changeAt + 120_000, original: 1 }), // reverses at ×1
    ]);
    expect(answer.status).toBe(200);
    const key = (n: number) => `doc:${receipt(register, n, []).receiptNo}:points`;
    expect([await entry(pool, key(1)), await entry(pool, key(2)), await entry(pool, `${key(3)}:return`)]).toEqual([20, 60, -10]);

    const page = await call<{ changes: { entity: string; data: { version: number; tierMultipliers: Record<string, number> } }[] }>(
      server.base,
      'GET',
      '/v1/changes?since=0&limit=500',
      { token: register.token },
    );
    const rules = page.body.changes.filter((c) => c.entity === 'member_rules');
    expect(rules.map((c) => [c.data.version, c.data.tierMultipliers])).toEqual([[1, { gold: 3 }]]);
  });

  it('a refund to points beyond what the original sale paid with them is credited only that far, and listed', async () => {
    const pool = db().pool;
    const shop = await createShop(pool);
    await upsertMember(pool, shop.merchantId, { code: 'R1', name: '黃太', phone: '93336666', tier: 'standard' }, SALES_DAY);
    await adjustBalance(
      pool,
      shop.merchantId,
      { memberCode: 'R1', kind: 'points', amount: 5_000, reason: 'opening', ref: 'r1' },
      Date.now(),
    );
    const register = await enrolRegister(pool, server.base, shop.stores[0]!);
    const at = SALES_DAY + 60_000;
    // sale 1: HK$20.00, HK$6.00 of it with 600 points
    // return 2: one of the two back, HK$8.00 "to points" (a register that did not cap it) + HK$2.00 cash
    // return 3: the other, HK$5.00 to points: only HK$0.00 is left of what the sale paid with points
    const answer = await pushMutations(server.base, register, [
      doc(register, 1, [{ sku: 'P1', quantity: 2 }], { completedAt: at, points: 600 }),
      doc(register, 2, [{ sku: 'P1', quantity: -1 }], { completedAt: at + 60_000, original: 1, points: -800 }),
      doc(register, 3, [{ sku: 'P1', quantity: -1 }], { completedAt: at + 120_000, original: 1, points: -500 }),
    ]);
    expect(answer.status).toBe(200);
    expect(await entry(pool, `register:${register.registerId}:sv-test-1-abcdefgh`)).toBe(-600);
    expect(await entry(pool, `register:${register.registerId}:sv-test-2-abcdefgh`)).toBe(600);
    expect(await entry(pool, `register:${register.registerId}:sv-test-3-abcdefgh`)).toBeNull();
    const listed = (await listLedgerExceptions(pool, shop.merchantId)).filter((x) => x.kind === 'refund_over');
    expect(listed.map((x) => [x.document, x.amount])).toEqual([
      [receipt(register, 2, []).receiptNo, 200],
      [receipt(register, 3, []).receiptNo, 500],
    ]);
    // in cents (points are paid back as money's worth); what the original paid with points and was not yet given back
    const original = receipt(register, 1, []).receiptNo;
    expect(listed.map((x) => x.facts)).toEqual([
      {
        case: 'refund_over',
        account: 'points',
        memberCode: 'R1',
        paidBack: 800,
        credited: 600,
        why: 'original_paid_less',
        originalReceiptNo: original,
      },
      {
        case: 'refund_over',
        account: 'points',
        memberCode: 'R1',
        paidBack: 500,
        credited: 0,
        why: 'original_paid_less',
        originalReceiptNo: original,
      },
    ]);
    // points: 5000 − 600 + 20 earned, then the refund of 600 and two reversals of 10
    const balance = (
      await pool.query<{ b: string }>(
        `SELECT e.balance_after AS b FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id JOIN member m ON m.id = a.member_id
         WHERE m.merchant_id = $1 AND m.code = 'R1' AND a.kind = 'points' ORDER BY e.id DESC LIMIT 1`,
        [shop.merchantId],
      )
    ).rows[0]?.b;
    expect(Number(balance)).toBe(5_000 - 600 + 20 + 600 - 10 - 10);
  });
});
