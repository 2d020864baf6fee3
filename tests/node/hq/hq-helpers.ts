/** Test support for the head office console's API: a cloud on a real socket, users, and a cookie-keeping client. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppOptions } from '../../../cloud/app';
import type { Pool } from '../../../cloud/db/pool';
import type { Clock } from '../../../cloud/domain/clock';
import type { MallSenders } from '../../../cloud/domain/mall-export';
import type { Role } from '../../../cloud/hq/contract';
import { createUser } from '../../../cloud/hq/users';
import { startServer, type Server } from '../cloud/helpers';

export const PASSWORD = 'correct horse battery';

export async function startHq(
  pool: Pool,
  clock: Clock,
  options: { loginAttemptsPerMinute?: number; mallSenders?: MallSenders; logger?: AppOptions['logger'] } = {},
): Promise<Server & { consoleDir: string }> {
  // A stand-in for dist/console: the API tests need no Vite build.
  const consoleDir = mkdtempSync(join(tmpdir(), 'hq-console-'));
  writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>HQ</title><div id="root"></div>');
  const server = await startServer({
    pool,
    clock,
    ...(options.logger ? { logger: options.logger } : {}),
    hq: {
      consoleDir,
      cookies: { secure: true },
      loginAttemptsPerMinute: options.loginAttemptsPerMinute ?? 10_000,
      ...(options.mallSenders ? { mallSenders: options.mallSenders } : {}),
    },
  });
  return { ...server, consoleDir };
}

export async function addUser(pool: Pool, merchantId: number, email: string, role: Role, storeIds: number[] = []): Promise<number> {
  return (await createUser(pool, merchantId, { email, name: email.split('@')[0]!, role, storeIds, password: PASSWORD }, Date.now())).id;
}

export interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** A browser-like client: keeps the session cookie, sends the CSRF token on writes, says it is same-origin. */
export class HqClient {
  cookie: string | undefined;
  csrf: string | undefined;

  constructor(readonly base: string) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const h: Record<string, string> = { origin: this.base, 'sec-fetch-site': 'same-origin', ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (method !== 'GET' && this.csrf && !('x-csrf-token' in headers)) h['x-csrf-token'] = this.csrf;
    if (body !== undefined) h['content-type'] = 'application/json';
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: h,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0];
    const text = await response.text();
    let parsed: Record<string, unknown>;
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = { text };
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }

  async login(email: string, password = PASSWORD, totp?: string): Promise<Answer> {
    const answer = await this.request('POST', '/hq/api/login', { email, password, ...(totp === undefined ? {} : { totp }) });
    if (answer.status === 200) this.csrf = answer.body.csrfToken as string;
    return answer;
  }
}
