/**
 * The composition root: builds the register core from its configuration. The Electron bootstrap
 * and the kiosk host both call this and nothing else.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PosEvent } from '../shared/channels';
import type { RegisterStatus } from '../shared/schemas';
import { appPaths } from './app-paths';
import { systemClock } from './clock';
import { checkpointAndClose, openDatabase } from './db/open';
import { loadMigrations, migrate } from './db/migrate';
import { lockDataDir } from './db/data-dir-lock';
import { checkIntegrityInBackground } from './db/integrity-check';
import { createDiskFullWatch, diskFullAtStart, isDiskFull } from './db/disk-full';
import { createApiRouter } from './api/router';
import { createHandlers } from './api/handlers';
import { createStaffService } from './staff/staff-service';
import { createStaffAdmin } from './staff/staff-admin';
import { createPermissionMatrix } from './staff/permission-matrix';
import { grantNewPermissionDefaults } from './staff/role-repo';
import { createAuditLog } from './audit/audit-log';
import { anchorPath } from './audit/audit-anchor';
import { checkAuditAnchorAtStart } from './audit/anchor-check';
import { loadOrCreateSecret } from './secrets/local-secret';
import { readIdentity } from './settings/identity';
import { isEmpty, loadDemoStore, seedFirstManager, seedStore } from './demo/seed';
import { createConsoleLogger } from './log';
import { createCatalogService } from './catalog/catalog-service';
import { createCartService } from './checkout/cart-service';
import { createCustomerDeviceService } from './devices/customer-display-service';
import { createDeviceManager } from './devices/device-manager';
import { createShiftService } from './shifts/shift-service';
import { createDayService } from './shifts/day-service';
import { createStockService } from './stock/stock-service';
import { createSharedCounts } from './stock/shared-counts';
import { createLabelService } from './labels/label-service';
import { createSaleService } from './checkout/sale-service';
import { createStoredValue } from './members/stored-value';
import { createGiftCards } from './members/gift-cards';
import { createMemberService } from './members/member-service';
import { demoMembers } from './members/demo-members';
import { upsertCloudMember } from './members/member-repo';
import { saveReceiptLogo } from './devices/receipt-logo';
import { demoPromotions } from './pricing/demo-promotions';
import type { Register, RegisterConfig } from './register-types';
import { createSyncController } from './sync/sync-controller';
import { readStoreTimeZone, writeStoreTimeZone } from './settings/store-time-zone';
import { readSetting, writeSetting } from './settings/settings-repo';
import { z } from 'zod';
import { createBackupService } from './backup/backup-service';
import { copyBeforeMigrations, pendingStartCopies, recordVersion, startBackupNeeded } from './updates/version-start';
import { createUpdateService, defaultUpdateSettings, UPDATE_SETTINGS_KEY } from './updates/update-service';
import { presetSummary, type LoadedPreset } from './settings/preset-config';
import { readEnrolment } from './sync/sync-store';
import { enrolRegister } from './sync/enrolment';
import type { AuditLog } from './audit/audit-log';
import type { Clock } from './clock';
import type { Logger } from './log';
import type { SyncController } from './sync/sync-controller';
import type { RestoreHook } from './backup/backup-handlers';
import { RESTORE_NOTE_KEY, restoreBackup } from './backup/restore';
import { schemaVersion } from './db/migrate';
import { PosError, fail } from '../shared/errors';
import { createOrderService, type OrderService } from './orders/order-service';
import { orderFigures } from './orders/order-repo';
import { createTrainingService } from './training/training-service';

export type { Register, RegisterConfig } from './register-types';

/** The preset file last applied in full (its SHA-256): a changed file is applied again. */
const PRESET_APPLIED_KEY = 'preset.applied';

/**
 * The preset's cloud part, after the register is built: enrol with the one-time code (in the
 * background: the till does not wait for the cloud), then mark the preset applied. A preset whose
 * enrolment failed is applied again at the next start (an unreachable cloud, say); one without a
 * code, or on a register already enrolled, is marked at once.
 */
