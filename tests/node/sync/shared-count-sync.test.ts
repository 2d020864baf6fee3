/**
 * A stocktake shared by three registers of one store (issue 14, src/shared/count-session.ts),
 * registers and cloud for real (SQLite files, sync workers, the cloud on PostgreSQL; register C
 * behind a proxy that can take it offline): A opens a shared count, B and C join it from their
 * list; A and B count the same shelf's tea (4 + 3) and B the buns, with a sale of a tea at A after
 * the tea's last scan (netted out) and a bun sold before the bun was counted (not netted); the
 * variance A sees is the union of everyone's entries. C goes offline and scans water: the cloud
 * warns that C may hold unsent entries, and a post without accepting that is refused. A and B
 * then post at the same moment: one wins, the other is told who posted; the stock moves once.
 * C's offline scans reach the cloud after the post: they are kept, refused, and C shows them as
 * not counted, with who posted.
 *
 * Cancelling: a cashier at a joined register may only leave (its copy closes, the count goes on);
 * the register that opened it cancels it for every register with a reason, and the others' sync
 * pulls close their copies saying who and why (nothing moves, nothing is offered); a manager at a
 * joined register may cancel a count too; head office's list shows both cancelled.
 */
import { describe, expect, it } from 'vitest';
import type { CountSessionView } from '../../../src/shared/count-session';
import type { StockDocumentView, VarianceReport } from '../../../src/shared/stock-schemas';
import type { Register } from '../../../src/main/register';
import { BUN, MILK_TEA, WATER, call, createCloudShop, eventually, loginManager, sell, useSyncRig } from './helpers';
import { openSharedCount, registerCodes, threeRegisters } from './shared-count-steps';
import { startFaultProxy } from './fault-proxy';
import { countSessionsOverview } from '../../../cloud/domain/count-sessions';

/** Quiet for 20 s, a participant may hold unsent entries (the default is a minute; registers record a pull at most every 10 s). */
const STALE_MS = 20_000;
const { database, server, openRegister } = useSyncRig({ countParticipantStaleMs: STALE_MS });

const unacked = async (register: Register) => (await call<{ pending: number }>(register, 'sync:status')).pending;

