/**
 * The health panel (健康狀態) and the diagnostics bundle (issue 17): what the register knows about
 * itself for IT. One shape for the live panel (`health:status`) and the bundle's `health.json`, so
 * what IT sees on screen is what support reads in the zip. No secret is ever part of it.
 */
import * as z from './zod';
import { SyncState } from './schemas';

/** A device as the panel colours it; `raw` is the driver's own word (paper-out, disconnected …). */
export const DeviceHealthState = z.enum(['not-configured', 'ok', 'attention', 'offline', 'unknown']);
export type DeviceHealthState = z.infer<typeof DeviceHealthState>;

export const DeviceHealth = z.object({
  state: DeviceHealthState,
  raw: z.string(),
  uri: z.string().nullable(),
  detail: z.string().nullable(),
});
export type DeviceHealth = z.infer<typeof DeviceHealth>;

export const HealthReport = z.object({
  /** ms since the epoch: when these figures were read. */
  checkedAt: z.number().int(),
  /** `register`: read live by the running register; `cli`: `npm run diagnostics` read the folder. */
  source: z.enum(['register', 'cli']),
  store: z.object({ code: z.string(), registerCode: z.string() }).nullable(),
  versions: z.object({
    app: z.string(),
    node: z.string(),
    electron: z.string().nullable(),
    sqlite: z.string(),
    /** PRAGMA user_version, and the newest migration this app knows. */
    schema: z.number().int(),
    schemaLatest: z.number().int(),
  }),
  os: z.object({
    platform: z.string(),
    release: z.string(),
    arch: z.string(),
    hostname: z.string(),
    uptimeSeconds: z.number().int(),
    memoryFreeBytes: z.number().int(),
    memoryTotalBytes: z.number().int(),
  }),
  /** The disk holding the data folder; null where the OS would not say. */
  disk: z.object({ freeBytes: z.number().int().nullable(), totalBytes: z.number().int().nullable() }),
  database: z.object({
    /** The start's quick_check (live), or `unknown` for the CLI until the bundle's integrity_check runs. */
    state: z.enum(['checking', 'ok', 'damaged', 'disk-full', 'unknown']),
    bytes: z.number().int(),
    walBytes: z.number().int(),
  }),
  backup: z.object({
    lastAt: z.number().int().nullable(),
    /** The schedule (備份及還原): scheduled backups on, and every how many minutes; the panel warns past it. */
    scheduled: z.boolean(),
    intervalMinutes: z.number().int(),
    lastError: z.string().nullable(),
    keySet: z.boolean(),
    running: z.boolean(),
    count: z.number().int(),
  }),
  devices: z.object({
    printer: DeviceHealth.extend({ queued: z.number().int(), needsAttention: z.number().int() }),
    drawer: DeviceHealth.extend({ rule: z.string() }),
    display: DeviceHealth,
    scanner: DeviceHealth.extend({ lastScanAt: z.number().int().nullable() }),
  }),
  sync: z.object({
    state: SyncState,
    pending: z.number().int(),
    pendingSales: z.number().int(),
    oldestPendingSaleAt: z.number().int().nullable(),
    lastSyncAt: z.number().int().nullable(),
    /** Cloud time − register time from the last answer's Date header, ms; null before the first answer. */
    clockSkewMs: z.number().int().nullable(),
    lastError: z.string().nullable(),
    cloudUrl: z.string().nullable(),
    tokenStored: z.boolean(),
  }),
  /**
   * Online redemptions (points, store credit, gift cards) asked of the cloud and neither settled by
   * a sale nor released: `value` in cents, `oldestAt` when the oldest was asked.
   */
  redemptions: z.object({ held: z.number().int(), value: z.number().int(), oldestAt: z.number().int().nullable() }),
  logs: z.object({ files: z.number().int(), bytes: z.number().int() }),
  /** Training mode (練習模式) on this register now. */
  training: z.boolean(),
});
export type HealthReport = z.infer<typeof HealthReport>;

/** The bundle made from the back office: where it was written, and its bytes for the browser to save. */
export const DiagnosticsBundle = z.object({
  name: z.string(),
  file: z.string(),
  bytes: z.number().int(),
  /** The zip, base64; null when it is too large to hand to the page (IT takes it from `file`). */
  base64: z.string().nullable(),
});
export type DiagnosticsBundle = z.infer<typeof DiagnosticsBundle>;
