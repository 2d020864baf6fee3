/**
 * One receipt printer's worker: takes queued jobs one at a time, in order; drawer kicks and the
 * hardware screen's tests go through the same lock so bytes never interleave on the wire.
 *
 * Per job: mark it 'printing' (committed) → build the bytes → printJob (which asks DLE EOT 1..4
 * first and confirms with a status request after). Outcome:
 *   printed                   → 'printed'
 *   not-ready (cover, paper)  → stays queued; status polled until it clears, then printed
 *   failed, nothing sent      → stays queued; retry with exponential backoff and jitter
 *   failed, maybe sent        → 'uncertain': the cashier reprints (a COPY) or dismisses it
 *   cannot be built           → 'failed' (e.g. a character with no font), also shown
 * A job that outlives the per-job timeout is treated as "maybe sent".
 */
import {
  DriverError,
  kickDrawer,
  openTransport,
  printJob,
  readPrinterStatus,
  type PrintJobResult,
  type PrinterProfile,
  type PrinterStatus,
  type StatusResult,
} from '../../../drivers';
import type { Db } from '../db/open';
import type { PrinterTarget } from './printer-checks';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import {
  findPrintJob,
  flagInterruptedJobs,
  nextQueuedJob,
  queueCounts,
  setJobState,
  countAttempt,
  markPrinting,
  type PrintJobRow,
} from './print-queue';

export type PrinterCondition = 'not-configured' | 'ready' | 'offline' | 'paper-out' | 'cover-open' | 'error';

export interface PrinterLiveState {
  readonly state: PrinterCondition;
  /** Why, in words IT can act on (the driver's message), when not ready. */
  readonly message: string | null;
  readonly paperNearEnd: boolean;
  /** null: no sensor, or not known yet. */
  readonly drawerOpen: boolean | null;
  readonly queued: number;
  readonly needsAttention: number;
}

export interface WorkerTiming {
  retryBaseMs: number;
  retryMaxMs: number;
  /** How often a job waiting for cover-closed / paper-loaded rechecks status. */
  notReadyPollMs: number;
  /** How often an idle worker refreshes the live status. */
  idlePollMs: number;
  jobTimeoutMs: number;
}

export const defaultTiming: WorkerTiming = {
  retryBaseMs: 500,
  retryMaxMs: 10_000,
  notReadyPollMs: 2_000,
  idlePollMs: 15_000,
  jobTimeoutMs: 60_000,
};

export interface PrinterWorkerDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  device: string;
  target: () => PrinterTarget | null;
  /** Builds the job's bytes for the profile; throws when it cannot (the job is then 'failed'). */
  render: (job: PrintJobRow, profile: PrinterProfile) => Promise<Uint8Array>;
  onChange: () => void;
  timing?: Partial<WorkerTiming>;
}

type Outcome = { kind: 'done' } | { kind: 'retry'; delayMs: number } | { kind: 'stop' };

const KICK_ATTEMPTS = 3;

class PrintJobTimeoutError extends DriverError {
  readonly code = 'PRINT_JOB_TIMEOUT';
}

