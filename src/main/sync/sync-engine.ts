/**
 * One register's sync loop, as the worker runs it: push the outbox in batches until it is empty,
 * with a pull of the cloud's changes at least every `pullEveryPushes` batches (a busy register
 * still gets new prices), then pull to the end; on a lost connection or a 5xx, back off with full
 * jitter (capped). A server's Retry-After, on any status and any body, is a floor nothing cuts
 * short; a new document or a person's "sync now" probes the link at once during a backoff, at most
 * once per `probeGapMs`. On a revoked or unknown token, stop pushing, keep the queue and say why.
 * Every outcome is written to sync_health, where the main thread reads it.
 */
import type { Db } from '../db/open';
import { FeedPage, FeedSnapshot } from '../../shared/change-feed';
import { OrderPullPage } from '../../shared/order-schemas';
import { applyOrderPage, orderCursor } from '../orders/order-repo';
import { CountSessionView } from '../../shared/count-session';
import { recordCloudSession, sharedCountsToFollow } from '../stock/shared-count-close';
import { clearCountRefusal, recordCountRefusal } from '../stock/count-refusals';
import { applyChangePage, applyDuePrices, applySnapshot, heldChanges } from './apply-changes';
import { backoffDelay, retryAfterFloor } from './backoff';
import { clockSkew, createCloudClient, type CloudAnswer, type CloudClient } from './cloud-client';
import { syncProblemOf } from './sync-problem';
import { reportHeaders } from '../../shared/register-report';
import {
  pullMark,
  queueFigures,
  readEnrolment,
  readHealth,
  recordAck,
  recordContact,
  recordOffered,
  recordPulledThrough,
  unackAfter,
  unackedBatch,
  withdrawOffer,
  type Enrolment,
  type Health,
} from './sync-store';

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
  /** While the queue is long, pull after this many pushes (prices reach a busy register). */
  pullEveryPushes?: number;
  /** During a backoff, a new document or "sync now" probes the link, at most once per this. */
  probeGapMs?: number;
  /**
   * Between cycles, ask the cloud for the store's changed orders this often (a new online order
   * reaches the till within seconds); 0 turns the quick poll off (orders still come with every cycle).
   */
  ordersPollMs?: number;
  /** This register's app version, told to the cloud with every push and pull (with its queue). */
  appVersion?: string;
  /** Told whenever sync_health or the queue changed, and around each push. */
  onActivity?: (activity: 'push-start' | 'push-end' | 'changed') => void;
  /** Something skipped that someone should be able to find (the worker has no log of its own). */
  onWarning?: (message: string, fields: Record<string, string | number>) => void;
}

interface PushAnswer {
  lastAppliedSeq: number;
  duplicates: number;
  quarantinedSeqs: number[];
  conflictSeqs: number[];
  /** Why each was put aside, by seq (a cloud before this version sends none). */
  quarantineReasons?: Record<string, string>;
}

/** The push answer's reasons, by this register's outbox seq; anything but a short code is left out. */
function reasonsBySeq(reasons: PushAnswer['quarantineReasons'], offset: number): Map<number, string> {
  const bySeq = new Map<number, string>();
  if (typeof reasons !== 'object' || reasons === null) return bySeq;
  for (const [seq, reason] of Object.entries(reasons))
    if (/^\d+$/.test(seq) && typeof reason === 'string' && /^[A-Z_]{1,40}$/.test(reason)) bySeq.set(Number(seq) + offset, reason);
  return bySeq;
}

/** Why a cycle stopped early. */
type Stop = { kind: 'retry'; retryAfterMs: number | null } | { kind: 'halt' };

/** What ends a sleep early: a new outbox row, a person (or resume from sleep), or stop(). */
type WakeReason = 'document' | 'urgent' | 'stop';

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
      return answer.status === 426 || (answer.status >= 400 && answer.status < 500 && answer.status !== 408 && answer.status !== 429)
        ? 'update-required'
        : null;
  }
}

