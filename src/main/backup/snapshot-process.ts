/**
 * The database side of a backup, in a child process with its own connections, so a sale never
 * waits for it: `VACUUM INTO` a temp file (a consistent copy of one read snapshot; in WAL mode the
 * till keeps writing meanwhile), `PRAGMA integrity_check` on the copy, and the facts a person picks
 * a backup by (date, last receipt, unsynced count): dist/backup/snapshot-child.js.
 *
 * A process, not a worker thread (it was one until 4 Dec): see src/main/process/node-child.ts.
 */
import { join } from 'node:path';
import { appPaths } from '../app-paths';
import { childAnswer, runChild } from '../process/node-child';

export interface SnapshotFacts {
  schemaVersion: number;
  storeCode: string | null;
  registerCode: string | null;
  lastReceiptNo: string | null;
  receiptSeq: number;
  outboxSeq: number;
  outboxAckedSeq: number;
  unsynced: number;
  enrolled: boolean;
}

export type SnapshotResult = { ok: true; facts: SnapshotFacts } | { ok: false; problems: string[] };

export const snapshotChildFile = (): string => join(appPaths().root, 'dist', 'backup', 'snapshot-child.js');

/**
 * Copies `source` into `copy` (when `source` is given) and checks the copy (unless `check` is
 * false). Bounded: a child that has not answered in `timeoutMs` is killed and reported.
 */
export async function snapshotInChild(options: {
  source?: string;
  copy: string;
  check?: boolean;
  timeoutMs?: number;
}): Promise<SnapshotResult> {
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  const input = JSON.stringify({ source: options.source, copy: options.copy, check: options.check ?? true });
  const run = await runChild(snapshotChildFile(), [], { input, timeoutMs });
  const answer = childAnswer<SnapshotResult>(run, 'the backup', timeoutMs);
  return answer.ok ? answer.value : { ok: false, problems: [answer.reason] };
}
