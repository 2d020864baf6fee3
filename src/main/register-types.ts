import type { Result } from '../shared/errors';
import type { PosEvent } from '../shared/channels';
import type { Clock } from './clock';
import type { Logger } from './log';
import type { CustomerDevicesOptions } from './devices/customer-display-service';
import type { HardwareOptions } from './devices/device-manager';
import type { SyncConfig, SyncController } from './sync/sync-controller';
import type { InstallerKind } from './updates/update-feed';
import type { LoadedPreset } from './settings/preset-config';
import type { Installer, UpdateService } from './updates/update-service';

export interface RegisterConfig {
  /** Folder holding register.db, its WAL and the local secrets. Created if missing. */
  dataDir: string;
  /** Seed the demo store on first run (empty database only). */
  demo?: boolean;
  /** Start without `demo` on a database seeded with the demo store (refused otherwise: `--allow-demo-data`). */
  allowDemoData?: boolean;
  appVersion?: string;
  clock?: Clock;
  /** Where NNNN-slug.sql files live; defaults to the app's migrations/ folder. */
  migrationsDir?: string;
  log?: Logger;
  /** Pole display, HID scanner and customer window (issue 4b): `--display`/`--scanner` and test hooks. */
  customerDevices?: CustomerDevicesOptions;
  /** Receipt printer and drawer (issue 4a): `--printer`, the demo's emulated printer, test timings. */
  hardware?: HardwareOptions;
  /** The store's IANA time zone for every shown and printed time (`--time-zone`; remembered in settings). */
  timeZone?: string;
  /** Sync with the cloud (issue 5): the worker's bundle, Electron's safeStorage, test timings. */
  sync?: SyncConfig;
  /** How long F8's cloud lookup waits before "offline: not found locally" (default 1.5 s; tests shorten it). */
  memberLookupTimeoutMs?: number;
  /** How long a shared count's variance or post waits for this register's own scans to reach the cloud (default 15 s; tests shorten it). */
  sharedCountWaitMs?: number;
  /** How long a completion waits for the cloud to redeem points or store credit before the offline bound decides (default 2 s). */
  storedValueTimeoutMs?: number;
  /** The fleet preset file (issue 17), applied when new or changed: src/main/settings/preset-config.ts. */
  preset?: LoadedPreset | null;
  /** Updates (issue 17): the desktop app's installer; the kiosk host has none (it reads the feed and says). */
  updates?: {
    installerKind?: InstallerKind | null;
    installer?: Installer | null;
    /** Which feed file to read (latest.yml, latest-linux.yml): this machine's, unless a test says. */
    platform?: NodeJS.Platform;
    /** Off: no timer; checks only when asked (tests). */
    autoCheck?: boolean;
    tuning?: { feedTimeoutMs?: number; gateEveryMs?: number; cloudTimeoutMs?: number; installTimeoutMs?: number };
  };
}

/** The register core as both hosts (Electron and the kiosk host) see it. */
export interface Register {
  /**
   * Route one request: the channel must exist, the payload must match its schema, the logged-in
   * staff member must have the channel's permission. Never throws; every failure is an envelope.
   */
  dispatch(channel: unknown, payload: unknown): Promise<Result<unknown>>;
  onEvent(listener: (event: PosEvent) => void): () => void;
  readonly dataDir: string;
  readonly dbFile: string;
  /** The machine woke from sleep (Electron's powerMonitor): sync at once. */
  resumed(): void;
  /** The sync worker's controller (issue 5): status, and hooks the fault test and benchmark use. */
  readonly sync: SyncController;
  /** Updates (issue 17): state, checks, and the install gate. */
  readonly updates: UpdateService;
  /** Checkpoint the WAL into the main file and close. Idempotent. */
  close(): void;
}
