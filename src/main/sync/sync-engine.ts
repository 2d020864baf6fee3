/**
 * One register's sync loop, as the worker runs it: push the outbox in batches until it is empty,
 * then pull the cloud's changes page by page; on a lost connection or a 5xx, back off with full
 * jitter (capped; Retry-After is a floor); on a revoked or unknown token, stop pushing, keep the
 * queue and say why. Every outcome is written to sync_health, where the main thread reads it.
 */
import type { Db } from '../db/open';
import { applyChangePage, applyDuePrices, applySnapshot, type Change, type Snapshot } from './apply-changes';
import { backoffDelay } from './backoff';
import { clockSkew, createCloudClient, type CloudAnswer, type CloudClient } from './cloud-client';
import { readEnrolment, readHealth, recordAck, recordContact, unackAfter, unackedBatch, type Enrolment, type Health } from './sync-store';

export interface SyncEngineOptions {
  db: Db;
  token: string;
  now?: () => number;
  requestTimeoutMs?: number;
  /** Pull and retry pushing at least this often when nothing wakes the loop. */
  intervalMs?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Rows per push (the cloud takes at most 500). */
  batchSize?: number;
  /** Told whenever sync_health or the queue changed, and around each push. */
  onActivity?: (activity: 'push-start' | 'push-end' | 'changed') => void;
}

interface PushAnswer {
  lastAppliedSeq: number;
  duplicates: number;
  quarantinedSeqs: number[];
  conflictSeqs: number[];
}

/** Why a cycle stopped early. */
type Stop = { kind: 'retry'; retryAfterMs: number | null } | { kind: 'halt' };

const MAX_BODY_BYTES = 900 * 1024; // under the cloud's 1 MiB
const HALT_MS = 2 ** 31 - 1; // setTimeout's longest

function attentionFor(answer: Extract<CloudAnswer<unknown>, { kind: 'error' }>): Health['attention'] {
  switch (answer.code) {
    case 'TOKEN_REVOKED':
      return 'token-revoked';
    case 'TOKEN_INVALID':
    case 'TOKEN_ROTATED':
    case 'UNAUTHORIZED':
    case 'FORBIDDEN':
      return 'token-invalid';
    default:
      // The cloud does not understand this register's requests: a newer release is needed.
      return answer.status === 426 || (answer.status >= 400 && answer.status < 500 && answer.status !== 408 && answer.status !== 429) ? 'update-required' : null;
  }
}

