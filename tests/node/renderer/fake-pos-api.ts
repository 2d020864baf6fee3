/**
 * A PosApi for store tests: each channel answers from a queue of scripted results (or a default),
 * records its requests, and events are pushed by hand.
 */
import type { ChannelName, ChannelRequest, ChannelResponse, PosApi, PosEvent } from '../../../src/shared/channels';
import type { ErrorCode, Result } from '../../../src/shared/errors';
import type { Product, RegisterStatus, StaffSummary } from '../../../src/shared/schemas';

type Answer<K extends ChannelName> = Result<ChannelResponse<K>> | Promise<Result<ChannelResponse<K>>>;
type Scripts = { [K in ChannelName]: Answer<K>[] };

export interface FakePosApi {
  api: PosApi;
  /** Queue the next answers for a channel; when the queue is empty the default answers. */
  answer<K extends ChannelName>(channel: K, ...results: Answer<K>[]): void;
  calls<K extends ChannelName>(channel: K): ChannelRequest<K>[];
  emit(event: PosEvent): void;
  listenerCount(): number;
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode): Result<never> => ({ ok: false, error: { code, message: `${code} from the fake` } });

export const chan: StaffSummary = { id: 1, code: 'C001', nameZh: '陳小明', nameEn: 'Chan Siu Ming', role: 'cashier' };
export const wong: StaffSummary = { id: 2, code: 'M001', nameZh: '黃美玲', nameEn: 'Wong Mei Ling', role: 'manager' };

export const milkTea: Product = {
  id: 11,
  sku: 'DRK-001',
  nameZh: '港式奶茶',
  nameEn: 'Hong Kong Milk Tea',
  price: 1800,
  categoryCode: 'drinks',
  barcodes: ['4890000000011'],
};
export const eggTart: Product = {
  id: 12,
  sku: 'BAK-002',
  nameZh: '蛋撻',
  nameEn: 'Egg Tart',
  price: 700,
  categoryCode: 'bakery',
  barcodes: ['4890000000028'],
};

export function registerStatus(overrides: Partial<RegisterStatus> = {}): RegisterStatus {
  return {
    store: { code: 'MK', nameZh: '旺角店', nameEn: 'Mong Kok' },
    register: { code: '01', name: '收銀機 01' },
    staff: null,
    appVersion: '0.1.0',
    serverTime: Date.UTC(2026, 10, 27, 6, 32), // 14:32 in Hong Kong
    sync: { state: 'not-enrolled', pending: 0 },
    printer: { state: 'ready' },
    ...overrides,
  };
}

export function createFakePosApi(): FakePosApi {
  const defaults: { [K in ChannelName]: () => Result<ChannelResponse<K>> } = {
    'register:status': () => ok(registerStatus()),
    'staff:list-for-login': () => ok([chan, wong]),
    'staff:login': () => fail('PIN_INVALID'),
    'staff:logout': () => ok(null),
    'catalog:lookup': () => ok(null),
    'catalog:favourites': () => ok([milkTea, eggTart]),
  };
  const scripts: Scripts = {
    'register:status': [],
    'staff:list-for-login': [],
    'staff:login': [],
    'staff:logout': [],
    'catalog:lookup': [],
    'catalog:favourites': [],
  };
  const requests = new Map<ChannelName, unknown[]>();
  const listeners = new Set<(event: PosEvent) => void>();

  function method<K extends ChannelName>(channel: K) {
    return async (req: ChannelRequest<K>): Promise<Result<ChannelResponse<K>>> => {
      requests.set(channel, [...(requests.get(channel) ?? []), req]);
      const queue = scripts[channel] as Answer<K>[];
      return queue.length > 0 ? await queue.shift()! : defaults[channel]();
    };
  }

  const api: PosApi = {
    'register:status': method('register:status'),
    'staff:list-for-login': method('staff:list-for-login'),
    'staff:login': method('staff:login'),
    'staff:logout': method('staff:logout'),
    'catalog:lookup': method('catalog:lookup'),
    'catalog:favourites': method('catalog:favourites'),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };

  return {
    api,
    answer(channel, ...results) {
      (scripts[channel] as unknown[]).push(...results);
    },
    calls<K extends ChannelName>(channel: K) {
      return (requests.get(channel) ?? []) as ChannelRequest<K>[];
    },
    emit(event) {
      for (const listener of listeners) listener(event);
    },
    listenerCount: () => listeners.size,
  };
}

/** A promise the test resolves by hand, for answers that must arrive out of order. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Lets every already-settled promise callback run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
