/**
 * The cloud API as a Fastify instance, built from its dependencies (STYLE.md 6): a pool, a clock,
 * logger options. It holds no state of its own across requests (rate limits and token state live
 * in PostgreSQL), so any number of instances can serve one database behind a load balancer.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { queueIsFull, type Pool } from './db/pool';
import { CloudError } from './errors';
import { systemClock, type Clock } from './domain/clock';
import { createAuth } from './routes/auth';
import { changesRoutes } from './routes/changes';
import { enrollRoutes } from './routes/enroll';
import { memberRoutes } from './routes/members';
import { countSessionRoutes } from './routes/count-sessions';
import { COUNT_PARTICIPANT_STALE_MS } from '../src/shared/count-session';
import { orderRoutes } from './routes/orders';
import { shopGiftCardRoutes } from './routes/shop-gift-cards';
import { shopMemberRoutes } from './routes/shop-members';
import { createShopAuth } from './routes/shop-auth';
import { sendError } from './routes/errors';
import { registerRoutes } from './routes/registers';
import { hqConsole, type HqOptions } from './hq';

export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface AppOptions {
  pool: Pool;
  clock?: Clock;
  /** Fastify/pino logger options; false for none. Redaction is always added. */
  logger?: false | { level?: string; stream?: NodeJS.WritableStream };
  /** Enrolment attempts per client address per minute, across all instances. */
  enrolAttemptsPerMinute?: number;
  /** A shared count's participant not heard from for this long may hold unsent entries (default COUNT_PARTICIPANT_STALE_MS; tests shorten it). */
  countParticipantStaleMs?: number;
  /** Behind a load balancer: trust its X-Forwarded-For (true, a hop count, or addresses). */
  trustProxy?: boolean | string;
  bodyLimit?: number;
  /**
   * Requests that may wait for a pool connection at once; one more is answered 503 at the door.
   * Default: 10 per pool connection (a burst of every register of a large chain queues, a database
   * that has stopped answering does not pile up requests).
   */
  queueLimit?: number;
  /** The head office console (/hq/): where its built page is, cookie and login-limit settings. */
  hq?: Omit<HqOptions, 'pool' | 'clock'>;
}

/**
 * Secrets must never reach a log: request logs carry method, URL and address only (no headers, no
 * bodies), and anything shaped like a secret is censored should a line ever include it.
 */
const REDACT = {
  paths: ['req.headers.authorization', 'headers.authorization', 'authorization', 'token', 'body', 'req.body', '*.token', '*.authorization'],
  censor: '[redacted]',
};

const serializers = {
  req: (req: { method: string; url: string; ip?: string; socket?: { remoteAddress?: string } }) => ({
    method: req.method,
    // The path, without the query string: nothing a register sends there is needed in a log line.
    url: req.url.split('?')[0],
    remoteAddress: req.ip ?? req.socket?.remoteAddress,
  }),
  res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
};

export async function createApp(options: AppOptions): Promise<FastifyInstance> {
  const clock = options.clock ?? systemClock;
  const { pool } = options;
  const fastifyOptions: FastifyServerOptions = {
    logger:
      options.logger === false || options.logger === undefined
        ? false
        : {
            level: options.logger.level ?? 'info',
            redact: REDACT,
            serializers,
            ...(options.logger.stream ? { stream: options.logger.stream } : {}),
          },
    bodyLimit: options.bodyLimit ?? BODY_LIMIT_BYTES,
    // A request (headers and body) must arrive within 30 s; an idle socket is dropped after 75 s;
    // keep-alive outlives a typical load balancer's 60 s idle timeout, so it is the LB that closes.
    requestTimeout: 30_000,
    connectionTimeout: 75_000,
    keepAliveTimeout: 65_000,
    trustProxy: options.trustProxy ?? false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    genReqId: () => randomUUID(),
    routerOptions: { maxParamLength: 100 },
  };
  const app = Fastify(fastifyOptions);
  // The API speaks JSON only: a text body is a client bug, answered 415, not parsed into a string.
  app.removeContentTypeParser('text/plain');

  // Every JSON answer carries the server's clock (ms), for the register's skew check; Node adds Date.
  app.addHook('preSerialization', async (_request, _reply, payload) =>
    payload !== null && typeof payload === 'object' && !Array.isArray(payload)
      ? { ...(payload as Record<string, unknown>), serverTime: clock.now() }
      : payload,
  );
  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error: 'NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0]}` });
  });

  // Backpressure, decided before anything else is done for the request: queue while there is room.
  const queueLimit = options.queueLimit ?? 10 * (pool.options.max ?? 10);
  app.addHook('onRequest', async (request) => {
    if (request.url !== '/v1/health' && queueIsFull(pool, queueLimit)) {
      throw new CloudError('UNAVAILABLE', 'The service is at capacity; retry shortly', { retryAfterSeconds: 2 });
    }
  });

  const auth = createAuth(pool);
  app.get('/v1/health', async () => {
    await pool.query('SELECT 1');
    return { ok: true };
  });
  enrollRoutes(app, { pool, clock, enrolAttemptsPerMinute: options.enrolAttemptsPerMinute ?? 5 });
  registerRoutes(app, { pool, clock, auth });
  changesRoutes(app, { pool, clock, auth });
  memberRoutes(app, { pool, clock, auth });
  const shopAuth = createShopAuth(pool, clock);
  countSessionRoutes(app, { pool, clock, auth, staleMs: options.countParticipantStaleMs ?? COUNT_PARTICIPANT_STALE_MS });
  orderRoutes(app, { pool, clock, auth, shopAuth });
  shopGiftCardRoutes(app, { pool, clock, shopAuth });
  shopMemberRoutes(app, { pool, clock, shopAuth });
  hqConsole(app, { pool, clock, ...options.hq });
  await app.ready();
  return app;
}
