/**
 * A PosApi for store tests: each channel answers from a queue of scripted results (or a default),
 * records its requests, and events are pushed by hand.
 */
import { DEFAULT_MEMBER_RULES } from '../../../src/shared/member-rules';
import {
  channelNames,
  type ChannelName,
  type ChannelRequest,
  type ChannelResponse,
  type PosApi,
  type PosEvent,
} from '../../../src/shared/channels';
import type { Cart, CartLine, CheckoutSettings, PaymentMethod, Receipt } from '../../../src/shared/checkout-schemas';
import type { ErrorCode, Result } from '../../../src/shared/errors';
import type { Product, RegisterStatus, StaffSummary } from '../../../src/shared/schemas';
import { permissions } from '../../../src/shared/permissions';
import { CustomerDisplayConfig } from '../../../src/shared/customer-display-schemas';
import type { SyncStatus } from '../../../src/shared/sync-schemas';

type Answer<K extends ChannelName> = Result<ChannelResponse<K>> | Promise<Result<ChannelResponse<K>>>;
type Scripts = { [K in ChannelName]: Answer<K>[] };
type Defaults = { [K in ChannelName]: (req: ChannelRequest<K>) => Result<ChannelResponse<K>> };

export interface FakePosApi {
  api: PosApi;
  /** Queue the next answers for a channel; when the queue is empty the default answers. */
  answer<K extends ChannelName>(channel: K, ...results: Answer<K>[]): void;
  calls<K extends ChannelName>(channel: K): ChannelRequest<K>[];
  emit(event: PosEvent): void;
  listenerCount(): number;
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message = `${code} from the fake`): Result<never> => ({ ok: false, error: { code, message } });

type RoleFields = Omit<StaffSummary, 'id' | 'code' | 'nameZh' | 'nameEn'>;
const cashierRole: RoleFields = {
  role: 'cashier',
  roleNameZh: '收銀員',
  roleNameEn: 'Cashier',
  permissions: ['sale.checkout', 'refund.with-receipt'],
  discountLimitBasisPoints: 1000,
};
const managerRole: RoleFields = {
  role: 'manager',
  roleNameZh: '經理',
  roleNameEn: 'Manager',
  permissions: [...permissions],
  discountLimitBasisPoints: 10_000,
};
export const chan: StaffSummary = { id: 1, code: 'C001', nameZh: '陳小明', nameEn: 'Chan Siu Ming', ...cashierRole };
export const wong: StaffSummary = { id: 2, code: 'M001', nameZh: '黃美玲', nameEn: 'Wong Mei Ling', ...managerRole };
export const lee: StaffSummary = { id: 3, code: 'M002', nameZh: '李志強', nameEn: 'Lee Chi Keung', ...managerRole };

export const milkTea: Product = {
  id: 11,
  sku: 'DRK-001',
  nameZh: '港式奶茶',
  nameEn: 'Hong Kong Milk Tea',
  price: 1800,
  categoryCode: 'drinks',
  barcodes: ['4890000000011'],
  parentSku: null,
};
export const eggTart: Product = {
  id: 12,
  sku: 'BAK-002',
  nameZh: '蛋撻',
  nameEn: 'Egg Tart',
  price: 700,
  categoryCode: 'bakery',
  barcodes: ['4890000000028'],
  parentSku: null,
};

export const checkoutSettings: CheckoutSettings = {
  cashRoundingStep: 10,
  quickCash: [2000, 5000, 10000, 50000, 100000],
  discountLimitBasisPoints: 1000,
  scanner: { maxInterKeyMs: 35, minLength: 6, suffix: 'Enter', repeatAddsUnit: true, repeatWindowMs: 800 },
};

export const paymentMethods: PaymentMethod[] = [
  { code: 'cash', nameZh: '現金', nameEn: 'Cash', kind: 'cash' },
  { code: 'card', nameZh: '信用卡', nameEn: 'Card', kind: 'card' },
  { code: 'octopus', nameZh: '八達通', nameEn: 'Octopus', kind: 'reference' },
  { code: 'fps', nameZh: '轉數快 FPS', nameEn: 'FPS', kind: 'reference' },
];

