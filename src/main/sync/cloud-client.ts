/**
 * HTTP to the cloud API (cloud/README.md): one request, one classified answer. Never throws for an
 * answer the protocol describes; a lost connection or a timeout is `{ kind: 'unreachable' }`.
 * Tokens travel only in the Authorization header and are never put in an error text.
 */
export type CloudAnswer<T> =
  | { kind: 'ok'; status: number; body: T; serverTime: number | null; rtt: { sentAt: number; receivedAt: number } }
  | {
      kind: 'error';
      status: number;
      code: string;
      message: string;
      body: Record<string, unknown>;
      retryAfterMs: number | null;
      serverTime: number | null;
      rtt: { sentAt: number; receivedAt: number };
    }
  | {
      kind: 'unreachable';
      message: string;
      retryAfterMs: number | null;
      /** The HTTP status of an answer that was not the cloud's (not JSON); null: nothing answered. */
      status: number | null;
    };

export interface CloudClientOptions {
  baseUrl: string;
  token?: string;
  /** A hung connection counts as lost after this long. */
  timeoutMs?: number;
  now?: () => number;
}

function retryAfterMs(header: string | null): number | null {
  if (header === null) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

export function createCloudClient(options: CloudClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const now = options.now ?? Date.now;

  /**
   * `rawBody` is sent as is (the push builds its JSON from the outbox text without re-parsing);
   * `extraHeaders` carry what the register reports about itself on a push or pull.
   */
  async function request<T>(
    method: 'GET' | 'POST',
    path: string,
    rawBody?: string,
    extraHeaders: Record<string, string> = {},
  ): Promise<CloudAnswer<T>> {
    const headers: Record<string, string> = { ...extraHeaders, accept: 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (rawBody !== undefined) headers['content-type'] = 'application/json';
    const sentAt = now();
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const response = await fetch(`${base}${path}`, {
        method,
        headers,
        ...(rawBody === undefined ? {} : { body: rawBody }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      text = await response.text();
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      return {
        kind: 'unreachable',
        message: cause?.code ?? cause?.message ?? (error as Error).name ?? 'network error',
        retryAfterMs: null,
        status: null,
      };
    }
    const receivedAt = now();
    let body: Record<string, unknown>;
    try {
      body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    } catch {
      // A load balancer's or proxy's error page, or an answer cut short: the cloud did not speak,
      // but whoever did may still say when to come back (Retry-After holds on any status, any body).
      return { kind: 'unreachable', message: `HTTP ${status} without a JSON body`, retryAfterMs: retryAfterMs(retryAfter), status };
    }
    const serverTime = typeof body.serverTime === 'number' ? body.serverTime : null;
    const rtt = { sentAt, receivedAt };
    if (status >= 200 && status < 300) return { kind: 'ok', status, body: body as T, serverTime, rtt };
    return {
      kind: 'error',
      status,
      code: typeof body.error === 'string' ? body.error : `HTTP_${status}`,
      message: typeof body.message === 'string' ? body.message : `HTTP ${status}`,
      body,
      retryAfterMs: retryAfterMs(retryAfter),
      serverTime,
      rtt,
    };
  }

  return { request };
}

export type CloudClient = ReturnType<typeof createCloudClient>;

/** Cloud time − register time, taking the middle of the round trip as the moment of the answer. */
export function clockSkew(serverTime: number | null, rtt: { sentAt: number; receivedAt: number }): number | null {
  if (serverTime === null) return null;
  return Math.round(serverTime - (rtt.sentAt + rtt.receivedAt) / 2);
}

/**
 * The change-log version a cloud answer says its figures are as of (a redemption, a look-up), or
 * null when it says none (a replay, an older cloud). The register keeps pulled balances with it.
 */
export function answeredVersion(body: { version?: unknown }): number | null {
  return Number.isSafeInteger(body.version) && (body.version as number) >= 0 ? (body.version as number) : null;
}
