/**
 * 健康狀態 / Health: what each line of the register's health report means for shop IT. One rule per
 * item: its level (正常 OK / 注意 warning / 有問題 problem), the words for its value and, when it is
 * not OK, what to do. Pure: the panel renders the items, the node tests read them as tables.
 */
import type { DeviceHealth, HealthReport } from '../../../shared/diagnostics-schemas';
import { MAX_CLOCK_SKEW_MS } from '../../../shared/sync-schemas';
import { formatHKD } from '../../../shared/money';

export type HealthLevel = 'ok' | 'warn' | 'bad';

export const healthItemIds = [
  'disk',
  'database',
  'integrity',
  'migrations',
  'backup',
  'printer',
  'drawer',
  'display',
  'scanner',
  'sync',
  'queue',
  'redemptions',
  'clock',
  'version',
] as const;
export type HealthItemId = (typeof healthItemIds)[number];

/** Words from the i18n table: `health.values.<key>` with its parameters; `ageMs` is shown as the `{{age}}` parameter. */
export interface HealthText {
  key: string;
  params?: Record<string, string | number>;
  ageMs?: number;
}

export interface HealthItem {
  id: HealthItemId;
  level: HealthLevel;
  value: HealthText;
  /** `health.advice.<key>`: what to do; null when the item is OK. */
  advice: HealthText | null;
  /** The driver's or the cloud's own words (English), shown small under the value. */
  detail: string | null;
}

const MB = 1024 * 1024;
const GB = 1024 * MB;
/** Below this the database can no longer grow safely (a day's sales, a backup's copy): a problem. */
export const DISK_LOW_BYTES = 1 * GB;
/** Below this IT should free space before it becomes a problem. */
export const DISK_WARN_BYTES = 5 * GB;
/** A WAL this large means checkpoints are not keeping up (a reader held open for long). */
export const WAL_WARN_BYTES = 64 * MB;
/** A last backup older than its interval plus this grace (a backup takes time, the timer ticks each minute) is late. */
export const BACKUP_GRACE_MS = 10 * 60_000;
/** Without a backup for this long the data of a day or more would be lost with the disk: a problem. */
export const BACKUP_STALE_MS = 24 * 3_600_000;
/** Unsynced sales older than this: the cloud's reports are missing them. */
export const QUEUE_WARN_AGE_MS = 3_600_000;
export const QUEUE_BAD_AGE_MS = 24 * 3_600_000;
/** A redemption held this long is no sale being paid now: a cart left open or suspended with it. */
export const REDEMPTION_WARN_AGE_MS = 10 * 60_000;
/** By then the cloud lists it on head office's exceptions (cloud/domain/online-redemptions.ts). */
export const REDEMPTION_BAD_AGE_MS = 24 * 3_600_000;
/** Clock skew above this is noticed (half of what sync flags): receipts drift from the cloud's time. */
export const CLOCK_WARN_MS = 30_000;

/** Bytes as IT reads them: one decimal in GB or MB, whole KB below a megabyte; the unit never wraps off its number. */
export function formatBytes(bytes: number): string {
  if (bytes >= GB) return `${(bytes / GB).toFixed(1)}\u00a0GB`;
  if (bytes >= MB) return `${(bytes / MB).toFixed(1)}\u00a0MB`;
  return `${Math.ceil(bytes / 1024)}\u00a0KB`;
}

/** An age in the largest whole unit, as `health.ago.<key>` words: `{ key: 'minutes', params: { count: 5 } }`. */
export function ageOf(ms: number): HealthText {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 1) return { key: 'now' };
  if (minutes < 60) return { key: 'minutes', params: { count: minutes } };
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return { key: 'hours', params: { count: hours } };
  return { key: 'days', params: { count: Math.floor(hours / 24) } };
}

const item = (
  id: HealthItemId,
  level: HealthLevel,
  value: HealthText,
  advice: HealthText | null = null,
  detail: string | null = null,
): HealthItem => ({ id, level, value, advice: level === 'ok' ? null : advice, detail });

function disk(report: HealthReport): HealthItem {
  const { freeBytes, totalBytes } = report.disk;
  if (freeBytes === null) return item('disk', 'warn', { key: 'diskUnknown' }, { key: 'diskUnknown' });
  const value = { key: 'diskFree', params: { free: formatBytes(freeBytes), total: totalBytes === null ? '—' : formatBytes(totalBytes) } };
  if (report.database.state === 'disk-full' || freeBytes < DISK_LOW_BYTES) return item('disk', 'bad', value, { key: 'diskLow' });
  if (freeBytes < DISK_WARN_BYTES) return item('disk', 'warn', value, { key: 'diskLow' });
  return item('disk', 'ok', value);
}

