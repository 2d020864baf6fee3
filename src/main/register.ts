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
import { createApiRouter } from './api/router';
import { createHandlers } from './api/handlers';
import { createStaffService } from './staff/staff-service';
import { createStaffAdmin } from './staff/staff-admin';
import { createPermissionMatrix } from './staff/permission-matrix';
import { grantNewPermissionDefaults } from './staff/role-repo';
import { createAuditLog } from './audit/audit-log';
import { loadOrCreateSecret } from './secrets/local-secret';
import { readIdentity } from './settings/identity';
import { isEmpty, loadDemoStore, seedFirstManager, seedStore } from './demo/seed';
import { createConsoleLogger } from './log';
import { createCatalogService } from './catalog/catalog-service';
import { createCartService } from './checkout/cart-service';
import { createCustomerDeviceService } from './devices/customer-display-service';
import { createDeviceManager, type DeviceManager } from './devices/device-manager';
import { createShiftService } from './shifts/shift-service';
import { createDayService } from './shifts/day-service';
import { createSaleService } from './checkout/sale-service';
import { saveReceiptLogo } from './devices/receipt-logo';
import { demoPromotions } from './pricing/demo-promotions';
import type { Register, RegisterConfig } from './register-types';
import { createSyncController } from './sync/sync-controller';
import { readStoreTimeZone, writeStoreTimeZone } from './settings/store-time-zone';
import { readSetting, writeSetting } from './settings/settings-repo';
import { z } from 'zod';

export type { Register, RegisterConfig } from './register-types';

/** Set when the demo store is seeded: a real register refuses such a database unless told (`--allow-demo-data`). */
const DEMO_DATA_KEY = 'register.demoData';

export async function createRegister(config: RegisterConfig): Promise<Register> {
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
  let devices: DeviceManager | null = null;
  try {
    const applied = migrate(db, loadMigrations(config.migrationsDir ?? paths.migrationsDir));
    if (applied.length > 0) log.info('migrations applied', { applied });

    const pepper = loadOrCreateSecret(config.dataDir, 'pin-pepper');
    if (isEmpty(db)) {
      if (config.demo) {
        await seedStore(db, loadDemoStore(join(paths.assetsDir, 'demo', 'store.json')), pepper, demoPromotions);
        saveReceiptLogo(db, readFileSync(join(paths.assetsDir, 'demo', 'logo.pbm')).toString('base64'));
        writeSetting(db, DEMO_DATA_KEY, true);
        log.info('demo store seeded');
      } else {
        const pinFile = await seedFirstManager(db, pepper, config.dataDir);
        log.warn('new register: log in as Administrator with the one-time PIN in this file', { pinFile });
      }
    } else if (!config.demo && !config.allowDemoData && readSetting(db, DEMO_DATA_KEY, z.boolean(), false)) {
      throw new Error(`${config.dataDir} holds the demo store (demo staff, PIN 1234): start with --demo, point --data-dir at the real register's folder, or pass --allow-demo-data to use it anyway`);
    }
    if (config.timeZone !== undefined) writeStoreTimeZone(db, config.timeZone);

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
        printer: devices ? devices.printerState() : { state: 'not-configured' },
        database,
      };
    };
    const statusChanged = () => {
      if (db.open) emit({ event: 'register:status', payload: status() });
    };
    let database: RegisterStatus['database'] = 'checking';
    const integrity = checkIntegrityInBackground(dbFile);
    void integrity.result.then((problems) => {
      if (!db.open) return;
      database = problems.length === 0 ? 'ok' : 'damaged';
      if (problems.length > 0) log.error('the register database failed its integrity check: restore it from a backup', { problems: problems.slice(0, 5) });
      statusChanged();
    });
    const audit = createAuditLog({ db, key: loadOrCreateSecret(config.dataDir, 'audit-key'), clock });
    grantNewPermissionDefaults(db);
    const sync = createSyncController({ db, dbFile, dataDir: config.dataDir, clock, log, onChange: statusChanged, ...(config.sync ? { config: config.sync } : {}) });
    const matrix = createPermissionMatrix(db);
    const staff = createStaffService({ db, pepper, clock, audit, matrix, onChange: statusChanged });
    const staffAdmin = createStaffAdmin({ db, pepper, clock, audit, matrix, staff, onChange: statusChanged });
    const catalog = createCatalogService({ db, staff, audit });
    const registerCode = () => readIdentity(db)?.register.code ?? '01';
    const carts = createCartService({ db, clock, staff, audit, registerCode, resolveScan: catalog.resolveScan });
    // The status event (queue depth) is for the status bar: sent after the sale's answer, not before it.
    // The receipt's print job commits with the sale; after COMMIT the drawer opens by the rule and the printer worker wakes.
    const sales = createSaleService({ db, clock, carts, audit, onWritten: (receipt) => devices?.queueReceipt(receipt), onCompleted: (receipt) => {
      devices?.saleCompleted(receipt);
      sync.wake();
      setImmediate(statusChanged);
    } });
    const customerDevices = await createCustomerDeviceService({ db, clock, log, carts, emit, ...(config.customerDevices ? { options: config.customerDevices } : {}) });
    devices = await createDeviceManager({ db, clock, log, onChange: statusChanged, ...(config.hardware ? { hardware: config.hardware } : {}) });
    const shifts = createShiftService({ db, clock, audit, staff, devices: devices.counterDevices });
    const days = createDayService({ db, clock, audit, devices: devices.counterDevices });
    const router = createApiRouter({ handlers: createHandlers({ db, audit, staff, staffAdmin, status, catalog, carts, sales, customerDevices, devices, sync, shifts, days }), currentStaff: staff.current, log });

    sync.start();

    return {
      async dispatch(channel, payload) {
        const result = await router.dispatch(channel, payload);
        // After the answer is ready, never awaited: the pole display and customer window follow.
        customerDevices.observe(channel, result);
        return result;
      },
      onEvent(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      dataDir: config.dataDir,
      dbFile,
      resumed: () => sync.now(),
      sync,
      close() {
        integrity.cancel();
        sync.closeNow();
        void customerDevices.close();
        void devices?.close();
        listeners.clear();
        checkpointAndClose(db);
        unlock();
      },
    };
  } catch (error) {
    db.close();
    unlock();
    throw error;
  }
}
