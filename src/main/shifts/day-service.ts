/**
 * The business day and its Z report. An X report shows the open day so far and changes nothing.
 * A Z closes the register's business day: it refuses while a shift is open, takes the next Z
 * number of this register (gapless, in the same transaction), stores the computed totals as JSON
 * and never recomputes them: a reprint prints the stored Z as a copy. Documents completed after
 * the Z belong to the next business day, which opens by itself when first needed.
 */
import { readStoreTimeZone } from '../settings/store-time-zone';
import { PosError } from '../../shared/errors';
import type { StaffSummary } from '../../shared/schemas';
import type { DayStatus, DayTotals, ZReport, ZSummary } from '../../shared/shift-schemas';
import type { Db } from '../db/open';
import type { Clock } from '../clock';
import type { AuditLog } from '../audit/audit-log';
import type { CounterDevices } from '../devices/counter-devices';
import { prepared } from '../db/prepared';
import { readIdentity } from '../settings/identity';
import { foldNewDocuments } from '../reports/rollup';
import { computeDayTotals } from './day-totals';
import {
  closedDays,
  dayOpenedAt,
  ensureOpenBusinessDay,
  findDayByZ,
  lastClosedDay,
  lastSaleId,
  openBusinessDay,
  openShiftRow,
  shiftsOfDay,
  staffNames,
  type BusinessDayRow,
} from './shift-repo';
import { appendOutbox } from '../sync/outbox';
import { queueFigures } from '../sync/sync-store';
import { dayReportDocument } from './report-document';

export interface DayServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditLog;
  /** The receipt printer; absent until one is set up (printing then answers CONFLICT). */
  devices?: CounterDevices;
}