export function createSyncEngine(options: SyncEngineOptions) {
  const { db, token } = options;
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 30_000;
  const backoff = { baseMs: options.backoffBaseMs ?? 1_000, capMs: options.backoffCapMs ?? 60_000 };
  let batchSize = Math.min(options.batchSize ?? 500, 500);
  const notify = options.onActivity ?? (() => undefined);

  let stopped = false;
  let failures = 0;
  let wakeUp: (() => void) | null = null;
  let urgent = false;
  let pendingWake = false;

  /** Records the answer's contact facts; answers a Stop when the cycle cannot go on. */
  function judge<T>(answer: CloudAnswer<T>): Stop | null {
    const at = now();
    if (answer.kind === 'unreachable') {
      recordContact(db, { now: at, reachable: false, error: answer.message });
      notify('changed');
      return { kind: 'retry', retryAfterMs: null };
    }
    const skew = clockSkew(answer.serverTime, answer.rtt);
    if (answer.kind === 'ok') {
      recordContact(db, { now: at, reachable: true, success: true, clockSkewMs: skew, attention: null });
      return null;
    }
    const attention = attentionFor(answer);
    recordContact(db, { now: at, reachable: true, clockSkewMs: skew, error: `${answer.code}: ${answer.message}`, ...(attention ? { attention, attentionDetail: answer.message } : {}) });
    notify('changed');
    if (attention === 'token-revoked' || attention === 'token-invalid') return { kind: 'halt' };
    return { kind: 'retry', retryAfterMs: answer.retryAfterMs };
  }

  async function push(client: CloudClient, enrolment: Enrolment): Promise<Stop | null> {
    let gapAt: number | null = null;
    for (;;) {
      if (stopped) return { kind: 'halt' };
      const rows = unackedBatch(db, batchSize, MAX_BODY_BYTES);
      if (rows.length === 0) return null;
      const offset = enrolment.seqOffset;
      // The outbox holds each payload as JSON text already: it goes out without a parse.
      const body = `{"mutations":[${rows.map((r) => `{"seq":${r.seq - offset},"kind":${JSON.stringify(r.kind)},"ref":${JSON.stringify(r.ref)},"payload":${r.payload}}`).join(',')}]}`;
      notify('push-start');
      const answer = await client.request<PushAnswer>('POST', `/v1/registers/${encodeURIComponent(enrolment.registerId)}/mutations`, body);
      notify('push-end');
      if (answer.kind === 'error' && answer.code === 'SEQ_GAP' && typeof answer.body.lastAppliedSeq === 'number' && answer.body.lastAppliedSeq !== gapAt) {
        // The cloud has less than we thought (restored from a backup): send again from its mark.
        // The same gap twice means the rows it wants are gone here: judged below, a person must look.
        gapAt = answer.body.lastAppliedSeq;
        unackAfter(db, answer.body.lastAppliedSeq + offset);
        recordContact(db, { now: now(), reachable: true, error: null });
        continue;
      }
      if (answer.kind === 'error' && answer.status === 413 && rows.length > 1) {
        batchSize = Math.max(1, Math.floor(rows.length / 2));
        continue;
      }
      const stop = judge(answer);
      if (stop) return stop;
      if (answer.kind !== 'ok') return { kind: 'retry', retryAfterMs: null };
      const result = answer.body;
      recordAck(db, {
        lastSeq: result.lastAppliedSeq + offset,
        now: now(),
        duplicates: result.duplicates,
        quarantinedSeqs: [...result.quarantinedSeqs, ...result.conflictSeqs].map((seq) => seq + offset),
      });
      notify('changed');
    }
  }

  async function pull(client: CloudClient, enrolment: Enrolment): Promise<Stop | null> {
    let since = enrolment.changesCursor;
    for (;;) {
      if (stopped) return { kind: 'halt' };
      const answer = await client.request<{ changes: Change[]; nextSince: number; hasMore: boolean }>('GET', `/v1/changes?since=${since}&limit=500`);
      if (answer.kind === 'error' && answer.code === 'SNAPSHOT_REQUIRED') {
        const snapshot = await client.request<Snapshot>('GET', '/v1/snapshot');
        const stop = judge(snapshot);
        if (stop) return stop;
        if (snapshot.kind !== 'ok') return { kind: 'retry', retryAfterMs: null };
        noteSkipped(applySnapshot(db, snapshot.body, enrolment.storeCode, now()));
        since = snapshot.body.version;
        notify('changed');
        continue;
      }
      const stop = judge(answer);
      if (stop) return stop;
      if (answer.kind !== 'ok') return { kind: 'retry', retryAfterMs: null };
      const page = answer.body;
      if (page.changes.length > 0 || page.nextSince !== since) {
        noteSkipped(applyChangePage(db, page.changes, page.nextSince, enrolment.storeCode, now()));
        notify('changed');
      }
      since = page.nextSince;
      if (!page.hasMore) return null;
    }
  }

  function noteSkipped(skipped: string[]): void {
    if (skipped.length > 0) recordContact(db, { now: now(), reachable: true, success: true, error: `Skipped ${skipped.length} change(s): ${skipped.slice(0, 3).join('; ')}` });
  }

  /** One push-then-pull. Answers what to wait for before the next. */
  async function cycle(manual: boolean): Promise<Stop | null> {
    applyDuePrices(db, now());
    const enrolment = readEnrolment(db);
    if (!enrolment) return { kind: 'halt' };
    // A revoked or unknown token is not tried again by itself: only a person's "sync now" does.
    const { attention } = readHealth(db);
    if (!manual && (attention === 'token-revoked' || attention === 'token-invalid')) return { kind: 'halt' };
    const client = createCloudClient({ baseUrl: enrolment.cloudUrl, token, timeoutMs: options.requestTimeoutMs ?? 30_000, now });
    return (await push(client, enrolment)) ?? (await pull(client, enrolment));
  }

  function sleep(ms: number, interruptible: 'any' | 'urgent'): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = () => {
        if (interruptible === 'any' || urgent) done();
      };
    });
  }

  return {
    /** Runs until stop(). A revoked token halts pushing until the worker is restarted with a new one. */
    async run(): Promise<void> {
      while (!stopped) {
        const manual = urgent;
        urgent = false;
        pendingWake = false;
        let stop: Stop | null;
        try {
          stop = await cycle(manual);
        } catch (error) {
          recordContact(db, { now: now(), reachable: false, error: `sync failed: ${(error as Error).message}` });
          stop = { kind: 'retry', retryAfterMs: null };
        }
        notify('changed');
        if (stopped) break;
        if (stop?.kind === 'halt') {
          // Nothing will succeed with this token: wait for "sync now" or to be stopped (re-enrolment restarts the worker).
          await sleep(HALT_MS, 'urgent');
          continue;
        }
        if (stop?.kind === 'retry') {
          failures += 1;
          await sleep(backoffDelay(failures, backoff, stop.retryAfterMs), 'urgent');
        } else {
          failures = 0;
          if (!pendingWake) await sleep(intervalMs, 'any');
        }
      }
    },
    /** A new outbox row: push soon (but not during a backoff). `urgent`: now, backoff or not. */
    wake(isUrgent = false): void {
      pendingWake = true;
      if (isUrgent) urgent = true;
      wakeUp?.();
    },
    stop(): void {
      stopped = true;
      urgent = true;
      wakeUp?.();
    },
  };
}
