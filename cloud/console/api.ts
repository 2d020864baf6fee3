/**
 * The console's one way to the cloud: fetch to /hq/api with the session cookie (sent by the
 * browser, never readable here) and the CSRF token on every write. Failures are ConsoleApiError
 * with the cloud's stable code, which the screens translate.
 */
export class ConsoleApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ConsoleApiError';
  }
}

/** Every request gives up after this long (a hung load balancer must not hang a screen). */
const REQUEST_TIMEOUT_MS = 20_000;

export interface ConsoleApi {
  setCsrfToken(token: string | null): void;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  /** Called when any answer says the session is gone (expired, logged out elsewhere). */
  onSessionLost(listener: () => void): void;
}

export function createConsoleApi(base = '/hq/api', fetchImpl: typeof fetch = (...args) => fetch(...args)): ConsoleApi {
  let csrf: string | null = null;
  const lost: (() => void)[] = [];

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && csrf !== null) headers['x-csrf-token'] = csrf;
    let response: Response;
    try {
      response = await fetchImpl(`${base}${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ConsoleApiError('UNAVAILABLE', 'The cloud did not answer', 0);
    }
    let parsed: Record<string, unknown>;
    try {
      parsed = (await response.json()) as Record<string, unknown>;
    } catch {
      parsed = {};
    }
    if (!response.ok) {
      const code = typeof parsed.error === 'string' ? parsed.error : response.status >= 500 ? 'INTERNAL' : 'BAD_REQUEST';
      if (code === 'SESSION_REQUIRED') for (const listener of lost) listener();
      const { error: _error, message, ...details } = parsed;
      throw new ConsoleApiError(code, typeof message === 'string' ? message : `HTTP ${response.status}`, response.status, details);
    }
    return parsed as T;
  }

  return {
    setCsrfToken: (token) => {
      csrf = token;
    },
    get: (path) => request('GET', path),
    post: (path, body) => request('POST', path, body ?? {}),
    put: (path, body) => request('PUT', path, body),
    onSessionLost: (listener) => {
      lost.push(listener);
    },
  };
}
