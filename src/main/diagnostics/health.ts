/**
 * The register's health as IT reads it (健康狀態 panel, `npm run diagnostics`): versions, OS, disk,
 * database and WAL size, backups, devices, sync and clock skew. Read live from the running register's
 * services, or from the data folder alone when the CLI runs (the register running or stopped). Reads
 * only; never a secret: the token is reported as stored or not, never read.
 */
import { existsSync, readdirSync, statSync, statfsSync } from 'node:fs';
import { arch, freemem, hostname, platform, release, totalmem, uptime } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { DeviceHealth, DeviceHealthState, HealthReport } from '../../shared/diagnostics-schemas';
import type { DisplayStatus, ScannerStatus } from '../../shared/customer-display-schemas';
import type { RegisterStatus } from '../../shared/schemas';
import type { SyncStatus } from '../../shared/sync-schemas';
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import { schemaVersion } from '../db/migrate';
import { BACKUP_SETTINGS_KEY, BackupSettings, defaultBackupSettings, type BackupState } from '../backup/backup-service';
import { backupKeyExists, defaultBackupFolder, listBackups } from '../backup/backup-files';
import type { PrinterLiveState } from '../devices/printer-worker';
import { queueCounts } from '../devices/print-queue';
import { readDrawerRule, readPrinterSetting } from '../devices/hardware-settings';
import { readSetting } from '../settings/settings-repo';
import { readIdentity } from '../settings/identity';
import { queueFigures, readEnrolment, readHealth } from '../sync/sync-store';
import { heldRedemptions } from '../members/redemptions';

/** What only the running register knows: its devices' live state, its sync and backup services. */
export interface LiveHealth {
  printer(): PrinterLiveState;
  display(): DisplayStatus;
  scanner(): ScannerStatus;
  sync(): SyncStatus;
  backup(): BackupState;
  backupCount(): Promise<number>;
  database(): RegisterStatus['database'];
  training(): boolean;
}

export interface HealthSource {
  db: Db;
  dataDir: string;
  dbFile: string;
  appVersion: string;
  latestSchema: number;
  now: number;
  live?: LiveHealth | null;
}

const sizeOf = (file: string): number => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};

function diskOf(dir: string): HealthReport['disk'] {
  try {
    const fs = statfsSync(dir);
    return { freeBytes: Number(fs.bavail) * Number(fs.bsize), totalBytes: Number(fs.blocks) * Number(fs.bsize) };
  } catch {
    return { freeBytes: null, totalBytes: null };
  }
}

function logFigures(dataDir: string): HealthReport['logs'] {
  const dir = join(dataDir, 'logs');
  let files = 0;
  let bytes = 0;
  try {
    for (const name of readdirSync(dir)) {
      if (!/^register(\.\d+)?\.log$/.test(name)) continue;
      files += 1;
      bytes += sizeOf(join(dir, name));
    }
  } catch {
    // no logs folder yet
  }
  return { files, bytes };
}

const printerHealth = (state: PrinterLiveState['state']): DeviceHealthState =>
  state === 'not-configured' ? 'not-configured' : state === 'ready' ? 'ok' : state === 'offline' ? 'offline' : 'attention';

const linkHealth = (state: DisplayStatus['state'] | null): DeviceHealthState =>
  state === null
    ? 'unknown'
    : state === 'not-configured'
      ? 'not-configured'
      : state === 'connected'
        ? 'ok'
        : state === 'connecting'
          ? 'attention'
          : 'offline';

const UriSetting = z.object({ uri: z.string().nullable() }).nullable();

function devicesOf(db: Db, live: LiveHealth | null | undefined): HealthReport['devices'] {
  const printerSetting = readPrinterSetting(db);
  const printerUri = printerSetting?.uri ?? null;
  const rule = readDrawerRule(db);
  const counts = queueCounts(db, 'receipt');
  const printerLive = live?.printer() ?? null;
  const printer = {
    state: printerLive ? printerHealth(printerLive.state) : printerUri === null ? ('not-configured' as const) : ('unknown' as const),
    raw: printerLive?.state ?? (printerUri === null ? 'not-configured' : 'not-running'),
    uri: printerUri,
    detail: printerLive?.message ?? null,
    queued: printerLive?.queued ?? counts.queued,
    needsAttention: printerLive?.needsAttention ?? counts.attention,
  };
  // The drawer opens through the printer's kick port; its sensor (where there is one) answers with DLE EOT.
  const drawerOpen = printerLive?.drawerOpen ?? null;
  const drawer: DeviceHealth & { rule: string } = {
    state: printer.state === 'ok' ? (drawerOpen ? 'attention' : 'ok') : printer.state,
    raw: drawerOpen === null ? 'no-sensor' : drawerOpen ? 'open' : 'closed',
    uri: printerUri,
    detail: null,
    rule,
  };
  const displayUri = readSetting(db, 'hardware.display', UriSetting, null)?.uri ?? null;
  const scannerUri = readSetting(db, 'hardware.scanner', UriSetting, null)?.uri ?? null;
  const displayLive = live?.display() ?? null;
  const scannerLive = live?.scanner() ?? null;
  const configured = (uri: string | null, state: DeviceHealthState): DeviceHealthState => (uri === null ? 'not-configured' : state);
  return {
    printer,
    drawer,
    display: {
      state: configured(displayUri, linkHealth(displayLive?.state ?? null)),
      raw: displayLive?.state ?? (displayUri === null ? 'not-configured' : 'not-running'),
      uri: displayUri,
      detail: displayLive?.error ?? null,
    },
    scanner: {
      state: configured(scannerUri, linkHealth(scannerLive?.state ?? null)),
      raw: scannerLive?.state ?? (scannerUri === null ? 'not-configured' : 'not-running'),
      uri: scannerUri,
      detail: scannerLive?.error ?? null,
      lastScanAt: scannerLive?.lastScan?.at ?? null,
    },
  };
}

