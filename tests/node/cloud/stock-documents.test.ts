/**
 * Stock documents in the cloud (issue 14): applied exactly once, with every movement computed by
 * the cloud (a count's from its own ledger, netting sales by time), and refused whole when they
 * carry arithmetic or a destination the cloud does not take.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cancelPurchaseOrder, createPurchaseOrder } from '../../../cloud/domain/purchase-orders';
import type { StockDocumentPayload } from '../../../src/shared/stock-schemas';
import { withTimeout } from '../../support/bounded.mjs';
import {
  SALES_DAY,
  call,
  createShop,
  enrolRegister,
  saleMutation,
  pushMutations,
  useTestDatabase,
  useTestServer,
  type EnrolledRegister,
} from './helpers';

const db = useTestDatabase();
const server = useTestServer(db);

const push = (register: EnrolledRegister, mutations: unknown[]) => pushMutations(server.base, register, mutations);

function stockDoc(
  kind: StockDocumentPayload['kind'],
  lines: { sku: string; quantityMilli: number; countedAt?: number }[],
  extra: Partial<StockDocumentPayload> = {},
): StockDocumentPayload {
  return {
    docId: randomUUID(),
    docNo: 'DOC-000001',
    kind,
    part: 1,
    parts: 1,
    postedAt: SALES_DAY + 3_600_000,
    staffName: 'Lee',
    reasonCode: kind === 'adjust' ? 'damaged' : null,
    note: '',
    supplierRef: '',
    toStoreCode: null,
    transferDocId: null,
    purchaseOrderId: null,
    lines: lines.map((l, i) => ({
      line: i + 1,
      sku: l.sku,
      quantityMilli: l.quantityMilli,
      countedAt: l.countedAt ?? null,
      costCents: null,
    })),
    ...extra,
  };
}

const mutation = (seq: number, payload: unknown) => ({ seq, kind: 'stock.document', ref: `DOC-${seq}`, payload });

/** Polls until `check` holds, for at most `ms`. */
async function until(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** How many connections to the test database wait on a lock. */
async function waitingOnLocks(): Promise<number> {
  const row = await db().pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
  );
  return row.rows[0]!.n;
}

async function onHand(storeId: number, sku: string): Promise<number> {
  const row = await db().pool.query<{ q: string }>('SELECT quantity_milli AS q FROM stock_on_hand WHERE store_id = $1 AND sku = $2', [
    storeId,
    sku,
  ]);
  return Number(row.rows[0]?.q ?? 0);
}