function applyPresetCloud(
  loaded: LoadedPreset,
  deps: {
    db: ReturnType<typeof openDatabase>;
    sync: SyncController;
    audit: AuditLog;
    clock: Clock;
    log: Logger;
    statusChanged: () => void;
  },
): void {
  const { db, log } = deps;
  const markApplied = () => writeSetting(db, PRESET_APPLIED_KEY, { sha256: loaded.sha256, file: loaded.file, at: deps.clock.now() });
  const cloud = loaded.preset.cloud;
  log.info('preset file applied', { file: loaded.file, settings: presetSummary(loaded.preset) });
  if (!cloud?.enrolCode || readEnrolment(db) !== null) {
    markApplied();
    return;
  }
  void enrolRegister({ db, vault: deps.sync.vault, audit: deps.audit, clock: deps.clock, lock: deps.sync.enrolmentLock }, null, {
    cloudUrl: cloud.url,
    code: cloud.enrolCode,
  })
    .then(async (enrolled) => {
      if (!db.open) return;
      markApplied();
      log.info('enrolled with the cloud from the preset file', {
        cloudUrl: cloud.url,
        store: enrolled.storeCode,
        register: enrolled.registerCode,
      });
      const wanted = loaded.preset.store?.code;
      if (wanted !== undefined && wanted !== enrolled.storeCode)
        log.warn('the enrolment code belongs to another store than the preset file names', { preset: wanted, cloud: enrolled.storeCode });
      deps.statusChanged();
      await deps.sync.restart();
    })
    .catch((error: unknown) => {
      log.error('enrolment from the preset file failed; it is tried again at the next start', {
        error: error instanceof Error ? error.message : String(error),
      });
    });
}

/** Set when the demo store is seeded: a real register refuses such a database unless told (`--allow-demo-data`). */
const DEMO_DATA_KEY = 'register.demoData';

/** Builds the register; a start on a full disk says so plainly (DB_DISK_FULL) instead of a raw SQLite or ENOSPC error. */
async function openRegister(config: RegisterConfig, hooks: { restore: RestoreHook }): Promise<Register> {
  try {
    return await buildRegister(config, hooks);
  } catch (error) {
    if (isDiskFull(error)) throw diskFullAtStart(config.dataDir, error);
    throw error;
  }
}

/**
 * The register both hosts hold. A restore from the back office closes the core, swaps the files
 * and builds it again behind this same object: the hosts keep their window and socket, listeners
 * stay subscribed, and requests that arrive meanwhile are answered RESTORING (nothing is done).
 */
