/**
 * The console's HTTP plumbing: every /hq/api route goes through `HqRouter`, which
 * 1. finds the session from its cookie (SESSION_REQUIRED without one),
 * 2. on a write, checks the request is the console's own (Origin / Sec-Fetch-Site) and carries the
 *    session's CSRF token in X-CSRF-Token (CSRF_FAILED),
 * 3. checks the role's permission (PERMISSION_DENIED; the console only hides, this refuses),
 * 4. parses params, query and body with the route's zod schemas (BAD_REQUEST naming the field),
 * 5. calls the handler with the user, the merchant, the store scope and an audit helper.
 * Domain functions shared with the admin CLI throw AdminError; it is answered with its code here.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { AdminError, CloudError } from '../errors';
import type { Pool, Queryable } from '../db/pool';
import type { Clock } from '../domain/clock';
import { parseRequest } from '../routes/parse';
import { recordAudit } from './audit';
import type { Permission, SessionInfo } from './contract';
import { findSession, type Session } from './users';

export const API_PREFIX = '/hq/api';

export interface HqCookieOptions {
  /** Secure cookies (HTTPS, or http://localhost in browsers that treat it as secure). Default true. */
  secure: boolean;
}

export function sessionCookieName(options: HqCookieOptions): string {
  // __Host-: only this origin, path /, Secure; a sibling subdomain cannot plant or read it.
  return options.secure ? '__Host-suanpan-hq' : 'suanpan-hq';
}

export function sessionCookie(options: HqCookieOptions, value: string, maxAgeSeconds: number): string {
  return [
    `${sessionCookieName(options)}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAgeSeconds}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** A write must come from the console's own page: same host in Origin, and no cross-site fetch. */
export function checkSameOrigin(request: FastifyRequest): void {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') throw new CloudError('CSRF_FAILED', 'Requests from other sites are refused');
  const origin = request.headers.origin;
  if (origin !== undefined) {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (host === undefined || host !== request.headers.host) throw new CloudError('CSRF_FAILED', 'Requests from other sites are refused');
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface HqContext {
  session: Session;
  user: SessionInfo['user'];
  merchantId: number;
  timeZone: string;
  now: number;
  address: string;
  /** May this user see or act on this store? (store managers: only theirs) */
  mayStore(storeId: number): boolean;
  /** The store ids a query must be limited to; null: all of the merchant's. */
  storeScope: number[] | null;
  /** Appends to the audit trail, on `db` (pass the transaction's client to commit with the change). */
  audit(db: Queryable, action: string, target: string, before?: unknown, after?: unknown): Promise<void>;
}

export interface RouteSpec<P, Q, B> {
  permission: Permission;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
}

export type Handler<P, Q, B> = (ctx: HqContext, input: { params: P; query: Q; body: B }, reply: FastifyReply) => Promise<unknown>;

export interface HqRouter {
  get<P = unknown, Q = unknown>(path: string, spec: RouteSpec<P, Q, never>, handler: Handler<P, Q, undefined>): void;
  post<P = unknown, B = unknown>(path: string, spec: RouteSpec<P, never, B>, handler: Handler<P, undefined, B>): void;
  put<P = unknown, B = unknown>(path: string, spec: RouteSpec<P, never, B>, handler: Handler<P, undefined, B>): void;
  delete<P = unknown>(path: string, spec: RouteSpec<P, never, never>, handler: Handler<P, undefined, undefined>): void;
  readonly pool: Pool;
  readonly clock: Clock;
}

export function toHqError(error: unknown): unknown {
  if (error instanceof AdminError) {
    // a refusal the cloud itself made (e.g. INSUFFICIENT_BALANCE): its own code, not the CLI's word
    if (error.cause instanceof CloudError) return error.cause;
    const code = {
      USAGE: 'BAD_REQUEST',
      INVALID: 'BAD_REQUEST',
      AMBIGUOUS: 'BAD_REQUEST',
      NOT_FOUND: 'NOT_FOUND',
      CONFLICT: 'CONFLICT',
    } as const;
    return new CloudError(code[error.code], error.message, error.issues.length > 0 ? { issues: error.issues } : {});
  }
  return error;
}

export function createHqRouter(app: FastifyInstance, deps: { pool: Pool; clock: Clock; cookies: HqCookieOptions }): HqRouter {
  const { pool, clock } = deps;
  const cookieName = sessionCookieName(deps.cookies);

  async function context(request: FastifyRequest, permission: Permission, write: boolean): Promise<HqContext> {
    if (write) checkSameOrigin(request);
    const now = clock.now();
    const token = readCookie(request, cookieName);
    const session = token === undefined ? null : await findSession(pool, token, now);
    if (!session) throw new CloudError('SESSION_REQUIRED', 'Log in to the console first (the session may have expired)');
    if (write) {
      const presented = request.headers['x-csrf-token'];
      if (typeof presented !== 'string' || !sameSecret(presented, session.csrfToken))
        throw new CloudError('CSRF_FAILED', 'The request lacks this session’s X-CSRF-Token: reload the console');
    }
    if (!session.permissions.includes(permission))
      throw new CloudError('PERMISSION_DENIED', `Your role (${session.user.role}) may not do this (${permission})`);
    const scope = session.user.storeIds;
    return {
      session,
      user: session.user,
      merchantId: session.merchant.id,
      timeZone: session.merchant.timeZone,
      now,
      address: request.ip,
      storeScope: scope,
      mayStore: (storeId) => scope === null || scope.includes(storeId),
      audit: (db, action, target, before, after) =>
        recordAudit(
          db,
          {
            merchantId: session.merchant.id,
            userId: session.user.id,
            userEmail: session.user.email,
            action,
            target,
            before,
            after,
            address: request.ip,
          },
          now,
        ),
    };
  }

  function route<P, Q, B>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, spec: RouteSpec<P, Q, B>, handler: Handler<P, Q, B>) {
    app.route({
      method,
      url: `${API_PREFIX}${path}`,
      handler: async (request, reply) => {
        void reply.header('Cache-Control', 'no-store');
        try {
          const ctx = await context(request, spec.permission, method !== 'GET');
          const params = (spec.params ? parseRequest(spec.params, request.params, 'path') : request.params) as P;
          const query = (spec.query ? parseRequest(spec.query, request.query ?? {}, 'query') : undefined) as Q;
          const body = (spec.body ? parseRequest(spec.body, request.body ?? {}, 'body') : undefined) as B;
          const result = await handler(ctx, { params, query, body }, reply);
          return result ?? { ok: true };
        } catch (error) {
          throw toHqError(error);
        }
      },
    });
  }

  return {
    get: (path, spec, handler) => route('GET', path, spec, handler),
    post: (path, spec, handler) => route('POST', path, spec, handler),
    put: (path, spec, handler) => route('PUT', path, spec, handler),
    delete: (path, spec, handler) => route('DELETE', path, spec, handler),
    pool,
    clock,
  };
}
