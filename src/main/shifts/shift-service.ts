/**
 * Shifts: one drawer session each. Open with a float counted by denomination; pay-ins, pay-outs
 * and safe drops with reasons; a blind count (entered before the expected amount is shown); close
 * with the over/short, its reason, and a manager's approval beyond the tolerance. Each write, its
 * audit row and its sync outbox row commit in one transaction; the drawer opens after COMMIT.
 *
 * Selling does not need an open shift: a sale made with none belongs to the business day and shows
 * on the Z as cash outside any shift (the till keeps working if nobody opened one).
 */
import { PosError } from '../../shared/errors';
import { formatHKD } from '../../shared/money';
import type { Approval } from '../../shared/checkout-schemas';
import type { StaffSummary } from '../../shared/schemas';
import {
  countTotal,
  type CashMovementKind,
  type CountResult,
  type DenominationCount,
  type OpenShift,
  type ShiftCash,
  type ShiftState,
} from '../../shared/shift-schemas';
import type { CashMovementEvent, ShiftOpenedEvent } from '../../shared/register-event-schemas';
import type { Db } from '../db/open';
import type { Clock } from '../clock';
import type { AuditLog } from '../audit/audit-log';
import type { StaffService } from '../staff/staff-service';
import type { CounterDevices } from '../devices/counter-devices';
import { prepared } from '../db/prepared';
import { readIdentity } from '../settings/identity';
import { approverFor } from '../checkout/approval';
import { ensureOpenBusinessDay, lastSaleId, movementsOfShift, openShiftRow, shiftHead, type ShiftRow } from './shift-repo';
import { shiftCash } from './day-totals';
import { shiftSettings } from './shift-settings';
import { appendOutbox } from '../sync/outbox';

export interface ShiftServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditLog;
  staff: StaffService;
  /** The counter's drawer; absent until a printer is set up (then nothing is kicked). */
  devices?: CounterDevices;
}

const auditKindOf = { 'pay-in': 'cash.pay-in', 'pay-out': 'cash.pay-out', 'safe-drop': 'cash.safe-drop' } as const;