export async function createRegister(config: RegisterConfig): Promise<Register> {
  const listeners = new Set<(event: PosEvent) => void>();
  const forward = (event: PosEvent) => {
    for (const listener of listeners) listener(event);
  };
  let restoring = false;
  const restore: RestoreHook = async ({ file, passphrase, staffId }) => {
    if (restoring) throw new PosError('BACKUP_BUSY', 'A restore is already running');
    restoring = true;
    const log = config.log ?? createConsoleLogger();
    const latestSchema = loadMigrations(config.migrationsDir ?? appPaths().migrationsDir).length;
    try {
      unsubscribe();
      inner.close();
      log.warn('restoring a backup: the register stops and starts again', { backup: file });
      let summary;
      try {
        summary = await restoreBackup({
          dataDir: config.dataDir,
          file,
          passphrase,
          latestSchema,
          appVersion: config.appVersion ?? appPaths().version,
          now: (config.clock ?? systemClock).now(),
          staffId,
        });
      } finally {
        // Whatever happened, the register runs again: on the restored files, or on the old ones
        // when the restore stopped before swapping them.
        inner = await openRegister(config, { restore });
        unsubscribe = inner.onEvent(forward);
        restoring = false;
      }
      log.info('backup restored', { backup: summary.backup, floors: summary.floors, safetyCopy: summary.safetyCopy });
      void inner.dispatch('register:status', {}).then((answer) => {
        if (answer.ok) forward({ event: 'register:status', payload: answer.value as RegisterStatus });
      });
      return summary;
    } catch (error) {
      restoring = false;
      throw error;
    }
  };
  let inner = await openRegister(config, { restore });
  let unsubscribe = inner.onEvent(forward);
  return {
    dispatch(channel, payload) {
      if (restoring) return Promise.resolve(fail('RESTORING', 'The register is restoring a backup; it is back in a moment'));
      return inner.dispatch(channel, payload);
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dataDir: config.dataDir,
    get dbFile() {
      return inner.dbFile;
    },
    resumed: () => inner.resumed(),
    get sync() {
      return inner.sync;
    },
    get updates() {
      return inner.updates;
    },
    close() {
      listeners.clear();
      inner.close();
    },
  };
}

async function buildRegister(config: RegisterConfig, hooks: { restore: RestoreHook }): Promise<Register> {
  const paths = appPaths();
  const log = config.log ?? createConsoleLogger();
  const clock = config.clock ?? systemClock;
  const appVersion = config.appVersion ?? paths.version;
  const dbFile = join(config.dataDir, 'register.db');

  const unlock = lockDataDir(config.dataDir);
  let db: ReturnType<typeof openDatabase>;
  try {
    db = openDatabase(dbFile, { checkIntegrity: false });
  } catch (error) {
    unlock();
    throw error;
  }
  const listeners = new Set<(event: PosEvent) => void>();
  // What has started hardware: a failure further on closes it with the database.
  const started: { close(): Promise<void> }[] = [];
  try {
    const migrations = loadMigrations(config.migrationsDir ?? paths.migrationsDir);
    // Before a new version's first start, or before migrations change an existing database: a
    // backup, so the new version (and its migrations) can be rolled back by restoring it. Before
    // migrations the start waits for a copy of the database, archived beside the till; without
    // them the whole backup is made beside the till (both below, once the register runs).
    const startBackup = startBackupNeeded(db, appVersion, { current: schemaVersion(db), latest: migrations.length });
    if (startBackup?.beforeMigrations) await copyBeforeMigrations(startBackup, { dataDir: config.dataDir, dbFile, now: clock.now(), log });
    const applied = migrate(db, migrations);
    if (applied.length > 0) log.info('migrations applied', { applied });
    // Made beside the till, the backup records the version when it is there: a start it did not finish makes it again.
    if (!startBackup || startBackup.beforeMigrations) recordVersion(db, appVersion);

    const pepper = loadOrCreateSecret(config.dataDir, 'pin-pepper');
    if (isEmpty(db)) {
      if (config.demo) {
        await seedStore(db, loadDemoStore(join(paths.assetsDir, 'demo', 'store.json')), pepper, demoPromotions);
        saveReceiptLogo(db, readFileSync(join(paths.assetsDir, 'demo', 'logo.pbm')).toString('base64'));
        db.transaction(() => demoMembers.forEach((m) => upsertCloudMember(db, m))).immediate();
        writeSetting(db, DEMO_DATA_KEY, true);
        log.info('demo store seeded');
      } else {
        const pinFile = await seedFirstManager(db, pepper, config.dataDir);
        log.warn('new register: log in as Administrator with the one-time PIN in this file', { pinFile });
      }
    } else if (!config.demo && !config.allowDemoData && readSetting(db, DEMO_DATA_KEY, z.boolean(), false)) {
      throw new Error(
        `${config.dataDir} holds the demo store (demo staff, PIN 1234): start with --demo, point --data-dir at the real register's folder, or pass --allow-demo-data to use it anyway`,
      );
    }
    // The fleet preset: applied when it is new or changed since it was last applied in full. What
    // the command line says wins over it; its values are never logged (it may hold the enrolment code).
    const presetApplied = readSetting(db, PRESET_APPLIED_KEY, z.object({ sha256: z.string() }).nullable(), null);
    const preset = config.preset && presetApplied?.sha256 !== config.preset.sha256 ? config.preset : null;
    const fromPreset = preset?.preset;
    const timeZone = config.timeZone ?? fromPreset?.timeZone;
    if (timeZone !== undefined) writeStoreTimeZone(db, timeZone);
    if (fromPreset?.store && readEnrolment(db) === null) {
      const { code, nameZh, nameEn } = fromPreset.store;
      db.prepare(
        `UPDATE store SET code = :code, name_zh = coalesce(:nameZh, name_zh), name_en = coalesce(:nameEn, name_en)
         WHERE id = (SELECT store_id FROM this_register WHERE id = 1)`,
      ).run({ code, nameZh: nameZh ?? null, nameEn: nameEn ?? null });
    }
    if (fromPreset?.updates) writeSetting(db, UPDATE_SETTINGS_KEY, { ...defaultUpdateSettings, ...fromPreset.updates });
    const hardwareOptions = {
      ...(fromPreset?.printer
        ? { printer: fromPreset.printer.uri, ...(fromPreset.printer.profile ? { printerProfile: fromPreset.printer.profile } : {}) }
        : {}),
      ...config.hardware,
    };
    const customerDeviceOptions = {
      ...(fromPreset?.display ? { displayUri: fromPreset.display } : {}),
      ...(fromPreset?.scanner ? { scannerUri: fromPreset.scanner } : {}),
      ...config.customerDevices,
    };

    // Events: nothing is listening until the register is built, and status() reads services built
    // below, so nothing is announced before `built`.
    let built = false;
    const emit = (event: PosEvent) => {
      for (const listener of listeners) listener(event);
    };
    const status = (): RegisterStatus => {
      const identity = readIdentity(db);
      if (!identity) throw new Error('register identity missing after seeding');
      return {
        ...identity,
        staff: staff.current(),
        appVersion,
        serverTime: clock.now(),
        timeZone: readStoreTimeZone(db),
        sync: sync.summary(),
        printer: devices.printerState(),
        database: diskFull.full() ? 'disk-full' : database,
        audit: auditState,
        orders: orderFigures(db),
        training: training.status(),
      };
    };
    const statusChanged = () => {
      if (built && db.open) emit({ event: 'register:status', payload: status() });
    };
    let database: RegisterStatus['database'] = 'checking';
    const diskFull = createDiskFullWatch({ db, dataDir: config.dataDir, onChange: () => statusChanged() });
    const integrity = checkIntegrityInBackground(dbFile);
    void integrity.result.then((problems) => {
      if (!db.open) return;
      database = problems.length === 0 ? 'ok' : 'damaged';
      if (problems.length > 0)
        log.error('the register database failed its integrity check: restore it from a backup', { problems: problems.slice(0, 5) });
      statusChanged();
    });

    // 1. the record keepers: audit log (anchored in secrets/, checked now), permissions, sync queue
    const audit = createAuditLog({
      db,
      key: loadOrCreateSecret(config.dataDir, 'audit-key'),
      clock,
      anchorFile: anchorPath(config.dataDir),
      log,
    });
    const auditState = checkAuditAnchorAtStart(audit, anchorPath(config.dataDir), log);
    // A restore left a note: the restored log records it (who, which backup, the floors set).
    const restoreNote = readSetting(db, RESTORE_NOTE_KEY, z.record(z.string(), z.unknown()).nullable(), null);
    if (restoreNote !== null) {
      db.transaction(() => {
        const { staffId, ...detail } = restoreNote;
        audit.append({ kind: 'backup.restored', staffId: typeof staffId === 'number' ? staffId : null, detail });
        db.prepare('DELETE FROM setting WHERE key = ?').run(RESTORE_NOTE_KEY);
      })();
    }
    const backups = createBackupService({ db, dataDir: config.dataDir, dbFile, clock, log, appVersion });
    grantNewPermissionDefaults(db);
    const matrix = createPermissionMatrix(db);
    const sync = createSyncController({
      db,
      dbFile,
      dataDir: config.dataDir,
      clock,
      log,
      appVersion,
      onChange: statusChanged,
      ...(config.sync ? { config: config.sync } : {}),
    });

    // 2. the hardware: printer and drawer, pole display, customer window and HID scanner
    const devices = await createDeviceManager({
      db,
      clock,
      log,
      onChange: statusChanged,
      dataDir: config.dataDir,
      hardware: hardwareOptions,
    });
    started.push(devices);
    const customerDevices = await createCustomerDeviceService({
      db,
      clock,
      log,
      emit,
      options: customerDeviceOptions,
    });
    started.push(customerDevices);

    // 3. who is at the till; logging in or out changes what the customer sees (the cart is read
    //    only then, after the register is built)
    const staff = createStaffService({
      db,
      pepper,
      clock,
      audit,
      matrix,
      onChange: () => {
        statusChanged();
        customerDevices.loginChanged(staff.current() === null ? null : { openCart: carts.current() });
      },
    });
    const staffAdmin = createStaffAdmin({ db, pepper, clock, audit, matrix, staff, onChange: statusChanged });

    // 4. selling: catalogue, cart, sale; the shifts and the day
    const catalog = createCatalogService({ db, staff, audit });
    const registerCode = () => readIdentity(db)?.register.code ?? '01';
    const carts = createCartService({
      db,
      clock,
      staff,
      audit,
      registerCode,
      resolveScan: catalog.resolveScan,
      onChanged: (cart) => customerDevices.cartChanged(cart),
    });
    const cloudToken = () => {
      try {
        return sync.vault.read();
      } catch {
        return null;
      }
    };
    // Built after the sale service (it prints through the devices, and the sale closes its orders).
    let orders: OrderService | null = null;
    const giftCards = createGiftCards({
      db,
      clock,
      log,
      cloudToken,
      ...(config.storedValueTimeoutMs === undefined ? {} : { timeoutMs: config.storedValueTimeoutMs }),
      ...(config.memberLookupTimeoutMs === undefined ? {} : { lookupTimeoutMs: config.memberLookupTimeoutMs }),
    });
    const sales = createSaleService({
      db,
      clock,
      carts,
      audit,
      giftCards,
      storedValue: createStoredValue({
        db,
        clock,
        log,
        cloudToken,
        ...(config.storedValueTimeoutMs === undefined ? {} : { timeoutMs: config.storedValueTimeoutMs }),
      }),
      orders: {
        checkForSale: (orderNo, receiptNo, pickup) => (orders as OrderService).checkForSale(orderNo, receiptNo, pickup),
        collectWithSale: (orderNo, receiptNo, pickup) => (orders as OrderService).collectWithSale(orderNo, receiptNo, pickup),
        claimForSale: (cartId, orderNo, pickup) => (orders as OrderService).claimForSale(cartId, orderNo, pickup),
      },
      // The receipt's print job commits with the sale.
      onWritten: (receipt) => devices.queueReceipt(receipt),
      // After COMMIT: the drawer opens by the rule, the printer worker and the sync worker wake, the
      // customer sees the change. The status event (queue depth) is for the status bar: sent after
      // the sale's answer, not before it.
      onCompleted: (receipt) => {
        devices.saleCompleted(receipt);
        customerDevices.saleCompleted(receipt);
        sync.wake();
        backups.saleCommitted();
        setImmediate(statusChanged);
      },
    });
    orders = createOrderService({
      db,
      clock,
      log,
      carts,
      devices: devices.counterDevices,
      cloudToken,
      onChanged: () => {
        sync.wake();
        setImmediate(statusChanged);
      },
    });
    // 練習模式: the till's own cart and sale code on a training copy (src/main/training).
    const training = createTrainingService({
      db,
      dataDir: config.dataDir,
      clock,
      audit,
      log,
      staff,
      registerCode,
      resolveScan: catalog.resolveScan,
      onCartChanged: (cart) => customerDevices.cartChanged(cart),
      onDocument: (receipt, options) => {
        devices.trainingReceipt(receipt, options);
        customerDevices.saleCompleted(receipt);
      },
      onChange: statusChanged,
    });
    const members = createMemberService({
      db,
      clock,
      log,
      cloudToken,
      ...(config.memberLookupTimeoutMs === undefined ? {} : { lookupTimeoutMs: config.memberLookupTimeoutMs }),
    });
    const shifts = createShiftService({ db, clock, audit, staff, devices: devices.counterDevices });
    const days = createDayService({ db, clock, audit, devices: devices.counterDevices });
    const stock = createStockService({ db, clock, audit });
    const sharedCounts = createSharedCounts({
      db,
      clock,
      audit,
      log,
      stock,
      cloudToken,
      wakeSync: () => sync.wake(),
      onRefused: () => sync.changed(),
      ...(config.sharedCountWaitMs === undefined ? {} : { ownEntriesWaitMs: config.sharedCountWaitMs }),
    });
    const labels = createLabelService({ db, clock, receiptPrinter: () => devices.receiptPrinter() });
    const updates = createUpdateService({
      db,
      dataDir: config.dataDir,
      clock,
      log,
      audit,
      currentVersion: appVersion,
      installerKind: config.updates?.installerKind ?? null,
      installer: config.updates?.installer ?? null,
      ...(config.updates?.platform ? { platform: config.updates.platform } : {}),
      cloudToken,
      // Not enrolled: nothing will drain the queue, so it does not hold an update back.
      queueDepth: () => {
        const summary = sync.summary();
        return summary.state === 'not-enrolled' ? 0 : summary.pending;
      },
      onChange: statusChanged,
      ...(config.updates?.tuning ? { tuning: config.updates.tuning } : {}),
    });

    // 5. the one entrance for requests
    const router = createApiRouter({
      handlers: createHandlers({
        db,
        audit,
        staff,
        staffAdmin,
        status,
        catalog,
        carts,
        sales,
        customerDevices,
        devices,
        sync,
        shifts,
        days,
        members,
        giftCards,
        backups,
        restore: hooks.restore,
        stock,
        sharedCounts,
        diagnostics: {
          db,
          dataDir: config.dataDir,
          dbFile,
          appVersion,
          migrations: () => migrations,
          clock,
          log,
          live: {
            printer: () => devices.printerState(),
            display: () => customerDevices.display.status(),
            scanner: () => customerDevices.scanner.status(),
            sync: () => sync.status(),
            backup: () => backups.state(),
            backupCount: async () => (await backups.list()).length,
            database: () => (diskFull.full() ? 'disk-full' : database),
            training: () => training.status().on,
          },
        },
        orders,
        labels,
        updates,
        training,
      }),
      currentStaff: staff.current,
      log,
      onDiskFull: diskFull.report,
    });

    built = true;
    if (preset) applyPresetCloud(preset, { db, sync, audit, clock, log, statusChanged });
    sync.start();
    backups.start();
    void (async () => {
      // failures are logged by backupNow; a copy left, or a version not recorded, is tried at the next start
      for (const copy of await pendingStartCopies(config.dataDir)) {
        if (!db.open) return;
        await backups.backupNow(copy.kind, { dataVersion: copy.dataVersion, copied: copy }).catch(() => undefined);
      }
      if (startBackup && !startBackup.beforeMigrations && db.open)
        await backups.backupNow(startBackup.kind, { dataVersion: startBackup.dataVersion }).then(
          () => db.open && recordVersion(db, appVersion),
          () => undefined,
        );
    })();
    if (config.updates?.autoCheck !== false) updates.start();

    return {
      dispatch: (channel, payload) => router.dispatch(channel, payload),
      onEvent(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      dataDir: config.dataDir,
      dbFile,
      resumed: () => sync.now(),
      sync,
      updates,
      close() {
        updates.close();
        void integrity.cancel();
        diskFull.stop();
        backups.close();
        sync.closeNow();
        void customerDevices.close();
        void devices.close();
        listeners.clear();
        training.close();
        audit.flushAnchor();
        checkpointAndClose(db);
        unlock();
      },
    };
  } catch (error) {
    for (const hardware of started) void hardware.close();
    db.close();
    unlock();
    throw error;
  }
}
