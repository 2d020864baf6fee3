/**
 * The main thread's side of sync: starts and restarts the worker (worker_threads, dist/sync/
 * sync-worker.js), wakes it when a document commits or the machine resumes, enrols and forgets,
 * and turns what the worker recorded in sync_health into the status the UI shows.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { MAX_CLOCK_SKEW_MS, QUARANTINED_DOCUMENTS_SHOWN, type SyncStatus } from '../../shared/sync-schemas';
import type { RegisterStatus } from '../../shared/schemas';
import type { Db } from '../db/open';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { appPaths } from '../app-paths';
import { heldChanges } from './apply-changes';
import type { EnrolmentLock } from './enrolment';
import { quarantinedDocuments, queueFigures, readEnrolment, readHealth } from './sync-store';
import { refusedCounts } from '../stock/count-refusals';
import { createTokenVault, type SecretCodec } from './token-vault';
import type { FromWorker, SyncTuning, ToWorker, WorkerData } from './worker-protocol';

const RESTART_DELAY_MS = 1_000;

export interface SyncConfig {
  /** The bundled worker; defaults to dist/sync/sync-worker.js in the app folder. */
  workerFile?: string;
  /** Electron's safeStorage; without it the token is a 0600 file. */
  codec?: SecretCodec;
  tuning?: SyncTuning;
}

export interface SyncControllerDeps {
  db: Db;
  dbFile: string;
  dataDir: string;
  clock: Clock;
  log: Logger;
  config?: SyncConfig;
  /** This app's version: the worker tells the cloud with every push and pull. */
  appVersion: string;
  /** The status changed (the register emits register:status). */
  onChange: () => void;
}

