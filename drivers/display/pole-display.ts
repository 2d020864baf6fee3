import { parseDeviceUri } from '../transports/device-uri';
import { openTransport } from '../transports/open-transport';
import type { Transport } from '../transports/transport';
import { getDisplayProtocol, type DisplayCommandSet } from './command-sets';
import { fitDisplayLine } from './display-text';

export type PoleDisplayState = 'connecting' | 'connected' | 'disconnected' | 'closed';

export interface PoleDisplayOptions {
  readonly commandSet: DisplayCommandSet;
  /** The display's device URI (serial://…); or give `connect`. */
  readonly uri?: string;
  /** Opens a fresh transport; called again after every disconnect. Default: openTransport(uri). */
  readonly connect?: () => Promise<Transport>;
  /** Reconnect delays: doubling from initialMs up to maxMs. Default 250 ms → 5 s. */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /** Per-frame write timeout; default 2 s (a frame is under 50 bytes, about 50 ms at 9600 baud). */
  readonly writeTimeoutMs?: number;
  readonly onStateChange?: (state: PoleDisplayState, detail?: Error) => void;
}

export interface PoleDisplay {
  /**
   * Sets what the display should show (folded to ASCII, cut/padded to 20 columns). Resolves when
   * this frame, or a newer one that replaced it, is on the display, or when the display is
   * closed. Never rejects: checkout must not wait on or fail because of the display, so callers
   * normally do not await it.
   */
  show(line1: string, line2?: string): Promise<void>;
  clear(): Promise<void>;
  /** The frame the display is meant to show (what it shows once connected). */
  current(): readonly [string, string];
  state(): PoleDisplayState;
  close(): Promise<void>;
}

/**
 * A 2×20 customer display that never makes checkout wait.
 *
 * Coalescing: at most one frame is in flight. Updates that arrive meanwhile only replace the
 * pending frame, and when the write completes the latest pending frame (only that one) is sent.
 * A burst of 100 scans at 9600 baud (~960 bytes/s, ~48 bytes a frame) costs two writes, not a
 * five-second queue.
 *
 * Reconnect: when the transport closes (USB adapter unplugged, cable pulled) the display retries
 * opening with doubling delays and, once back, sends its init and the current frame.
 */
export function createPoleDisplay(options: PoleDisplayOptions): PoleDisplay {
  const protocol = getDisplayProtocol(options.commandSet);
  const connect = options.connect ?? connectToUri(options.uri);
  const initialMs = options.backoff?.initialMs ?? 250;
  const maxMs = options.backoff?.maxMs ?? 5000;
  const writeTimeoutMs = options.writeTimeoutMs ?? 2000;

  let frame: [string, string] = [fitDisplayLine(''), fitDisplayLine('')];
  let wantedSeq = 0;
  let shownSeq = -1;
  let transport: Transport | null = null;
  let pumping = false;
  let connecting = false;
  let state: PoleDisplayState = 'connecting';
  let retryTimer: NodeJS.Timeout | null = null;
  let wakeRetry: (() => void) | null = null;
  const waiters: Array<{ seq: number; resolve: () => void }> = [];

  // A function, not `state === 'closed'` inline: close() can run during any await.
  const isClosed = (): boolean => state === 'closed';
  const setState = (s: PoleDisplayState, detail?: Error): void => {
    if (state === s || state === 'closed') return;
    state = s;
    options.onStateChange?.(s, detail);
  };

  const settleWaiters = (all = false): void => {
    for (let k = waiters.length - 1; k >= 0; k--) {
      if (all || waiters[k]!.seq <= shownSeq) waiters.splice(k, 1)[0]!.resolve();
    }
  };

  const pump = async (): Promise<void> => {
    if (pumping) return;
    pumping = true;
    try {
      while (!isClosed() && transport !== null && shownSeq < wantedSeq) {
        const t = transport;
        const seq = wantedSeq;
        try {
          await t.write(protocol.frame(frame[0], frame[1]), { timeoutMs: writeTimeoutMs });
        } catch {
          // The transport reports the loss through `closed`, which starts the reconnect.
          await t.close();
          break;
        }
        if (transport === t) {
          shownSeq = seq;
          settleWaiters();
        }
      }
    } finally {
      pumping = false;
    }
  };

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      wakeRetry = resolve;
      retryTimer = setTimeout(resolve, ms);
    });

  const connectLoop = async (): Promise<void> => {
    if (connecting) return;
    connecting = true;
    let delay = initialMs;
    try {
      while (!isClosed()) {
        let t: Transport;
        try {
          t = await connect();
        } catch (e) {
          setState('disconnected', e as Error);
          await sleep(delay);
          delay = Math.min(delay * 2, maxMs);
          continue;
        }
        if (isClosed()) {
          await t.close();
          return;
        }
        try {
          await t.write(protocol.init(), { timeoutMs: writeTimeoutMs });
        } catch (e) {
          await t.close();
          setState('disconnected', e as Error);
          await sleep(delay);
          delay = Math.min(delay * 2, maxMs);
          continue;
        }
        transport = t;
        shownSeq = -1; // a fresh (or replugged) display shows nothing of ours: resend the frame
        setState('connected');
        void t.closed.then((info) => {
          if (transport !== t) return;
          transport = null;
          if (isClosed()) return;
          setState('disconnected', info.error);
          void connectLoop();
        });
        void pump();
        return;
      }
    } finally {
      connecting = false;
    }
  };

  void connectLoop();

  const display: PoleDisplay = {
    show(line1, line2 = '') {
      if (state === 'closed') return Promise.resolve();
      frame = [fitDisplayLine(line1), fitDisplayLine(line2)];
      const seq = ++wantedSeq;
      const done = new Promise<void>((resolve) => waiters.push({ seq, resolve }));
      void pump();
      return done;
    },
    clear() {
      return display.show('', '');
    },
    current: () => [frame[0], frame[1]],
    state: () => state,
    async close() {
      if (state === 'closed') return;
      state = 'closed';
      options.onStateChange?.('closed');
      if (retryTimer !== null) clearTimeout(retryTimer);
      wakeRetry?.();
      settleWaiters(true);
      const t = transport;
      transport = null;
      await t?.close();
    },
  };
  return display;
}

/** A bad URI is the caller's mistake, not a flaky cable: it throws now instead of retrying forever. */
function connectToUri(uri: string | undefined): () => Promise<Transport> {
  if (uri === undefined) throw new TypeError('createPoleDisplay needs `uri` or `connect`');
  const parsed = parseDeviceUri(uri);
  return () => openTransport(parsed);
}
