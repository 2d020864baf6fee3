/**
 * Who is at the till. One register has one logged-in staff member at a time; every channel's
 * permission is checked against them in main.
 */
import type { Db } from '../db/open';
import type { Clock } from '../clock';
import type { StaffSummary } from '../../shared/schemas';
import { PosError } from '../../shared/errors';
import { verifyPin } from './pin-hash';
import { findStaff, listActiveStaff, recordFailedPin, recordGoodPin, toStaffSummary } from './staff-repo';

export const LOCK_AFTER_FAILED_PINS = 5;
export const LOCK_MINUTES = 5;

export interface StaffService {
  listForLogin(): StaffSummary[];
  login(staffId: number, pin: string): Promise<StaffSummary>;
  /** A manager's PIN entered in place for someone else's action; wrong PINs count toward lockout. */
  verifyManager(staffId: number, pin: string): Promise<StaffSummary>;
  logout(): void;
  current(): StaffSummary | null;
}

export function createStaffService(deps: { db: Db; pepper: Buffer; clock: Clock; onChange: () => void }): StaffService {
  const { db, pepper, clock, onChange } = deps;
  let current: StaffSummary | null = null;

  return {
    listForLogin: () => listActiveStaff(db).map(toStaffSummary),

    async login(staffId, pin) {
      current = await checkPin(staffId, pin);
      onChange();
      return current;
    },

    async verifyManager(staffId, pin) {
      const manager = await checkPin(staffId, pin);
      if (manager.role !== 'manager') throw new PosError('FORBIDDEN', `${manager.nameEn} is not a manager`);
      return manager;
    },

    logout() {
      current = null;
      onChange();
    },

    current: () => current,
  };

  async function checkPin(staffId: number, pin: string): Promise<StaffSummary> {
    const staff = findStaff(db, staffId);
    if (!staff || staff.active !== 1) throw new PosError('NOT_FOUND', 'No such staff member');
    const now = clock.now();
    if (staff.locked_until !== null && now < staff.locked_until) {
      const minutes = Math.ceil((staff.locked_until - now) / 60_000);
      throw new PosError('LOCKED_OUT', `Too many wrong PINs. Try again in ${minutes} min or ask a manager.`);
    }
    if (staff.locked_until !== null) recordGoodPin(db, staff.id); // the lock has expired: start counting again
    if (!(await verifyPin(pin, staff.pin_hash, pepper))) {
      const after = recordFailedPin(db, staff.id, LOCK_AFTER_FAILED_PINS, now + LOCK_MINUTES * 60_000);
      if (after.locked_until !== null && after.failed_pins >= LOCK_AFTER_FAILED_PINS) {
        throw new PosError('LOCKED_OUT', `Too many wrong PINs. Try again in ${LOCK_MINUTES} min or ask a manager.`);
      }
      throw new PosError('PIN_INVALID', 'Wrong PIN');
    }
    recordGoodPin(db, staff.id);
    return toStaffSummary(staff);
  }
}