export function createDayService(deps: DayServiceDeps) {
  const { db, clock, audit } = deps;

  function identity() {
    const id = readIdentity(db);
    if (!id) throw new PosError('INTERNAL', 'This register has no identity');
    return id;
  }

  function zReportOf(day: BusinessDayRow, copy: boolean): ZReport {
    const names = staffNames(db, day.closed_by ?? 0);
    return {
      totals: JSON.parse(day.totals ?? 'null') as DayTotals,
      closedByNameZh: names.nameZh,
      closedByNameEn: names.nameEn,
      reprintCount: day.reprint_count,
      copy,
    };
  }

  function print(totals: DayTotals, copy: boolean, ref: string): number {
    if (!deps.devices) throw new PosError('CONFLICT', 'No receipt printer is set up on this register');
    const doc = dayReportDocument(totals, {
      storeName: identity().store.nameZh,
      copy,
      printedAt: clock.now(),
      timeZone: readStoreTimeZone(db),
    });
    return deps.devices.enqueuePrint(doc, { kind: 'report', ref });
  }

  /** The open day's figures so far; a day with nothing in it yet is shown without being created. */
  function xTotals(): DayTotals {
    const id = identity();
    const now = clock.now();
    const open = openBusinessDay(db, id.register.code);
    const last = lastClosedDay(db, id.register.code);
    const day: BusinessDayRow = open ?? {
      id: 0,
      register_code: id.register.code,
      opened_at: dayOpenedAt(db, last?.sale_id_last ?? 0, now),
      since_at: last?.closed_at ?? 0,
      sale_id_after: last?.sale_id_last ?? 0,
      sale_id_last: null,
      closed_at: null,
      closed_by: null,
      z_no: null,
      totals: null,
      reprint_count: 0,
    };
    return computeDayTotals(db, { storeCode: id.store.code, day, lastSaleId: lastSaleId(db), until: now, zNo: null });
  }

  return {
    x: xTotals,

    printX(): number {
      const totals = xTotals();
      return print(totals, false, `${totals.storeCode}-${totals.registerCode}-X${clock.now()}`);
    },

    status(): DayStatus {
      const id = identity();
      const last = lastClosedDay(db, id.register.code);
      const open = openBusinessDay(db, id.register.code);
      const after = open?.sale_id_after ?? last?.sale_id_last ?? 0;
      return {
        openShifts: openShiftRow(db, id.register.code) ? 1 : 0,
        unsyncedSales: queueFigures(db).pendingSales,
        nextZNo: (last?.z_no ?? 0) + 1,
        documentsToday: lastSaleId(db) - after,
      };
    },

    close(actor: StaffSummary): ZReport {
      return db
        .transaction(() => {
          const id = identity();
          const registerCode = id.register.code;
          if (openShiftRow(db, registerCode)) throw new PosError('CONFLICT', 'A shift is still open: close it (交更) before the Z report');
          const last = lastClosedDay(db, registerCode);
          const latestSale = lastSaleId(db);
          const now = clock.now();
          const day = ensureOpenBusinessDay(db, registerCode, now);
          if (latestSale === day.sale_id_after && shiftsOfDay(db, day.id).length === 0) {
            // the throw rolls back the day ensureOpenBusinessDay may just have created
            throw new PosError(
              'CONFLICT',
              last
                ? `Nothing has happened since Z report #${last.z_no}: this business day is already closed`
                : 'Nothing to close: no sales and no shifts yet',
            );
          }
          foldNewDocuments(db);
          const zNo = (last?.z_no ?? 0) + 1;
          const totals = computeDayTotals(db, { storeCode: id.store.code, day, lastSaleId: latestSale, until: now, zNo });
          prepared(
            db,
            'UPDATE business_day SET closed_at = :now, closed_by = :staffId, z_no = :zNo, sale_id_last = :last, totals = :totals WHERE id = :id',
          ).run({
            now,
            staffId: actor.id,
            zNo,
            last: latestSale,
            totals: JSON.stringify(totals),
            id: day.id,
          });
          const ref = `${id.store.code}-${registerCode}-Z${zNo}`;
          audit.append({
            kind: 'day.closed',
            staffId: actor.id,
            subject: ref,
            detail: { zNo, net: totals.net, documents: totals.counts.documents, overShort: totals.overShort },
          });
          appendOutbox(db, { kind: 'day.closed', ref, payload: totals, now });
          // the print job is queued in the same transaction: a Z is never taken without its paper
          if (deps.devices) print(totals, false, ref);
          return zReportOf(findDayByZ(db, registerCode, zNo) as BusinessDayRow, false);
        })
        .immediate();
    },

    list(): ZSummary[] {
      return closedDays(db, identity().register.code, 400).map((day) => {
        const t = JSON.parse(day.totals ?? '{}') as DayTotals;
        return {
          zNo: day.z_no ?? 0,
          closedAt: day.closed_at ?? 0,
          net: t.net,
          documents: t.counts.documents,
          overShort: t.overShort,
          reprintCount: day.reprint_count,
        };
      });
    },

    get(zNo: number): ZReport {
      const day = findDayByZ(db, identity().register.code, zNo);
      if (!day) throw new PosError('NOT_FOUND', `No Z report #${zNo} on this register`);
      return zReportOf(day, false);
    },

    /** Prints a stored Z again, marked 副本 COPY; never recomputed. */
    reprint(zNo: number): ZReport {
      const registerCode = identity().register.code;
      const day = findDayByZ(db, registerCode, zNo);
      if (!day) throw new PosError('NOT_FOUND', `No Z report #${zNo} on this register`);
      const report = zReportOf(day, true);
      db.transaction(() => {
        print(report.totals, true, `${report.totals.storeCode}-${registerCode}-Z${zNo}-copy`);
        prepared(db, 'UPDATE business_day SET reprint_count = reprint_count + 1 WHERE id = :id').run({ id: day.id });
      }).immediate();
      return { ...report, reprintCount: day.reprint_count + 1 };
    },
  };
}

export type DayService = ReturnType<typeof createDayService>;
