/**
 * PIN attempts and lockout, decided before the PIN is checked. Checking a PIN awaits scrypt, so
 * requests sent at once overlap; each attempt is therefore counted as a failure, synchronously,
 * before its check (and the lock set when that count reaches the limit), and the count is cleared
 * only after a right PIN. However requests interleave, at most LOCK_AFTER_FAILED_PINS wrong PINs
 * are checked per lockout period, and an attempt that arrives while the limit's attempts are in
 * flight is refused, even with the right PIN.
 *
 * Two ledgers share these rules: a staff member's own account (login, clock in/out; in the staff
 * table, so a restart does not reset it) and the manager-approval pad of a requester (in memory:
 * wrong approval PINs lock the pad for the cashier who asked, never the manager's account).
 */
import { PosError } from '../../shared/errors';
import type { Db } from '../db/open';
import { findStaff, recordGoodPin, setPinCounters } from './staff-repo';

export const LOCK_AFTER_FAILED_PINS = 5;
export const LOCK_MINUTES = 5;
const LOCK_MS = LOCK_MINUTES * 60_000;

export interface AttemptLedger {
  /** Counts one attempt for `key` and answers its number in the current count; throws LOCKED_OUT. */
  begin(key: number, now: number): number;
  /** A right PIN: the count starts again. */
  succeeded(key: number): void;
  /** Until when the key is locked, or null (right after a failure: was it the one that locked?). */
  lockedUntil(key: number, now: number): number | null;
}

export function lockedOut(until: number, now: number): PosError {
  const minutes = Math.max(1, Math.ceil((until - now) / 60_000));
  return new PosError('LOCKED_OUT', `Too many wrong PINs. Try again in ${minutes} min or ask a manager.`);
}

const stillLocked = (until: number | null, now: number): number | null => (until !== null && now < until ? until : null);

/** One count's next step: an expired lock starts the count again; the limit's attempt sets the lock. */
function nextCount(state: { failed: number; lockedUntil: number | null }, now: number): { failed: number; lockedUntil: number | null } {
  const until = stillLocked(state.lockedUntil, now);
  if (until !== null) throw lockedOut(until, now);
  const failed = (state.lockedUntil !== null ? 0 : state.failed) + 1;
  return { failed, lockedUntil: failed >= LOCK_AFTER_FAILED_PINS ? now + LOCK_MS : null };
}

/** The staff member's own account: the counters live on the staff row, changed in one transaction each. */
export function staffAccountLedger(db: Db): AttemptLedger {
  const begin = db.transaction((staffId: number, now: number): number => {
    const row = findStaff(db, staffId);
    if (!row) throw new PosError('NOT_FOUND', 'No such staff member');
    const next = nextCount({ failed: row.failed_pins, lockedUntil: row.locked_until }, now);
    setPinCounters(db, staffId, next);
    return next.failed;
  });
  return {
    begin: (staffId, now) => begin.immediate(staffId, now),
    succeeded: (staffId) => recordGoodPin(db, staffId),
    lockedUntil: (staffId, now) => stillLocked(findStaff(db, staffId)?.locked_until ?? null, now),
  };
}

/** Counts kept in this process (the approval pad of each requester). */
export function memoryLedger(): AttemptLedger {
  const counts = new Map<number, { failed: number; lockedUntil: number | null }>();
  return {
    begin(key, now) {
      const next = nextCount(counts.get(key) ?? { failed: 0, lockedUntil: null }, now);
      counts.set(key, next);
      return next.failed;
    },
    succeeded(key) {
      counts.delete(key);
    },
    lockedUntil: (key, now) => stillLocked(counts.get(key)?.lockedUntil ?? null, now),
  };
}