describe('a stocktake shared by the store’s registers', () => {
  it(
    'three registers count into one session; a sale in the middle is netted; the union’s variance; one post wins; late entries are refused visibly',
    { timeout: 900_000 },
    async () => {
      const pool = database().pool;
      const shop = await createCloudShop(pool, { initialStock: 10 });
      const port = Number(new URL(server.base).port);
      const proxy = await startFaultProxy(port, { resetRate: 0, hangRate: 0, cutEvery: 0 });
      try {
        const [a, b, c] = await threeRegisters(openRegister, pool, shop.store, [server.base, server.base, proxy.url]);
        const codes = (
          await pool.query<{ code: string }>('SELECT code FROM register WHERE store_id = $1 ORDER BY enrolled_at', [shop.store.id])
        ).rows.map((r) => r.code);
        const [codeA, codeB, codeC] = codes as [string, string, string];

        // A opens a shared, blind count; it is offered on B and C once it reached the cloud.
        const opened = await call<StockDocumentView>(a, 'stock:open', { kind: 'count', scope: { kind: 'scanned' }, shared: true });
        expect(opened.docNo).toMatch(new RegExp(`^CNT-${codeA}-\\d{6}$`));
        expect(opened.shared).toMatchObject({ role: 'opener', openedByRegister: codeA, refusedScans: 0, postedBy: null });
        const offered = await eventually(
          () => call<CountSessionView[]>(b, 'stock:count-sessions'),
          (list) => list.length === 1,
          'A’s shared count offered on B',
        );
        expect(offered[0]).toMatchObject({ docNo: opened.docNo, openedByRegister: codeA, blind: true, status: 'open' });
        expect(await call<CountSessionView[]>(a, 'stock:count-sessions')).toEqual([]); // A has it already
        const atB = await call<StockDocumentView>(b, 'stock:join-count', { sessionId: offered[0]!.sessionId });
        const atC = await call<StockDocumentView>(c, 'stock:join-count', { sessionId: offered[0]!.sessionId });
        expect(atB).toMatchObject({
          docNo: opened.docNo,
          status: 'open',
          blind: true,
          shared: { role: 'joined', openedByRegister: codeA },
        });
        expect(await call<CountSessionView[]>(b, 'stock:count-sessions')).toEqual([]); // joined: no longer offered

        // A bun is sold at A before anyone counts buns: on-hand at the bun's count is 9.
        await sell(a, [BUN.barcode]);
        await call(a, 'stock:scan', { documentId: opened.id, code: MILK_TEA.barcode, quantity: 4 });
        await call(b, 'stock:scan', { documentId: atB.id, code: MILK_TEA.barcode, quantity: 3 });
        await call(b, 'stock:scan', { documentId: atB.id, code: BUN.barcode, quantity: 2 });
        // blind, and each register sees its own lines only
        const ownB = await call<StockDocumentView>(b, 'stock:document', { documentId: atB.id });
        expect(ownB.lines.map((l) => [l.sku, l.quantityMilli, l.expectedMilli])).toEqual([
          [BUN.sku, 2000, null],
          [MILK_TEA.sku, 3000, null],
        ]);
        // A tea is sold at A after the tea's last scan (B's): netted out, the count's expected tea stays 10.
        await new Promise((resolve) => setTimeout(resolve, 20));
        await sell(a, [MILK_TEA.barcode]);
        await eventually(
          () => unacked(a),
          (n) => n === 0,
          'A’s sales in the cloud',
        );

        // The union, from the cloud, as A's manager sees it before posting.
        const variance = await eventually(
          () => call<VarianceReport>(a, 'stock:variance', { documentId: opened.id }),
          (r) => r.participants?.find((p) => p.registerCode === codeB)?.entries === 2 && r.participants.every((p) => !p.mayHaveUnsent),
          'B’s entries merged and nobody holding unsent entries',
        );
        expect(variance.participants?.map((p) => p.registerCode)).toEqual([codeA, codeB, codeC].sort());
        expect(variance.lines.map((l) => [l.sku, l.expectedMilli, l.countedMilli, l.varianceMilli, l.varianceValue])).toEqual([
          [BUN.sku, 9000, 2000, -7000, -7 * BUN.price],
          [MILK_TEA.sku, 10_000, 7000, -3000, -3 * MILK_TEA.price],
        ]);

        // C goes offline and keeps counting: its water scans wait in its outbox.
        proxy.setMode('offline');
        await call(c, 'stock:scan', { documentId: atC.id, code: WATER.barcode, quantity: 5 });
        await call(c, 'stock:scan', { documentId: atC.id, code: WATER.barcode });
        expect((await call<StockDocumentView>(c, 'stock:document', { documentId: atC.id })).shared).toMatchObject({ unsentScans: 2 });
        // Quiet for STALE_MS, C is flagged; a post that does not accept that is refused, naming C.
        await eventually(
          () => call<VarianceReport>(a, 'stock:variance', { documentId: opened.id }),
          (r) => r.participants?.find((p) => p.registerCode === codeC)?.mayHaveUnsent === true,
          'C flagged as maybe holding unsent entries',
          STALE_MS + 30_000,
        );
        const refused = await a.dispatch('stock:post', { documentId: opened.id });
        expect(refused).toMatchObject({ ok: false, error: { code: 'COUNT_PARTICIPANTS_UNSENT' } });
        expect(refused.ok ? '' : String(refused.error.values?.registers)).toContain(codeC);

        // A and B post at once, both accepting: one post, the other told who posted.
        const [postA, postB] = await Promise.all([
          a.dispatch('stock:post', { documentId: opened.id, acceptUnsent: true }),
          b.dispatch('stock:post', { documentId: atB.id, acceptUnsent: true }),
        ]);
        const results = [postA, postB];
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        const loser = results.find((r) => !r.ok)!;
        expect(loser).toMatchObject({ ok: false, error: { code: 'COUNT_ALREADY_POSTED' } });
        const winnerCode = postA.ok ? codeA : codeB;
        expect(loser.ok ? '' : String(loser.error.values?.postedBy)).toMatch(new RegExp(`^MK01-${winnerCode} `));
        // both registers have the count closed, posted by the winner
        for (const [register, id] of [
          [a, opened.id],
          [b, atB.id],
        ] as const) {
          const doc = await call<StockDocumentView>(register, 'stock:document', { documentId: id });
          expect(doc.status).toBe('posted');
          expect(doc.shared?.postedBy).toMatch(new RegExp(`^MK01-${winnerCode} `));
        }

        // The cloud moved the stock once: tea 7 counted − 1 sold after = 6, buns 2; its ledger has one count per product.
        const onHand = await pool.query<{ sku: string; q: string }>(
          'SELECT sku, quantity_milli AS q FROM stock_on_hand WHERE store_id = $1 ORDER BY sku',
          [shop.store.id],
        );
        expect(Object.fromEntries(onHand.rows.map((r) => [r.sku, Number(r.q)]))).toEqual({
          [BUN.sku]: 2000,
          [MILK_TEA.sku]: 6000,
          [WATER.sku]: 10_000,
        });
        const moved = await pool.query<{ sku: string; q: string }>(
          `SELECT sku, quantity_milli AS q FROM stock_movement WHERE source = $1 ORDER BY sku`,
          [`stockdoc:${offered[0]!.sessionId}`],
        );
        expect(moved.rows.map((r) => [r.sku, Number(r.q)])).toEqual([
          [BUN.sku, -7000],
          [MILK_TEA.sku, -3000],
        ]);
        // A's screen gets the cloud's on-hand with the pull
        await eventually(
          async () =>
            (await call<{ rows: { sku: string; onHandMilli: number }[] }>(a, 'stock:on-hand', { text: MILK_TEA.sku, lowOnly: false })).rows,
          (rows) => rows.find((r) => r.sku === MILK_TEA.sku)?.onHandMilli === 6000,
          'the counted tea pulled back to A',
        );

        // C comes back: its water arrives after the post, is kept refused, and C shows it as not counted.
        proxy.setMode('pass');
        await eventually(
          () => unacked(c),
          (n) => n === 0,
          'C’s offline scans pushed',
        );
        const late = await call<StockDocumentView>(c, 'stock:count-refresh', { documentId: atC.id });
        expect(late.status).toBe('posted');
        expect(late.shared).toMatchObject({ refusedScans: 2, refusedMilli: 6000, unsentScans: 0 });
        expect(late.shared?.postedBy).toMatch(new RegExp(`^MK01-${winnerCode} `));
        const kept = await pool.query<{ n: string }>(
          'SELECT count(*) AS n FROM count_entry WHERE session_id = $1 AND refused_at IS NOT NULL',
          [offered[0]!.sessionId],
        );
        expect(Number(kept.rows[0]!.n)).toBe(2);
        // the water was not moved, and C cannot scan into the posted count any more
        expect(
          (await pool.query('SELECT 1 FROM stock_movement WHERE sku = $1 AND source LIKE $2', [WATER.sku, 'stockdoc:%'])).rowCount,
        ).toBe(0);
        expect(await c.dispatch('stock:scan', { documentId: atC.id, code: WATER.barcode })).toMatchObject({
          ok: false,
          error: { code: 'STOCK_DOCUMENT_CLOSED' },
        });
      } finally {
        await proxy.close();
      }
    },
  );

  it(
    'the opener cancels the whole count: every register’s pull closes it with who and why; a cashier elsewhere may only leave; a manager at a joined register may cancel',
    { timeout: 600_000 },
    async () => {
      const pool = database().pool;
      const shop = await createCloudShop(pool, { initialStock: 10 });
      const [a, b, c] = await threeRegisters(openRegister, pool, shop.store, [server.base, server.base, server.base]);
      const [codeA, codeB] = (await registerCodes(pool, shop.store.id)) as [string, string, string];

      const {
        opened,
        sessionId,
        joined: [atB, atC],
      } = await openSharedCount(a, [b, c]);
      await call(a, 'stock:scan', { documentId: opened.id, code: MILK_TEA.barcode, quantity: 4 });
      await call(b, 'stock:scan', { documentId: atB.id, code: BUN.barcode, quantity: 2 });
      await call(c, 'stock:scan', { documentId: atC.id, code: MILK_TEA.barcode });

      // B's cashier may not cancel it for everyone; leaving closes B's copy only.
      await call(b, 'staff:login', { staffId: 1, pin: '1234' });
      expect(await b.dispatch('stock:cancel-count', { documentId: atB.id, whole: true, reason: '' })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      const left = await call<StockDocumentView>(b, 'stock:cancel-count', { documentId: atB.id, whole: false, reason: '' });
      expect(left.status).toBe('cancelled');
      expect(left.shared).toMatchObject({ left: true, cancelledBy: null });
      expect((await pool.query('SELECT status FROM count_session WHERE session_id = $1', [sessionId])).rows[0]).toEqual({ status: 'open' });

      // A, which opened it, cancels it for every register, with a reason.
      const reason = '貨架重新擺放，明早再點';
      const cancelled = await call<StockDocumentView>(a, 'stock:cancel-count', { documentId: opened.id, whole: true, reason });
      expect(cancelled.status).toBe('cancelled');
      expect(cancelled.shared?.cancelledBy).toMatch(new RegExp(`^MK01-${codeA} `));
      expect(cancelled.shared).toMatchObject({ cancelReason: reason, left: false, postedBy: null });
      const row = (
        await pool.query<{ status: string; cancel_reason: string; by: string }>(
          `SELECT s.status, s.cancel_reason, r.code AS by FROM count_session s JOIN register r ON r.id = s.cancelled_by_register
            WHERE s.session_id = $1`,
          [sessionId],
        )
      ).rows[0];
      expect(row).toEqual({ status: 'cancelled', cancel_reason: reason, by: codeA });

      // C's pull (its sync worker, nobody opening the count) closes its copy, saying who and why.
      const atCNow = await eventually(
        () => call<StockDocumentView>(c, 'stock:document', { documentId: atC.id }),
        (d) => d.status === 'cancelled',
        'C’s pull closes the cancelled count',
        60_000,
      );
      expect(atCNow.shared?.cancelledBy).toMatch(new RegExp(`^MK01-${codeA} `));
      expect(atCNow.shared).toMatchObject({ cancelReason: reason, left: false });
      expect(await c.dispatch('stock:scan', { documentId: atC.id, code: MILK_TEA.barcode })).toMatchObject({
        ok: false,
        error: { code: 'STOCK_DOCUMENT_CLOSED' },
      });
      // nothing moved, nothing offered; a post in the cloud now is refused
      expect((await pool.query('SELECT 1 FROM stock_movement WHERE source = $1', [`stockdoc:${sessionId}`])).rowCount).toBe(0);
      expect(await call<CountSessionView[]>(c, 'stock:count-sessions')).toEqual([]);

      // A second count: B's manager (a joined register) cancels it for everyone; A's pull closes it.
      await loginManager(b);
      const second = await call<StockDocumentView>(a, 'stock:open', { kind: 'count', scope: { kind: 'scanned' }, shared: true });
      const offered2 = await eventually(
        () => call<CountSessionView[]>(b, 'stock:count-sessions'),
        (list) => list.length === 1,
        'A’s second count offered on B',
      );
      const atB2 = await call<StockDocumentView>(b, 'stock:join-count', { sessionId: offered2[0]!.sessionId });
      const byManager = await call<StockDocumentView>(b, 'stock:cancel-count', { documentId: atB2.id, whole: true, reason: '' });
      expect(byManager.shared?.cancelledBy).toMatch(new RegExp(`^MK01-${codeB} `));
      const atA2 = await eventually(
        () => call<StockDocumentView>(a, 'stock:document', { documentId: second.id }),
        (d) => d.status === 'cancelled',
        'A’s pull closes the count B’s manager cancelled',
        60_000,
      );
      expect(atA2.shared?.cancelledBy).toMatch(new RegExp(`^MK01-${codeB} `));

      // Head office's list shows both cancelled, by whom and why.
      const listed = await countSessionsOverview(pool, shop.merchantId, null, { now: Date.now(), recentMs: 3_600_000 });
      expect(listed.map((s) => [s.docNo, s.status, s.cancelReason])).toEqual([
        [second.docNo, 'cancelled', ''],
        [opened.docNo, 'cancelled', reason],
      ]);
      expect(listed[1]!.closedBy).toMatch(new RegExp(`^MK01-${codeA} `));
    },
  );
});