describe('stock documents from registers', () => {
  it('receiving, adjusting and transferring out move on-hand once; a replay and a re-send under a new seq move nothing', async () => {
    const shop = await createShop(db().pool, { initialStock: 100, now: SALES_DAY - 3_600_000 });
    const [mk, tst] = shop.stores;
    const a = await enrolRegister(db().pool, server.base, mk!);
    const receive = stockDoc('receive', [
      { sku: 'P1', quantityMilli: 12_000 },
      { sku: 'P2', quantityMilli: 3_500 },
    ]);
    const adjust = stockDoc('adjust', [{ sku: 'P1', quantityMilli: -2_000 }]);
    const transfer = stockDoc('transfer-out', [{ sku: 'P3', quantityMilli: 5_000 }], { toStoreCode: 'TST' });
    const first = await push(a, [mutation(1, receive), mutation(2, adjust), mutation(3, transfer)]);
    expect(first.body).toMatchObject({ applied: 3, quarantined: 0 });
    expect(await onHand(mk!.id, 'P1')).toBe(110_000);
    expect(await onHand(mk!.id, 'P2')).toBe(103_500);
    expect(await onHand(mk!.id, 'P3')).toBe(95_000);
    expect(await onHand(tst!.id, 'P3')).toBe(100_000); // in transit until received at the other end

    const replay = await push(a, [mutation(1, receive)]);
    expect(replay.body).toMatchObject({ applied: 0, duplicates: 1 });
    // The same document again under a new seq (a register enrolled again re-sends its queue): no second receipt.
    const resent = await push(a, [mutation(4, receive)]);
    expect(resent.body).toMatchObject({ applied: 1, quarantined: 0 });
    expect(await onHand(mk!.id, 'P1')).toBe(110_000);
    const lines = await db().pool.query('SELECT count(*)::int AS n FROM stock_document_line WHERE doc_id = $1', [receive.docId]);
    expect(lines.rows[0]).toEqual({ n: 2 });
  });

  it('a count is applied as counted − on-hand at its count time, from the cloud’s ledger: a sale after the count is netted out', async () => {
    const shop = await createShop(db().pool, { initialStock: 100, now: SALES_DAY - 3_600_000 });
    const mk = shop.stores[0]!;
    const a = await enrolRegister(db().pool, server.base, mk);
    const b = await enrolRegister(db().pool, server.base, mk);
    // A sells 3 (minute 1) and 2 (minute 3); B counted 95 at minute 2, so 2 had gone missing before it.
    await push(a, [saleMutation(a, 1, [{ sku: 'P1', quantity: 3 }])]);
    await push(a, [saleMutation(a, 2, [{ sku: 'P1', quantity: 2 }])]);
    const answer = await db().pool.query<{ completed_at: Date }>("SELECT completed_at FROM sale WHERE receipt_no LIKE '%-000002'");
    const secondSaleAt = answer.rows.at(-1)!.completed_at.getTime();
    const count = stockDoc('count', [
      { sku: 'P1', quantityMilli: 95_000, countedAt: secondSaleAt - 30_000 },
      { sku: 'P2', quantityMilli: 100_000, countedAt: secondSaleAt - 20_000 },
    ]);
    const pushed = await push(b, [mutation(1, count)]);
    const why = await db().pool.query('SELECT reason_code, reason FROM quarantine WHERE register_id = $1', [b.registerId]);
    expect(why.rows).toEqual([]);
    expect(pushed.body).toMatchObject({ applied: 1, quarantined: 0 });
    expect(await onHand(mk.id, 'P1')).toBe(93_000); // 100 − 3 − 2 sold, − 2 missing at the count
    expect(await onHand(mk.id, 'P2')).toBe(100_000);
    const lines = await db().pool.query<{ sku: string; expected_milli: string; movement_milli: string }>(
      'SELECT sku, expected_milli, movement_milli FROM stock_document_line WHERE doc_id = $1 ORDER BY line',
      [count.docId],
    );
    expect(lines.rows.map((r) => [r.sku, Number(r.expected_milli), Number(r.movement_milli)])).toEqual([
      ['P1', 97_000, -2_000],
      ['P2', 100_000, 0],
    ]);
  });

  it('a sale or a count dated more than an hour past the cloud’s clock is quarantined FUTURE_DATED: a stocktake after it still leaves on-hand at what was counted', async () => {
    const shop = await createShop(db().pool, { initialStock: 100, now: SALES_DAY - 3_600_000 });
    const mk = shop.stores[0]!;
    const a = await enrolRegister(db().pool, server.base, mk);
    const now = Date.now();
    // a register whose clock reads 2191 (or a forged date) sells 1; another is 30 minutes fast (taken)
    const future = { ...saleMutation(a, 1, [{ sku: 'P1', quantity: 1 }]) };
    future.payload.completedAt = 7_000_000_000_000;
    const fast = { ...saleMutation(a, 2, [{ sku: 'P2', quantity: 1 }]) };
    fast.payload.completedAt = now + 30 * 60_000;
    const countLater = stockDoc('count', [{ sku: 'P3', quantityMilli: 50_000, countedAt: now + 3 * 3_600_000 }], { postedAt: now });
    const first = await push(a, [future, fast, mutation(3, countLater)]);
    expect(first.body).toMatchObject({ applied: 1, quarantined: 2, quarantineReasons: { 1: 'FUTURE_DATED', 3: 'FUTURE_DATED' } });
    expect(await onHand(mk.id, 'P1')).toBe(100_000);
    expect(await onHand(mk.id, 'P2')).toBe(99_000);
    expect(await onHand(mk.id, 'P3')).toBe(100_000);
    // the stocktake now: 100 of P1 on the shelf, and on-hand says what was counted
    const count = stockDoc('count', [{ sku: 'P1', quantityMilli: 100_000, countedAt: now }], { postedAt: now });
    expect((await push(a, [mutation(4, count)])).body).toMatchObject({ applied: 1, quarantined: 0 });
    expect(await onHand(mk.id, 'P1')).toBe(100_000);
    const why = await db().pool.query<{ reason: string }>('SELECT reason FROM quarantine WHERE register_id = $1 AND seq = 1', [
      a.registerId,
    ]);
    expect(why.rows[0]!.reason).toMatch(/^completedAt 2191-.* is more than 60 minutes after the cloud's clock/);
  });

  it('quarantines a document that carries its own arithmetic, an unknown store, a negative receipt or a count without its time', async () => {
    const shop = await createShop(db().pool, { initialStock: 10, now: SALES_DAY - 3_600_000 });
    const mk = shop.stores[0]!;
    const a = await enrolRegister(db().pool, server.base, mk);
    const forged = { ...stockDoc('count', [{ sku: 'P1', quantityMilli: 5_000, countedAt: SALES_DAY }]) } as Record<string, unknown>;
    (forged.lines as Record<string, unknown>[])[0]!.varianceMilli = -5_000;
    const answer = await push(a, [
      mutation(1, forged),
      mutation(2, stockDoc('transfer-out', [{ sku: 'P1', quantityMilli: 1_000 }], { toStoreCode: 'NOPE' })),
      mutation(3, stockDoc('transfer-out', [{ sku: 'P1', quantityMilli: 1_000 }], { toStoreCode: 'MK' })),
      mutation(4, stockDoc('receive', [{ sku: 'P1', quantityMilli: -1_000 }])),
      mutation(5, stockDoc('count', [{ sku: 'P1', quantityMilli: 1_000 }])),
      mutation(6, stockDoc('receive', [{ sku: 'NO-SUCH', quantityMilli: 1_000 }])),
    ]);
    expect(answer.body).toMatchObject({ applied: 0, quarantined: 6, lastAppliedSeq: 6 });
    const reasons = await db().pool.query<{ seq: number; reason_code: string }>(
      'SELECT seq::int, reason_code FROM quarantine WHERE register_id = $1 ORDER BY seq',
      [a.registerId],
    );
    expect(reasons.rows.map((r) => r.reason_code)).toEqual([
      'INVALID_PAYLOAD',
      'UNKNOWN_STORE',
      'INVALID_PAYLOAD',
      'INVALID_PAYLOAD',
      'INVALID_PAYLOAD',
      'UNKNOWN_SKU',
    ]);
    expect(await onHand(mk.id, 'P1')).toBe(10_000);
  });
});

describe('transfers between stores', () => {
  it('goods sent from one store are in transit until the other store receives what arrived; a second receipt is refused', async () => {
    const shop = await createShop(db().pool, { initialStock: 100, now: SALES_DAY - 3_600_000 });
    const [mk, tst] = shop.stores;
    const a = await enrolRegister(db().pool, server.base, mk!);
    const b = await enrolRegister(db().pool, server.base, tst!);
    const sent = stockDoc(
      'transfer-out',
      [
        { sku: 'P1', quantityMilli: 5_000 },
        { sku: 'P2', quantityMilli: 2_000 },
      ],
      { toStoreCode: 'TST' },
    );
    expect((await push(a, [mutation(1, sent)])).body).toMatchObject({ applied: 1 });

    // The receiving store's registers pull it, in transit, with what was sent.
    const feed = await call<{ changes: { entity: string; data: Record<string, unknown> }[] }>(
      server.base,
      'GET',
      '/v1/changes?since=0&limit=500',
      {
        token: b.token,
      },
    );
    const inTransit = feed.body.changes.filter((c) => c.entity === 'transfer').at(-1)!.data;
    expect(inTransit).toMatchObject({
      docId: sent.docId,
      fromStoreCode: 'MK',
      toStoreCode: 'TST',
      status: 'in-transit',
      parts: 1,
      partsIn: 1,
      lines: [
        { sku: 'P1', quantityMilli: 5_000 },
        { sku: 'P2', quantityMilli: 2_000 },
      ],
    });

    // 4 of the 5 arrived, and none of P2.
    const received = stockDoc(
      'transfer-in',
      [
        { sku: 'P1', quantityMilli: 4_000 },
        { sku: 'P2', quantityMilli: 0 },
      ],
      { transferDocId: sent.docId },
    );
    expect((await push(b, [mutation(1, received)])).body).toMatchObject({ applied: 1, quarantined: 0 });
    expect(await onHand(mk!.id, 'P1')).toBe(95_000);
    expect(await onHand(tst!.id, 'P1')).toBe(104_000);
    expect(await onHand(tst!.id, 'P2')).toBe(100_000);
    const lines = await db().pool.query<{ sku: string; expected_milli: string; quantity_milli: string }>(
      'SELECT sku, expected_milli, quantity_milli FROM stock_document_line WHERE doc_id = $1 ORDER BY line',
      [received.docId],
    );
    expect(lines.rows.map((r) => [r.sku, Number(r.expected_milli), Number(r.quantity_milli)])).toEqual([
      ['P1', 5_000, 4_000],
      ['P2', 2_000, 0],
    ]);
    const after = await call<{ changes: { entity: string; data: Record<string, unknown> }[] }>(
      server.base,
      'GET',
      '/v1/changes?since=0&limit=500',
      {
        token: b.token,
      },
    );
    expect(after.body.changes.filter((c) => c.entity === 'transfer').at(-1)!.data).toMatchObject({ status: 'received' });

    // Received again (another document), or by the sending store: refused, nothing moves.
    const again = stockDoc('transfer-in', [{ sku: 'P1', quantityMilli: 1_000 }], { transferDocId: sent.docId });
    const wrongStore = stockDoc('transfer-in', [{ sku: 'P1', quantityMilli: 1_000 }], { transferDocId: sent.docId });
    expect((await push(b, [mutation(2, again)])).body).toMatchObject({ applied: 0, quarantined: 1 });
    expect((await push(a, [mutation(2, wrongStore)])).body).toMatchObject({ applied: 0, quarantined: 1 });
    const reasons = await db().pool.query<{ reason_code: string }>(
      'SELECT reason_code FROM quarantine WHERE register_id = ANY($1::uuid[]) ORDER BY id',
      [[a.registerId, b.registerId]],
    );
    expect(reasons.rows.map((r) => r.reason_code)).toEqual(['TRANSFER_MISMATCH', 'TRANSFER_MISMATCH']);
    expect(await onHand(tst!.id, 'P1')).toBe(104_000);
    expect(await onHand(mk!.id, 'P1')).toBe(95_000);
  });
});

describe('purchase orders', () => {
  it('a receipt and head office’s cancel of the same order take turns: received with the cancel refused, never both', async () => {
    const pool = db().pool;
    const shop = await createShop(pool, { initialStock: 100, now: SALES_DAY - 3_600_000 });
    const mk = shop.stores[0]!;
    const a = await enrolRegister(pool, server.base, mk);
    const order = await createPurchaseOrder(
      pool,
      shop.merchantId,
      mk,
      { poNo: 'PO-RACE', lines: [{ sku: 'P2', quantity: 5 }] },
      Date.now(),
    );
    // The window, held open: a count ahead of the receipt in the batch waits for P1's on-hand row,
    // which the test holds, after the batch checked the order and before it receives it.
    const count = stockDoc('count', [{ sku: 'P1', quantityMilli: 100_000, countedAt: SALES_DAY + 60_000 }]);
    const receipt = stockDoc('receive', [{ sku: 'P2', quantityMilli: 5_000 }], { docNo: 'GRN-000001', purchaseOrderId: order.poId });
    const holder = await pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM stock_on_hand WHERE store_id = $1 AND sku = $2 FOR UPDATE', [mk.id, 'P1']);
      const pushed = push(a, [mutation(1, count), mutation(2, receipt)]);
      await until(async () => (await waitingOnLocks()) === 1, 'the push to wait for the on-hand row');
      let cancelSettled = false;
      const cancelled = cancelPurchaseOrder(pool, shop.merchantId, 'PO-RACE', Date.now()).then(
        () => 'cancelled',
        (error: { code?: string }) => error.code ?? String(error),
      );
      void cancelled.finally(() => (cancelSettled = true));
      // the cancel either commits now or waits for the order's row behind the receipt
      await until(async () => cancelSettled || (await waitingOnLocks()) === 2, 'the cancel to commit or wait');
      await holder.query('COMMIT');
      const [answer, cancel] = await withTimeout(Promise.all([pushed, cancelled]), 20_000, 'the push and the cancel');

      const po = await pool.query<{ status: string; received_doc_id: string | null }>(
        'SELECT status, received_doc_id FROM purchase_order WHERE po_id = $1',
        [order.poId],
      );
      const quarantined = await pool.query<{ seq: number; reason_code: string }>(
        'SELECT seq::int, reason_code FROM quarantine WHERE register_id = $1',
        [a.registerId],
      );
      // One decision: the receipt held the order first, so the goods are in and the cancel is refused.
      expect({ cancel, po: po.rows[0], answer: answer.body, quarantined: quarantined.rows }).toMatchObject({
        cancel: 'CONFLICT',
        po: { status: 'received', received_doc_id: receipt.docId },
        answer: { applied: 2, quarantined: 0 },
        quarantined: [],
      });
      expect(await onHand(mk.id, 'P2')).toBe(105_000);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      holder.release();
    }
  });
});

