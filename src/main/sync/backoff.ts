/**
 * Retry delays: "full jitter" exponential backoff (a random delay between 0 and
 * min(cap, base · 2^attempt)), so a shop's registers coming back online together do not retry in
 * step; a server's Retry-After is a floor.
 */
export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  random?: () => number;
}

/** How long a server's Retry-After holds this register back: as asked, but never more than 4 × the cap. */
export function retryAfterFloor(retryAfterMs: number, options: BackoffOptions): number {
  return Math.min(retryAfterMs, options.capMs * 4);
}

export function backoffDelay(attempt: number, options: BackoffOptions, retryAfterMs: number | null = null): number {
  const random = options.random ?? Math.random;
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.min(attempt, 30));
  const jittered = Math.floor(random() * ceiling);
  return retryAfterMs === null ? jittered : Math.max(jittered, retryAfterFloor(retryAfterMs, options));
}