/** A cart line with sensible figures: net = gross − promotions − discount. */
export function cartLine(overrides: Partial<CartLine> & Pick<CartLine, 'id'>): CartLine {
  const quantity = overrides.quantity ?? 1;
  const unitPrice = overrides.unitPrice ?? 1800;
  const gross = overrides.gross ?? Math.round(unitPrice * quantity);
  const promotions = overrides.promotions ?? [];
  const discountAmount = overrides.discountAmount ?? 0;
  return {
    productId: 11,
    sku: 'DRK-001',
    nameZh: '港式奶茶',
    nameEn: 'Hong Kong Milk Tea',
    quantity,
    unitPrice,
    listPrice: unitPrice,
    priceOverridden: false,
    weighed: false,
    gross,
    promotions,
    discount: null,
    discountAmount,
    net: gross - promotions.reduce((sum, p) => sum + p.amount, 0) - discountAmount,
    returnOf: null,
    ...overrides,
  };
}

let revisions = 0;

/** A cart whose totals add up from its lines; each a revision of its own, as the core's answers are. */
export function cartOf(lines: CartLine[], overrides: Partial<Cart> = {}): Cart {
  const subtotal = lines.reduce((sum, l) => sum + l.gross, 0);
  const promotionTotal = lines.reduce((sum, l) => sum + l.promotions.reduce((s, p) => s + p.amount, 0), 0);
  const discountTotal = lines.reduce((sum, l) => sum + l.discountAmount, 0);
  return {
    id: 100,
    revision: `test.${++revisions}`,
    status: 'open',
    label: null,
    lines,
    member: null,
    discount: null,
    subtotal,
    promotionTotal,
    discountTotal,
    taxTotal: 0,
    total: subtotal - promotionTotal - discountTotal,
    lastLineId: lines.at(-1)?.id ?? null,
    ...overrides,
  };
}

export const emptyCart = (id = 100): Cart => cartOf([], { id });

export function receipt(overrides: Partial<Receipt> = {}): Receipt {
  return {
    saleId: 1,
    receiptNo: 'MK01-01-000123',
    kind: 'sale',
    originalReceiptNo: null,
    completedAt: Date.UTC(2026, 10, 27, 6, 32),
    store: {
      code: 'MK01',
      nameZh: '旺角店',
      nameEn: 'Mong Kok',
      addressZh: '旺角彌敦道 1 號',
      addressEn: '1 Nathan Road, Mong Kok',
      phone: '2345 6789',
    },
    registerName: '收銀機 01',
    staff: { nameZh: '陳小明', nameEn: 'Chan Siu Ming' },
    lines: [
      {
        id: 501,
        sku: 'DRK-001',
        nameZh: '港式奶茶',
        nameEn: 'Hong Kong Milk Tea',
        quantity: 2,
        unitPrice: 1800,
        gross: 3600,
        promotions: [{ id: 1, nameZh: '第二杯半價', nameEn: '2nd cup half price', amount: 900 }],
        discountAmount: 0,
        net: 2700,
        returnableQuantity: 2,
      },
      {
        id: 502,
        sku: 'BAK-002',
        nameZh: '蛋撻',
        nameEn: 'Egg Tart',
        quantity: 3,
        unitPrice: 700,
        gross: 2100,
        promotions: [],
        discountAmount: 0,
        net: 2100,
        returnableQuantity: 1,
      },
    ],
    subtotal: 5700,
    promotionTotal: 900,
    discountTotal: 0,
    taxTotal: 0,
    total: 4800,
    rounding: 0,
    payments: [
      {
        method: 'cash',
        nameZh: '現金',
        nameEn: 'Cash',
        amount: 4800,
        tendered: 5000,
        change: 200,
        reference: null,
        approvalCode: null,
        cardLast4: null,
      },
    ],
    change: 200,
    copy: false,
    reprintCount: 0,
    ...overrides,
  };
}

