import { beforeAll, describe, expect, it } from 'vitest';
import { revokeRegister } from '../../../cloud/domain/registers';
import {
  call,
  createShop,
  enrolRegister,
  fingerprint,
  receipt,
  saleMutation,
  pushMutations,
  useTestDatabase,
  startServer,
  useTestServer,
  type EnrolledRegister,
  type Shop,
} from './helpers';

const db = useTestDatabase();
const server = useTestServer(db);
let shop: Shop;

beforeAll(async () => {
  shop = await createShop(db().pool, { initialStock: 100 });
});

async function newRegister(storeIndex = 0): Promise<EnrolledRegister> {
  return enrolRegister(db().pool, server.base, shop.stores[storeIndex]!);
}

const push = (register: EnrolledRegister, mutations: unknown[], base = server.base) => pushMutations(base, register, mutations);

async function onHand(storeIndex: number, sku: string): Promise<number> {
  const row = (
    await db().pool.query('SELECT quantity_milli FROM stock_on_hand WHERE store_id = $1 AND sku = $2', [shop.stores[storeIndex]!.id, sku])
  ).rows[0] as { quantity_milli: number } | undefined;
  return row?.quantity_milli ?? 0;
}

async function salesOf(register: EnrolledRegister): Promise<{ receipt_no: string; register_seq: number; total: number }[]> {
  return (
    await db().pool.query('SELECT receipt_no, register_seq, total FROM sale WHERE register_id = $1 ORDER BY register_seq', [
      register.registerId,
    ])
  ).rows as never;
}

