/** The messages between the main thread and the sync worker, and what the worker starts with. */
export interface WorkerData {
  dbFile: string;
  token: string;
  /** The app's version, reported to the cloud with every push and pull. */
  appVersion: string;
  options: SyncTuning;
}

/** Timings, tunable for tests and the fault test; the defaults suit a shop. */
export interface SyncTuning {
  requestTimeoutMs?: number;
  intervalMs?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  batchSize?: number;
  pullEveryPushes?: number;
  probeGapMs?: number;
  ordersPollMs?: number;
}

export type ToWorker = { type: 'wake' } | { type: 'now' } | { type: 'stop' };
export type FromWorker =
  | { type: 'push-start' }
  | { type: 'push-end' }
  | { type: 'changed' }
  | { type: 'stopped' }
  /** Something the worker could not do and goes on without: the main thread writes it to the log. */
  | { type: 'warning'; message: string; fields: Record<string, string | number> };
