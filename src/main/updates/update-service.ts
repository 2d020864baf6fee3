/**
 * The register's updates (issue 17): read the feed on a timer, ask the cloud which version this
 * store may take, download and verify in the background into `<data>/updates/`, and install only
 * at a safe moment (update-policy.ts). The state is one row in `setting`, so the back office shows
 * it after a restart too, and an install that did not bring the new version up is seen on the next
 * start: the old version runs on, the state says failed, and that version is not tried again until
 * a manager asks.
 *
 * The installer itself is a port (`installer`): the desktop app's adapter (src/main/electron/
 * updater.ts) starts NSIS silently or swaps the AppImage and quits; the kiosk host has none.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { PosError } from '../../shared/errors';
import { UpdateSettingsInput, UpdatePhase, type UpdateStatus } from '../../shared/update-schemas';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import type { Logger } from '../log';
import { readSetting, writeSetting } from '../settings/settings-repo';
import { readStoreTimeZone } from '../settings/store-time-zone';
import { createCloudClient } from '../sync/cloud-client';
import { readEnrolment } from '../sync/sync-store';
import { isSemver } from './semver';
import { downloadUpdate, fetchUpdateInfo, pickFile, UpdateError, type InstallerKind, type UpdateFileInfo } from './update-feed';
import { decideOffer, installGate, stagingFraction, type InstallWait } from './update-policy';

export const UPDATE_SETTINGS_KEY = 'updates.settings';
export const UPDATE_STATE_KEY = 'updates.state';

export const defaultUpdateSettings: UpdateSettingsInput = { feedUrl: null, checkEveryMinutes: 60, autoInstall: true, installHour: null };

const PersistedState = z.object({
  phase: UpdatePhase,
  availableVersion: z.string().nullable(),
  allowedVersion: z.string().nullable(),
  heldBy: z.enum(['rollout', 'staging']).nullable(),
  lastCheckAt: z.number().int().nullable(),
  /** The verified installer for availableVersion, once downloaded. */
  file: z.string().nullable(),
  installRequested: z.boolean(),
  lastError: z.object({ code: z.string(), message: z.string() }).nullable(),
  /**
   * Set just before the installer starts: the next start tells success from failure by it. Kept
   * when the installer was stopped at its time limit (it may have installed before it was stopped).
   */
  attempt: z.object({ version: z.string(), from: z.string(), at: z.number().int() }).nullable(),
  /** A version whose install failed: not installed again by itself, only when a manager asks. */
  failedVersion: z.string().nullable(),
});
type PersistedState = z.infer<typeof PersistedState>;

const initialState: PersistedState = {
  phase: 'idle',
  availableVersion: null,
  allowedVersion: null,
  heldBy: null,
  lastCheckAt: null,
  file: null,
  installRequested: false,
  lastError: null,
  attempt: null,
  failedVersion: null,
};

/**
 * Starts the new version's installer; rejects if it could not start or failed. Resolves once it is
 * on its way: with nothing when the installer closes the app and starts the new version itself
 * (NSIS), or with `relaunch` when the new version is in place and the app must start it (AppImage,
 * deb), which the service calls only when no sale is open. `signal` aborts when the install took too
 * long: the installer stops its child (a deb's pkexec waiting for a password nobody types).
 */
export type Installer = (file: string, version: string, signal: AbortSignal) => Promise<Installed | void>;
export interface Installed {
  relaunch(): void;
}

/** How long an installer may take, a person typing the deb's password included. */
const INSTALL_TIMEOUT_MS = 10 * 60_000;

export interface GateFacts {
  cartOpen: boolean;
  shiftOpen: boolean;
  queueDepth: number;
}