export function createSyncEngine(options: SyncEngineOptions) {
  const { db, token } = options;
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 30_000;
  const backoff = { baseMs: options.backoffBaseMs ?? 1_000, capMs: options.backoffCapMs ?? 60_000 };
  let batchSize = Math.min(options.batchSize ?? 500, 500);
  const pullEveryPushes = Math.max(1, options.pullEveryPushes ?? 10);
  const probeGapMs = options.probeGapMs ?? 2_000;
  const notify = options.onActivity ?? (() => undefined);
  const warn = options.onWarning ?? (() => undefined);
  const ordersPollMs = options.ordersPollMs ?? 3_000;
  const appVersion = options.appVersion ?? '0.0.0';

  /** What a push or pull tells the cloud about this register: its version and its queue, as of now. */
  function report(): Record<string, string> {
    const queue = queueFigures(db);
    return reportHeaders({ appVersion, queueDepth: queue.pending, quarantined: queue.quarantined });
  }

  let stopped = false;
  let failures = 0;
  let wakeUp: ((reason: WakeReason) => void) | null = null;
  /** A person asked (or the machine resumed) since the last cycle started: consumed by the next cycle. */
  let urgent = false;
  /** A new outbox row since the last cycle started. */
  let pendingWake = false;
  /** No request before this (ms since the epoch): the last Retry-After. */
  let notBefore = 0;
  /** When the last cycle started: probes during a backoff are rate-limited from here. */
  let lastProbeAt = 0;

  /** Records the answer's contact facts; answers a Stop when the cycle cannot go on. */
  function judge<T>(answer: CloudAnswer<T>): Stop | null {
    const at = now();
    if (answer.kind === 'unreachable') {
      recordContact(db, { now: at, reachable: false, problem: syncProblemOf(answer) });
      notify('changed');
      return { kind: 'retry', retryAfterMs: answer.retryAfterMs };
    }
    const skew = clockSkew(answer.serverTime, answer.rtt);
    if (answer.kind === 'ok') {
      recordContact(db, { now: at, reachable: true, success: true, clockSkewMs: skew, attention: null });
      return null;
    }
    const attention = attentionFor(answer);
    recordContact(db, {
      now: at,
      reachable: true,
      clockSkewMs: skew,
      problem: syncProblemOf(answer, attention),
      ...(attention ? { attention, attentionDetail: answer.message } : {}),
    });
    notify('changed');
    if (attention === 'token-revoked' || attention === 'token-invalid') return { kind: 'halt' };
    return { kind: 'retry', retryAfterMs: answer.retryAfterMs };
  }

  /** Pushes at most `maxBatches` batches: answers 'drained' when the queue is empty, 'more' when it is not. */
  async function push(client: CloudClient, enrolment: Enrolment, maxBatches: number): Promise<Stop | 'drained' | 'more'> {
    let gapAt: number | null = null;
    for (let batches = 0; ; batches += 1) {
      if (stopped) return { kind: 'halt' };
      const rows = unackedBatch(db, batchSize, MAX_BODY_BYTES);
      if (rows.length === 0) return 'drained';
      if (batches >= maxBatches) return 'more';
      const offset = enrolment.seqOffset;
      // The outbox holds each payload as JSON text already: it goes out without a parse.
      const body = `{"mutations":[${rows.map((r) => `{"seq":${r.seq - offset},"kind":${JSON.stringify(r.kind)},"ref":${JSON.stringify(r.ref)},"payload":${r.payload}}`).join(',')}]}`;
      notify('push-start');
      const offeredBefore = recordOffered(db, rows.at(-1)?.seq ?? 0);
      const answer = await client.request<PushAnswer>(
        'POST',
        `/v1/registers/${encodeURIComponent(enrolment.registerId)}/mutations`,
        body,
        report(),
      );
      // The cloud answered an error: none of these rows were applied (an answer lost on the way leaves the mark).
      if (answer.kind === 'error') withdrawOffer(db, offeredBefore);
      notify('push-end');
      if (
        answer.kind === 'error' &&
        answer.code === 'SEQ_GAP' &&
        typeof answer.body.lastAppliedSeq === 'number' &&
        answer.body.lastAppliedSeq !== gapAt
      ) {
        // The cloud has less than we thought (restored from a backup): send again from its mark.
        // The same gap twice means the rows it wants are gone here: judged below, a person must look.
        gapAt = answer.body.lastAppliedSeq;
        unackAfter(db, answer.body.lastAppliedSeq + offset);
        recordContact(db, { now: now(), reachable: true, problem: null });
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
        reasons: reasonsBySeq(result.quarantineReasons, offset),
      });
      notify('changed');
    }
  }

  /** The body of a 200 that is not a page or a snapshot: the cloud and this register disagree; retried, and said. */
  function unreadable(what: string, issues: string): Stop {
    recordContact(db, {
      now: now(),
      reachable: true,
      problem: { code: 'unreadable', detail: `The cloud's ${what} could not be read: ${issues}` },
    });
    notify('changed');
    return { kind: 'retry', retryAfterMs: null };
  }

  async function pull(client: CloudClient, enrolment: Enrolment): Promise<Stop | null> {
    // Read here, not from `enrolment`: an earlier pull in this cycle has moved it.
    let since = readEnrolment(db)?.changesCursor ?? enrolment.changesCursor;
    // What the cloud had acknowledged before this pull asked: the figures it brings hold those documents.
    const mark = pullMark(db);
    for (;;) {
      if (stopped) return { kind: 'halt' };
      const answer = await client.request<unknown>('GET', `/v1/changes?since=${since}&limit=500`, undefined, report());
      if (answer.kind === 'error' && answer.code === 'SNAPSHOT_REQUIRED') {
        const snapshot = await client.request<unknown>('GET', '/v1/snapshot', undefined, report());
        const stop = judge(snapshot);
        if (stop) return stop;
        if (snapshot.kind !== 'ok') return { kind: 'retry', retryAfterMs: null };
        const parsed = FeedSnapshot.safeParse(snapshot.body);
        if (!parsed.success) return unreadable('snapshot', parsed.error.message.slice(0, 300));
        applySnapshot(db, parsed.data, enrolment.storeCode, now());
        since = parsed.data.version;
        notify('changed');
        continue;
      }
      const stop = judge(answer);
      if (stop) return stop;
      if (answer.kind !== 'ok') return { kind: 'retry', retryAfterMs: null };
      const parsed = FeedPage.safeParse(answer.body);
      if (!parsed.success) return unreadable('change page', parsed.error.message.slice(0, 300));
      const page = parsed.data;
      const changed = page.changes.length > 0 || page.nextSince !== since || heldChanges(db).count > 0;
      // The last page and the mark in one transaction: no reader sees a movement counted twice.
      db.transaction(() => {
        if (changed) applyChangePage(db, page.changes, page.nextSince, enrolment.storeCode, now());
        if (!page.hasMore) recordPulledThrough(db, mark);
      }).immediate();
      if (changed) notify('changed');
      since = page.nextSince;
      if (!page.hasMore) return null;
    }
  }

  /** Only one order pull at a time (the quick poll and a cycle's pull share the cursor). */
  let ordersPulling = false;

  /**
   * The store's orders changed since the cursor, page by page, each page with its cursor in one
   * transaction. `quiet` (the quick poll): a failure is left for the next cycle to judge and say.
   */
  async function pullOrders(client: CloudClient, enrolment: Enrolment, quiet: boolean): Promise<Stop | null> {
    if (ordersPulling) return null;
    ordersPulling = true;
    try {
      const self = `${enrolment.storeCode}-${enrolment.registerCode}`;
      for (;;) {
        if (stopped) return { kind: 'halt' };
        const since = orderCursor(db);
        const answer = await client.request<unknown>(
          'GET',
          `/v1/registers/${encodeURIComponent(enrolment.registerId)}/orders?since=${since}&limit=200`,
        );
        if (quiet && answer.kind !== 'ok') return null;
        const stop = judge(answer);
        if (stop) return stop;
        if (answer.kind !== 'ok') return { kind: 'retry', retryAfterMs: null };
        const parsed = OrderPullPage.safeParse(answer.body);
        if (!parsed.success) return quiet ? null : unreadable('order page', parsed.error.message.slice(0, 300));
        if (applyOrderPage(db, parsed.data, self, now()) > 0) notify('changed');
        if (!parsed.data.more) return null;
      }
    } finally {
      ordersPulling = false;
    }
  }

  /** The quick order poll: between cycles, never during a backoff or before a Retry-After ends. */
  async function pollOrders(): Promise<void> {
    while (!stopped) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ordersPollMs);
        stopPoll = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (stopped) return;
      const enrolment = readEnrolment(db);
      const { attention, reachable } = readHealth(db);
      if (!enrolment || failures > 0 || !reachable || now() < notBefore || attention === 'token-revoked' || attention === 'token-invalid')
        continue;
      const client = createCloudClient({ baseUrl: enrolment.cloudUrl, token, timeoutMs: options.requestTimeoutMs ?? 30_000, now });
      try {
        await pullOrders(client, enrolment, true);
      } catch {
        // the next cycle judges the link
      }
    }
  }
  let stopPoll: (() => void) | null = null;
  /** The last refused answer logged for each shared count followed: said again only when it changes. */
  const countAnswers = new Map<string, string>();

  /**
   * Each shared count open here, as the cloud has it: one posted or cancelled elsewhere (by the
   * register that opened it, or a manager) closes here with who and why, scans the cloud refused
   * are marked, and its participants are kept (a register that left shows as left). One this
   * register left withdrawing its scans is asked about until the cloud says how that went. A failure
   * waits for the next pull (the count screen asks again when opened); a refused or unreadable answer
   * is logged with the count (once per new answer), and a 404 (the cloud no longer has it) is kept on
   * the count for the status bar until it is closed here, dismissed, or answered for again.
   */
  async function pullSharedCounts(client: CloudClient): Promise<void> {
    for (const count of sharedCountsToFollow(db, now())) {
      if (stopped) return;
      const answer = await client.request<unknown>('GET', `/v1/count-sessions/${count.docId}`);
      const parsed = answer.kind === 'ok' ? CountSessionView.safeParse(answer.body) : null;
      // the cloud no longer has the count: kept on it, so the status bar shows it (count-refusals.ts)
      if (answer.kind === 'error' && answer.status === 404) {
        const detail = `${answer.code}: ${answer.message}`;
        if (recordCountRefusal(db, count.id, 'COUNT_NOT_IN_CLOUD', detail, now())) notify('changed');
      }
      if (!parsed?.success) {
        const said = answer.kind === 'ok' ? 'unreadable' : answer.kind === 'error' ? `${answer.status} ${answer.code}` : 'unreachable';
        if (countAnswers.get(count.docId) !== said) {
          countAnswers.set(count.docId, said);
          warn('a shared count could not be followed from the cloud; it stays open on this register', {
            count: count.docId,
            answer: answer.kind === 'unreachable' ? `unreachable: ${answer.message}` : said,
          });
        }
        continue;
      }
      countAnswers.delete(count.docId);
      if (clearCountRefusal(db, count.id, 'COUNT_NOT_IN_CLOUD')) notify('changed');
      const kept = db.transaction(() => recordCloudSession(db, count.id, parsed.data, now(), null)).immediate();
      if (kept.closed || kept.leftChanged) notify('changed');
    }
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
    for (;;) {
      const pushed = await push(client, enrolment, pullEveryPushes);
      if (typeof pushed === 'object') return pushed;
      const stop = (await pull(client, enrolment)) ?? (await pullOrders(client, enrolment, false));
      if (!stop) await pullSharedCounts(client);
      if (stop || pushed === 'drained') return stop;
    }
  }

  /**
   * Waits `ms`, never past a Retry-After's end. `idle`: any wake goes at once. `backoff`: a wake
   * probes at once, but not sooner than probeGapMs after the last cycle started. `halt`: only a
   * person's wake goes (rate-limited the same way). stop() ends any sleep at once.
   */
  function sleep(ms: number, mode: 'idle' | 'backoff' | 'halt'): Promise<void> {
    return new Promise((resolve) => {
      let deadline = Math.max(now() + ms, notBefore);
      let timer = setTimeout(done, deadline - now());
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = (reason) => {
        if (reason === 'stop') return done();
        if (mode === 'halt' && reason !== 'urgent') return;
        const earliest = Math.max(mode === 'idle' ? now() : lastProbeAt + probeGapMs, notBefore, now());
        if (earliest >= deadline) return;
        deadline = earliest;
        clearTimeout(timer);
        timer = setTimeout(done, deadline - now());
      };
      // What arrived while the last cycle ran counts as arriving now.
      if (urgent) wakeUp('urgent');
      else if (pendingWake) wakeUp('document');
    });
  }

  return {
    /** Runs until stop(). A revoked token halts pushing until the worker is restarted with a new one. */
    async run(): Promise<void> {
      const poll = ordersPollMs > 0 ? pollOrders() : Promise.resolve();
      while (!stopped) {
        const manual = urgent;
        urgent = false;
        pendingWake = false;
        lastProbeAt = now();
        let stop: Stop | null;
        try {
          stop = await cycle(manual);
        } catch (error) {
          recordContact(db, {
            now: now(),
            reachable: false,
            problem: { code: 'failed', detail: `sync failed: ${(error as Error).message}` },
          });
          stop = { kind: 'retry', retryAfterMs: null };
        }
        notify('changed');
        if (stopped) break;
        if (stop?.kind === 'halt') {
          // Nothing will succeed with this token: wait for "sync now" or to be stopped (re-enrolment restarts the worker).
          await sleep(HALT_MS, 'halt');
          continue;
        }
        if (stop?.kind === 'retry') {
          failures += 1;
          if (stop.retryAfterMs !== null) notBefore = now() + retryAfterFloor(stop.retryAfterMs, backoff);
          await sleep(backoffDelay(failures, backoff, stop.retryAfterMs), 'backoff');
        } else {
          failures = 0;
          await sleep(intervalMs, 'idle');
        }
      }
      await poll;
    },
    /**
     * A new outbox row (`urgent` false) or a person's "sync now" / resume from sleep (`urgent`):
     * go now, during a backoff too (at most once per probeGapMs), never before a Retry-After ends.
     */
    wake(isUrgent = false): void {
      pendingWake = true;
      if (isUrgent) urgent = true;
      wakeUp?.(isUrgent ? 'urgent' : 'document');
    },
    stop(): void {
      stopped = true;
      wakeUp?.('stop');
      stopPoll?.();
    },
  };
}
