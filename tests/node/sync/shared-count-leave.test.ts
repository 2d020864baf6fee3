/**
 * A register leaving a shared stocktake (issue 14), registers and cloud for real (SQLite files,
 * sync workers, the cloud on PostgreSQL, one register behind a proxy that can take it offline or
 * cut the cloud's answers): the leave travels through the leaver's outbox after its scans, offline
 * too, and lands once however often it is re-sent; its scans stay counted unless it withdraws them,
 * and a withdrawal that reaches the cloud after the post is recorded as too late. The opener, the
 * third register's pull and head office's list all show it left, and a register that left no
 * longer holds the post back as one that may have unsent scans.
 */
import { describe, expect, it } from 'vitest';
import type { CountSessionView } from '../../../src/shared/count-session';
import type { StockDocumentView, VarianceReport } from '../../../src/shared/stock-schemas';
import type { Register } from '../../../src/main/register';
import { countSessionsOverview } from '../../../cloud/domain/count-sessions';
import { BUN, MILK_TEA, WATER, call, createCloudShop, eventually, useSyncRig } from './helpers';
import { startFaultProxy } from './fault-proxy';
import { openSharedCount, registerCodes, threeRegisters } from './shared-count-steps';

const { database, server, openRegister } = useSyncRig();

/** The variance's counted quantity per SKU, in SKU order. */
const counted = (report: VarianceReport) =>
  report.lines.map((l) => [l.sku, l.countedMilli]).sort((x, y) => String(x[0]).localeCompare(String(y[0])));

const unacked = async (register: Register) => (await call<{ pending: number }>(register, 'sync:status')).pending;

