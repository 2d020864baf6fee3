/**
 * The contract between the renderer and main: every channel, its request and response schema and
 * who may call it. Types are inferred from here and nowhere else; main validates every request
 * against `req` before a handler sees it.
 */
import * as z from './zod';
import type { ChannelAccess } from './permissions';
import type { Result } from './errors';
import { Category, Cents, Pin, Product, RegisterStatus, Role, ScanCode, StaffSummary, TrainingStatus } from './schemas';
import {
  Approval,
  Cart,
  CartRevision,
  CheckoutSettings,
  Discount,
  MAX_TENDERS,
  PaymentMethod,
  Quantity,
  Receipt,
  ReceiptNo,
  ReturnLineInput,
  SuspendedCart,
  TenderInput,
} from './checkout-schemas';
import { channelNames, type ChannelName } from './channel-names';
import { CartAnswer } from './cart-patch';
import {
  CashMovementKind,
  CountResult,
  DayStatus,
  DayTotals,
  DenominationCount,
  OpenShift,
  PrintJob,
  Reason,
  SalesReport,
  SalesReportRequest,
  ShiftCash,
  ShiftState,
  ZReport,
  ZSummary,
} from './shift-schemas';
import { SyncEnrolRequest, SyncStatus } from './sync-schemas';
import { CollectResult, OrderFilter, OrderNo, SocialOrderInput, TillOrder, TillOrderList, TillPickupRequest } from './order-schemas';
import { MemberCode, MemberEnrolInput, MemberFindResult, MemberHistory, MemberView } from './member-schemas';
import { MemberRules, RegisterMemberRulesView } from './member-rules';
import { GIFT_CARD_MAX_VALUE, GiftCardView } from './gift-card';
import { CountSessionView } from './count-session';
import { BackupSettingsInput, BackupStatus, RestoreRequest, RestoreResult } from './backup-schemas';
import { DiagnosticsBundle, HealthReport } from './diagnostics-schemas';
import { UpdateSettingsInput, UpdateStatus } from './update-schemas';
import {
  AuditEntryView,
  AuditFilter,
  AuditVerification,
  ClockDirection,
  ClockResult,
  DateRange,
  ExceptionCounts,
  RoleInfo,
  RoleInput,
  StaffInput,
  StaffRecord,
  Timesheet,
} from './staff-schemas';
import { PaymentMethodSetting, SavePaymentMethod } from './payment-method-schemas';
import { PaymentMethodCode } from './checkout-schemas';
import {
  DeviceTest,
  DeviceUriText,
  DrawerRule,
  HardwareConfig,
  NoSaleRequest,
  PrintJobView,
  PrinterStatusReport,
  PrintResolve,
  ProfileName,
  ReceiptPreview,
} from './hardware-schemas';
import {
  CustomerDisplayConfig,
  CustomerView,
  DisplayConfig,
  DisplayStatus,
  FpsQrView,
  ScannerConfig,
  ScannerScan,
  ScannerStatus,
} from './customer-display-schemas';
import {
  InboundTransfer,
  PurchaseOrderSummary,
  OnHandList,
  OnHandRequest,
  OpenStockDocument,
  ReasonReportRow,
  SaveStockReason,
  StockDocumentSummary,
  StockDocumentView,
  StockReason,
  StockScanRequest,
  StockScanResult,
  VarianceReport,
} from './stock-schemas';
import {
  AddLabels,
  LabelIds,
  LabelPreview,
  LabelPreviewRequest,
  LabelPrinterConfig,
  LabelPrinterSetup,
  LabelPrintResult,
  LabelQuantity,
  LabelQueueView,
} from './label-schemas';

export { channelNames, type ChannelName };

const Empty = z.strictObject({});
const Id = z
  .number()
  .int()
  .positive()
  .max(2 ** 31);

const LogoInfo = z.object({ width: z.number().int().positive(), height: z.number().int().positive() });

interface ChannelSpec {
  req: z.ZodType;
  res: z.ZodType;
  access: ChannelAccess;
}