export function registerStatus(overrides: Partial<RegisterStatus> = {}): RegisterStatus {
  return {
    store: { code: 'MK', nameZh: '旺角店', nameEn: 'Mong Kok' },
    register: { code: '01', name: '收銀機 01' },
    staff: null,
    appVersion: '0.1.0',
    serverTime: Date.UTC(2026, 10, 27, 6, 32), // 14:32 in Hong Kong
    timeZone: 'Asia/Hong_Kong',
    sync: { state: 'not-enrolled', pending: 0, attention: null },
    printer: { state: 'ready' },
    database: 'ok',
    audit: 'ok',
    ...overrides,
  };
}

export function syncStatus(overrides: Partial<SyncStatus> = {}): SyncStatus {
  return {
    state: 'not-enrolled',
    attention: null,
    attentionDetail: null,
    pending: 0,
    pendingSales: 0,
    oldestPendingSaleAt: null,
    lastSyncAt: null,
    clockSkewMs: null,
    quarantined: 0,
    heldChanges: 0,
    quarantinedDocuments: [],
    refusedCounts: [],
    duplicatesAbsorbed: 0,
    lastProblem: null,
    lastError: null,
    enrolment: null,
    tokenStorage: 'file',
    ...overrides,
  };
}

export function healthReport(overrides: Partial<ChannelResponse<'health:status'>> = {}): ChannelResponse<'health:status'> {
  const device = { state: 'not-configured' as const, raw: 'not-configured', uri: null, detail: null };
  return {
    checkedAt: Date.UTC(2026, 11, 3, 6, 0),
    source: 'register',
    store: { code: 'MK01', registerCode: '01' },
    versions: { app: '0.1.0', node: '22.23.5', electron: null, sqlite: '3.50.0', schema: 14, schemaLatest: 14 },
    os: {
      platform: 'linux',
      release: '6.1',
      arch: 'x64',
      hostname: 'till-01',
      uptimeSeconds: 3600,
      memoryFreeBytes: 2e9,
      memoryTotalBytes: 8e9,
    },
    disk: { freeBytes: 50e9, totalBytes: 100e9 },
    database: { state: 'ok', bytes: 4_000_000, walBytes: 100_000 },
    backup: { lastAt: null, scheduled: true, intervalMinutes: 60, lastError: null, keySet: false, running: false, count: 0 },
    devices: {
      printer: { ...device, queued: 0, needsAttention: 0 },
      drawer: { ...device, rule: 'cash' },
      display: device,
      scanner: { ...device, lastScanAt: null },
    },
    sync: {
      state: 'not-enrolled',
      pending: 0,
      pendingSales: 0,
      oldestPendingSaleAt: null,
      lastSyncAt: null,
      clockSkewMs: null,
      lastError: null,
      cloudUrl: null,
      tokenStored: false,
    },
    redemptions: { held: 0, value: 0, oldestAt: null },
    logs: { files: 1, bytes: 1000 },
    training: false,
    ...overrides,
  };
}

export function trainingStatus(overrides: Partial<ChannelResponse<'training:status'>> = {}): ChannelResponse<'training:status'> {
  return { on: false, since: null, by: null, kickDrawer: false, documents: 0, ...overrides };
}

export function updateStatus(overrides: Partial<ChannelResponse<'update:status'>> = {}): ChannelResponse<'update:status'> {
  return {
    phase: 'up-to-date',
    currentVersion: '0.1.0',
    availableVersion: null,
    allowedVersion: null,
    heldBy: null,
    lastCheckAt: null,
    downloadedBytes: 0,
    totalBytes: null,
    waitingFor: [],
    installRequested: false,
    lastError: null,
    installer: null,
    settings: { feedUrl: null, checkEveryMinutes: 60, autoInstall: true, installHour: null },
    ...overrides,
  };
}