export function createShiftService(deps: ShiftServiceDeps) {
  const { db, clock, audit } = deps;

  function identity() {
    const id = readIdentity(db);
    if (!id) throw new PosError('INTERNAL', 'This register has no identity');
    return id;
  }

  const shiftRef = (shiftId: number) => `${identity().store.code}-${identity().register.code}-S${shiftId}`;

  function requireOpenShift(): ShiftRow {
    const shift = openShiftRow(db, identity().register.code);
    if (!shift) throw new PosError('CONFLICT', 'No shift is open: open one with a float first');
    return shift;
  }

  function currentCash(shift: ShiftRow): ShiftCash {
    return shiftCash(db, shift, { saleId: lastSaleId(db), at: clock.now() });
  }

  function openShiftView(shift: ShiftRow): OpenShift {
    return {
      ...shiftHead(db, shift),
      float: shift.float_total,
      movements: movementsOfShift(db, shift.id).map((m) => ({
        id: m.id,
        kind: m.kind,
        amount: m.amount,
        reason: m.reason,
        staffId: m.staff_id,
        at: m.created_at,
      })),
      counted: shift.counted_total,
    };
  }

  function countResult(shift: ShiftRow, counted: number): CountResult {
    const { toleranceCents } = shiftSettings(db);
    const expected = currentCash(shift).expected;
    const overShort = counted - expected;
    return {
      shiftId: shift.id,
      counted,
      expected,
      overShort,
      toleranceCents,
      needsReason: overShort !== 0,
      needsApproval: Math.abs(overShort) > toleranceCents,
    };
  }

  return {
    state(): ShiftState {
      const settings = shiftSettings(db);
      const shift = openShiftRow(db, identity().register.code);
      return {
        shift: shift ? openShiftView(shift) : null,
        blindCount: settings.blindCount,
        toleranceCents: settings.toleranceCents,
        expected: shift && !settings.blindCount ? currentCash(shift).expected : null,
      };
    },

    open(actor: StaffSummary, float: DenominationCount): OpenShift {
      const opened = db
        .transaction(() => {
          const registerCode = identity().register.code;
          if (openShiftRow(db, registerCode))
            throw new PosError('CONFLICT', 'A shift is already open on this register: close it first (交更)');
          const now = clock.now();
          const day = ensureOpenBusinessDay(db, registerCode, now);
          const total = countTotal(float);
          const id = Number(
            prepared(
              db,
              `INSERT INTO shift (business_day_id, register_code, staff_id, opened_at, sale_id_after, float_total, float_count)
               VALUES (:dayId, :registerCode, :staffId, :now, :after, :total, :count)`,
            ).run({ dayId: day.id, registerCode, staffId: actor.id, now, after: lastSaleId(db), total, count: JSON.stringify(float) })
              .lastInsertRowid,
          );
          const ref = shiftRef(id);
          audit.append({ kind: 'shift.opened', staffId: actor.id, subject: ref, detail: { float: total, count: float } });
          appendOutbox(db, {
            kind: 'shift.opened',
            ref,
            payload: { shiftId: id, registerCode, staffId: actor.id, openedAt: now, float: total, count: float } satisfies ShiftOpenedEvent,
            now,
          });
          return openShiftView(openShiftRow(db, registerCode) as ShiftRow);
        })
        .immediate();
      deps.devices?.openDrawer('float');
      return opened;
    },

    moveCash(actor: StaffSummary, kind: CashMovementKind, amount: number, reason: string): OpenShift {
      if (amount <= 0) throw new PosError('BAD_REQUEST', 'The amount must be more than HK$0.00');
      const view = db
        .transaction(() => {
          const shift = requireOpenShift();
          if (shift.counted_at !== null) throw new PosError('CONFLICT', 'The drawer has been counted for closing: close the shift first');
          if (kind !== 'pay-in') {
            const inDrawer = currentCash(shift).expected;
            if (amount > inDrawer) throw new PosError('BAD_REQUEST', `Only ${formatHKD(inDrawer, 'en')} should be in the drawer`);
          }
          const now = clock.now();
          const id = Number(
            prepared(
              db,
              'INSERT INTO cash_movement (shift_id, kind, amount, reason, staff_id, created_at) VALUES (:shiftId, :kind, :amount, :reason, :staffId, :now)',
            ).run({
              shiftId: shift.id,
              kind,
              amount,
              reason,
              staffId: actor.id,
              now,
            }).lastInsertRowid,
          );
          const ref = shiftRef(shift.id);
          audit.append({ kind: auditKindOf[kind], staffId: actor.id, subject: ref, detail: { amount, reason, movementId: id } });
          appendOutbox(db, {
            kind: 'cash.movement',
            ref: `${ref}-M${id}`,
            payload: { shiftId: shift.id, movementId: id, kind, amount, reason, staffId: actor.id, at: now } satisfies CashMovementEvent,
            now,
          });
          return openShiftView(shift);
        })
        .immediate();
      deps.devices?.openDrawer(kind);
      return view;
    },

    /** The blind count: recorded once, then the expected amount and the over/short are shown. */
    count(actor: StaffSummary, counted: DenominationCount): CountResult {
      return db
        .transaction(() => {
          const shift = requireOpenShift();
          if (shift.counted_at !== null) throw new PosError('CONFLICT', 'The drawer has already been counted for this shift');
          const total = countTotal(counted);
          prepared(
            db,
            'UPDATE shift SET counted_at = :now, counted_by = :staffId, counted_total = :total, counted = :count WHERE id = :id',
          ).run({
            now: clock.now(),
            staffId: actor.id,
            total,
            count: JSON.stringify(counted),
            id: shift.id,
          });
          return countResult(shift, total);
        })
        .immediate();
    },

    /** The count so far (after the blind count), for a screen that reloads. */
    counted(): CountResult | null {
      const shift = requireOpenShift();
      return shift.counted_total === null ? null : countResult(shift, shift.counted_total);
    },

    async close(actor: StaffSummary, reason: string | undefined, approval: Approval | undefined): Promise<ShiftCash> {
      const before = requireOpenShift();
      if (before.counted_total === null) throw new PosError('CONFLICT', 'Count the drawer first (blind count)');
      const preview = countResult(before, before.counted_total);
      if (preview.needsReason && reason === undefined)
        throw new PosError('BAD_REQUEST', `The drawer is ${preview.overShort > 0 ? 'over' : 'short'}: give a reason`);
      const approverId = await approverFor(
        deps.staff,
        actor,
        approval,
        preview.needsApproval ? { permission: 'day.close' } : null,
        `Over/short of ${formatHKD(preview.overShort, 'en')} is beyond the tolerance`,
      );
      return db
        .transaction(() => {
          const shift = requireOpenShift();
          if (shift.id !== before.id || shift.counted_total === null)
            throw new PosError('CONFLICT', 'The shift changed meanwhile; try again');
          const result = countResult(shift, shift.counted_total);
          // a sale or cash movement during the approval's await can move the over/short past what
          // was asked for: the drawer never closes on a difference nobody explained
          if (result.needsReason && reason === undefined)
            throw new PosError(
              'CONFLICT',
              `The drawer's expected cash changed while the shift was closing: it is now ${result.overShort > 0 ? 'over' : 'short'} by ${formatHKD(Math.abs(result.overShort), 'en')}; give a reason`,
            );
          if (result.needsApproval && approverId === null)
            throw new PosError('APPROVAL_REQUIRED', 'A manager must approve this over/short');
          const now = clock.now();
          const last = lastSaleId(db);
          prepared(
            db,
            `UPDATE shift SET closed_at = :now, closed_by = :staffId, sale_id_last = :last, expected_cash = :expected, over_short = :overShort,
               over_short_reason = :reason, approved_by = :approverId WHERE id = :id`,
          ).run({
            now,
            staffId: actor.id,
            last,
            expected: result.expected,
            overShort: result.overShort,
            reason: result.needsReason ? (reason ?? null) : null,
            approverId,
            id: shift.id,
          });
          const closed = prepared<{ id: number }, ShiftRow>(db, 'SELECT * FROM shift WHERE id = :id').get({ id: shift.id }) as ShiftRow;
          const cash = shiftCash(db, closed, { saleId: last, at: now });
          const ref = shiftRef(shift.id);
          audit.append({
            kind: 'shift.closed',
            staffId: actor.id,
            approverId,
            subject: ref,
            detail: { expected: cash.expected, counted: cash.counted, overShort: cash.overShort, reason: cash.overShortReason },
          });
          appendOutbox(db, {
            kind: 'shift.closed',
            ref,
            payload: { ...cash, registerCode: shift.register_code, approvedBy: approverId },
            now,
          });
          return cash;
        })
        .immediate();
    },
  };
}

export type ShiftService = ReturnType<typeof createShiftService>;