export function createSyncController(deps: SyncControllerDeps) {
  const { db, log } = deps;
  const vault = createTokenVault(deps.dataDir, deps.config?.codec);
  /** Held while an enrolment runs (enrolment.ts): the preset file's and the back office's are one at a time. */
  const enrolmentLock: EnrolmentLock = { held: false };
  const workerFile = deps.config?.workerFile ?? join(appPaths().root, 'dist', 'sync', 'sync-worker.js');
  const activityListeners = new Set<(message: FromWorker) => void>();
  let worker: Worker | null = null;
  /** Workers told to stop: their exit is expected, not a crash to recover from. */
  const retired = new WeakSet<Worker>();
  let closing = false;
  let restartTimer: NodeJS.Timeout | null = null;

  function readToken(): string | null {
    try {
      return vault.read();
    } catch (error) {
      log.error('the cloud token cannot be read', { error: (error as Error).message });
      return null;
    }
  }

  function status(): SyncStatus {
    const enrolment = readEnrolment(db);
    const health = readHealth(db);
    const queue = queueFigures(db);
    const held = heldChanges(db);
    const refused = refusedCounts(db);
    let attention: SyncStatus['attention'] = null;
    /** The words behind the attention for IT, as they came (the cloud's answer, the first held change's error): never a sentence of ours. */
    let attentionDetail: string | null = null;
    if (enrolment) {
      if (health.attention) {
        attention = health.attention;
        attentionDetail = health.attentionDetail;
      } else if (!vault.usable()) {
        attention = 'token-invalid'; // the token is missing here: 雲端同步 says enrol again
      } else if (health.clockSkewMs !== null && Math.abs(health.clockSkewMs) > MAX_CLOCK_SKEW_MS) {
        attention = 'clock-skew'; // by how much: clockSkewMs, in the reader's language
      } else if (queue.quarantined > 0) {
        attention = 'quarantine'; // each listed with its reason (quarantinedDocuments)
      } else if (held.count > 0) {
        attention = 'changes-held'; // how many: heldChanges
        attentionDetail = held.firstError;
      } else if (refused.length > 0) {
        attention = 'counts-refused'; // each listed with its reason (refusedCounts)
      }
    }
    return {
      state: enrolment === null ? 'not-enrolled' : attention !== null ? 'attention' : health.reachable ? 'online' : 'offline',
      attention,
      attentionDetail,
      ...queue,
      quarantinedDocuments: queue.quarantined > 0 ? quarantinedDocuments(db, QUARANTINED_DOCUMENTS_SHOWN) : [],
      heldChanges: held.count,
      refusedCounts: refused,
      lastSyncAt: health.lastSyncAt,
      clockSkewMs: health.clockSkewMs,
      duplicatesAbsorbed: health.duplicatesAbsorbed,
      lastProblem: health.lastProblem,
      lastError: health.lastError,
      enrolment: enrolment && {
        cloudUrl: enrolment.cloudUrl,
        registerCode: enrolment.registerCode,
        storeCode: enrolment.storeCode,
        merchantName: enrolment.merchantName,
        enrolledAt: enrolment.enrolledAt,
      },
      tokenStorage: vault.storage,
    };
  }

  function post(message: ToWorker): void {
    worker?.postMessage(message);
  }

  function startWorker(): void {
    if (closing || worker || !readEnrolment(db)) return;
    const token = readToken();
    if (token === null) return;
    const data: WorkerData = { dbFile: deps.dbFile, token, appVersion: deps.appVersion, options: deps.config?.tuning ?? {} };
    const started = new Worker(workerFile, { workerData: data });
    worker = started;
    started.on('message', (message: FromWorker) => {
      if (message.type === 'changed') deps.onChange();
      if (message.type === 'warning') log.warn(message.message, message.fields);
      for (const listener of activityListeners) listener(message);
    });
    started.on('error', (error) => log.error('the sync worker failed', { error: error.message }));
    started.on('exit', (code) => {
      if (worker === started) worker = null;
      if (closing || retired.has(started)) return;
      // Killed or crashed mid-push: the outbox is durable and the cloud exactly-once, so just go again.
      log.warn('the sync worker stopped; restarting it', { code });
      restartTimer = setTimeout(() => {
        restartTimer = null;
        startWorker();
      }, RESTART_DELAY_MS);
      restartTimer.unref();
    });
  }

  async function stopWorker(): Promise<void> {
    const current = worker;
    if (!current) return;
    worker = null;
    retired.add(current);
    const exited = new Promise<void>((resolve) => current.once('exit', () => resolve()));
    current.postMessage({ type: 'stop' } satisfies ToWorker);
    const timer = setTimeout(() => void current.terminate(), 2_000);
    await exited;
    clearTimeout(timer);
  }

  return {
    vault,
    enrolmentLock,
    clock: deps.clock,
    status,
    /** Enrolment, forgetting or an acknowledgement changed what the status bar shows. */
    changed: () => deps.onChange(),
    /** What RegisterStatus carries. */
    summary(): RegisterStatus['sync'] {
      const s = status();
      return { state: s.state, pending: s.pending, attention: s.attention };
    },
    start: startWorker,
    /** A document or event was committed. */
    wake: () => post({ type: 'wake' }),
    /** A person asked, or the machine resumed: go now, even during a backoff. */
    now: () => post({ type: 'now' }),
    /** After enrolment or forgetting: the worker starts again with the new token (or not at all). */
    async restart(): Promise<void> {
      await stopWorker();
      startWorker();
    },
    /** Test and fault-test hook: kill the worker as a crash would; it is restarted. */
    async killWorker(): Promise<void> {
      await worker?.terminate();
    },
    onWorkerActivity(listener: (message: FromWorker) => void): () => void {
      activityListeners.add(listener);
      return () => activityListeners.delete(listener);
    },
    async close(): Promise<void> {
      closing = true;
      if (restartTimer) clearTimeout(restartTimer);
      await stopWorker();
    },
    /** Synchronous close for Register.close(): the thread is terminated; its connection closes as it dies. */
    closeNow(): void {
      closing = true;
      if (restartTimer) clearTimeout(restartTimer);
      const current = worker;
      worker = null;
      if (current) {
        retired.add(current);
        void current.terminate();
      }
    },
  };
}

export type SyncController = ReturnType<typeof createSyncController>;