export interface UpdateServiceDeps {
  db: Db;
  dataDir: string;
  clock: Clock;
  log: Logger;
  audit: AuditLog;
  currentVersion: string;
  platform?: NodeJS.Platform;
  /** Which installer this build runs, and how; both null on the kiosk host (it downloads and says so, never installs). */
  installerKind: InstallerKind | null;
  installer: Installer | null;
  /** The cloud token, read when asking the cloud for this store's rollout. */
  cloudToken: () => string | null;
  /** Sync queue depth as the status bar shows it; 0 when not enrolled (nothing will ever drain it). */
  queueDepth: () => number;
  /** The status changed (the register emits register:status, the panel refreshes). */
  onChange?: () => void;
  tuning?: { feedTimeoutMs?: number; gateEveryMs?: number; cloudTimeoutMs?: number; installTimeoutMs?: number };
}

/** The facts the install gate needs, read from SQLite: an open cart with lines, an open shift. */
export function readGateFacts(db: Db, queueDepth: number): GateFacts {
  const cartOpen =
    prepared<[], number>(
      db,
      `SELECT EXISTS (SELECT 1 FROM cart c WHERE c.status = 'open' AND EXISTS (SELECT 1 FROM cart_line l WHERE l.cart_id = c.id))`,
    )
      .pluck()
      .get() === 1;
  const shiftOpen = prepared<[], number>(db, 'SELECT EXISTS (SELECT 1 FROM shift WHERE closed_at IS NULL)').pluck().get() === 1;
  return { cartOpen, shiftOpen, queueDepth };
}

function hourIn(timeZone: string, at: number): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(at)) % 24;
}

/** electron-updater keeps the installation's staging id in `.updaterId` in userData; so does the register. */
function readUpdaterId(dataDir: string): string {
  const file = join(dataDir, '.updaterId');
  if (existsSync(file)) {
    const id = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return id;
  }
  const id = randomUUID();
  writeFileSync(file, id, { mode: 0o600 });
  return id;
}

const RolloutAnswer = z.object({ allowedVersion: z.string().refine(isSemver).nullable() });