function syncOf(db: Db, dataDir: string, live: LiveHealth | null | undefined): HealthReport['sync'] {
  const tokenStored = existsSync(join(dataDir, 'secrets', 'cloud-token')) || existsSync(join(dataDir, 'secrets', 'cloud-token.enc'));
  const enrolment = readEnrolment(db);
  if (live) {
    const s = live.sync();
    return {
      state: s.state,
      pending: s.pending,
      pendingSales: s.pendingSales,
      oldestPendingSaleAt: s.oldestPendingSaleAt,
      lastSyncAt: s.lastSyncAt,
      clockSkewMs: s.clockSkewMs,
      lastError: s.lastError,
      cloudUrl: s.enrolment?.cloudUrl ?? null,
      tokenStored,
    };
  }
  const health = readHealth(db);
  const queue = queueFigures(db);
  return {
    state: enrolment === null ? 'not-enrolled' : health.attention !== null ? 'attention' : health.reachable ? 'online' : 'offline',
    pending: queue.pending,
    pendingSales: queue.pendingSales,
    oldestPendingSaleAt: queue.oldestPendingSaleAt,
    lastSyncAt: health.lastSyncAt,
    clockSkewMs: health.clockSkewMs,
    lastError: health.lastError,
    cloudUrl: enrolment?.cloudUrl ?? null,
    tokenStored,
  };
}

async function backupOf(db: Db, dataDir: string, live: LiveHealth | null | undefined): Promise<HealthReport['backup']> {
  if (live) {
    const state = live.backup();
    return {
      lastAt: state.lastBackup?.manifest.createdAt ?? null,
      scheduled: state.settings.scheduled,
      intervalMinutes: state.settings.intervalMinutes,
      lastError: state.lastError,
      keySet: state.keySet,
      running: state.running,
      count: await live.backupCount(),
    };
  }
  const backups = await listBackups(defaultBackupFolder(dataDir)).catch(() => []);
  const settings = readSetting(db, BACKUP_SETTINGS_KEY, BackupSettings, defaultBackupSettings);
  return {
    lastAt: backups.reduce<number | null>((newest, b) => Math.max(newest ?? 0, b.manifest.createdAt), null),
    scheduled: settings.scheduled,
    intervalMinutes: settings.intervalMinutes,
    lastError: null,
    keySet: backupKeyExists(dataDir),
    running: false,
    count: backups.length,
  };
}

/** Whether a training session is open (migrations/0014-training.sql); false on a database from before it. */
export function trainingOpen(db: Db): boolean {
  const hasTable = prepared<[], number>(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'training_session'")
    .pluck()
    .get();
  if (!hasTable) return false;
  return db.prepare('SELECT count(*) FROM training_session WHERE ended_at IS NULL').pluck().get() !== 0;
}

export async function readHealthReport(source: HealthSource): Promise<HealthReport> {
  const { db, dataDir, dbFile, live } = source;
  const identity = readIdentity(db);
  return {
    checkedAt: source.now,
    source: live ? 'register' : 'cli',
    store: identity ? { code: identity.store.code, registerCode: identity.register.code } : null,
    versions: {
      app: source.appVersion,
      node: process.versions.node,
      // Under the desktop app the core runs in Electron's main process; the kiosk host and CLI are plain Node.
      electron: process.versions.electron ?? null,
      sqlite: prepared<[], string>(db, 'SELECT sqlite_version()').pluck().get() as string,
      schema: schemaVersion(db),
      schemaLatest: source.latestSchema,
    },
    os: {
      platform: platform(),
      release: release(),
      arch: arch(),
      hostname: hostname(),
      uptimeSeconds: Math.round(uptime()),
      memoryFreeBytes: freemem(),
      memoryTotalBytes: totalmem(),
    },
    disk: diskOf(dataDir),
    database: {
      state: live ? live.database() : 'unknown',
      bytes: sizeOf(dbFile),
      walBytes: sizeOf(`${dbFile}-wal`),
    },
    backup: await backupOf(db, dataDir, live),
    devices: devicesOf(db, live),
    sync: syncOf(db, dataDir, live),
    redemptions: heldRedemptions(db),
    logs: logFigures(dataDir),
    training: live ? live.training() : trainingOpen(db),
  };
}