describe('a document id names one document', () => {
  /** A shared count opened by `register` with one scan of 7 P1; answers the session id. */
  async function openSharedCount(register: EnrolledRegister, firstSeq: number): Promise<string> {
    const sessionId = randomUUID();
    const at = Date.now() - 60_000;
    const opened = await push(register, [
      {
        seq: firstSeq,
        kind: 'count.session',
        ref: 'CNT-01-000001',
        payload: { sessionId, docNo: 'CNT-01-000001', scope: { kind: 'scanned' }, blind: true, openedAt: at, staffName: 'Amy' },
      },
      {
        seq: firstSeq + 1,
        kind: 'count.entry',
        ref: 'CNT-01-000001:1',
        payload: { sessionId, entrySeq: 1, sku: 'P1', quantityMilli: 7_000, scannedAt: at + 1_000, staffName: 'Amy' },
      },
    ]);
    expect(opened.body).toMatchObject({ applied: 2, quarantined: 0 });
    return sessionId;
  }

  const postCount = (register: EnrolledRegister, sessionId: string) =>
    call<{ error?: string; message?: string }>(server.base, 'POST', `/v1/count-sessions/${sessionId}/post`, {
      token: register.token,
      body: { staffName: 'Amy', acceptUnsent: true },
    });

  const reasons = async (register: EnrolledRegister) =>
    (
      await db().pool.query<{ seq: number; reason_code: string }>(
        'SELECT seq::int, reason_code FROM quarantine WHERE register_id = $1 ORDER BY seq',
        [register.registerId],
      )
    ).rows;

  it('a shared count whose id a register’s adjustment took is refused at its post, not posted with nothing moved', async () => {
    const shop = await createShop(db().pool, { initialStock: 10, now: SALES_DAY - 3_600_000 });
    const mk = shop.stores[0]!;
    const a = await enrolRegister(db().pool, server.base, mk);
    const b = await enrolRegister(db().pool, server.base, mk);
    const sessionId = await openSharedCount(a, 1);
    // B knows the session's id; its adjustment under that id, line 1, comes first
    const adjust = stockDoc('adjust', [{ sku: 'P2', quantityMilli: -1_000 }], { docId: sessionId });
    expect((await push(b, [mutation(1, adjust)])).body).toMatchObject({ applied: 1, quarantined: 0 });
    expect(await onHand(mk.id, 'P2')).toBe(9_000);

    const posted = await postCount(a, sessionId);
    expect(posted.status).toBe(409);
    expect(posted.body).toMatchObject({ error: 'COUNT_ID_TAKEN' });
    expect(posted.body.message).toMatch(/Cancel it and count again/);
    const session = await db().pool.query('SELECT status FROM count_session WHERE session_id = $1', [sessionId]);
    expect(session.rows).toEqual([{ status: 'open' }]);
    expect(await onHand(mk.id, 'P1')).toBe(10_000);
  });

  it('an adjustment under a posted count’s id, or another store’s transfer id, is quarantined and moves nothing', async () => {
    const shop = await createShop(db().pool, { initialStock: 10, now: SALES_DAY - 3_600_000 });
    const [mk, tst] = shop.stores;
    const a = await enrolRegister(db().pool, server.base, mk!);
    const b = await enrolRegister(db().pool, server.base, mk!);
    const t = await enrolRegister(db().pool, server.base, tst!);
    const sessionId = await openSharedCount(a, 1);
    expect((await postCount(a, sessionId)).status).toBe(200);
    expect(await onHand(mk!.id, 'P1')).toBe(7_000);

    const sent = stockDoc('transfer-out', [{ sku: 'P3', quantityMilli: 2_000 }], { toStoreCode: 'MK', docNo: 'TRF-000001' });
    expect((await push(t, [mutation(1, sent)])).body).toMatchObject({ applied: 1 });

    const onCount = stockDoc('adjust', [{ sku: 'P1', quantityMilli: -1_000 }], { docId: sessionId });
    // MK's transfer out under TST's transfer id, line 2: it would have joined TST's transfer
    const onTransfer = stockDoc('transfer-out', [{ sku: 'P3', quantityMilli: 1_000 }], { docId: sent.docId, toStoreCode: 'TST' });
    onTransfer.lines[0]!.line = 2;
    const answer = await push(b, [mutation(1, onCount), mutation(2, onTransfer)]);
    expect(answer.body).toMatchObject({ applied: 0, quarantined: 2 });
    expect(await reasons(b)).toEqual([
      { seq: 1, reason_code: 'DOCUMENT_ID_TAKEN' },
      { seq: 2, reason_code: 'DOCUMENT_ID_TAKEN' },
    ]);
    expect(await onHand(mk!.id, 'P1')).toBe(7_000);
    expect(await onHand(mk!.id, 'P3')).toBe(10_000);
    const transferLines = await db().pool.query('SELECT line, sku FROM stock_document_line WHERE doc_id = $1 ORDER BY line', [sent.docId]);
    expect(transferLines.rows).toEqual([{ line: 1, sku: 'P3' }]);
  });

  it('the same document again (another part, a re-send by the store’s re-enrolled register) lands; a line re-sent with other content is refused', async () => {
    const shop = await createShop(db().pool, { initialStock: 10, now: SALES_DAY - 3_600_000 });
    const mk = shop.stores[0]!;
    const a = await enrolRegister(db().pool, server.base, mk);
    const again = await enrolRegister(db().pool, server.base, mk);
    const part1 = stockDoc('receive', [{ sku: 'P1', quantityMilli: 4_000 }], { parts: 2 });
    const part2 = { ...part1, part: 2, lines: [{ line: 2, sku: 'P2', quantityMilli: 3_000, countedAt: null, costCents: null }] };
    expect((await push(a, [mutation(1, part1), mutation(2, part2)])).body).toMatchObject({ applied: 2, quarantined: 0 });
    // the register enrolled again re-sends its queue under its new id and seqs: absorbed, nothing moves twice
    expect((await push(again, [mutation(1, part1), mutation(2, part2)])).body).toMatchObject({ applied: 2, quarantined: 0 });
    const changed = { ...part1, lines: [{ ...part1.lines[0]!, quantityMilli: 9_000 }] };
    expect((await push(again, [mutation(3, changed)])).body).toMatchObject({ applied: 0, quarantined: 1 });
    expect(await reasons(again)).toEqual([{ seq: 3, reason_code: 'DOCUMENT_ID_TAKEN' }]);
    expect(await onHand(mk.id, 'P1')).toBe(14_000);
    expect(await onHand(mk.id, 'P2')).toBe(13_000);
  });
});