function database(report: HealthReport): HealthItem {
  const { bytes, walBytes } = report.database;
  const value = { key: 'databaseSize', params: { size: formatBytes(bytes), wal: formatBytes(walBytes) } };
  if (walBytes > WAL_WARN_BYTES) return item('database', 'warn', value, { key: 'walLarge' });
  return item('database', 'ok', value);
}

function integrity(report: HealthReport): HealthItem {
  switch (report.database.state) {
    case 'ok':
      return item('integrity', 'ok', { key: 'integrityOk' });
    case 'checking':
      return item('integrity', 'warn', { key: 'integrityChecking' }, { key: 'integrityChecking' });
    case 'damaged':
      return item('integrity', 'bad', { key: 'integrityDamaged' }, { key: 'integrityDamaged' });
    case 'disk-full':
      return item('integrity', 'bad', { key: 'integrityDiskFull' }, { key: 'diskLow' });
    case 'unknown':
      return item('integrity', 'warn', { key: 'integrityUnknown' }, { key: 'integrityUnknown' });
  }
}

function migrations(report: HealthReport): HealthItem {
  const { schema, schemaLatest } = report.versions;
  const value = { key: 'migrations', params: { applied: schema, latest: schemaLatest } };
  if (schema === schemaLatest) return item('migrations', 'ok', value);
  return item('migrations', 'bad', value, { key: schema < schemaLatest ? 'migrationsBehind' : 'migrationsAhead' });
}

function backup(report: HealthReport): HealthItem {
  const b = report.backup;
  if (b.lastAt === null) {
    return b.lastError
      ? item('backup', 'bad', { key: 'backupNever' }, { key: 'backupFailed' }, b.lastError)
      : item('backup', 'warn', { key: 'backupNever' }, { key: 'backupNever' });
  }
  const age = report.checkedAt - b.lastAt;
  const value = { key: 'backupAge', params: { count: b.count }, ageMs: age };
  const late = { key: 'backupLate', params: { minutes: b.intervalMinutes } };
  if (b.lastError) return item('backup', 'bad', value, { key: 'backupFailed' }, b.lastError);
  if (age > BACKUP_STALE_MS) return item('backup', 'bad', value, b.scheduled ? late : { key: 'backupOff' });
  if (b.scheduled && age > b.intervalMinutes * 60_000 + BACKUP_GRACE_MS) return item('backup', 'warn', value, late);
  if (!b.scheduled) return item('backup', 'warn', value, { key: 'backupOff' });
  return item('backup', 'ok', value);
}

const deviceValue = (device: DeviceHealth): HealthText => ({ key: `device.${device.raw}` });

/** The parts there are, joined for the detail line; null when there is none. */
const joined = (...parts: (string | null)[]): string | null => parts.filter((part) => part).join('\u00a0· ') || null;

/** Where the device is (its URI) and the driver's words when it is not well. */
const whereAndWhy = (device: DeviceHealth): string | null => joined(device.uri, device.state === 'ok' ? null : device.detail);

function printer(report: HealthReport): HealthItem {
  const p = report.devices.printer;
  const value = deviceValue(p);
  const detail = whereAndWhy(p);
  switch (p.state) {
    case 'not-configured':
      return item('printer', 'warn', value, { key: 'printerNotConfigured' });
    case 'offline':
      return item('printer', 'bad', value, { key: 'printerOffline' }, detail);
    case 'attention': {
      const advice = p.raw === 'paper-out' ? 'printerPaperOut' : p.raw === 'cover-open' ? 'printerCoverOpen' : 'printerError';
      return item('printer', 'bad', value, { key: advice }, detail);
    }
    case 'unknown':
      return item('printer', 'warn', value, { key: 'deviceNotRunning' }, detail);
    case 'ok':
      if (p.needsAttention > 0) return item('printer', 'warn', value, { key: 'printerJobs', params: { count: p.needsAttention } }, detail);
      return item('printer', 'ok', value, null, detail);
  }
}

/**
 * The drawer opens through the printer's kick port (a real-time pulse that works with the paper out
 * or the cover open), so it is unavailable only when the printer is not set up or cannot be reached.
 */
function drawer(report: HealthReport): HealthItem {
  const d = report.devices.drawer;
  const printerState = report.devices.printer.state;
  if (printerState === 'not-configured') return item('drawer', 'warn', { key: 'drawerNoPrinter' }, { key: 'printerNotConfigured' });
  if (printerState === 'offline' || printerState === 'unknown') {
    return item('drawer', printerState === 'offline' ? 'bad' : 'warn', { key: 'drawerViaPrinter' }, { key: 'drawerViaPrinter' });
  }
  if (d.raw === 'open') return item('drawer', 'warn', { key: 'drawer.open' }, { key: 'drawerOpen' });
  return item('drawer', 'ok', { key: `drawer.${d.raw}` });
}

