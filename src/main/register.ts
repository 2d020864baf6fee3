/**
 * The composition root: builds the register core from its configuration. The Electron bootstrap
 * and the kiosk host both call this and nothing else.
 */
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
import { createAuditLog } from './audit/audit-log';
import { loadOrCreateSecret } from './secrets/local-secret';
import { readIdentity } from './settings/identity';
import { isEmpty, loadDemoStore, seedFirstManager, seedStore } from './demo/seed';
import { createConsoleLogger } from './log';
import { createCatalogService } from './catalog/catalog-service';
import { createCartService } from './checkout/cart-service';
import { createSaleService } from './checkout/sale-service';
import { pendingOutbox } from './checkout/sale-repo';
import { demoPromotions } from './pricing/demo-promotions';
import type { Register, RegisterConfig } from './register-types';

export type { Register, RegisterConfig } from './register-types';

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
  try {
    const applied = migrate(db, loadMigrations(config.migrationsDir ?? paths.migrationsDir));
    if (applied.length > 0) log.info('migrations applied', { applied });

    const pepper = loadOrCreateSecret(config.dataDir, 'pin-pepper');
    if (isEmpty(db)) {
      if (config.demo) {
        await seedStore(db, loadDemoStore(join(paths.assetsDir, 'demo', 'store.json')), pepper, demoPromotions);
        log.info('demo store seeded');
      } else {
        const pinFile = await seedFirstManager(db, pepper, config.dataDir);
        log.warn('new register: log in as Administrator with the one-time PIN in this file', { pinFile });
      }
    }

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
        sync: { state: 'not-enrolled', pending: pendingOutbox(db) },
        printer: { state: 'not-configured' },
        database,
      };
    };
    const statusChanged = () => emit({ event: 'register:status', payload: status() });
    let database: RegisterStatus['database'] = 'checking';
    const integrity = checkIntegrityInBackground(dbFile);
    void integrity.result.then((problems) => {
      if (!db.open) return;
      database = problems.length === 0 ? 'ok' : 'damaged';
      if (problems.length > 0) log.error('the register database failed its integrity check: restore it from a backup', { problems: problems.slice(0, 5) });
      statusChanged();
    });
    const audit = createAuditLog({ db, key: loadOrCreateSecret(config.dataDir, 'audit-key'), clock });
    const staff = createStaffService({ db, pepper, clock, onChange: statusChanged });
    const catalog = createCatalogService({ db, staff });
    const registerCode = () => readIdentity(db)?.register.code ?? '01';
    const carts = createCartService({ db, clock, staff, registerCode, resolveScan: catalog.resolveScan });
    const sales = createSaleService({ db, clock, carts, onCompleted: statusChanged });
    const router = createApiRouter({ handlers: createHandlers({ db, audit, staff, status, catalog, carts, sales }), currentStaff: staff.current, log });

    return {
      dispatch: router.dispatch,
      onEvent(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      dataDir: config.dataDir,
      dbFile,
      close() {
        integrity.cancel();
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