export function createUpdateService(deps: UpdateServiceDeps) {
  const { db, log, clock, audit } = deps;
  const platform = deps.platform ?? process.platform;
  const folder = join(deps.dataDir, 'updates');
  const gateEveryMs = deps.tuning?.gateEveryMs ?? 30_000;
  let progress = { bytes: 0, total: null as number | null };
  let waitingFor: InstallWait[] = [];
  let busy: Promise<void> | null = null;
  let downloading: Promise<void> | null = null;
  let checkTimer: NodeJS.Timeout | null = null;
  let gateTimer: NodeJS.Timeout | null = null;
  let closed = false;
  /** The new version is installed and starts with a relaunch, once no sale is open. */
  let relaunchPending: { version: string; relaunch: () => void } | null = null;

  const settings = (): UpdateSettingsInput => readSetting(db, UPDATE_SETTINGS_KEY, UpdateSettingsInput, defaultUpdateSettings);
  const load = (): PersistedState => readSetting(db, UPDATE_STATE_KEY, PersistedState, initialState);
  function save(change: Partial<PersistedState>): PersistedState {
    const next = { ...load(), ...change };
    writeSetting(db, UPDATE_STATE_KEY, next);
    if (!closed) deps.onChange?.();
    return next;
  }
  const failure = (error: unknown): PersistedState['lastError'] =>
    error instanceof PosError ? { code: error.code, message: error.message } : { code: 'INTERNAL', message: String(error).slice(0, 300) };

  // An install was under way when the register last stopped: did the new version come up?
  (() => {
    const state = load();
    if (state.attempt === null) return;
    if (state.attempt.version === deps.currentVersion) {
      // also when the installer was reported failed: stopped at its time limit after it had installed
      log.info('update installed', { from: state.attempt.from, to: deps.currentVersion });
      audit.append({ kind: 'update.installed', staffId: null, subject: deps.currentVersion, detail: { from: state.attempt.from } });
      save({ ...initialState, allowedVersion: state.allowedVersion, lastCheckAt: state.lastCheckAt, phase: 'up-to-date' });
    } else if (state.phase === 'failed' && state.failedVersion === state.attempt.version) {
      save({ attempt: null }); // its failure was said (and audited) when the installer was stopped
    } else {
      const message = `The update to ${state.attempt.version} did not install; ${deps.currentVersion} runs on`;
      log.error('update failed to install', { version: state.attempt.version, running: deps.currentVersion });
      audit.append({ kind: 'update.failed', staffId: null, subject: state.attempt.version, detail: { running: deps.currentVersion } });
      save({
        phase: 'failed',
        attempt: null,
        installRequested: false,
        failedVersion: state.attempt.version,
        lastError: { code: 'UPDATE_INSTALL', message },
      });
    }
  })();

  async function askCloud(previous: string | null): Promise<string | null> {
    const enrolment = readEnrolment(db);
    const token = deps.cloudToken();
    if (!enrolment || token === null) return null;
    const client = createCloudClient({
      baseUrl: enrolment.cloudUrl,
      token,
      timeoutMs: deps.tuning?.cloudTimeoutMs ?? 10_000,
      now: clock.now,
    });
    const answer = await client.request<unknown>('GET', `/v1/registers/${encodeURIComponent(enrolment.registerId)}/update-policy`);
    const parsed = answer.kind === 'ok' ? RolloutAnswer.safeParse(answer.body) : null;
    if (parsed?.success) return parsed.data.allowedVersion;
    // Offline, or a cloud from before staged rollouts: the last word the cloud gave stands.
    log.warn('the cloud did not say which version this store may take; keeping the last answer', {
      answer: answer.kind === 'unreachable' ? answer.message : answer.kind === 'error' ? answer.code : 'unreadable',
    });
    return previous;
  }

  async function check(): Promise<void> {
    const { feedUrl } = settings();
    if (feedUrl === null) {
      if (load().phase !== 'idle') save({ phase: 'idle', lastError: null });
      return;
    }
    const before = load();
    if (before.phase === 'installing' || downloading !== null) return;
    save({ phase: 'checking' });
    try {
      const allowedVersion = await askCloud(before.allowedVersion);
      const info = await fetchUpdateInfo(feedUrl, platform, { timeoutMs: deps.tuning?.feedTimeoutMs ?? 30_000 });
      const offer = decideOffer({
        currentVersion: deps.currentVersion,
        info,
        allowedVersion,
        stagingFraction: stagingFraction(readUpdaterId(deps.dataDir)),
      });
      const checked = { allowedVersion, lastCheckAt: clock.now(), lastError: null };
      if (offer.kind === 'up-to-date') {
        save({ ...checked, phase: 'up-to-date', availableVersion: null, heldBy: null, file: null });
        await removeInstallers(null);
        return;
      }
      if (offer.kind === 'held-rollout' || offer.kind === 'held-staging') {
        save({ ...checked, phase: 'held', availableVersion: offer.version, heldBy: offer.kind === 'held-rollout' ? 'rollout' : 'staging' });
        return;
      }
      const current = load();
      if (current.availableVersion === offer.version && current.file !== null && existsSync(current.file)) {
        save({
          ...checked,
          phase: current.failedVersion === offer.version && !current.installRequested ? 'failed' : 'ready',
          heldBy: null,
        });
        evaluate();
        return;
      }
      if (deps.installerKind === null) {
        // The kiosk host has nothing to install: it says a version is there, for IT.
        save({ ...checked, phase: 'ready', availableVersion: offer.version, heldBy: null, file: null });
        return;
      }
      const file = pickFile(info, deps.installerKind);
      save({ ...checked, phase: 'downloading', availableVersion: offer.version, heldBy: null, file: null });
      progress = { bytes: 0, total: file.size };
      // In the background: the check answers now, the panel shows the bytes as they come.
      downloading = download(feedUrl, file, offer.version).finally(() => {
        downloading = null;
      });
    } catch (error) {
      log.warn('update check failed', { error: error instanceof Error ? error.message : String(error) });
      const state = load();
      // A verified installer already here stays ready: a feed that is down now changes nothing about it.
      const stillReady = state.file !== null && existsSync(state.file) && state.failedVersion !== state.availableVersion;
      save({ phase: stillReady ? 'ready' : 'failed', lastError: failure(error), lastCheckAt: clock.now() });
      if (stillReady) evaluate();
    }
  }

  async function download(feedUrl: string, file: UpdateFileInfo, version: string): Promise<void> {
    try {
      const downloaded = await downloadUpdate(feedUrl, file, folder, {
        timeoutMs: deps.tuning?.feedTimeoutMs ?? 30_000,
        onProgress: (bytes, total) => {
          progress = { bytes, total };
        },
      });
      await removeInstallers(downloaded.file);
      if (closed) return;
      log.info('update downloaded and verified', { version, bytes: downloaded.bytes });
      save({ phase: 'ready', file: downloaded.file });
      evaluate();
    } catch (error) {
      log.warn('update download failed', { version, error: error instanceof Error ? error.message : String(error) });
      if (!closed) save({ phase: 'failed', lastError: failure(error) });
    }
  }

  /** Older installers go once a newer one is verified (or the register is up to date). */
  async function removeInstallers(keep: string | null): Promise<void> {
    let names: string[];
    try {
      names = await readdir(folder);
    } catch {
      return;
    }
    for (const name of names) if (keep === null || name !== basename(keep)) await rm(join(folder, name), { force: true });
  }

  /** Decides, synchronously, whether now is the moment; if so the installer starts. */
  function evaluate(): void {
    if (closed) return;
    if (relaunchPending !== null) {
      relaunchWhenNoSale(relaunchPending);
      return;
    }
    const state = load();
    if (state.phase !== 'ready' || state.file === null || deps.installer === null || state.availableVersion === null) {
      waitingFor = [];
      return;
    }
    const facts = readGateFacts(db, deps.queueDepth());
    const s = settings();
    const failedBefore = state.failedVersion === state.availableVersion;
    const gate = installGate({
      ...facts,
      hour: hourIn(readStoreTimeZone(db), clock.now()),
      installHour: s.installHour,
      autoInstall: s.autoInstall && !failedBefore,
      requested: state.installRequested,
    });
    const waiting = gate.install ? [] : gate.waitingFor;
    if (waiting.join() !== waitingFor.join()) {
      waitingFor = waiting;
      deps.onChange?.();
    }
    if (!gate.install) return;
    // Decided and recorded before anything is awaited: no sale can start in between on this thread,
    // and the next start knows an install was attempted.
    const version = state.availableVersion;
    const file = state.file;
    save({ phase: 'installing', attempt: { version, from: deps.currentVersion, at: clock.now() } });
    log.info('installing update', { version, because: gate.because });
    void runInstaller(deps.installer, file, version);
  }

  /** Runs the installer within its time limit; a relaunch it asks for waits for the open sale. */
  async function runInstaller(installer: Installer, file: string, version: string): Promise<void> {
    const timeoutMs = deps.tuning?.installTimeoutMs ?? INSTALL_TIMEOUT_MS;
    const abort = new AbortController();
    const limit = setTimeout(() => abort.abort(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    limit.unref();
    try {
      const installed = await Promise.race([installer(file, version, abort.signal), whenAborted(abort.signal)]);
      if (installed) relaunchWhenNoSale({ version, relaunch: installed.relaunch });
    } catch (error) {
      const stopped = abort.signal.aborted;
      const message = stopped
        ? `The installer for ${version} did not finish within ${Math.round(timeoutMs / 60_000)} min (a password prompt nobody answered?) and was stopped; ${deps.currentVersion} runs on: ask for the install again`
        : `The installer for ${version} did not start (${String(error).slice(0, 200)}); ${deps.currentVersion} runs on`;
      // stopped, it may have installed all the same: the next start tells (its attempt is kept)
      installFailed(version, message, { keepAttempt: stopped });
    } finally {
      clearTimeout(limit);
    }
  }

  function installFailed(version: string, message: string, options: { keepAttempt?: boolean } = {}): void {
    log.error('the update did not install', { version, error: message });
    if (closed) return;
    audit.append({ kind: 'update.failed', staffId: null, subject: version, detail: { running: deps.currentVersion } });
    save({
      phase: 'failed',
      ...(options.keepAttempt ? {} : { attempt: null }),
      installRequested: false,
      failedVersion: version,
      lastError: { code: 'UPDATE_INSTALL', message },
    });
  }

  /**
   * The installer may have waited minutes (a deb's password): a sale opened meanwhile is not cut
   * off by the relaunch, which waits for the cart to close (evaluate, on the gate timer, asks again).
   */
  function relaunchWhenNoSale(pending: { version: string; relaunch: () => void }): void {
    if (closed) return;
    const cartOpen = readGateFacts(db, 0).cartOpen;
    if (cartOpen) {
      if (relaunchPending === null)
        log.info('update installed; the register restarts when the open sale is over', { version: pending.version });
      relaunchPending = pending;
      if (waitingFor.join() !== 'cart-open') {
        waitingFor = ['cart-open'];
        deps.onChange?.();
      }
      return;
    }
    relaunchPending = null;
    waitingFor = [];
    log.info('update installed; restarting into it', { version: pending.version });
    pending.relaunch();
  }

  function schedule(): void {
    if (closed) return;
    if (checkTimer) clearTimeout(checkTimer);
    checkTimer = setTimeout(() => {
      void checkNow().finally(schedule);
    }, settings().checkEveryMinutes * 60_000);
    checkTimer.unref();
  }

  /** One check at a time: a second caller waits for the one running. The download goes on after it. */
  function checkNow(): Promise<void> {
    if (closed) return Promise.resolve();
    busy ??= check().finally(() => {
      busy = null;
    });
    return busy;
  }

  function status(): UpdateStatus {
    const state = load();
    return {
      phase: state.phase,
      currentVersion: deps.currentVersion,
      availableVersion: state.availableVersion,
      allowedVersion: state.allowedVersion,
      heldBy: state.heldBy,
      lastCheckAt: state.lastCheckAt,
      downloadedBytes: state.phase === 'downloading' ? progress.bytes : 0,
      totalBytes: state.phase === 'downloading' ? progress.total : null,
      waitingFor: state.phase === 'ready' || state.phase === 'installing' ? waitingFor : [],
      installRequested: state.installRequested,
      lastError: state.lastError,
      installer: deps.installerKind,
      settings: settings(),
    };
  }

  return {
    status,
    settings,
    saveSettings(next: UpdateSettingsInput): void {
      writeSetting(db, UPDATE_SETTINGS_KEY, next);
      schedule();
      deps.onChange?.();
    },
    checkNow,
    /** Resolves when the check and any download it started have finished (tests, close). */
    async settled(): Promise<void> {
      await busy;
      await downloading;
    },
    /** A manager asks for the install at the next safe moment (also retries a version that failed). */
    requestInstall(): void {
      const state = load();
      if (state.phase === 'installing') throw new PosError('CONFLICT', 'The update is installing');
      save({
        installRequested: true,
        ...(state.phase === 'failed' && state.file !== null ? { phase: 'ready' as const, lastError: null } : {}),
      });
      evaluate();
    },
    /** Something that may open the gate happened (a sale completed, a shift closed, the queue drained). */
    evaluate,
    start(): void {
      if (closed) return;
      // The first check soon after start, off the start-up path; then on the setting's interval.
      const first = setTimeout(() => void checkNow().finally(schedule), 5_000);
      first.unref();
      checkTimer = first;
      gateTimer = setInterval(evaluate, gateEveryMs);
      gateTimer.unref();
    },
    close(): void {
      closed = true;
      if (checkTimer) clearTimeout(checkTimer);
      if (gateTimer) clearInterval(gateTimer);
    },
  };
}

/** Rejects when `signal` aborts: the installer's wait is bounded even if it ignores the signal. */
function whenAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
}

export type UpdateService = ReturnType<typeof createUpdateService>;
export { UpdateError };
