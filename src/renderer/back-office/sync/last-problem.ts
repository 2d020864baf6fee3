import type { TFunction } from 'i18next';
import type { SyncProblem, SyncStatus } from '../../../shared/sync-schemas';

/** Whose words the problem's raw text is: the connection's, what answered at the address, the cloud's, or the register's own. */
function detailLabel(
  problem: SyncProblem | null,
): 'cloudSync.connectionSaid' | 'cloudSync.addressSaid' | 'cloudSync.cloudSaid' | 'backOffice.forIt' {
  if (problem === 'unreachable' || problem === 'certificate') return 'cloudSync.connectionSaid';
  if (problem === 'not-suanpan') return 'cloudSync.addressSaid';
  if (problem === null || problem === 'failed' || problem === 'unreadable') return 'backOffice.forIt';
  return 'cloudSync.cloudSaid';
}

/**
 * 雲端同步's 最近問題: what went wrong in the reader's language, from the code the sync worker
 * recorded (a version before recorded words only: then it says only that sync had a problem), and
 * the label of the raw words, shown only on their line for IT. Null when the last request succeeded.
 */
export function lastProblem(
  t: TFunction,
  status: Pick<SyncStatus, 'lastProblem' | 'lastError'>,
): { words: string; detailLabel: string } | null {
  if (status.lastProblem === null && status.lastError === null) return null;
  return { words: t(`cloudSync.problem.${status.lastProblem ?? 'other'}`), detailLabel: t(detailLabel(status.lastProblem)) };
}