const seqs = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('pushing mutations', () => {
  it('applies an in-order batch in one go: documents, lines, payments and stock', async () => {
    const register = await newRegister();
    const before = await onHand(0, 'P1');
    const answer = await push(register, [
      saleMutation(register, 1),
      saleMutation(register, 2, [
        { sku: 'P1', quantity: 2 },
        { sku: 'P2', quantity: 0.5 },
      ]),
      saleMutation(register, 3),
    ]);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ lastAppliedSeq: 3, applied: 3, duplicates: 0, quarantined: 0, conflicts: 0 });
    expect(answer.body.serverTime).toBeGreaterThan(0);
    expect(answer.headers.get('date')).toBeTruthy();
    expect((await salesOf(register)).map((s) => [s.register_seq, s.total])).toEqual([
      [1, 1000],
      [2, 2500],
      [3, 1000],
    ]);
    const lines = (
      await db().pool.query(
        'SELECT l.sku, l.quantity_milli FROM sale_line l JOIN sale s ON s.id = l.sale_id WHERE s.register_id = $1 AND s.register_seq = 2 ORDER BY l.position',
        [register.registerId],
      )
    ).rows;
    expect(lines).toEqual([
      { sku: 'P1', quantity_milli: 2000 },
      { sku: 'P2', quantity_milli: 500 },
    ]);
    expect(await onHand(0, 'P1')).toBe(before - 4000);
    const status = await call(server.base, 'GET', `/v1/registers/${register.registerId}`, { token: register.token });
    expect(status.body.lastAppliedSeq).toBe(3);
  });

  it('absorbs replays: the same seqs again are duplicates and change nothing', async () => {
    const register = await newRegister();
    const batch = seqs(1, 4).map((n) => saleMutation(register, n));
    await push(register, batch);
    const snapshot = await fingerprint(db().pool);
    const replay = await push(register, batch);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ lastAppliedSeq: 4, applied: 0, duplicates: 4, quarantined: 0, conflicts: 0 });
    expect(await fingerprint(db().pool)).toEqual(snapshot);
    // Overlapping: 3 and 4 are replays, 5 and 6 are new.
    const overlap = await push(
      register,
      seqs(3, 6).map((n) => saleMutation(register, n)),
    );
    expect(overlap.body).toMatchObject({ lastAppliedSeq: 6, applied: 2, duplicates: 2 });
    expect((await salesOf(register)).map((s) => s.register_seq)).toEqual(seqs(1, 6));
  });

  it('answers a gap with 409 SEQ_GAP and the last applied seq, writing nothing', async () => {
    const register = await newRegister();
    await push(register, [saleMutation(register, 1), saleMutation(register, 2)]);
    const snapshot = await fingerprint(db().pool);
    const gap = await push(register, [saleMutation(register, 4), saleMutation(register, 5)]);
    expect(gap.status).toBe(409);
    expect(gap.body).toMatchObject({ error: 'SEQ_GAP', lastAppliedSeq: 2 });
    expect(gap.body.serverTime).toBeGreaterThan(0);
    expect(await fingerprint(db().pool)).toEqual(snapshot);
  });

  it('quarantines what cannot be applied and still advances the seq, never blocking the queue', async () => {
    const register = await newRegister();
    const valid = saleMutation(register, 5);
    const wrongStore = receipt({ storeCode: 'TST', registerCode: register.registerCode }, 7, [{ sku: 'P1', quantity: 1 }]);
    const answer = await push(register, [
      { seq: 1, kind: 'shift.teleport', ref: 'x', payload: {} },
      { seq: 2, kind: 'document.sale', ref: 'MK-01-000002', payload: { receiptNo: 42 } },
      saleMutation(register, 3, [{ sku: 'NO-SUCH-SKU', quantity: 1 }]),
      { ...saleMutation(register, 4), kind: 'document.return' },
      valid,
      { ...saleMutation(register, 6), ref: 'MK-99-000001' },
      { seq: 7, kind: 'document.sale', ref: wrongStore.receiptNo, payload: wrongStore },
      // The same receipt number as seq 5 under a new seq: a register restored from a backup, say.
      { ...valid, seq: 8 },
      { seq: 9, kind: 'stock.movement', ref: 'GRN-1', payload: { reason: 'receive', lines: [{ sku: 'P3', quantityMilli: 12_000 }] } },
    ]);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ lastAppliedSeq: 9, applied: 2, quarantined: 7, quarantinedSeqs: [1, 2, 3, 4, 6, 7, 8] });
    // the answer says why, so the register's 雲端同步 list can name each reason
    expect(answer.body.quarantineReasons).toEqual({
      1: 'UNKNOWN_KIND',
      2: 'INVALID_PAYLOAD',
      3: 'UNKNOWN_SKU',
      4: 'KIND_MISMATCH',
      6: 'REF_MISMATCH',
      7: 'STORE_MISMATCH',
      8: 'DUPLICATE_DOCUMENT',
    });
    const reasons = (
      await db().pool.query('SELECT seq, reason_code FROM quarantine WHERE register_id = $1 ORDER BY seq', [register.registerId])
    ).rows;
    expect(reasons).toEqual([
      { seq: 1, reason_code: 'UNKNOWN_KIND' },
      { seq: 2, reason_code: 'INVALID_PAYLOAD' },
      { seq: 3, reason_code: 'UNKNOWN_SKU' },
      { seq: 4, reason_code: 'KIND_MISMATCH' },
      { seq: 6, reason_code: 'REF_MISMATCH' },
      { seq: 7, reason_code: 'STORE_MISMATCH' },
      { seq: 8, reason_code: 'DUPLICATE_DOCUMENT' },
    ]);
    // A quarantined mutation wrote nothing else: one sale (seq 5) only.
    expect((await salesOf(register)).map((s) => s.register_seq)).toEqual([5]);
    // The queue goes on.
    expect((await push(register, [saleMutation(register, 10)])).body).toMatchObject({ lastAppliedSeq: 10, applied: 1 });
    // And a replay of a quarantined seq is a duplicate, not a second quarantine entry; the answer
    // names it again, so a register that never heard the first answer (cut after COMMIT) learns it.
    expect((await push(register, [{ seq: 1, kind: 'shift.teleport', ref: 'x', payload: {} }])).body).toMatchObject({
      duplicates: 1,
      quarantined: 0,
      quarantinedSeqs: [1],
    });
    // the whole first batch again (its answer lost): the same seqs named, nothing applied or quarantined twice
    expect(
      (
        await push(register, [
          { seq: 1, kind: 'shift.teleport', ref: 'x', payload: {} },
          { seq: 2, kind: 'document.sale', ref: 'MK-01-000002', payload: { receiptNo: 42 } },
          saleMutation(register, 3, [{ sku: 'NO-SUCH-SKU', quantity: 1 }]),
          { ...saleMutation(register, 4), kind: 'document.return' },
          valid,
        ])
      ).body,
    ).toMatchObject({
      duplicates: 5,
      applied: 0,
      quarantined: 0,
      quarantinedSeqs: [1, 2, 3, 4],
      // each replay named with the reason it was first given
      quarantineReasons: { 1: 'UNKNOWN_KIND', 2: 'INVALID_PAYLOAD', 3: 'UNKNOWN_SKU', 4: 'KIND_MISMATCH' },
    });
    expect(
      (await db().pool.query('SELECT count(*)::int AS n FROM quarantine WHERE register_id = $1', [register.registerId])).rows[0],
    ).toEqual({ n: 7 });
  });

  it('stores each document as the register wrote it, cut out of the body (one line), and the same content whatever the writing', async () => {
    const register = await newRegister();
    const [first, second] = [saleMutation(register, 1), saleMutation(register, 2)] as { payload: Record<string, unknown> }[];
    // the second written with its keys reversed and a name escaped: the content is the same
    const secondText = JSON.stringify(Object.fromEntries(Object.entries(second!.payload).reverse())).replace(
      '"Mong Kok"',
      '"Mong\\u0020Kok"',
    );
    const body = `{"mutations": [\n  ${JSON.stringify({ ...first, payload: undefined }).slice(0, -1)}, "payload": ${JSON.stringify(first!.payload, null, 2)}},
      ${JSON.stringify({ ...second, payload: undefined }).slice(0, -1)}, "payload": ${secondText}}\n]}`;
    const answer = await call(server.base, 'POST', `/v1/registers/${register.registerId}/mutations`, { token: register.token, body });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ lastAppliedSeq: 2, applied: 2 });
    const stored = (
      await db().pool.query<{ text: string; document: unknown }>(
        'SELECT document::text AS text, document FROM sale WHERE register_id = $1 ORDER BY register_seq',
        [register.registerId],
      )
    ).rows;
    expect(stored[0]!.text).toBe(JSON.stringify(first!.payload, null, 2).replace(/\n/g, ' '));
    expect(stored[1]!.text).toBe(secondText);
    expect(stored.map((s) => s.document)).toEqual([first!.payload, second!.payload]);
  });

  it('quarantines alone a document holding a NUL (in a field the cloud does not read); the rest of the batch lands', async () => {
    const register = await newRegister();
    const refused = saleMutation(register, 3);
    // PostgreSQL's JSON functions cannot give \u0000 as text: stored, it would break every query
    // reading inside the document
    const mutations = [1, 2, 3, 4, 5].map((seq) =>
      seq === 3 ? { ...refused, payload: { ...(refused.payload as object), note: 'a\u0000b' } } : saleMutation(register, seq),
    );
    const answer = await push(register, mutations);
    expect(answer.body).toMatchObject({ lastAppliedSeq: 5, applied: 4, quarantined: 1, quarantinedSeqs: [3] });
    expect((await salesOf(register)).map((s) => s.register_seq)).toEqual([1, 2, 4, 5]);
    const entry = (
      await db().pool.query('SELECT reason_code, reason, payload FROM quarantine WHERE register_id = $1', [register.registerId])
    ).rows;
    expect(entry).toHaveLength(1);
    expect(entry[0]).toMatchObject({ reason_code: 'INVALID_PAYLOAD', reason: expect.stringContaining('NUL') });
    expect(JSON.parse(entry[0].payload as string).note).toBe('a\u0000b');
  });

  it('quarantines alone a payload nested too deep to hash (50,000 levels), again as a duplicate when replayed: never a 500', async () => {
    const register = await newRegister();
    const deep = `${'['.repeat(50_000)}1${']'.repeat(50_000)}`;
    const body = (third: string) =>
      `{"mutations":[${JSON.stringify(saleMutation(register, 1))},{"seq":2,"kind":"document.sale","ref":"X","payload":${deep}},` +
      `${JSON.stringify(saleMutation(register, 3)).slice(0, -1)},"note":${third}}]}`;
    const first = await call(server.base, 'POST', `/v1/registers/${register.registerId}/mutations`, {
      token: register.token,
      body: body('1'),
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ lastAppliedSeq: 3, applied: 2, quarantined: 1, quarantinedSeqs: [2] });
    const again = await call(server.base, 'POST', `/v1/registers/${register.registerId}/mutations`, {
      token: register.token,
      body: body('2'),
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ lastAppliedSeq: 3, applied: 0, duplicates: 3, quarantinedSeqs: [2] });
    const entry = (
      await db().pool.query('SELECT reason_code, reason, payload FROM quarantine WHERE register_id = $1', [register.registerId])
    ).rows;
    expect(entry).toHaveLength(1);
    expect(entry[0]).toMatchObject({ reason_code: 'INVALID_PAYLOAD', reason: 'The payload nests deeper than 64 levels' });
    expect(JSON.parse(entry[0].payload as string)).toMatch(/^The payload nests deeper than 64 levels; it began: \[{100}/);
  });

  it('quarantines alone a document the database refuses (the set is written again in halves); the rest of the batch lands', async () => {
    const register = await newRegister();
    // a rule of the database the cloud's own checks do not know
    await db().pool.query('ALTER TABLE sale ADD CONSTRAINT test_no_4242 CHECK (total <> 4242) NOT VALID');
    try {
      const refused = saleMutation(register, 4, [{ sku: 'P1', quantity: 1, unitPrice: 4242 }]);
      const mutations = [1, 2, 3, 4, 5, 6, 7].map((seq) => (seq === 4 ? refused : saleMutation(register, seq)));
      const answer = await push(register, mutations);
      expect(answer.body).toMatchObject({ lastAppliedSeq: 7, applied: 6, quarantined: 1, quarantinedSeqs: [4] });
    } finally {
      await db().pool.query('ALTER TABLE sale DROP CONSTRAINT test_no_4242');
    }
    expect((await salesOf(register)).map((s) => s.register_seq)).toEqual([1, 2, 3, 5, 6, 7]);
    const entry = (await db().pool.query('SELECT reason_code, reason FROM quarantine WHERE register_id = $1', [register.registerId])).rows;
    expect(entry).toEqual([{ reason_code: 'REJECTED_BY_DATABASE', reason: expect.stringContaining('23514') }]);
  });

  it('flags the same seq with different content, once, without applying it', async () => {
    const register = await newRegister();
    await push(register, [saleMutation(register, 1), saleMutation(register, 2)]);
    const altered = saleMutation(register, 2, [{ sku: 'P2', quantity: 9 }]);
    // Key order is not content: the original with its keys reversed is a plain duplicate.
    const reordered = Object.fromEntries(Object.entries(saleMutation(register, 1)).reverse());
    for (let i = 0; i < 2; i += 1) {
      const answer = await push(register, [reordered, altered]);
      expect(answer.body).toMatchObject({
        lastAppliedSeq: 2,
        applied: 0,
        duplicates: 1,
        conflicts: 1,
        conflictSeqs: [2],
        quarantineReasons: { 2: 'SEQ_CONFLICT' },
      });
    }
    const flagged = (await db().pool.query('SELECT seq, reason_code FROM quarantine WHERE register_id = $1', [register.registerId])).rows;
    expect(flagged).toEqual([{ seq: 2, reason_code: 'SEQ_CONFLICT' }]);
    expect((await salesOf(register)).map((s) => s.total)).toEqual([1000, 1000]);
  });

  it('takes returns back into stock', async () => {
    const register = await newRegister();
    const before = await onHand(0, 'P3');
    const sale = saleMutation(register, 1, [{ sku: 'P3', quantity: 3 }]);
    const refund = receipt(register, 2, [{ sku: 'P3', quantity: -1 }], 'return');
    const answer = await push(register, [
      sale,
      { seq: 2, kind: 'document.return', ref: refund.receiptNo, payload: { ...refund, originalReceiptNo: sale.ref } },
    ]);
    expect(answer.body).toMatchObject({ applied: 2, quarantined: 0 });
    expect(await onHand(0, 'P3')).toBe(before - 2000);
  });

  it('refuses seqs that do not go up by one, and another register’s id, writing nothing', async () => {
    const register = await newRegister();
    const other = await newRegister();
    const snapshot = await fingerprint(db().pool);
    const unordered = await push(register, [saleMutation(register, 2), saleMutation(register, 1)]);
    expect(unordered.status).toBe(400);
    expect(unordered.body.error).toBe('INVALID_BATCH');
    const foreign = await call(server.base, 'POST', `/v1/registers/${other.registerId}/mutations`, {
      token: register.token,
      body: { mutations: [saleMutation(other, 1)] },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error).toBe('FORBIDDEN');
    expect((await call(server.base, 'GET', `/v1/registers/${other.registerId}`, { token: register.token })).status).toBe(403);
    expect((await call(server.base, 'POST', `/v1/registers/${other.registerId}/token/rotate`, { token: register.token })).status).toBe(403);
    expect(await fingerprint(db().pool)).toEqual(snapshot);
  });

  it('an empty batch tells the register where the server is', async () => {
    const register = await newRegister();
    await push(register, [saleMutation(register, 1)]);
    expect((await push(register, [])).body).toMatchObject({ lastAppliedSeq: 1, applied: 0 });
  });

  it('a revoked register gets 401 TOKEN_REVOKED and nothing is applied', async () => {
    const register = await newRegister();
    await revokeRegister(db().pool, register.registerId, Date.now());
    const answer = await push(register, [saleMutation(register, 1)]);
    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe('TOKEN_REVOKED');
    expect(await salesOf(register)).toEqual([]);
  });

  it('two server instances on one database, hammered with overlapping batches of one register, apply each seq exactly once', async () => {
    const second = await startServer({ pool: db().pool });
    try {
      const register = await newRegister(1);
      const before = await onHand(1, 'P2');
      const total = 60;
      const all = seqs(1, total).map((n) => saleMutation(register, n, [{ sku: 'P2', quantity: 1 }]));
      let applied = 0;
      let duplicates = 0;
      // Four workers (two per instance) each push the whole queue in batches of 7 to 15 from where
      // they believe the server is, replaying freely, as workers restarted mid-push would.
      const worker = async (base: string, batchSize: number, startAt: number) => {
        let next = startAt;
        while (next <= total) {
          const answer = await push(register, all.slice(next - 1, next - 1 + batchSize), base);
          if (answer.status === 409) {
            next = (answer.body.lastAppliedSeq ?? 0) + 1;
            continue;
          }
          expect(answer.status).toBe(200);
          applied += answer.body.applied;
          duplicates += answer.body.duplicates;
          next += batchSize;
        }
      };
      await Promise.all([worker(server.base, 7, 1), worker(second.base, 11, 1), worker(server.base, 15, 1), worker(second.base, 9, 1)]);
      expect(applied).toBe(total);
      expect(duplicates).toBeGreaterThan(0);
      const sales = await salesOf(register);
      expect(sales.map((s) => s.register_seq)).toEqual(seqs(1, total));
      expect(new Set(sales.map((s) => s.receipt_no)).size).toBe(total);
      expect(await onHand(1, 'P2')).toBe(before - total * 1000);
      const status = await call(second.base, 'GET', `/v1/registers/${register.registerId}`, { token: register.token });
      expect(status.body.lastAppliedSeq).toBe(total);
    } finally {
      await second.close();
    }
  });
});
