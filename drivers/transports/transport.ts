import { DriverError } from '../driver-error';

/**
 * One open link to a device: a TCP socket, a serial port, a device file, a spooler.
 *
 * Lifetime: `openTransport` connects (or fails with a typed error); the transport is then used
 * for one job or one display session and closed. It never reconnects by itself: callers that
 * keep a device open (the pole display) watch `closed` and open a new one.
 */
export interface Transport {
  readonly uri: string;
  /**
   * Resolves when the bytes have been handed to the OS (socket, tty, file) or, for a spooler,
   * when the spooler accepted the job. Rejects with a TransportError; `mayHavePrinted` on it tells
   * whether any of these bytes could have reached the device.
   */
  write(bytes: Uint8Array, options?: WriteOptions): Promise<void>;
  /** Reads exactly `length` bytes the device sent (status replies). Absent where the link is one-way. */
  read?(length: number, timeoutMs: number): Promise<Buffer>;
  /** Drops bytes received but not read yet (present exactly when `read` is). */
  discardInput?(): void;
  /** Closes the link; idempotent, never rejects. */
  close(): Promise<void>;
  /** Resolves once, when the link is gone for any reason: our close(), the peer, an unplug, a timeout. */
  readonly closed: Promise<TransportClosed>;
}

export interface WriteOptions {
  /** Default 10 s. On timeout the transport is closed: what the device got is unknown. */
  readonly timeoutMs?: number;
}

export interface TransportClosed {
  readonly reason: 'local' | 'remote' | 'error' | 'timeout';
  readonly error?: TransportError;
}

export const DEFAULT_WRITE_TIMEOUT_MS = 10_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/**
 * Base of every error a transport reports. `mayHavePrinted` is what the durable print queue
 * needs: false means the device cannot have received any of the job (safe to retry silently);
 * true means it may have printed part or all of it (flag for the cashier, never reprint silently).
 */
export abstract class TransportError extends DriverError {
  abstract readonly mayHavePrinted: boolean;
}

/** The device could not be reached: refused, no route, no such port or file, permission denied. */
export class TransportOpenError extends TransportError {
  readonly code = 'TRANSPORT_OPEN_FAILED';
  readonly mayHavePrinted = false;

  constructor(
    message: string,
    /** The OS error code when there is one (ECONNREFUSED, ENOENT, EACCES…). */
    readonly osCode?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class TransportTimeoutError extends TransportError {
  readonly code = 'TRANSPORT_TIMEOUT';

  constructor(
    readonly phase: 'connect' | 'write' | 'read' | 'confirm',
    readonly mayHavePrinted: boolean,
    message: string,
  ) {
    super(message);
  }
}

/** The link went away while in use (peer closed, cable pulled, process died). */
export class TransportClosedError extends TransportError {
  readonly code = 'TRANSPORT_CLOSED';

  constructor(
    readonly mayHavePrinted: boolean,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The device or spooler refused the data (a spooler exit status, an I/O error on write). */
export class TransportWriteError extends TransportError {
  readonly code = 'TRANSPORT_WRITE_FAILED';

  constructor(
    readonly mayHavePrinted: boolean,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The URI is valid but this transport cannot work here (wrong OS, missing system tool, no device node). */
export class UnsupportedTransportError extends TransportError {
  readonly code = 'TRANSPORT_UNSUPPORTED';
  readonly mayHavePrinted = false;
}

/** Guards a promise with a timer; `onTimeout` builds the error (and may tear the link down). */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/**
 * Bytes received from a device, waiting for a `read`. Shared by the transports that can read.
 * A bounded buffer: a device that chatters (ASB status, a display echoing) cannot grow memory.
 */
export function createReceiveBuffer(limit = 4096) {
  let buffered = Buffer.alloc(0);
  let waiter: { length: number; resolve: (b: Buffer) => void; reject: (e: Error) => void; timer: NodeJS.Timeout } | null = null;
  let failure: Error | null = null;

  const settle = (): void => {
    if (waiter === null || buffered.length < waiter.length) return;
    const w = waiter;
    waiter = null;
    clearTimeout(w.timer);
    const out = buffered.subarray(0, w.length);
    buffered = Buffer.from(buffered.subarray(w.length));
    w.resolve(Buffer.from(out));
  };

  return {
    push(chunk: Buffer): void {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length > limit) buffered = Buffer.from(buffered.subarray(buffered.length - limit));
      settle();
    },
    read(length: number, timeoutMs: number, onTimeout: () => Error): Promise<Buffer> {
      if (failure !== null) return Promise.reject(failure);
      if (waiter !== null) return Promise.reject(new Error('a read is already pending on this transport'));
      return new Promise<Buffer>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiter = null;
          reject(onTimeout());
        }, timeoutMs);
        waiter = { length, resolve, reject, timer };
        settle();
      });
    },
    /** Throws away what was received so far (stale status bytes before a new query). */
    discard(): void {
      buffered = Buffer.alloc(0);
    },
    fail(error: Error): void {
      failure = error;
      if (waiter !== null) {
        clearTimeout(waiter.timer);
        waiter.reject(error);
        waiter = null;
      }
    },
  };
}

export type ReceiveBuffer = ReturnType<typeof createReceiveBuffer>;
