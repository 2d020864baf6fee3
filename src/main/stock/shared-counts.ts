/**
 * A stocktake shared by the store's registers (src/shared/count-session.ts), as this register
 * takes part: the list of the store's open shared counts to join, joining one (it becomes a local
 * count document with the cloud's session id and number; scans go on offline), and, for a count
 * opened or joined here, the cloud's merged variance and the post, which the cloud decides once.
 *
 * Online only (the list, joining, the variance and the post); scanning is not. Before the
 * variance or the post, this register's own entries must have reached the cloud: the sync worker
 * is woken and they are waited for (bounded); entries another register has not sent are what the
 * cloud warns about (`mayHaveUnsent`), and the poster decides.
 *
 * The cloud moves the stock of a shared count: this register writes no movement and no
 * `stock.document` for it; its on-hand follows with the next pull.
 */
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import type { Clock } from '../clock';
import type { AuditLog } from '../audit/audit-log';
import type { Logger } from '../log';
import { PosError } from '../../shared/errors';
import type { StaffSummary } from '../../shared/schemas';
import type { StockDocumentSummary, StockDocumentView, VarianceLine, VarianceReport } from '../../shared/stock-schemas';
import { CountSessionList, CountSessionVariance, CountSessionView, type CountUnionLine } from '../../shared/count-session';
import { createCloudClient, type CloudAnswer } from '../sync/cloud-client';
import { readEnrolment } from '../sync/sync-store';
import { formatTime } from '../../shared/store-time';
import { readStoreTimeZone } from '../settings/store-time-zone';
import type { StockService } from './stock-service';
import { recordCloudSession } from './shared-count-close';
import { recordCountRefusal } from './count-refusals';

/** How long a variance or post waits for this register's own entries to reach the cloud. */
const OWN_ENTRIES_WAIT_MS = 15_000;

export interface SharedCountsDeps {
  db: Db;
  clock: Clock;
  audit: AuditLog;
  log: Logger;
  stock: StockService;
  cloudToken: () => string | null;
  /** wakes the sync worker, so this register's entries go now */
  wakeSync: () => void;
  /** a count's refusal was kept (count-refusals.ts): the status bar shows it */
  onRefused?: () => void;
  timeoutMs?: number;
  ownEntriesWaitMs?: number;
}

interface SharedRow {
  id: number;
  doc_id: string;
  doc_no: string;
  status: 'open' | 'posted' | 'cancelled';
  shared_role: 'opener' | 'joined' | null;
}

export type SharedCounts = ReturnType<typeof createSharedCounts>;

