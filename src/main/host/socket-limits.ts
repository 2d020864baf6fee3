/**
 * What one WebSocket may cost the register. The frame size is capped by `ws` itself (maxPayload:
 * an over-size frame closes the socket with 1009 before it is buffered whole or parsed); here are
 * the checks after it: JSON nesting, counted on the text before JSON.parse; a token bucket per
 * connection, so a page that floods the host is answered RATE_LIMITED; and a fair turn: requests
 * start one per socket per event-loop turn, in rotation, so a burst already read from one socket
 * never runs ahead of a request another window sent meanwhile.
 */

/** Deeper than any request in the contract (the deepest is a few levels); checked before parsing. */
export const MAX_JSON_DEPTH = 32;

/** A cashier's burst (a scanner, a page loading) fits in the bucket; a sustained flood gets the refill rate. */
export const REQUESTS_PER_SECOND = 100;
export const REQUEST_BURST = 200;
/** Requests of one socket waiting for their turn; beyond it they are refused at once. */
export const MAX_WAITING_PER_SOCKET = 64;

/** Whether `text`, read as JSON, opens more than `max` arrays/objects inside one another. Brackets inside strings do not count. */
export function jsonNestingExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

export interface TokenBucket {
  /** Takes one token if there is one. */
  take(): boolean;
}

/** Starts full; refills continuously at `perSecond` up to `capacity`. `now` in ms (monotonic). */
export function createTokenBucket({ capacity, perSecond, now }: { capacity: number; perSecond: number; now: () => number }): TokenBucket {
  let tokens = capacity;
  let last = now();
  return {
    take() {
      const t = now();
      tokens = Math.min(capacity, tokens + ((t - last) * perSecond) / 1000);
      last = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}

export interface FairTurns<Owner> {
  /** Queues `start` for `owner`'s next turn; false (nothing queued) when the owner already has MAX_WAITING_PER_SOCKET waiting. */
  enqueue(owner: Owner, start: () => void): boolean;
  /** Forgets what a closed socket still had waiting. */
  drop(owner: Owner): void;
}

/**
 * Round-robin turns between sockets: each event-loop turn (setImmediate) starts the oldest waiting
 * request of every socket that has one, then yields to I/O, where another window's frame is read.
 * A request's own awaits (a PIN check, a printer) do not hold up the next one.
 */
export function createFairTurns<Owner>(): FairTurns<Owner> {
  const waiting = new Map<Owner, (() => void)[]>();
  let scheduled = false;
  const turn = () => {
    scheduled = false;
    for (const [owner, queue] of [...waiting]) {
      const start = queue.shift();
      if (queue.length === 0) waiting.delete(owner);
      start?.();
    }
    if (waiting.size > 0) schedule();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(turn);
  };
  return {
    enqueue(owner, start) {
      const queue = waiting.get(owner) ?? [];
      if (queue.length >= MAX_WAITING_PER_SOCKET) return false;
      queue.push(start);
      waiting.set(owner, queue);
      schedule();
      return true;
    },
    drop(owner) {
      waiting.delete(owner);
    },
  };
}