export function backupStatus(overrides: Partial<ChannelResponse<'backup:status'>> = {}): ChannelResponse<'backup:status'> {
  return {
    running: false,
    lastBackupAt: null,
    lastError: null,
    keySet: false,
    folder: '/data/backups',
    settings: { scheduled: true, intervalMinutes: 60, keepRecent: 48, keepDays: 14, secondFolder: null },
    backups: [],
    ...overrides,
  };
}

const displayStatus = {
  config: { uri: null, profile: 'epson' as const, idleMessage: 'WELCOME' },
  state: 'not-configured' as const,
  lines: [' '.repeat(20), ' '.repeat(20)] as [string, string],
  error: null,
};
const scannerStatus = { config: { uri: null }, state: 'not-configured' as const, lastScan: null, error: null };

export function createFakePosApi(): FakePosApi {
  const defaults: Defaults = {
    'register:status': () => ok(registerStatus()),
    'staff:list-for-login': () => ok([chan, wong, lee]),
    'staff:login': () => fail('PIN_INVALID'),
    'staff:logout': () => ok(null),
    'catalog:lookup': () => ok(null),
    'catalog:favourites': () => ok([milkTea, eggTart]),
    'catalog:categories': () =>
      ok([
        { code: 'drinks', nameZh: '飲品', nameEn: 'Drinks' },
        { code: 'bakery', nameZh: '麵包', nameEn: 'Bakery' },
      ]),
    'catalog:search': () => ok([]),
    'catalog:variants': () => ok([]),
    'catalog:quick-add': (req) =>
      ok({
        id: 99,
        sku: req.code,
        nameZh: req.nameZh,
        nameEn: req.nameEn,
        price: req.price,
        categoryCode: req.categoryCode,
        barcodes: [req.code],
        parentSku: null,
      }),
    'settings:checkout': () => ok(checkoutSettings),
    'payment:methods': () => ok(paymentMethods),
    'cart:get': () => ok(emptyCart()),
    'cart:scan': () => fail('ITEM_NOT_FOUND'),
    'cart:add-product': () => ok(cartOf([cartLine({ id: 1 })])),
    'cart:set-quantity': () => ok(emptyCart()),
    'cart:remove-line': () => ok(emptyCart()),
    'cart:set-line-discount': () => ok(emptyCart()),
    'cart:set-price': () => ok(emptyCart()),
    'cart:set-cart-discount': () => ok(emptyCart()),
    'cart:approve-discounts': () => ok(emptyCart()),
    'cart:suspend': () => ok(emptyCart(101)),
    'cart:list-suspended': () => ok([]),
    'cart:recall': () => ok(emptyCart()),
    'cart:void': () => ok(emptyCart(101)),
    'cart:add-return': () => ok(emptyCart()),
    'cart:add-return-without-receipt': () => ok(emptyCart()),
    'cart:set-member': () => ok(emptyCart()),
    'member:find': () => ok({ member: null, source: null, offline: true }),
    'member:enrol': () => fail('CONFLICT'),
    'member:history': () => ok({ purchases: [], source: 'local' as const }),
    'member:rules': () => ok({ ...DEFAULT_MEMBER_RULES, version: 0, effectiveFrom: 0, source: 'local' as const }),
    'member:set-rules': () => fail('CONFLICT'),
    'gift:find': () => fail('GIFT_CARD_UNKNOWN'),
    'cart:add-gift-card': () => fail('GIFT_CARD_UNKNOWN'),
    'sale:complete': () => ok(receipt()),
    'sale:find': () => ok(receipt()),
    'sale:reprint': () => ok(receipt({ copy: true, reprintCount: 1 })),
    'hardware:logo': () => ok(null),
    'hardware:set-logo': () => ok(null),
    // Payment methods editor (back office)
    'payment:methods-all': () => ok(paymentMethods.map((m, i) => ({ ...m, active: true, sort: i + 1, builtIn: true }))),
    'payment:save-method': () => ok([]),
    'payment:move-method': () => ok([]),
    // Customer display and scanner (issue 4b)
    'display:status': () => ok(displayStatus),
    'display:configure': () => ok(displayStatus),
    'display:test': () => ok(displayStatus),
    'scanner:status': () => ok(scannerStatus),
    'scanner:configure': () => ok(scannerStatus),
    'customer:view': () =>
      ok({ phase: 'idle', store: { nameZh: '旺角店', nameEn: 'Mong Kok' }, lines: [], total: 0, change: 0, paymentQr: null, fpsQr: null }),
    'customer:show-total': () => ok(null),
    'customer:show-fps': () => ok(null),
    'customer:settings': () => ok({ paymentQr: null, fps: null }),
    'customer:configure': (req) => ok(CustomerDisplayConfig.parse(req)),
    // Receipt printer, cash drawer, hardware screen (issue 4a)
    'hardware:config': () => ok({ printer: null, demoPrinter: null, drawerRule: 'cash', profiles: ['epson-tm-t88'], problem: null }),
    'hardware:set-printer': () => fail('FORBIDDEN'),
    'hardware:set-drawer-rule': () => fail('FORBIDDEN'),
    'hardware:status': () => fail('DEVICE_FAILED'),
    'hardware:test-print': () => fail('DEVICE_FAILED'),
    'hardware:open-drawer': () => fail('DEVICE_FAILED'),
    'print:jobs': () => ok([]),
    'print:resolve': () => ok([]),
    'print:preview': () => ok({ columns: 42, lines: [] }),
    'drawer:no-sale': () => ok(null),
    // Staff, roles, clock in/out and the audit log (issue 6a)
    'staff:clock': (req) =>
      ok({
        staffId: req.staffId,
        nameZh: '陳小明',
        nameEn: 'Chan Siu Ming',
        direction: req.direction,
        at: Date.UTC(2026, 10, 27, 1, 0),
        workedMs: req.direction === 'out' ? 3_600_000 : null,
      }),
    'staff:list': () => ok([]),
    'staff:save': () => fail('FORBIDDEN'),
    'staff:unlock': () => fail('FORBIDDEN'),
    'staff:timesheet': () => ok([]),
    'roles:list': () => ok([]),
    'roles:save': () => ok([]),
    'roles:delete': () => ok([]),
    'audit:list': () => ok([]),
    'audit:verify': () => ok({ ok: true, rows: 0, firstBadSeq: null, problem: null }),
    'audit:kinds': () => ok(['staff.login']),
    'audit:exceptions': () => ok([]),
    // Shifts, end of day (X/Z) and reports (issue 6b)
    'shift:state': () => ok({ shift: null, blindCount: true, toleranceCents: 2000, expected: null }),
    'shift:open': () => fail('FORBIDDEN'),
    'shift:cash-movement': () => fail('CONFLICT'),
    'shift:count': () => fail('CONFLICT'),
    'shift:counted': () => ok(null),
    'shift:close': () => fail('CONFLICT'),
    'report:x': () => fail('FORBIDDEN'),
    'report:print-x': () => fail('FORBIDDEN'),
    'report:sales': () => fail('FORBIDDEN'),
    'day:status': () => fail('FORBIDDEN'),
    'day:close': () => fail('FORBIDDEN'),
    'day:list-z': () => ok([]),
    'day:z': () => fail('NOT_FOUND'),
    'day:reprint-z': () => fail('NOT_FOUND'),
    // Stock at the counter (issue 14)
    'stock:on-hand': () => ok({ rows: [], more: false }),
    'stock:set-reorder': () => ok({ rows: [], more: false }),
    'stock:reasons': () => ok([]),
    'stock:save-reason': () => ok([]),
    'stock:documents': () => ok([]),
    'stock:open': () => fail('FORBIDDEN'),
    'stock:document': () => fail('NOT_FOUND'),
    'stock:scan': () => fail('NOT_FOUND'),
    'stock:set-line': () => fail('NOT_FOUND'),
    'stock:variance': () => fail('NOT_FOUND'),
    'stock:post': () => fail('NOT_FOUND'),
    'stock:cancel': () => fail('NOT_FOUND'),
    'stock:cancel-count': () => fail('NOT_FOUND'),
    'stock:reason-report': () => ok([]),
    'stock:inbound': () => ok([]),
    'stock:purchase-orders': () => ok([]),
    'stock:count-sessions': () => ok([]),
    'stock:join-count': () => fail('NOT_FOUND'),
    'stock:count-refresh': () => fail('NOT_FOUND'),
    'order:list': () =>
      ok({ orders: [], counts: { new: 0, preparing: 0, ready: 0, collected: 0, cancelled: 0 }, conflicts: 0, pulledAt: null }),
    'order:move': () => fail('NOT_FOUND'),
    'order:print-pick-list': () => fail('NOT_FOUND'),
    'order:collect': () => fail('NOT_FOUND'),
    'order:pickup': () => fail('NOT_FOUND'),
    'order:create': () => fail('CLOUD_UNREACHABLE'),
    'order:acknowledge': () => fail('NOT_FOUND'),
    'labels:queue': () => ok({ items: [], labels: 0, printer: null }),
    'labels:add': () => fail('ITEM_NOT_FOUND'),
    'labels:set-quantity': () => fail('NOT_FOUND'),
    'labels:remove': () => ok({ items: [], labels: 0, printer: null }),
    'labels:preview': () => fail('NOT_FOUND'),
    'labels:print': () => fail('DEVICE_FAILED'),
    'hardware:label-printer': () => ok({ printer: null, profiles: [], templates: [] }),
    'hardware:set-label-printer': () => ok({ printer: null, profiles: [], templates: [] }),
    'hardware:test-label': () => fail('DEVICE_FAILED'),
    // Sync with the cloud (issue 5)
    'sync:status': () => ok(syncStatus()),
    'sync:enrol': () => fail('ENROLMENT_REFUSED'),
    'sync:now': () => ok(syncStatus()),
    'sync:forget': () => ok(syncStatus()),
    'sync:acknowledge': () => ok(syncStatus()),
    'sync:dismiss-count': () => ok(syncStatus()),
    'backup:status': () => ok(backupStatus()),
    'backup:create': () => ok(backupStatus()),
    'backup:save-settings': () => ok(backupStatus()),
    'backup:set-passphrase': () => ok(backupStatus()),
    'backup:restore': () => fail('RESTORE_REFUSED'),
    'health:status': () => ok(healthReport()),
    'diagnostics:bundle': () =>
      ok({ name: 'suanpan-diagnostics.zip', file: '/data/diagnostics/suanpan-diagnostics.zip', bytes: 4, base64: 'UEsFBg==' }),
    'update:status': () => ok(updateStatus()),
    'update:check': () => ok(updateStatus()),
    'update:install-when-safe': () => ok(updateStatus({ installRequested: true })),
    'update:save-settings': (req) => ok(updateStatus({ settings: req })),
    'training:status': () => ok(trainingStatus()),
    'training:set': (req) => ok(trainingStatus({ on: req.on, kickDrawer: req.kickDrawer ?? false })),
  };
  const scripts = Object.fromEntries(channelNames.map((name) => [name, []])) as unknown as Scripts;
  const requests = new Map<ChannelName, unknown[]>();
  const listeners = new Set<(event: PosEvent) => void>();

  function method<K extends ChannelName>(channel: K) {
    return async (req: ChannelRequest<K>): Promise<Result<ChannelResponse<K>>> => {
      requests.set(channel, [...(requests.get(channel) ?? []), req]);
      const queue = scripts[channel] as Answer<K>[];
      const answerDefault = defaults[channel] as (req: ChannelRequest<K>) => Result<ChannelResponse<K>>;
      return queue.length > 0 ? await queue.shift()! : answerDefault(req);
    };
  }

  // Every name in the contract gets a method; `defaults` above is what makes a new channel fail to compile here.
  const methods = Object.fromEntries(channelNames.map((name) => [name, method(name)])) as unknown as Omit<PosApi, 'onEvent'>;
  const api: PosApi = {
    ...methods,
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
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
