/**
 * The register as the status bar sees it: whether the core answers, its last status and its clock.
 * Loaded once at start, then kept current by `register:status` events. When the core cannot be
 * reached the store retries on its own with a growing delay; the cashier can also retry at once.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PosApi, PosEvent } from '../../shared/channels';
import type { RegisterStatus } from '../../shared/schemas';
import { serverNow, syncClock, type ClockSync } from '../server-clock';

export type Connection = 'connecting' | 'connected' | 'unreachable';

export interface RegisterState {
  connection: Connection;
  status: RegisterStatus | null;
  clock: ClockSync | null;
  /** Monotonic ms at which the next automatic retry fires; null when none is scheduled. */
  retryAt: number | null;
  /** A status request is in flight. */
  checking: boolean;
  /** Loads the status and listens for updates. Returns the function that stops both. */
  start(): () => void;
  retryNow(): void;
  /** Another store's call came back DISCONNECTED: show it and start retrying. */
  connectionLost(): void;
  /** Main's current time, ms since the epoch, or null before the first status. */
  currentTime(): number | null;
}

export interface RegisterStoreOptions {
  monotonicNow?: () => number;
  /** Delay before each successive retry; the last one repeats. */
  retryDelaysMs?: readonly number[];
}

export const DEFAULT_RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 15000] as const;

export function createRegisterStore(api: PosApi, options: RegisterStoreOptions = {}): StoreApi<RegisterState> {
  const monotonicNow = options.monotonicNow ?? (() => performance.now());
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  return createStore<RegisterState>()((set, get) => {
    const cancelRetry = () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      set({ retryAt: null });
    };

    const scheduleRetry = () => {
      if (stopped || timer !== null || get().checking) return;
      const delay = delays[Math.min(failures, delays.length - 1)] ?? 1000;
      failures += 1;
      set({ retryAt: monotonicNow() + delay });
      timer = setTimeout(() => {
        timer = null;
        void load();
      }, delay);
    };

    const apply = (status: RegisterStatus) => {
      failures = 0;
      cancelRetry();
      set({ connection: 'connected', status, clock: syncClock(status.serverTime, monotonicNow()) });
    };

    const load = async () => {
      if (get().checking) return;
      set({ checking: true, retryAt: null });
      const result = await api['register:status']({});
      set({ checking: false });
      if (stopped) return;
      if (result.ok) {
        apply(result.value);
      } else {
        // Any failure here means the till cannot work yet: say so and keep trying.
        set({ connection: 'unreachable' });
        scheduleRetry();
      }
    };

    const onEvent = (event: PosEvent) => {
      if (event.event === 'register:status') apply(event.payload);
    };

    return {
      connection: 'connecting',
      status: null,
      clock: null,
      retryAt: null,
      checking: false,
      start() {
        stopped = false;
        const unsubscribe = api.onEvent(onEvent);
        void load();
        return () => {
          stopped = true;
          unsubscribe();
          cancelRetry();
        };
      },
      retryNow() {
        cancelRetry();
        void load();
      },
      connectionLost() {
        set({ connection: 'unreachable' });
        scheduleRetry();
      },
      currentTime() {
        const { clock } = get();
        return clock ? serverNow(clock, monotonicNow()) : null;
      },
    };
  });
}
