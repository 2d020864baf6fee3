/**
 * A register's times are its own clock's: the cloud takes them (a sale made offline keeps the time
 * it was made), but never from beyond the cloud's own now plus FUTURE_DATED_BOUND_MS. A document
 * dated later is a broken clock or a forged date, and counting it would move stock and reports: a
 * stocktake's expected quantity is the ledger up to its count time, so a sale dated years ahead is
 * left out of every count and taken off on-hand a second time by the count's own movement. Such a
 * mutation is quarantined (FUTURE_DATED, in the register's and the console's words); applied again
 * once its time has come, it lands (reapplyQuarantined checks against the time then).
 */
import { MutationRejected } from './quarantine';
import type { Write } from './mutation-kinds';

/**
 * An hour past the cloud's clock: far beyond the skew a register warns about (MAX_CLOCK_SKEW_MS,
 * two minutes, src/shared/sync-schemas.ts), so only a clock that is badly wrong is refused.
 */
export const FUTURE_DATED_BOUND_MS = 60 * 60_000;

/** The times a write is dated by, as [what, ms]. */
function timesOf(write: Write): [string, number][] {
  switch (write.type) {
    case 'document':
      return [['completedAt', write.sale.completedAt]];
    case 'stock-document':
      return [
        ['postedAt', write.doc.postedAt],
        ...write.doc.lines.flatMap((l): [string, number][] => (l.countedAt === null ? [] : [[`line ${l.line} countedAt`, l.countedAt]])),
      ];
    case 'count-session':
      return [['openedAt', write.opened.openedAt]];
    case 'count-entry':
      return [['scannedAt', write.entry.scannedAt]];
    case 'count-leave':
      return [['leftAt', write.leave.leftAt]];
    default:
      return [];
  }
}

/** The write as it was read, or its refusal when it is dated beyond the bound. */
export function refuseFutureDated(read: Write | MutationRejected, now: number): Write | MutationRejected {
  if (read instanceof MutationRejected) return read;
  const late = timesOf(read).find(([, at]) => at > now + FUTURE_DATED_BOUND_MS);
  if (!late) return read;
  const [what, at] = late;
  return new MutationRejected(
    'FUTURE_DATED',
    `${what} ${new Date(at).toISOString()} is more than ${FUTURE_DATED_BOUND_MS / 60_000} minutes after the cloud's clock (${new Date(now).toISOString()}): check the register's clock`,
  );
}