describe('a register leaving a shared count', () => {
  it(
    'the leave goes through the outbox once, offline too; its scans stay counted; the others and head office see it left; it no longer holds the post back',
    { timeout: 600_000 },
    async () => {
      const pool = database().pool;
      const shop = await createCloudShop(pool, { initialStock: 10 });
      const proxy = await startFaultProxy(Number(new URL(server.base).port), { resetRate: 0, hangRate: 0, cutEvery: 0 });
      try {
        const [a, b, c] = await threeRegisters(openRegister, pool, shop.store, [server.base, proxy.url, server.base]);
        const registers = (
          await pool.query<{ id: string; code: string }>('SELECT id, code FROM register WHERE store_id = $1 ORDER BY enrolled_at', [
            shop.store.id,
          ])
        ).rows;
        const [, regB] = registers as [{ id: string; code: string }, { id: string; code: string }];

        const {
          opened,
          sessionId,
          joined: [atB, atC],
        } = await openSharedCount(a, [b, c]);
        await call(a, 'stock:scan', { documentId: opened.id, code: MILK_TEA.barcode, quantity: 4 });
        await call(b, 'stock:scan', { documentId: atB.id, code: MILK_TEA.barcode, quantity: 3 });
        await call(b, 'stock:scan', { documentId: atB.id, code: BUN.barcode, quantity: 2 });
        await call(c, 'stock:scan', { documentId: atC.id, code: WATER.barcode, quantity: 5 });
        await eventually(
          () => unacked(b),
          (n) => n === 0,
          'B’s scans in the cloud',
        );

        // The register that opened it does not leave (it cancels for everyone); a plain cancel does not leave silently.
        expect(await a.dispatch('stock:cancel-count', { documentId: opened.id, whole: false, reason: '' })).toMatchObject({
          ok: false,
          error: { code: 'BAD_REQUEST' },
        });
        expect(await b.dispatch('stock:cancel', { documentId: atB.id })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });

        // B goes offline, counts one more bun, and leaves keeping its scans: closed here at once, the cloud not told yet.
        proxy.setMode('offline');
        await call(b, 'stock:scan', { documentId: atB.id, code: BUN.barcode });
        const left = await call<StockDocumentView>(b, 'stock:cancel-count', { documentId: atB.id, whole: false, reason: '' });
        expect(left.status).toBe('cancelled');
        expect(left.shared).toMatchObject({ left: true, leftScans: 'kept', cancelledBy: null });
        expect(await b.dispatch('stock:scan', { documentId: atB.id, code: BUN.barcode })).toMatchObject({
          ok: false,
          error: { code: 'STOCK_DOCUMENT_CLOSED' },
        });
        expect(await unacked(b)).toBe(2); // the bun, then the leave
        const participantB = () =>
          pool
            .query<{
              left_at: Date | null;
              left_by_staff: string | null;
              left_scans: string | null;
            }>('SELECT left_at, left_by_staff, left_scans FROM count_participant WHERE session_id = $1 AND register_id = $2', [
              sessionId,
              regB.id,
            ])
            .then((r) => r.rows[0]!);
        expect(await participantB()).toEqual({ left_at: null, left_by_staff: null, left_scans: null });

        // B comes back through a link that cuts the cloud's answers: the cloud applies the push, B never
        // hears and sends it again; the leave lands once, after B's last scan.
        proxy.setMode('pass');
        proxy.holdAnswersTo(/\/mutations$/, 100, 'cut');
        await eventually(
          () => pool.query("SELECT 1 FROM applied_mutation WHERE register_id = $1 AND kind = 'count.leave'", [regB.id]),
          (r) => r.rowCount === 1,
          'B’s leave applied in the cloud',
          60_000,
        );
        await new Promise((resolve) => setTimeout(resolve, 2_500)); // B re-sends what it never heard answered
        proxy.holdAnswersTo(null);
        await eventually(
          () => unacked(b),
          (n) => n === 0,
          'B’s outbox drained',
          60_000,
        );
        expect(proxy.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/mutations')).length).toBeGreaterThan(1); // re-sent
        const leaves = await pool.query<{ ref: string; outcome: string }>(
          "SELECT ref, outcome FROM applied_mutation WHERE register_id = $1 AND kind = 'count.leave'",
          [regB.id],
        );
        expect(leaves.rows).toEqual([{ ref: `${atB.docNo}:leave`, outcome: 'applied' }]);
        const leftRow = await participantB();
        expect(leftRow.left_scans).toBe('kept');
        expect(leftRow.left_by_staff).not.toBe('');
        expect(leftRow.left_at).not.toBeNull();
        const entriesB = await pool.query<{ n: string; q: string }>(
          'SELECT count(*) AS n, sum(quantity_milli) AS q FROM count_entry WHERE session_id = $1 AND register_id = $2 AND refused_at IS NULL',
          [sessionId, regB.id],
        );
        expect([Number(entriesB.rows[0]!.n), Number(entriesB.rows[0]!.q)]).toEqual([3, 6000]);

        // C's pull (nobody opens the count there) keeps who left: C's screen shows B left, its scans counted.
        const atCNow = await eventually(
          () => call<StockDocumentView>(c, 'stock:document', { documentId: atC.id }),
          (d) => d.shared?.participants?.some((p) => p.registerCode === regB.code && p.leftAt !== null) === true,
          'C’s pull shows B left',
          60_000,
        );
        expect(atCNow.status).toBe('open');
        expect(atCNow.shared?.participants?.find((p) => p.registerCode === regB.code)).toMatchObject({
          leftScans: 'kept',
          entries: 3,
          mayHaveUnsent: false,
        });

        // B then goes quiet for good: a register that left sent everything before its leave, so it is not suspected.
        proxy.setMode('offline');
        await pool.query(
          `UPDATE register SET last_push_at = now() - interval '1 hour', last_pull_at = now() - interval '1 hour',
                  reported_at = now() - interval '1 hour' WHERE id = $1`,
          [regB.id],
        );
        const variance = await call<VarianceReport>(a, 'stock:variance', { documentId: opened.id });
        expect(variance.participants?.find((p) => p.registerCode === regB.code)).toMatchObject({
          leftScans: 'kept',
          mayHaveUnsent: false,
          entries: 3,
        });
        // the union keeps B's scans: tea 4 + 3, buns 2 + 1, water 5
        expect(counted(variance)).toEqual([
          [BUN.sku, 3000],
          [MILK_TEA.sku, 7000],
          [WATER.sku, 5000],
        ]);
        const refreshed = await call<StockDocumentView>(a, 'stock:count-refresh', { documentId: opened.id });
        expect(refreshed.shared?.participants?.find((p) => p.registerCode === regB.code)?.leftAt).not.toBeNull();

        // Head office's list: B left, by whom, its scans kept.
        const [listed] = await countSessionsOverview(pool, shop.merchantId, null, { now: Date.now(), recentMs: 3_600_000 });
        expect(listed!.participants.find((p) => p.registerCode === regB.code)).toMatchObject({
          scans: 3,
          leftAt: leftRow.left_at!.getTime(),
          leftBy: leftRow.left_by_staff,
          leftScans: 'kept',
        });
        expect(listed!.participants.filter((p) => p.leftAt !== null)).toHaveLength(1);

        // The post needs no "post anyway" for B, and counts B's scans.
        await call(a, 'stock:post', { documentId: opened.id });
        const moved = await pool.query<{ sku: string; q: string }>(
          'SELECT sku, quantity_milli AS q FROM stock_movement WHERE source = $1 ORDER BY sku',
          [`stockdoc:${sessionId}`],
        );
        expect(moved.rows.map((r) => [r.sku, Number(r.q)])).toEqual([
          [BUN.sku, -7000],
          [MILK_TEA.sku, -3000],
          [WATER.sku, -5000],
        ]);
        // B does not find it to join again
        proxy.setMode('pass');
        expect(await call<CountSessionView[]>(b, 'stock:count-sessions')).toEqual([]);
      } finally {
        await proxy.close();
      }
    },
  );

  it(
    'a register that withdraws its scans as it leaves takes them out of the count; a withdrawal reaching the cloud after the post is too late and says so',
    { timeout: 600_000 },
    async () => {
      const pool = database().pool;
      const shop = await createCloudShop(pool, { initialStock: 10 });
      const proxy = await startFaultProxy(Number(new URL(server.base).port), { resetRate: 0, hangRate: 0, cutEvery: 0 });
      try {
        const [a, b, c] = await threeRegisters(openRegister, pool, shop.store, [server.base, server.base, proxy.url]);
        const [, codeB, codeC] = (await registerCodes(pool, shop.store.id)) as [string, string, string];
        const {
          opened,
          sessionId,
          joined: [atB, atC],
        } = await openSharedCount(a, [b, c]);
        await call(a, 'stock:scan', { documentId: opened.id, code: MILK_TEA.barcode, quantity: 4 });
        await call(b, 'stock:scan', { documentId: atB.id, code: MILK_TEA.barcode, quantity: 3 });
        await call(c, 'stock:scan', { documentId: atC.id, code: BUN.barcode, quantity: 2 });
        await eventually(
          async () => (await unacked(b)) + (await unacked(c)),
          (n) => n === 0,
          'B’s and C’s scans in the cloud',
        );

        // B leaves withdrawing its 3 teas: once the cloud has the leave, the union no longer has them.
        const left = await call<StockDocumentView>(b, 'stock:cancel-count', {
          documentId: atB.id,
          whole: false,
          reason: '',
          withdraw: true,
        });
        expect(left.shared).toMatchObject({ left: true, leftScans: 'withdrawn' });
        const variance = await eventually(
          () => call<VarianceReport>(a, 'stock:variance', { documentId: opened.id }),
          (r) => r.participants?.find((p) => p.registerCode === codeB)?.leftScans === 'withdrawn',
          'B’s leave in the cloud',
          60_000,
        );
        expect(variance.participants?.find((p) => p.registerCode === codeB)).toMatchObject({ leftScans: 'withdrawn', entries: 1 });
        expect(counted(variance)).toEqual([
          [BUN.sku, 2000],
          [MILK_TEA.sku, 4000],
        ]);

        // C, offline, leaves withdrawing its buns; A posts before C's leave arrives: the buns count.
        proxy.setMode('offline');
        await call(c, 'stock:cancel-count', { documentId: atC.id, whole: false, reason: '', withdraw: true });
        await call(a, 'stock:post', { documentId: opened.id, acceptUnsent: true });
        proxy.setMode('pass');
        await eventually(
          () => unacked(c),
          (n) => n === 0,
          'C’s leave pushed',
          60_000,
        );
        const moved = await pool.query<{ sku: string; q: string }>(
          'SELECT sku, quantity_milli AS q FROM stock_movement WHERE source = $1 ORDER BY sku',
          [`stockdoc:${sessionId}`],
        );
        expect(moved.rows.map((r) => [r.sku, Number(r.q)])).toEqual([
          [BUN.sku, -8000],
          [MILK_TEA.sku, -6000],
        ]);
        // Each leaver's own screen says how its withdrawal went, once its pull asks the cloud:
        // C's came too late (its scans stay counted), B's took them out.
        await call(c, 'sync:now');
        const atCNow = await eventually(
          () => call<StockDocumentView>(c, 'stock:document', { documentId: atC.id }),
          (d) => d.shared?.leftScans === 'too-late',
          'C told its withdrawal was too late',
          60_000,
        );
        expect(atCNow.shared).toMatchObject({ left: true, leftScans: 'too-late' });
        expect(atCNow.shared?.participants?.map((p) => p.registerCode)).not.toContain(codeC);
        await call(b, 'sync:now');
        const atBNow = await call<StockDocumentView>(b, 'stock:document', { documentId: atB.id });
        expect(atBNow.shared).toMatchObject({ left: true, leftScans: 'withdrawn' });
        const [listed] = await countSessionsOverview(pool, shop.merchantId, null, { now: Date.now(), recentMs: 3_600_000 });
        expect(listed!.participants.map((p) => [p.registerCode, p.leftScans])).toEqual(
          expect.arrayContaining([
            [codeB, 'withdrawn'],
            [codeC, 'too-late'],
          ]),
        );
      } finally {
        await proxy.close();
      }
    },
  );
});