export function createPrinterWorker(deps: PrinterWorkerDeps) {
  const { db, clock, log, device } = deps;
  const timing: WorkerTiming = { ...defaultTiming, ...deps.timing };
  let closed = false;
  let pumping = false;
  let failures = 0;
  let retryTimer: NodeJS.Timeout | null = null;
  let idleTimer: NodeJS.Timeout | null = null;
  let lock: Promise<unknown> = Promise.resolve();
  const kicks: { attempts: number }[] = [];
  let live: Omit<PrinterLiveState, 'queued' | 'needsAttention'> = {
    state: deps.target() ? 'ready' : 'not-configured',
    message: null,
    paperNearEnd: false,
    drawerOpen: null,
  };
  let lastReported = '';

  if (flagInterruptedJobs(db, device, clock.now()) > 0)
    log.warn('print jobs interrupted by a stop are flagged for the cashier', { device });

  function state(): PrinterLiveState {
    const counts = queueCounts(db, device);
    const base = deps.target() ? live : { state: 'not-configured' as const, message: null, paperNearEnd: false, drawerOpen: null };
    return { ...base, queued: counts.queued, needsAttention: counts.attention };
  }

  function changed(): void {
    if (!db.open) return;
    const now = JSON.stringify(state());
    if (now === lastReported) return;
    lastReported = now;
    deps.onChange();
  }

  function setLive(next: Partial<typeof live>): void {
    live = { ...live, ...next };
    changed();
  }

  function fromStatus(s: PrinterStatus): void {
    const condition: PrinterCondition = s.coverOpen ? 'cover-open' : s.paperOut ? 'paper-out' : !s.online || s.error ? 'offline' : 'ready';
    const message =
      condition === 'ready'
        ? null
        : [s.coverOpen && 'cover open', s.paperOut && 'paper out', !s.online && 'offline', s.error && 'printer error']
            .filter(Boolean)
            .join(', ');
    setLive({ state: condition, message, paperNearEnd: s.paperNearEnd, drawerOpen: s.drawerOpen });
  }

  /** Records what a status answer says about the printer (the hardware screen and status bar show it). */
  function noteStatus(result: StatusResult): void {
    if (result.kind === 'status') fromStatus(result.status);
    else if (result.kind === 'garbled')
      setLive({
        state: 'error',
        message: `the printer answered status with bytes that are not ESC/POS status (${result.message}): check the profile and the port settings`,
      });
    else if (result.kind === 'failed') setLive({ state: 'offline', message: result.error.message });
    else if (result.kind === 'no-reply') setLive({ state: 'offline', message: result.message });
  }

  /** Runs `task` while holding the device: nothing else is sent to it meanwhile. */
  function exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = lock.then(task, task);
    lock = run.catch(() => undefined);
    return run;
  }

  function backoff(): number {
    const exp = Math.min(timing.retryMaxMs, timing.retryBaseMs * 2 ** Math.min(failures, 16));
    return Math.round(exp / 2 + Math.random() * (exp / 2));
  }

  async function withTimeout<T>(work: Promise<T>, onTimeout: T): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(onTimeout), timing.jobTimeoutMs)));
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function runJob(job: PrintJobRow, target: PrinterTarget): Promise<Outcome> {
    let bytes: Uint8Array;
    try {
      bytes = await deps.render(job, target.profile);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      setJobState(db, job.id, 'failed', clock.now(), message);
      log.error('print job cannot be printed on this printer', { device, jobId: job.id, message });
      return { kind: 'done' };
    }
    countAttempt(db, job.id, clock.now());
    // 'printing' from the moment the link is open: a stop before that leaves the job plainly queued.
    const open: typeof openTransport = async (uri, options) => {
      const transport = await openTransport(uri, options);
      if (db.open) markPrinting(db, job.id, clock.now());
      return transport;
    };
    const timedOut: PrintJobResult = {
      kind: 'failed',
      mayHavePrinted: true,
      error: new PrintJobTimeoutError(`the job did not finish within ${timing.jobTimeoutMs} ms; it may have partly printed`),
    };
    const result = await withTimeout(printJob({ uri: target.uri, profile: target.profile, bytes, open }), timedOut);
    // The register closed meanwhile: the row stays 'printing' and is flagged at the next start.
    if (!db.open) return { kind: 'stop' };
    const now = clock.now();
    switch (result.kind) {
      case 'printed':
        setJobState(db, job.id, 'printed', now);
        failures = 0;
        if (result.status) noteStatus(result.status);
        else setLive({ state: 'ready', message: null });
        return { kind: 'done' };
      case 'not-ready':
        setJobState(db, job.id, 'queued', now, 'waiting for the printer');
        fromStatus(result.status);
        return { kind: 'retry', delayMs: timing.notReadyPollMs };
      case 'failed':
        if (result.mayHavePrinted) {
          setJobState(db, job.id, 'uncertain', now, result.error.message);
          log.warn('print job may have partly printed; flagged for the cashier', { device, jobId: job.id, message: result.error.message });
          setLive({ state: 'offline', message: result.error.message });
          return { kind: 'done' };
        }
        setJobState(db, job.id, 'queued', now, result.error.message);
        failures++;
        setLive({ state: 'offline', message: result.error.message });
        return { kind: 'retry', delayMs: backoff() };
    }
  }

  async function runKick(target: PrinterTarget): Promise<void> {
    const kick = kicks[0]!;
    const result = await kickDrawer({ uri: target.uri, profile: target.profile });
    if (result.kind === 'sent') {
      kicks.shift();
      return;
    }
    kick.attempts++;
    setLive({ state: 'offline', message: result.error.message });
    if (kick.attempts >= KICK_ATTEMPTS) {
      kicks.shift();
      log.error('the cash drawer could not be opened', { device, message: result.error.message });
    } else {
      await new Promise((resolve) => setTimeout(resolve, timing.retryBaseMs));
    }
  }

  function scheduleRetry(delayMs: number): void {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void pump();
    }, delayMs);
  }

  function scheduleIdlePoll(): void {
    if (idleTimer) clearTimeout(idleTimer);
    if (closed) return;
    idleTimer = setTimeout(() => {
      idleTimer = null;
      void refreshStatus().finally(scheduleIdlePoll);
    }, timing.idlePollMs);
  }

  async function pump(): Promise<void> {
    if (pumping || closed) return;
    pumping = true;
    try {
      while (!closed) {
        const target = deps.target();
        if (!target) break;
        if (kicks.length > 0) {
          await exclusive(() => runKick(target));
          continue;
        }
        if (retryTimer) break;
        const job = nextQueuedJob(db, device);
        if (!job) break;
        const outcome = await exclusive(() => runJob(job, target));
        changed();
        if (outcome.kind === 'stop') break;
        if (outcome.kind === 'retry') {
          scheduleRetry(outcome.delayMs);
          break;
        }
      }
    } catch (error) {
      log.error('printer worker failed', { device, message: error instanceof Error ? error.message : String(error) });
      if (!closed) scheduleRetry(timing.retryMaxMs);
    } finally {
      pumping = false;
      changed();
    }
  }

  async function refreshStatus(): Promise<StatusResult | null> {
    const target = deps.target();
    if (!target || closed) return null;
    const result = await exclusive(() => readPrinterStatus({ uri: target.uri, profile: target.profile, timeoutMs: 1500 }));
    if (result.kind !== 'unsupported') noteStatus(result);
    return result;
  }

  scheduleIdlePoll();
  // Jobs left queued by the last run print now.
  queueMicrotask(() => void pump());

  return {
    state,
    exclusive,
    refreshStatus,
    noteStatus,
    /** A job was queued or the configuration changed: look at the queue now. */
    wake(): void {
      changed();
      void pump();
    },
    /** The configuration changed: forget the old printer's state and backoff, start over. */
    reset(): void {
      failures = 0;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      live = { state: deps.target() ? 'ready' : 'not-configured', message: null, paperNearEnd: false, drawerOpen: null };
      changed();
      void pump();
      void refreshStatus();
    },
    kickDrawer(): void {
      kicks.push({ attempts: 0 });
      void pump();
    },
    job(id: number): PrintJobRow | undefined {
      return findPrintJob(db, id);
    },
    /** Stops timers and waits for the job on the wire, if any. */
    async close(): Promise<void> {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      if (idleTimer) clearTimeout(idleTimer);
      await lock;
    },
  };
}

export type PrinterWorker = ReturnType<typeof createPrinterWorker>;