export function createSharedCounts(deps: SharedCountsDeps) {
  const { db, clock, audit, log, stock } = deps;
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const waitMs = deps.ownEntriesWaitMs ?? OWN_ENTRIES_WAIT_MS;

  const cloud = () => {
    const enrolment = readEnrolment(db);
    const token = enrolment ? deps.cloudToken() : null;
    if (!enrolment || token === null) throw new PosError('BAD_REQUEST', 'This register is not enrolled to a cloud');
    return createCloudClient({ baseUrl: enrolment.cloudUrl, token, timeoutMs, now: clock.now });
  };

  const sharedRow = (documentId: number): SharedRow => {
    const row = prepared<{ id: number }, SharedRow>(
      db,
      "SELECT id, doc_id, doc_no, status, shared_role FROM stock_document WHERE id = :id AND kind = 'count'",
    ).get({ id: documentId });
    if (!row || row.shared_role === null) throw new PosError('NOT_FOUND', `No shared count ${documentId} on this register`);
    return row;
  };

  /** The cloud's answer as a value, or the register's typed refusal. */
  function answered<T>(
    answer: CloudAnswer<unknown>,
    schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  ): T {
    if (answer.kind === 'unreachable') throw new PosError('CLOUD_UNREACHABLE', `The cloud did not answer: ${answer.message}`);
    if (answer.kind === 'error') {
      if (answer.code === 'COUNT_ALREADY_POSTED') {
        const postedAt = typeof answer.body.postedAt === 'number' ? answer.body.postedAt : null;
        const postedBy = typeof answer.body.postedBy === 'string' ? answer.body.postedBy : '';
        throw new PosError('COUNT_ALREADY_POSTED', answer.message, undefined, {
          postedBy,
          postedAt: postedAt === null ? '' : formatTime(postedAt, readStoreTimeZone(db)),
        });
      }
      if (answer.code === 'COUNT_PARTICIPANTS_UNSENT') {
        const participants = Array.isArray(answer.body.participants) ? (answer.body.participants as { registerCode?: unknown }[]) : [];
        throw new PosError('COUNT_PARTICIPANTS_UNSENT', answer.message, undefined, {
          registers: participants.map((p) => String(p.registerCode ?? '')).join(', '),
        });
      }
      if (answer.code === 'COUNT_ID_TAKEN') throw new PosError('COUNT_ID_TAKEN', answer.message);
      if (answer.code === 'NOT_FOUND') throw new PosError('NOT_FOUND', answer.message);
      if (answer.status === 400) throw new PosError('BAD_REQUEST', answer.message);
      throw new PosError('CLOUD_UNREACHABLE', `The cloud refused: ${answer.code} ${answer.message}`);
    }
    const parsed = schema.safeParse(answer.body);
    if (!parsed.success) {
      log.warn('the cloud answered a shared count with a shape this register does not read', {});
      throw new PosError('CLOUD_UNREACHABLE', 'The cloud answered with a shape this register does not read');
    }
    return parsed.data;
  }

  /** This register's entries of the count (and the session itself) the cloud has not acknowledged. */
  const unsentOf = (docNo: string): number =>
    prepared<{ docNo: string; prefix: string }, number>(
      db,
      `SELECT count(*) FROM outbox WHERE acked_at IS NULL AND kind IN ('count.session', 'count.entry')
          AND (ref = :docNo OR substr(ref, 1, length(:prefix)) = :prefix)`,
    )
      .pluck()
      .get({ docNo, prefix: `${docNo}:` })!;

  /** Wakes the sync worker and waits (bounded) until this register's entries of the count are in the cloud. */
  async function sendOwnEntries(docNo: string): Promise<void> {
    const deadline = clock.now() + waitMs;
    let unsent = unsentOf(docNo);
    while (unsent > 0) {
      if (clock.now() >= deadline)
        throw new PosError('COUNT_ENTRIES_UNSENT', `${unsent} scans of ${docNo} have not reached the cloud yet`, undefined, {
          count: unsent,
        });
      deps.wakeSync();
      await new Promise((resolve) => setTimeout(resolve, 150));
      unsent = unsentOf(docNo);
    }
  }

  /**
   * What the cloud says of the session, kept here: scans it refused are marked, and a session
   * posted (or cancelled) in the cloud is closed here. `lines` (the poster's answer) are kept as the
   * posted document's lines; `postedByMe` audits the post.
   */
  function keep(row: SharedRow, session: CountSessionView, lines: CountUnionLine[] | null, postedByMe: StaffSummary | null): void {
    const now = clock.now();
    db.transaction(() => {
      if (!recordCloudSession(db, row.id, session, now, postedByMe?.id ?? null).closed) return;
      if (lines) {
        const ids = new Map(
          prepared<{ skus: string }, { id: number; sku: string }>(
            db,
            'SELECT id, sku FROM product WHERE sku IN (SELECT value FROM json_each(:skus))',
          )
            .all({ skus: JSON.stringify(lines.map((l) => l.sku)) })
            .map((p) => [p.sku, p.id]),
        );
        const insert = prepared(
          db,
          `INSERT INTO stock_document_line (document_id, line, product_id, sku, quantity_milli, expected_milli, movement_milli, counted_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        );
        let line = 0;
        for (const l of lines) {
          const productId = ids.get(l.sku);
          if (productId === undefined) continue; // not in this register's catalogue yet
          insert.run(row.id, ++line, productId, l.sku, l.countedMilli, l.expectedMilli, l.varianceMilli, l.countedAt);
        }
      }
      if (postedByMe)
        audit.append({
          kind: 'stock.posted',
          staffId: postedByMe.id,
          subject: row.doc_no,
          detail: {
            documentKind: 'count',
            shared: true,
            lines: lines?.length ?? 0,
            movedMilli: (lines ?? []).reduce((s, l) => s + l.varianceMilli, 0),
          },
        });
    }).immediate();
  }

  /** The cloud's merged lines as the variance report the screen shows (value at this register's price). */
  function report(documentId: number, variance: CountSessionVariance): VarianceReport {
    const products = new Map(
      prepared<{ skus: string }, { id: number; sku: string; name_zh: string; name_en: string; price: number }>(
        db,
        'SELECT id, sku, name_zh, name_en, price FROM product WHERE sku IN (SELECT value FROM json_each(:skus))',
      )
        .all({ skus: JSON.stringify(variance.lines.map((l) => l.sku)) })
        .map((p) => [p.sku, p]),
    );
    const result: VarianceReport = {
      documentId,
      lineCount: variance.lines.length,
      varianceLines: 0,
      shortMilli: 0,
      overMilli: 0,
      shortValue: 0,
      overValue: 0,
      lines: [],
      participants: variance.session.participants,
    };
    const lines: VarianceLine[] = [];
    for (const l of variance.lines) {
      if (l.varianceMilli === 0) continue;
      const p = products.get(l.sku);
      const value = Math.round(((p?.price ?? 0) * l.varianceMilli) / 1000);
      result.varianceLines += 1;
      if (l.varianceMilli < 0) {
        result.shortMilli += l.varianceMilli;
        result.shortValue += value;
      } else {
        result.overMilli += l.varianceMilli;
        result.overValue += value;
      }
      lines.push({
        productId: p?.id ?? 0,
        sku: l.sku,
        nameZh: p?.name_zh ?? l.sku,
        nameEn: p?.name_en ?? l.sku,
        expectedMilli: l.expectedMilli,
        countedMilli: l.countedMilli,
        varianceMilli: l.varianceMilli,
        varianceValue: value,
      });
    }
    result.lines = lines.sort((a, b) => Math.abs(b.varianceValue) - Math.abs(a.varianceValue) || a.sku.localeCompare(b.sku)).slice(0, 300);
    return result;
  }

  return {
    /** The store's open shared counts this register has not opened or joined yet. */
    async list(): Promise<CountSessionView[]> {
      const client = cloud();
      const { sessions } = answered(await client.request('GET', '/v1/count-sessions'), CountSessionList);
      const here = new Set(
        prepared<{ ids: string }, string>(db, 'SELECT doc_id FROM stock_document WHERE doc_id IN (SELECT value FROM json_each(:ids))')
          .pluck()
          .all({ ids: JSON.stringify(sessions.map((s) => s.sessionId)) }),
      );
      return sessions.filter((s) => !here.has(s.sessionId));
    },

    /** Joins a session: the cloud takes this register as a participant, and the count opens here to scan into. */
    async join(actor: StaffSummary, sessionId: string): Promise<StockDocumentView> {
      if (!actor.permissions.includes('stock.count'))
        throw new PosError('FORBIDDEN', `${actor.roleNameEn} (${actor.role}) may not do this: it needs stock.count`);
      const client = cloud();
      const session = answered(await client.request('POST', `/v1/count-sessions/${sessionId}/join`, '{}'), CountSessionView);
      // decided after the answer, in one transaction: joined once, whatever two windows do
      const id = db
        .transaction(() => {
          const existing = prepared<{ id: string }, number>(db, 'SELECT id FROM stock_document WHERE doc_id = :id')
            .pluck()
            .get({ id: sessionId });
          if (existing !== undefined) return existing;
          return Number(
            prepared(
              db,
              `INSERT INTO stock_document (doc_id, doc_no, kind, blind, scope, opened_by, opened_at, shared_role, shared_opened_by)
               VALUES (:docId, :docNo, 'count', :blind, :scope, :staffId, :openedAt, 'joined', :openedBy)`,
            ).run({
              docId: session.sessionId,
              docNo: session.docNo,
              blind: session.blind ? 1 : 0,
              scope: JSON.stringify(session.scope),
              staffId: actor.id,
              openedAt: clock.now(),
              openedBy: session.openedByRegister,
            }).lastInsertRowid,
          );
        })
        .immediate();
      audit.append({ kind: 'stock.count-joined', staffId: actor.id, subject: session.docNo, detail: { sessionId } });
      return stock.view(actor, id);
    },

    /** Asks the cloud how the session stands and keeps it here (refused scans, posted elsewhere). */
    async refresh(actor: StaffSummary, documentId: number): Promise<StockDocumentView> {
      const row = sharedRow(documentId);
      const session = answered(await cloud().request('GET', `/v1/count-sessions/${row.doc_id}`), CountSessionView);
      keep(row, session, null, null);
      return stock.view(actor, documentId);
    },

    /** The merged count's variance from the cloud, after this register's own entries are in. */
    async variance(actor: StaffSummary, documentId: number): Promise<VarianceReport> {
      const row = sharedRow(documentId);
      await sendOwnEntries(row.doc_no);
      const variance = answered(await cloud().request('GET', `/v1/count-sessions/${row.doc_id}/variance`), CountSessionVariance);
      keep(row, variance.session, variance.session.status === 'posted' ? variance.lines : null, null);
      void actor;
      return report(documentId, variance);
    },

    /**
     * Cancels a shared count. `whole`: for every register, in the cloud (online only): the register
     * that opened it may (with stock.count), any other participant only as a manager
     * (stock.count-post); closed here at once, elsewhere at each register's next pull, with who and
     * why. Otherwise this register only leaves it (offline too): its copy closes here and the cloud
     * hears it through the outbox, after its scans; they stay in the count unless `withdraw`.
     */
    async cancel(actor: StaffSummary, documentId: number, whole: boolean, reason: string, withdraw = false): Promise<StockDocumentView> {
      const row = sharedRow(documentId);
      if (row.status !== 'open') throw new PosError('STOCK_DOCUMENT_CLOSED', `${row.doc_no} is already ${row.status}`);
      if (!whole) {
        stock.leaveShared(actor, documentId, withdraw);
        deps.wakeSync(); // the others see it at their next look at the session
        return stock.view(actor, documentId);
      }
      const manager = actor.permissions.includes('stock.count-post');
      if (row.shared_role !== 'opener' && !manager)
        throw new PosError(
          'FORBIDDEN',
          `${actor.roleNameEn} (${actor.role}) may not do this: only the register that opened it, or stock.count-post, cancels it for every register`,
        );
      const answer = await cloud().request(
        'POST',
        `/v1/count-sessions/${row.doc_id}/cancel`,
        JSON.stringify({ staffName: actor.nameEn || actor.nameZh, reason: reason.trim(), manager }),
      );
      if (answer.kind === 'error' && answer.code === 'COUNT_ALREADY_POSTED') {
        // closed first by someone else: closed here too, with who, before the refusal is shown
        try {
          const session = answered(await cloud().request('GET', `/v1/count-sessions/${row.doc_id}`), CountSessionView);
          keep(row, session, null, null);
        } catch (error) {
          log.warn('a shared count closed elsewhere could not be read back', { docNo: row.doc_no, error: (error as Error).message });
        }
      }
      if (answer.kind === 'error' && answer.code === 'FORBIDDEN') throw new PosError('FORBIDDEN', answer.message);
      const session = answered(answer, CountSessionView);
      db.transaction(() => {
        recordCloudSession(db, row.id, session, clock.now(), actor.id);
        audit.append({
          kind: 'stock.cancelled',
          staffId: actor.id,
          subject: row.doc_no,
          detail: { documentKind: 'count', shared: true, sessionId: row.doc_id, reason: session.cancelReason },
        });
      }).immediate();
      return stock.view(actor, documentId);
    },

    /**
     * Posts the shared count in the cloud, once: after this register's own entries are in. Another
     * register posted first: COUNT_ALREADY_POSTED (who, when), and the count is closed here too.
     */
    async post(actor: StaffSummary, documentId: number, acceptUnsent: boolean): Promise<StockDocumentSummary> {
      if (!actor.permissions.includes('stock.count-post'))
        throw new PosError('FORBIDDEN', `${actor.roleNameEn} (${actor.role}) may not do this: it needs stock.count-post`);
      const row = sharedRow(documentId);
      if (row.status !== 'open') throw new PosError('STOCK_DOCUMENT_CLOSED', `${row.doc_no} is already ${row.status}`);
      await sendOwnEntries(row.doc_no);
      const answer = await cloud().request(
        'POST',
        `/v1/count-sessions/${row.doc_id}/post`,
        JSON.stringify({ staffName: actor.nameEn || actor.nameZh, acceptUnsent }),
      );
      if (answer.kind === 'error' && answer.code === 'COUNT_ALREADY_POSTED') {
        // closed here too, with who posted it, before the refusal is shown
        try {
          const session = answered(await cloud().request('GET', `/v1/count-sessions/${row.doc_id}`), CountSessionView);
          keep(row, session, null, null);
        } catch (error) {
          log.warn('a shared count posted elsewhere could not be read back', { docNo: row.doc_no, error: (error as Error).message });
        }
      }
      // refused for good (another document has its id, or the cloud no longer has it): kept on the
      // count for the status bar, before the refusal is shown (count-refusals.ts)
      if (answer.kind === 'error' && (answer.code === 'COUNT_ID_TAKEN' || answer.status === 404)) {
        const code = answer.code === 'COUNT_ID_TAKEN' ? 'COUNT_ID_TAKEN' : 'COUNT_NOT_IN_CLOUD';
        if (recordCountRefusal(db, row.id, code, `${answer.code}: ${answer.message}`, clock.now())) deps.onRefused?.();
        if (code === 'COUNT_NOT_IN_CLOUD') throw new PosError('COUNT_NOT_IN_CLOUD', answer.message);
      }
      const posted = answered(answer, CountSessionVariance);
      keep(row, posted.session, posted.lines, actor);
      deps.wakeSync(); // the count's on-hand comes back with the pull
      return stock.view(actor, documentId);
    },
  };
}
