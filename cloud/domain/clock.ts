/** Time as a port, so tests can freeze it (expiry, effective-dated prices, rate-limit windows). */
export interface Clock {
  /** ms since the epoch */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