export const channels = {
  'register:status': { req: Empty, res: RegisterStatus, access: 'public' },
  'staff:list-for-login': { req: Empty, res: z.array(StaffSummary), access: 'public' },
  'staff:login': {
    req: z.strictObject({
      staffId: z
        .number()
        .int()
        .positive()
        .max(2 ** 31),
      pin: Pin,
    }),
    res: StaffSummary,
    access: 'public',
  },
  'staff:logout': { req: Empty, res: z.null(), access: 'session' },
  'catalog:lookup': { req: z.strictObject({ code: ScanCode }), res: Product.nullable(), access: 'sale.checkout' },
  'catalog:favourites': { req: Empty, res: z.array(Product), access: 'sale.checkout' },
  'catalog:categories': { req: Empty, res: z.array(Category), access: 'sale.checkout' },
  'catalog:search': { req: z.strictObject({ text: z.text(64) }), res: z.array(Product), access: 'sale.checkout' },
  /** A parent's active variants (sizes, colours), for the till's chooser. */
  'catalog:variants': { req: z.strictObject({ productId: Id }), res: z.array(Product), access: 'sale.checkout' },
  'catalog:quick-add': {
    req: z.strictObject({
      code: ScanCode,
      nameZh: z.text(100),
      nameEn: z.text(100),
      price: Cents.min(0).max(100_000_000),
      categoryCode: z.string().max(32).nullable(),
      approval: Approval.optional(),
    }),
    res: Product,
    access: 'sale.checkout',
  },
  'settings:checkout': { req: Empty, res: CheckoutSettings, access: 'sale.checkout' },
  'payment:methods': { req: Empty, res: z.array(PaymentMethod), access: 'sale.checkout' },
  'cart:get': { req: Empty, res: Cart, access: 'sale.checkout' },
  // The intents a cashier repeats line by line: `known` names the cart the window holds, and the
  // answer is then what changed since (src/shared/cart-patch.ts), not the whole cart again.
  'cart:scan': { req: z.strictObject({ code: ScanCode, known: CartRevision.optional() }), res: CartAnswer, access: 'sale.checkout' },
  'cart:add-product': {
    req: z.strictObject({ productId: Id, quantity: Quantity.optional(), known: CartRevision.optional() }),
    res: CartAnswer,
    access: 'sale.checkout',
  },
  'cart:set-quantity': {
    req: z.strictObject({ lineId: Id, quantity: Quantity, approval: Approval.optional(), known: CartRevision.optional() }),
    res: CartAnswer,
    access: 'sale.checkout',
  },
  'cart:remove-line': {
    req: z.strictObject({ lineId: Id, approval: Approval.optional(), known: CartRevision.optional() }),
    res: CartAnswer,
    access: 'sale.checkout',
  },
  'cart:set-line-discount': {
    req: z.strictObject({ lineId: Id, discount: Discount.nullable(), approval: Approval.optional() }),
    res: Cart,
    access: 'sale.checkout',
  },
  'cart:set-price': {
    req: z.strictObject({ lineId: Id, unitPrice: Cents.min(0).nullable(), approval: Approval.optional() }),
    res: Cart,
    access: 'sale.checkout',
  },
  'cart:set-cart-discount': {
    req: z.strictObject({ discount: Discount.nullable(), approval: Approval.optional() }),
    res: Cart,
    access: 'sale.checkout',
  },
  // Before payment, when the cart says a discount is now more than whoever gave it may give
  // (`discountsToApprove`: a promotion a scan started, a role's limit lowered): settled on the
  // logged-in cashier, or APPROVAL_REQUIRED and again with a manager's PIN.
  'cart:approve-discounts': { req: z.strictObject({ approval: Approval.optional() }), res: Cart, access: 'sale.checkout' },
  'cart:suspend': { req: z.strictObject({ label: z.text(40) }), res: Cart, access: 'sale.checkout' },
  'cart:list-suspended': { req: Empty, res: z.array(SuspendedCart), access: 'sale.checkout' },
  'cart:recall': { req: z.strictObject({ cartId: Id }), res: Cart, access: 'sale.checkout' },
  'cart:void': { req: z.strictObject({ reason: z.text(200) }), res: Cart, access: 'sale.checkout' },
  'cart:add-return': {
    req: z.strictObject({ receiptNo: ReceiptNo, lines: z.array(ReturnLineInput).min(1).max(200) }),
    res: Cart,
    access: 'refund.with-receipt',
  },
  'cart:add-return-without-receipt': {
    req: z.strictObject({ code: ScanCode, quantity: Quantity, unitPrice: Cents.min(0).optional(), approval: Approval.optional() }),
    res: Cart,
    access: 'sale.checkout',
  },
  'sale:complete': {
    req: z.strictObject({ cartId: Id, tenders: z.array(TenderInput).max(MAX_TENDERS) }),
    res: Receipt,
    access: 'sale.checkout',
  },
  'sale:find': { req: z.strictObject({ receiptNo: ReceiptNo }), res: Receipt, access: 'sale.checkout' },
  'sale:reprint': { req: z.strictObject({ receiptNo: ReceiptNo }), res: Receipt, access: 'sale.checkout' },
  // Staff, roles, clock in/out and the audit log (issue 6a)
  'staff:clock': { req: z.strictObject({ staffId: Id, pin: Pin, direction: ClockDirection }), res: ClockResult, access: 'public' },
  'staff:list': { req: Empty, res: z.array(StaffRecord), access: 'staff.manage' },
  'staff:save': { req: StaffInput, res: StaffRecord, access: 'staff.manage' },
  'staff:unlock': { req: z.strictObject({ staffId: Id }), res: StaffRecord, access: 'staff.manage' },
  'staff:timesheet': { req: DateRange, res: z.array(Timesheet), access: 'staff.manage' },
  'roles:list': { req: Empty, res: z.array(RoleInfo), access: 'session' },
  'roles:save': { req: RoleInput, res: z.array(RoleInfo), access: 'roles.manage' },
  'roles:delete': { req: z.strictObject({ code: Role }), res: z.array(RoleInfo), access: 'roles.manage' },
  'audit:list': { req: AuditFilter, res: z.array(AuditEntryView), access: 'audit.view' },
  'audit:verify': { req: Empty, res: AuditVerification, access: 'audit.view' },
  'audit:kinds': { req: Empty, res: z.array(z.string()), access: 'audit.view' },
  'audit:exceptions': { req: DateRange, res: z.array(ExceptionCounts), access: 'audit.view' },
  // the receipt logo (hardware screen): a 1-bit PBM, base64, at most 576 × 400 dots
  'hardware:logo': { req: Empty, res: LogoInfo.nullable(), access: 'hardware.setup' },
  'hardware:set-logo': {
    req: z.strictObject({ pbm: z.base64().max(60_000).nullable() }),
    res: LogoInfo.nullable(),
    access: 'hardware.setup',
  },
  // payment methods the store takes (back office)
  'payment:methods-all': { req: Empty, res: z.array(PaymentMethodSetting), access: 'settings.edit' },
  'payment:save-method': { req: SavePaymentMethod, res: z.array(PaymentMethodSetting), access: 'settings.edit' },
  'payment:move-method': {
    req: z.strictObject({ code: PaymentMethodCode, direction: z.enum(['up', 'down']) }),
    res: z.array(PaymentMethodSetting),
    access: 'settings.edit',
  },
  // Customer display and scanner (issue 4b)
  'display:status': { req: Empty, res: DisplayStatus, access: 'hardware.setup' },
  'display:configure': { req: DisplayConfig, res: DisplayStatus, access: 'hardware.setup' },
  'display:test': {
    req: z.strictObject({ line1: z.string().max(40), line2: z.string().max(40) }),
    res: DisplayStatus,
    access: 'hardware.setup',
  },
  'scanner:status': { req: Empty, res: ScannerStatus, access: 'hardware.setup' },
  'scanner:configure': { req: ScannerConfig, res: ScannerStatus, access: 'hardware.setup' },
  'customer:view': { req: Empty, res: CustomerView, access: 'public' },
  'customer:show-total': { req: Empty, res: z.null(), access: 'sale.checkout' },
  /** 轉數快 FPS chosen for `amount` (at most what the open cart costs): the customer screen shows its QR; null when no FPS proxy is set up. */
  'customer:show-fps': {
    req: z.strictObject({ amount: Cents.min(1).max(100_000_000) }),
    res: FpsQrView.nullable(),
    access: 'sale.checkout',
  },
  'customer:settings': { req: Empty, res: CustomerDisplayConfig, access: 'hardware.setup' },
  'customer:configure': { req: CustomerDisplayConfig, res: CustomerDisplayConfig, access: 'hardware.setup' },
  // Receipt printer, cash drawer, hardware screen (issue 4a)
  'hardware:config': { req: Empty, res: HardwareConfig, access: 'hardware.setup' },
  'hardware:set-printer': {
    req: z.strictObject({ printer: z.strictObject({ uri: DeviceUriText, profile: ProfileName }).nullable() }),
    res: HardwareConfig,
    access: 'hardware.setup',
  },
  'hardware:set-drawer-rule': { req: z.strictObject({ rule: DrawerRule }), res: HardwareConfig, access: 'hardware.setup' },
  'hardware:status': { req: DeviceTest, res: PrinterStatusReport, access: 'hardware.setup' },
  'hardware:test-print': { req: DeviceTest, res: z.object({ uri: z.string(), confirmed: z.boolean() }), access: 'hardware.setup' },
  'hardware:open-drawer': { req: DeviceTest, res: z.object({ uri: z.string() }), access: 'hardware.setup' },
  'print:jobs': { req: Empty, res: z.array(PrintJobView), access: 'sale.checkout' },
  'print:resolve': { req: PrintResolve, res: z.array(PrintJobView), access: 'sale.checkout' },
  'print:preview': { req: z.strictObject({ receiptNo: ReceiptNo }), res: ReceiptPreview, access: 'sale.checkout' },
  'drawer:no-sale': { req: NoSaleRequest, res: z.null(), access: 'session' },
  // Sync with the cloud (issue 5): status for everyone (close-the-day warns on unsynced sales)
  // Members at the till (issue 13): find by phone, code or scanned card; enrol online or offline
  // with a manager's approval when member prices take a discount over the limit of who gave it (as a quantity change)
  'cart:set-member': {
    req: z.strictObject({ code: MemberCode.nullable(), approval: Approval.optional() }),
    res: Cart,
    access: 'sale.checkout',
  },
  'member:find': { req: z.strictObject({ query: z.text(64) }), res: MemberFindResult, access: 'sale.checkout' },
  'member:enrol': { req: MemberEnrolInput, res: MemberView, access: 'sale.checkout' },
  // Gift cards: a card by its code as scanned or typed (never logged); sold as a line of the open cart
  'gift:find': { req: z.strictObject({ code: z.text(40) }), res: GiftCardView, access: 'sale.checkout' },
  'cart:add-gift-card': {
    req: z.strictObject({ code: z.text(40), value: Cents.min(100).max(GIFT_CARD_MAX_VALUE) }),
    res: Cart,
    access: 'sale.checkout',
  },
  'member:history': { req: z.strictObject({ code: MemberCode }), res: MemberHistory, access: 'sale.checkout' },
  // The merchant's earn and redeem rules as this register holds them (head office's once enrolled: set-rules is then CONFLICT)
  'member:rules': { req: Empty, res: RegisterMemberRulesView, access: 'sale.checkout' },
  'member:set-rules': { req: MemberRules, res: RegisterMemberRulesView, access: 'settings.edit' },
  'sync:status': { req: Empty, res: SyncStatus, access: 'session' },
  'sync:enrol': { req: SyncEnrolRequest, res: SyncStatus, access: 'sync.manage' },
  'sync:now': { req: Empty, res: SyncStatus, access: 'sync.manage' },
  'sync:forget': { req: Empty, res: SyncStatus, access: 'sync.manage' },
  'sync:acknowledge': { req: Empty, res: SyncStatus, access: 'sync.manage' },
  /** A manager has seen a shared count the cloud refused: it leaves the status bar (count-refusals.ts). */
  'sync:dismiss-count': { req: z.strictObject({ documentId: Id }), res: SyncStatus, access: 'stock.count-post' },
  // Shifts, end of day (X/Z) and reports (issue 6b)
  'shift:state': { req: Empty, res: ShiftState, access: 'shift.manage' },
  'shift:open': { req: z.strictObject({ float: DenominationCount }), res: OpenShift, access: 'shift.manage' },
  'shift:cash-movement': {
    req: z.strictObject({ kind: CashMovementKind, amount: Cents.positive().max(100_000_000), reason: Reason }),
    res: OpenShift,
    access: 'shift.manage',
  },
  'shift:count': { req: z.strictObject({ counted: DenominationCount }), res: CountResult, access: 'shift.manage' },
  'shift:counted': { req: Empty, res: CountResult.nullable(), access: 'shift.manage' },
  'shift:close': {
    req: z.strictObject({ reason: Reason.optional(), approval: Approval.optional() }),
    res: ShiftCash,
    access: 'shift.manage',
  },
  'report:x': { req: Empty, res: DayTotals, access: 'reports.view' },
  'report:print-x': { req: Empty, res: PrintJob, access: 'reports.view' },
  'report:sales': { req: SalesReportRequest, res: SalesReport, access: 'reports.view' },
  'day:status': { req: Empty, res: DayStatus, access: 'day.close' },
  'day:close': { req: Empty, res: ZReport, access: 'day.close' },
  'day:list-z': { req: Empty, res: z.array(ZSummary), access: 'reports.view' },
  'day:z': { req: z.strictObject({ zNo: Id }), res: ZReport, access: 'reports.view' },
  'day:reprint-z': { req: z.strictObject({ zNo: Id }), res: ZReport, access: 'reports.view' },
  // Backups and restore (issue 17): managers; a restore also needs the word typed
  'backup:status': { req: Empty, res: BackupStatus, access: 'backup.manage' },
  'backup:create': { req: Empty, res: BackupStatus, access: 'backup.manage' },
  'backup:save-settings': { req: BackupSettingsInput, res: BackupStatus, access: 'backup.manage' },
  'backup:set-passphrase': {
    req: z.strictObject({ passphrase: z.string().min(8).max(200).nullable() }),
    res: BackupStatus,
    access: 'backup.manage',
  },
  'backup:restore': { req: RestoreRequest, res: RestoreResult, access: 'backup.manage' },
  // Health panel (健康狀態) and the diagnostics bundle (issue 17): whoever manages backups
  'health:status': { req: Empty, res: HealthReport, access: 'backup.manage' },
  'diagnostics:bundle': { req: Empty, res: DiagnosticsBundle, access: 'backup.manage' },
  // Updates between shifts (issue 17): whoever manages backups manages updates
  'update:status': { req: Empty, res: UpdateStatus, access: 'backup.manage' },
  'update:check': { req: Empty, res: UpdateStatus, access: 'backup.manage' },
  'update:install-when-safe': { req: Empty, res: UpdateStatus, access: 'backup.manage' },
  'update:save-settings': { req: UpdateSettingsInput, res: UpdateStatus, access: 'backup.manage' },
  // Stock at the counter (issue 14): each document kind also needs its own permission, checked by main
  'stock:on-hand': { req: OnHandRequest, res: OnHandList, access: 'stock.view' },
  'stock:set-reorder': {
    req: z.strictObject({ productId: Id, quantity: z.number().finite().min(0).max(1_000_000).nullable() }),
    res: OnHandList,
    access: 'stock.adjust',
  },
  'stock:reasons': { req: Empty, res: z.array(StockReason), access: 'stock.view' },
  'stock:save-reason': { req: SaveStockReason, res: z.array(StockReason), access: 'settings.edit' },
  'stock:documents': {
    req: z.strictObject({ status: z.enum(['open', 'recent']) }),
    res: z.array(StockDocumentSummary),
    access: 'stock.view',
  },
  'stock:open': { req: OpenStockDocument, res: StockDocumentView, access: 'stock.view' },
  'stock:document': { req: z.strictObject({ documentId: Id }), res: StockDocumentView, access: 'stock.view' },
  'stock:scan': { req: StockScanRequest, res: StockScanResult, access: 'stock.view' },
  'stock:set-line': {
    req: z.strictObject({ documentId: Id, productId: Id, quantity: z.number().finite().min(-10_000).max(10_000) }),
    res: StockDocumentView,
    access: 'stock.view',
  },
  'stock:variance': { req: z.strictObject({ documentId: Id }), res: VarianceReport, access: 'stock.count-post' },
  // a shared count: acceptUnsent posts although another register may hold unsent scans (COUNT_PARTICIPANTS_UNSENT)
  'stock:post': {
    req: z.strictObject({ documentId: Id, acceptUnsent: z.boolean().optional() }),
    res: StockDocumentSummary,
    access: 'stock.view',
  },
  // shared counts (count-session.ts): the store's open ones to join, joining one, and its state in the cloud
  'stock:count-sessions': { req: Empty, res: z.array(CountSessionView), access: 'stock.count' },
  'stock:join-count': { req: z.strictObject({ sessionId: z.uuid() }), res: StockDocumentView, access: 'stock.count' },
  'stock:count-refresh': { req: z.strictObject({ documentId: Id }), res: StockDocumentView, access: 'stock.count' },
  'stock:cancel': { req: z.strictObject({ documentId: Id }), res: StockDocumentSummary, access: 'stock.view' },
  /**
   * a shared count: `whole` cancels it for every register (the opener, or stock.count-post), else this
   * register leaves it, its scans staying counted unless `withdraw`
   */
  'stock:cancel-count': {
    req: z.strictObject({
      documentId: Id,
      whole: z.boolean(),
      reason: z.string().max(200).default(''),
      withdraw: z.boolean().default(false),
    }),
    res: StockDocumentView,
    access: 'stock.count',
  },
  'stock:reason-report': { req: DateRange, res: z.array(ReasonReportRow), access: 'stock.adjust' },
  'stock:inbound': { req: Empty, res: z.array(InboundTransfer), access: 'stock.transfer' },
  'stock:purchase-orders': { req: Empty, res: z.array(PurchaseOrderSummary), access: 'stock.receive' },
  // 網上訂單: the store's online and social orders at the till (issue 15)
  'order:list': { req: z.strictObject({ filter: OrderFilter }), res: TillOrderList, access: 'sale.checkout' },
  'order:move': {
    req: z.strictObject({ orderNo: OrderNo, to: z.enum(['preparing', 'ready', 'cancelled']), reason: z.text(200).nullable() }),
    res: TillOrder,
    access: 'sale.checkout',
  },
  'order:print-pick-list': { req: z.strictObject({ orderNo: OrderNo }), res: TillOrder, access: 'sale.checkout' },
  'order:collect': { req: z.strictObject({ code: ScanCode }), res: CollectResult, access: 'sale.checkout' },
  'order:pickup': { req: TillPickupRequest, res: CollectResult, access: 'sale.checkout' },
  'order:create': { req: SocialOrderInput, res: TillOrder, access: 'sale.checkout' },
  'order:acknowledge': { req: z.strictObject({ orderNo: OrderNo }), res: TillOrder, access: 'sale.checkout' },
  // Labels (issue 14): the queue, preview and printing; the label printer on the hardware screen
  'labels:queue': { req: Empty, res: LabelQueueView, access: 'labels.print' },
  'labels:add': { req: AddLabels, res: LabelQueueView, access: 'labels.print' },
  'labels:set-quantity': { req: z.strictObject({ id: Id, quantity: LabelQuantity }), res: LabelQueueView, access: 'labels.print' },
  'labels:remove': { req: LabelIds, res: LabelQueueView, access: 'labels.print' },
  'labels:preview': { req: LabelPreviewRequest, res: LabelPreview, access: 'labels.print' },
  'labels:print': { req: LabelIds, res: LabelPrintResult, access: 'labels.print' },
  'hardware:label-printer': { req: Empty, res: LabelPrinterSetup, access: 'hardware.setup' },
  'hardware:set-label-printer': {
    req: z.strictObject({ printer: LabelPrinterConfig.nullable() }),
    res: LabelPrinterSetup,
    access: 'hardware.setup',
  },
  'hardware:test-label': {
    req: Empty,
    res: z.object({ uri: z.string().nullable(), pdf: z.string().nullable() }),
    access: 'hardware.setup',
  },
  // 練習模式 training (issue 17): anyone sees the state; a manager switches it
  'training:status': { req: Empty, res: TrainingStatus, access: 'session' },
  'training:set': {
    req: z.strictObject({ on: z.boolean(), kickDrawer: z.boolean().default(false) }),
    res: TrainingStatus,
    access: 'training.manage',
  },
} as const satisfies Record<ChannelName, ChannelSpec>;

export type Channels = typeof channels;
export type ChannelRequest<K extends ChannelName> = z.input<Channels[K]['req']>;
export type ChannelResponse<K extends ChannelName> = z.output<Channels[K]['res']>;

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.hasOwn(channels, name);
}

/** Events main pushes to every window. */
export const events = {
  'register:status': RegisterStatus,
  // Customer display and scanner (issue 4b)
  'scanner:scan': ScannerScan,
  'customer:cart': CustomerView,
} as const satisfies Record<string, z.ZodType>;

export type EventName = keyof typeof events;
export type PosEvent = { [K in EventName]: { event: K; payload: z.output<(typeof events)[K]> } }[EventName];

/**
 * What the renderer sees as `window.pos`: one method per channel and one way to listen. Both
 * preloads (Electron's and the kiosk host's web preload) must `satisfies PosApi`.
 */
export type PosApi = {
  [K in ChannelName]: (req: ChannelRequest<K>) => Promise<Result<ChannelResponse<K>>>;
} & {
  onEvent(listener: (event: PosEvent) => void): () => void;
};
