/**
 * The head office console, mounted on the cloud app: its page under /hq/ and its API under
 * /hq/api (cloud/hq/router.ts). Each route module below is one screen's server side; a new screen
 * adds its module to `hqRouteModules` (see cloud/README.md, "Head office console").
 */
import type { FastifyInstance } from 'fastify';
import type { Pool } from '../db/pool';
import type { Clock } from '../domain/clock';
import type { MallSenders } from '../domain/mall-export';
import { createHqRouter, type HqCookieOptions, type HqRouter } from './router';
import { catalogueRoutes } from './routes/catalogue';
import { catalogueImportRoutes } from './routes/catalogue-import';
import { dashboardRoutes } from './routes/dashboard';
import { promotionRoutes } from './routes/promotions';
import { mallExportRoutes } from './routes/mall-export';
import { memberRoutes } from './routes/members';
import { orderRoutes } from './routes/orders';
import { quarantineRoutes } from './routes/quarantine';
import { registerStaffRoutes } from './routes/register-staff';
import { storePriceRoutes } from './routes/store-prices';
import { reportRoutes } from './routes/reports';
import { sessionRoutes } from './routes/session';
import { stockRoutes } from './routes/stock';
import { storeRoutes } from './routes/stores';
import { userRoutes } from './routes/users';
import { consoleStatic } from './static';

/** The console's screens, server side: each registers its /hq/api routes on the router. */
export const hqRouteModules: ReadonlyArray<(router: HqRouter) => void> = [
  dashboardRoutes,
  storeRoutes,
  quarantineRoutes,
  catalogueRoutes,
  storePriceRoutes,
  promotionRoutes,
  registerStaffRoutes,
  stockRoutes,
  catalogueImportRoutes,
  reportRoutes,
  memberRoutes,
  orderRoutes,
  userRoutes,
];

export interface HqOptions {
  pool: Pool;
  clock: Clock;
  /** The built console (dist/console); without it /hq/ answers 503, the API still works. */
  consoleDir?: string;
  cookies?: Partial<HqCookieOptions>;
  /** Login attempts per client address per minute, across all instances (default 30). */
  loginAttemptsPerMinute?: number;
  /** Where mall turnover files go (cloud/domain/mall-export.ts): the folder sender; the SFTP sender when the server has SUANPAN_SECRET_KEY. */
  mallSenders?: MallSenders;
}

export function hqConsole(app: FastifyInstance, options: HqOptions): void {
  const cookies: HqCookieOptions = { secure: options.cookies?.secure ?? true };
  const router = createHqRouter(app, { pool: options.pool, clock: options.clock, cookies });
  sessionRoutes(app, router, { cookies, loginAttemptsPerMinute: options.loginAttemptsPerMinute ?? 30 });
  for (const module of hqRouteModules) module(router);
  mallExportRoutes(router, options.mallSenders ?? {});
  consoleStatic(app, options.consoleDir);
}