/** The pole display and the HID scanner are optional: not set up is fine (a keyboard-wedge scanner needs no setup). */
function linkDevice(id: 'display' | 'scanner', device: DeviceHealth): HealthItem {
  const value = deviceValue(device);
  const detail = whereAndWhy(device);
  switch (device.state) {
    case 'not-configured':
      return item(id, 'ok', { key: id === 'scanner' ? 'scannerWedge' : 'displayNone' });
    case 'ok':
      return item(id, 'ok', value, null, detail);
    case 'attention':
      return item(id, 'warn', value, { key: 'deviceConnecting' }, detail);
    case 'offline':
      return item(id, 'bad', value, { key: id === 'scanner' ? 'scannerOffline' : 'displayOffline' }, detail);
    case 'unknown':
      return item(id, 'warn', value, { key: 'deviceNotRunning' }, detail);
  }
}

function sync(report: HealthReport): HealthItem {
  const s = report.sync;
  switch (s.state) {
    case 'online':
      return item('sync', 'ok', { key: 'sync.online' }, null, s.cloudUrl);
    case 'not-enrolled':
      return item('sync', 'warn', { key: 'sync.not-enrolled' }, { key: 'syncNotEnrolled' });
    case 'offline':
      return item('sync', 'warn', { key: 'sync.offline' }, { key: 'syncOffline' }, joined(s.cloudUrl, s.lastError));
    case 'attention':
      return item('sync', 'bad', { key: 'sync.attention' }, { key: 'syncAttention' }, joined(s.cloudUrl, s.lastError));
  }
}

function queue(report: HealthReport): HealthItem {
  const s = report.sync;
  if (s.pending === 0) return item('queue', 'ok', { key: 'queueEmpty' });
  const oldest = s.oldestPendingSaleAt === null ? null : report.checkedAt - s.oldestPendingSaleAt;
  const params = { count: s.pending, sales: s.pendingSales };
  const value = oldest === null ? { key: 'queue', params } : { key: 'queueWithAge', params, ageMs: oldest };
  if (oldest !== null && oldest > QUEUE_BAD_AGE_MS) return item('queue', 'bad', value, { key: 'queueOld' });
  if (oldest !== null && oldest > QUEUE_WARN_AGE_MS) return item('queue', 'warn', value, { key: 'queueOld' });
  return item('queue', 'ok', value);
}

/** Points, credit or gift-card value the cloud holds for a sale this register has not finished. */
function redemptions(report: HealthReport): HealthItem {
  const r = report.redemptions;
  if (r.held === 0 || r.oldestAt === null) return item('redemptions', 'ok', { key: 'redemptionsNone' });
  const age = report.checkedAt - r.oldestAt;
  const value = { key: 'redemptionsHeld', params: { count: r.held, amount: formatHKD(r.value) }, ageMs: age };
  if (age > REDEMPTION_BAD_AGE_MS) return item('redemptions', 'bad', value, { key: 'redemptionsHeld' });
  if (age > REDEMPTION_WARN_AGE_MS) return item('redemptions', 'warn', value, { key: 'redemptionsHeld' });
  return item('redemptions', 'ok', value);
}

function clock(report: HealthReport): HealthItem {
  const skew = report.sync.clockSkewMs;
  if (skew === null) {
    if (report.sync.state === 'not-enrolled') return item('clock', 'ok', { key: 'clockNoCloud' });
    return item('clock', 'warn', { key: 'clockUnknown' }, { key: 'clockUnknown' });
  }
  const seconds = Math.round(skew / 1000);
  const value = { key: seconds === 0 ? 'clockSame' : seconds > 0 ? 'clockBehind' : 'clockAhead', params: { seconds: Math.abs(seconds) } };
  if (Math.abs(skew) > MAX_CLOCK_SKEW_MS) return item('clock', 'bad', value, { key: 'clockSkew' });
  if (Math.abs(skew) > CLOCK_WARN_MS) return item('clock', 'warn', value, { key: 'clockSkew' });
  return item('clock', 'ok', value);
}

function version(report: HealthReport): HealthItem {
  const v = report.versions;
  return item('version', 'ok', {
    key: v.electron === null ? 'version' : 'versionElectron',
    params: { app: v.app, node: v.node, sqlite: v.sqlite, electron: v.electron ?? '' },
  });
}

/** The panel's lines, in the order IT reads them: storage, data, devices, cloud, version. */
export function healthItems(report: HealthReport): HealthItem[] {
  return [
    disk(report),
    database(report),
    integrity(report),
    migrations(report),
    backup(report),
    printer(report),
    drawer(report),
    linkDevice('display', report.devices.display),
    linkDevice('scanner', report.devices.scanner),
    sync(report),
    queue(report),
    redemptions(report),
    clock(report),
    version(report),
  ];
}

/** The worst level of the items: the panel's headline. */
export function overallLevel(items: readonly HealthItem[]): HealthLevel {
  if (items.some((i) => i.level === 'bad')) return 'bad';
  if (items.some((i) => i.level === 'warn')) return 'warn';
  return 'ok';
}
