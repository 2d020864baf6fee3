/**
 * The head office console's contract, shared by the cloud's /hq/api routes and the console page
 * (cloud/console): roles, the permission table, request schemas and answer shapes. Runtime-free:
 * it imports only src/shared's zod, so the browser bundle can take it as it is.
 *
 * Adding a console screen (members, stock, orders, IT ops …): add its permissions to `permissions`
 * below (the server checks them on every route, the console hides what a role lacks), its routes
 * in cloud/hq/routes/ and its page in cloud/console/pages/registry.ts. See cloud/README.md.
 */
import * as z from '../../src/shared/zod';
import { MemberRules } from '../../src/shared/member-rules';
import {
  OrderChannel,
  OrderNo,
  OrderStatus,
  SocialOrderInput,
  orderTransitions,
  socialPaidMethods,
  type Order,
} from '../../src/shared/order-schemas';
import type { CountLeftScans } from '../../src/shared/stock-schemas';
import { RedemptionRelease } from '../../src/shared/stored-value';

export const roles = ['owner', 'hq_manager', 'store_manager', 'viewer'] as const;
export type Role = (typeof roles)[number];
export const Role = z.enum(roles);

const everyone: readonly Role[] = roles;
const managers: readonly Role[] = ['owner', 'hq_manager'];

/**
 * Who may do what. A store manager's reads and writes are further limited to their stores (the
 * server filters by the user's store scope on every route that names a store or register).
 */
export const permissions = {
  'dashboard.view': everyone,
  'stores.view': everyone,
  'stores.manage': managers,
  'registers.manage': ['owner', 'hq_manager', 'store_manager'],
  'catalogue.view': everyone,
  'catalogue.edit': managers,
  'catalogue.import': managers,
  'quarantine.view': everyone,
  'quarantine.resolve': managers,
  'reports.view': everyone,
  'staff.view': everyone,
  'staff.manage': managers,
  'users.manage': ['owner'],
  'audit.view': ['owner'],
  'mall.view': everyone,
  'mall.manage': managers,
  // members are merchant-wide: everyone looks (phones masked in lists), managers adjust and set the rules
  'members.view': everyone,
  'members.manage': managers,
  /** close a return whose points wait for an original that will never come; a store manager: only their stores' */
  'members.returns-close': ['owner', 'hq_manager', 'store_manager'],
  'orders.view': everyone,
  'orders.manage': ['owner', 'hq_manager', 'store_manager'],
  'stock.view': everyone,
  /** a store manager: only their stores' purchase orders */
  'stock.manage': ['owner', 'hq_manager', 'store_manager'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof permissions;

export function roleMay(role: Role, permission: Permission): boolean {
  return (permissions[permission] as readonly Role[]).includes(role);
}

/** Error codes the console translates (the cloud's CloudErrorCode values it may meet). */
export const consoleErrorCodes = [
  'BAD_REQUEST',
  'LOGIN_FAILED',
  'LOCKED_OUT',
  'TOTP_REQUIRED',
  'TOTP_INVALID',
  'SESSION_REQUIRED',
  'CSRF_FAILED',
  'PERMISSION_DENIED',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'ORDER_FINAL',
  'ORDER_TRANSITION_INVALID',
  'TOTAL_MISMATCH',
  'IDEMPOTENCY_CONFLICT',
  'UNAVAILABLE',
  'INTERNAL',
  'INSUFFICIENT_BALANCE',
  'RETURN_POINTS_SETTLED',
] as const;

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .min(3)
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+$/, 'an email address');
export const Password = z.string().min(1).max(200);
export const NewPassword = z.string().min(10, 'at least 10 characters').max(200);
export const TotpCode = z.string().regex(/^\d{6}$/, 'six digits');

export const LoginBody = z.object({ email: Email, password: Password, totp: TotpCode.optional() });
export type LoginBody = z.infer<typeof LoginBody>;

export interface SessionUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  /** The stores a store manager is limited to; null: every store of the merchant. */
  storeIds: number[] | null;
  totpEnabled: boolean;
}

export interface SessionInfo {
  user: SessionUser;
  merchant: { id: number; name: string; timeZone: string };
  /** Sent back as X-CSRF-Token on every POST/PUT/DELETE. */
  csrfToken: string;
  permissions: Permission[];
}

// Dashboard --------------------------------------------------------------------------------------

export interface DashboardSales {
  storeId: number;
  storeCode: string;
  storeNameZh: string;
  storeNameEn: string;
  channel: 'register' | 'online';
  documents: number;
  /** cents, sales minus refunds */
  total: number;
}

/** A register as the dashboard and the register list show it: its last push or pull and what it reported then. */
export interface RegisterHealth {
  registerId: string;
  registerCode: string;
  name: string;
  store: { id: number; code: string; nameZh: string; nameEn: string };
  lastAppliedSeq: number;
  lastPushAt: number | null;
  lastPullAt: number | null;
  /** The latest push, pull or report: when the register last synced. */
  lastSyncAt: number | null;
  enrolledAt: number;
  revokedAt: number | null;
  /** As the register last reported them (null: never reported), at reportedAt. */
  appVersion: string | null;
  queueDepth: number | null;
  quarantined: number | null;
  reportedAt: number | null;
  /** synced within the last ONLINE_WINDOW_MS */
  online: boolean;
  /** Documents wait at the register: QUEUE_LARGE or more, or some for longer than QUEUE_LONG_MS. */
  queueWaiting: boolean;
}

export const ONLINE_WINDOW_MS = 5 * 60_000;
export const QUEUE_LONG_MS = 10 * 60_000;
export const QUEUE_LARGE = 100;

export interface Dashboard {
  /** YYYY-MM-DD in the merchant's time zone */
  day: string;
  sales: DashboardSales[];
  total: number;
  documents: number;
  registers: RegisterHealth[];
  openQuarantine: number;
  asOf: number;
}

// Stores and registers ---------------------------------------------------------------------------

export interface StoreItem {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  addressZh: string;
  addressEn: string;
  phone: string;
}

export const StoreBody = z.object({
  code: z.string().regex(/^[A-Z0-9]{1,16}$/, '1 to 16 of A-Z and 0-9'),
  nameZh: z.text(100),
  nameEn: z.text(100),
  addressZh: z.text(200, 0).default(''),
  addressEn: z.text(200, 0).default(''),
  phone: z.text(40, 0).default(''),
});

export const EnrolCodeBody = z.object({ ttlMinutes: z.number().int().min(5).max(10_080).default(60) });

// Quarantine -------------------------------------------------------------------------------------

export { quarantineReasons, type QuarantineReason } from '../../src/shared/quarantine-reasons';

export interface QuarantineRow {
  id: number;
  registerId: string | null;
  registerCode: string | null;
  storeCode: string | null;
  seq: number | null;
  kind: string;
  ref: string;
  /** A QuarantineReason; a row kept from an older cloud may carry one this list no longer has. */
  reason: string;
  message: string;
  createdAt: number;
  resolvedAt: number | null;
  resolution: string | null;
  payload: string;
}

export const DismissBody = z.object({ reason: z.text(500) });

// Catalogue --------------------------------------------------------------------------------------

export interface ProductRow {
  sku: string;
  nameZh: string;
  nameEn: string;
  categoryCode: string | null;
  active: boolean;
  barcodes: string[];
  /** cents, the price in force now; null when none */
  price: number | null;
  /** a variant (a size or a colour): its parent; lists put it right under the parent */
  parentSku: string | null;
  /** a variant's option label (尺碼 M / Size M) */
  optionZh: string;
  optionEn: string;
}

export const ProductSearchQuery = z.object({
  q: z.string().max(100).default(''),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const ProductEditBody = z.object({
  nameZh: z.text(200),
  nameEn: z.text(200),
  categoryCode: z.text(64).nullable(),
  active: z.boolean(),
  barcodes: z.array(z.string().regex(/^[0-9A-Za-z-]{1,64}$/)).max(20),
  /** a variant's option label; omitted keeps it */
  optionZh: z.text(100, 0).optional(),
  optionEn: z.text(100, 0).optional(),
  /**
   * Re-parenting: the product this one is a variant of after the edit (made a variant, moved to
   * another parent); null: it stands alone (its option labels are cleared); omitted keeps it. The
   * rule is src/shared/product-variants.ts: a refusal is BAD_REQUEST with the rule's code as the
   * issue's message at path parentSku.
   */
  parentSku: z
    .string()
    .regex(/^\S{1,64}$/, '1 to 64 characters, no spaces')
    .nullable()
    .optional(),
});

/** A new variant of a product: its own SKU, option label, barcodes and price; names and category from the parent. */
export const VariantBody = z.object({
  sku: z.string().regex(/^\S{1,64}$/, '1 to 64 characters, no spaces'),
  optionZh: z.text(100),
  optionEn: z.text(100),
  barcodes: z.array(z.string().regex(/^[0-9A-Za-z-]{1,64}$/)).max(20),
  price: z.number().int().min(0).max(100_000_000).optional(),
});

export const PriceBody = z.object({
  price: z.number().int().min(0).max(100_000_000),
  /** ms; omitted: from now */
  validFrom: z.number().int().positive().optional(),
});

// Catalogue CSV import (cloud/domain/catalogue-import.ts) ------------------------------------------

export interface ImportError {
  /** the spreadsheet's row number (header = 1); 0 for the file as a whole */
  row: number;
  column: string;
  code: string;
  zh: string;
  en: string;
}

export interface ImportSummary {
  rows: number;
  /** products the file adds */
  added: number;
  /** existing products whose names, category, sale state or barcodes change */
  changed: number;
  unchanged: number;
  /** products whose price changes (from the moment of applying) */
  prices: number;
  /** products outside the file that lose a barcode the file gives to another product */
  barcodeLosers: number;
  /** after an apply: the change-log versions written */
  firstVersion?: number | null;
  lastVersion?: number | null;
}

export interface ImportRecord {
  id: number;
  fileName: string;
  status: 'uploading' | 'checked' | 'applied';
  chars: number;
  chunks: number;
  rowCount: number | null;
  errorCount: number | null;
  summary: ImportSummary | null;
  createdAt: number;
  checkedAt: number | null;
  appliedAt: number | null;
}

/** A check or apply running on the server (held in the instance's memory while it runs). */
export interface ImportTask {
  phase: 'checking' | 'applying';
  done: number;
  total: number;
  finished: boolean;
  error: { code: string; message: string } | null;
}

/** Characters per uploaded chunk: a request body is at most 1 MB, and a Chinese character is 3 bytes. */
export const IMPORT_CHUNK_CHARS = 200_000;

/** The file's text in upload chunks, never splitting a surrogate pair (the API refuses a lone half). */
export function chunkText(text: string, size = IMPORT_CHUNK_CHARS): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; ) {
    let end = Math.min(text.length, i + size);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    chunks.push(text.slice(i, end));
    i = end;
  }
  return chunks;
}

export const ImportCreateBody = z.object({ fileName: z.text(200, 0).default('') });
export const ImportChunkBody = z.object({ seq: z.number().int().min(0).max(100_000), text: z.string().max(256 * 1024) });
export const ImportErrorsQuery = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

// Mall turnover export (cloud/domain/mall-export.ts) ------------------------------------------------

/** What a template field writes: a fixed text, who and when, or one of the period's figures. */
export const mallFieldSources = [
  'text',
  'tenantCode',
  'storeCode',
  'date',
  'hour',
  'generatedAt',
  'grossSales',
  'discounts',
  'refunds',
  'netSales',
  'transactions',
  'refundCount',
  'recordCount',
] as const;
/** The figures a merchant may pick for the detail records (amounts and counts). */
export const mallFigures = ['grossSales', 'discounts', 'refunds', 'netSales', 'transactions', 'refundCount'] as const;
export type MallFigure = (typeof mallFigures)[number];

export const MallField = z.object({
  source: z.enum(mallFieldSources),
  /** the CSV header cell for this column */
  label: z.string().max(40).default(''),
  /** for source 'text' */
  text: z.string().max(100).default(''),
  /** fixed width: the field's width in characters (required there) */
  width: z.number().int().min(1).max(100).optional(),
  align: z.enum(['left', 'right']).default('left'),
  pad: z.enum([' ', '0']).default(' '),
  /** dates and hours: yyyy yy MM dd HH mm ss (e.g. yyyyMMdd, dd/MM/yyyy, HH:mm); amounts: cents or dollars */
  format: z.string().max(24).default(''),
});
export type MallField = z.infer<typeof MallField>;

export const MallTemplate = z
  .object({
    name: z.text(60),
    format: z.enum(['csv', 'fixed']),
    /** one detail record for the day, or one per hour 00–23 */
    granularity: z.enum(['daily', 'hourly']),
    /** {tenant} {store} {date:yyyyMMdd} {generated:yyyyMMddHHmmss}; letters, digits, . _ - otherwise */
    fileName: z
      .string()
      .min(1)
      .max(100)
      .regex(
        /^[A-Za-z0-9_.-]*(\{(tenant|store|date|generated)(:[A-Za-z]+)?\}[A-Za-z0-9_.-]*)*$/,
        'letters, digits, . _ - and {tenant} {store} {date:…}',
      ),
    lineEnding: z.enum(['crlf', 'lf']).default('crlf'),
    delimiter: z.enum([',', '|', ';', '\t']).default(','),
    /** CSV: a first line of the detail fields' labels */
    csvHeader: z.boolean().default(true),
    /** CSV: a UTF-8 byte-order mark first */
    bom: z.boolean().default(false),
    /** records before and after the detail records (day totals; recordCount = detail records) */
    header: z.array(MallField).max(30).default([]),
    detail: z.array(MallField).min(1).max(30),
    trailer: z.array(MallField).max(30).default([]),
    /** online orders fulfilled by the store count as its turnover too */
    includeOnline: z.boolean().default(false),
  })
  .refine((t) => t.format !== 'fixed' || [...t.header, ...t.detail, ...t.trailer].every((f) => f.width !== undefined), {
    message: 'every field of a fixed-width template needs a width',
  });
export type MallTemplate = z.infer<typeof MallTemplate>;

const SendAt = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'a time as HH:MM');

export const MallExportBody = z.object({
  tenantCode: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, '1 to 32 of letters, digits, _ and -'),
  template: MallTemplate,
  /** the previous business day's file is sent daily at this time (merchant's time zone); null: only by hand */
  sendAt: SendAt.nullable(),
  sender: z.enum(['folder', 'sftp']).default('folder'),
  enabled: z.boolean().default(true),
});
export type MallExportBody = z.infer<typeof MallExportBody>;

export const MallRunBody = z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD') });

/** OpenSSH's form of a host key's fingerprint: SHA256: and the unpadded base64 of its sha256. */
export const HostKeyFingerprint = z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'SHA256: and 43 characters, as ssh-keygen -lf shows it');

/** Where a store's mall files go over SFTP (cloud/domain/mall-sftp.ts); the secret is never in here. */
export const MallSftpSettings = z.object({
  host: z
    .string()
    .regex(/^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*|[0-9a-fA-F:]{2,39})$/, 'a host name or IP address'),
  port: z.number().int().min(1).max(65_535).default(22),
  username: z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, '1 to 64 letters, digits and . _ @ -'),
  /** the remote folder the file is written to ('' or '.': the login folder) */
  directory: z
    .string()
    .max(200)
    .regex(/^[^\0\r\n\\]*$/, 'a folder path with /')
    .refine((d) => !d.split('/').includes('..'), 'no .. in the folder')
    .default(''),
  /** log in with a password or a private key (OpenSSH or PEM) */
  auth: z.enum(['password', 'key']),
  /** the pinned host key: a server showing another key is refused; null until pinned (nothing is sent) */
  hostKeySha256: HostKeyFingerprint.nullable(),
});
export type MallSftpSettings = z.infer<typeof MallSftpSettings>;

/** Saving the SFTP destination: a new password or key replaces the stored one; omitted keeps it. */
export const MallSftpBody = MallSftpSettings.extend({
  password: z.string().min(1).max(200).optional(),
  privateKey: z.string().min(1).max(16_000).optional(),
  passphrase: z.string().max(200).optional(),
});
export type MallSftpBody = z.infer<typeof MallSftpBody>;

/** The destination as the console sees it: whether a secret is stored, never the secret. */
export type MallSftpView = MallSftpSettings & { secretSet: boolean };

/** What 測試連線 / Test connection found. `fingerprint` is the host key the server showed (to pin). */
export interface MallSftpProbe {
  ok: boolean;
  fingerprint: string | null;
  /** SFTP_HOST_KEY_NOT_PINNED, SFTP_HOST_KEY_MISMATCH, SFTP_AUTH_FAILED, SFTP_TIMEOUT, … (mall-sftp.ts) */
  code: string | null;
  message: string | null;
}

export type MallExportConfig = MallExportBody & { id: number; updatedAt: number; sftp: MallSftpView | null };

export interface MallExportRow {
  storeId: number;
  storeCode: string;
  storeNameZh: string;
  storeNameEn: string;
  /** null: the store has no export set up yet */
  config: MallExportConfig | null;
}

export interface MallLogRow {
  id: number;
  storeCode: string;
  businessDay: string;
  trigger: 'schedule' | 'manual';
  userEmail: string;
  status: 'sending' | 'sent' | 'failed';
  fileName: string;
  bytes: number;
  sha256: string | null;
  destination: string;
  error: string | null;
  createdAt: number;
}

// Reports ----------------------------------------------------------------------------------------

const IsoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD');
/** Calendar days in the merchant's time zone, both included, at most 366 of them. */
export const ReportQuery = z
  .object({ from: IsoDay, to: IsoDay })
  .refine((q) => q.from <= q.to, 'from is after to')
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 365 * 86_400_000, 'at most 366 days');

export interface SalesReportRow {
  day: string;
  storeCode: string;
  channel: 'register' | 'online';
  sales: number;
  returns: number;
  exchanges: number;
  /** cents, sales minus refunds */
  total: number;
}

// Users and audit --------------------------------------------------------------------------------

export interface UserRow {
  id: number;
  email: string;
  name: string;
  role: Role;
  storeIds: number[];
  totpEnabled: boolean;
  active: boolean;
  lockedUntil: number | null;
  failedAttempts: number;
}

export const UserCreateBody = z.object({
  email: Email,
  name: z.text(100),
  role: Role,
  storeIds: z.array(z.number().int().positive()).max(500).default([]),
  password: NewPassword,
});

export const UserUpdateBody = z.object({
  name: z.text(100),
  role: Role,
  storeIds: z.array(z.number().int().positive()).max(500),
  active: z.boolean(),
});

export const PasswordResetBody = z.object({ password: NewPassword });
export const TotpConfirmBody = z.object({ code: TotpCode });

export interface AuditRow {
  id: number;
  userEmail: string;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
  address: string;
  at: number;
}

// Reports across stores (issue 16) ---------------------------------------------------------------

/** How the breakdown report cuts a range of days: every cut the register's Z report has, across stores. */
export const reportDimensions = ['day', 'hour', 'store', 'register', 'channel', 'category', 'product', 'staff', 'method'] as const;
export type ReportDimension = (typeof reportDimensions)[number];

export const BreakdownQuery = z
  .object({
    from: IsoDay,
    to: IsoDay,
    /** One store only (a store manager: one of theirs); omitted: every store in the user's scope. */
    store: z.coerce.number().int().positive().optional(),
  })
  .refine((q) => q.from <= q.to, 'from is after to')
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 365 * 86_400_000, 'at most 366 days');
export type BreakdownQuery = z.infer<typeof BreakdownQuery>;

export const BreakdownCsvQuery = z
  .object({ from: IsoDay, to: IsoDay, store: z.coerce.number().int().positive().optional(), by: z.enum(reportDimensions) })
  .refine((q) => q.from <= q.to, 'from is after to')
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 365 * 86_400_000, 'at most 366 days');

/**
 * One bucket of a cut. What `count` and `amount` are depends on the cut, as on the register's Z:
 * day, hour, store, register, channel: documents and their lines' net;
 * category, product: lines' net, with the quantity sold less returned;
 * staff: documents and their totals (the Z's staff figure);
 * method: payments and their amounts.
 */
export interface ReportRow {
  key: string;
  nameZh: string;
  nameEn: string;
  count: number;
  /** thousandths of a unit; categories and products only */
  quantityMilli: number | null;
  /** cents */
  amount: number;
}

export interface BreakdownTotals {
  documents: number;
  sales: number;
  returns: number;
  exchanges: number;
  /** cents: sold lines before promotions and discounts */
  gross: number;
  promotions: number;
  discounts: number;
  /** cents: the value of returned lines, positive */
  returnsValue: number;
  /** cents: every line's net (the Z report's net) */
  net: number;
  tax: number;
  rounding: number;
}

export interface SalesBreakdown {
  from: string;
  to: string;
  storeId: number | null;
  totals: BreakdownTotals;
  by: Record<ReportDimension, ReportRow[]>;
  /** byProduct is cut to the best sellers; the CSV has them all */
  productsShown: number;
  productsTotal: number;
}

// Register staff, store prices, quarantine apply (issue 16) --------------------------------------

export const registerStaffRoles = ['cashier', 'supervisor', 'manager', 'admin'] as const;

export const RegisterStaffBody = z.object({
  nameZh: z.text(40),
  nameEn: z.text(40),
  role: z.enum(registerStaffRoles),
  active: z.boolean(),
  /** null: every store, now and later */
  storeIds: z.array(z.number().int().positive()).max(500).nullable(),
});
export type RegisterStaffBody = z.infer<typeof RegisterStaffBody>;

export interface RegisterStaffRow {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  role: (typeof registerStaffRoles)[number];
  active: boolean;
  storeIds: number[] | null;
  storeCodes: string[] | null;
  updatedAt: number;
}

export const StorePriceBody = z.object({
  storeId: z.number().int().positive(),
  price: z.number().int().min(0).max(100_000_000),
  /** ms; omitted: from now */
  validFrom: z.number().int().positive().optional(),
});

export interface PriceScheduleRow {
  /** null: every store */
  storeCode: string | null;
  price: number;
  validFrom: number;
  current: boolean;
}

export const ApplyCorrectedBody = z.object({
  /** SKUs on the document's lines to replace: { "GONE-1": "DRI-0001" } */
  skuMap: z.record(z.string().min(1).max(64), z.string().min(1).max(64)).default({}),
  note: z.text(500, 0).default(''),
});

// Members and stored value (issue 13; cloud/domain/members.ts) -------------------------------------

export const MemberSearchQuery = z.object({
  /** an 8-digit HK phone (the whole number), a member code, or part of the name; empty: everyone */
  q: z.string().max(100).default(''),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export interface MemberConsentRow {
  marketing: boolean;
  wordingVersion: string;
  givenAt: number;
  source: string;
}

/** A member in the search list: the phone is masked by the cloud ("9xxx 5678"), never sent whole. */
export interface MemberListRow {
  code: string;
  name: string;
  maskedPhone: string;
  tier: string;
  active: boolean;
  points: number;
  /** cents */
  storeCredit: number;
  consent: MemberConsentRow | null;
}

export interface MemberList {
  members: MemberListRow[];
  offset: number;
  hasMore: boolean;
}

export const MemberCodeParams = z.object({ code: z.string().min(1).max(32) });

export const MemberLedgerQuery = z.object({
  beforeId: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export interface MemberLedgerLine {
  id: number;
  kind: 'points' | 'credit';
  reason: LedgerReason;
  amount: number;
  balanceAfter: number;
  document: string | null;
  storeCode: string | null;
  registerCode: string | null;
  source: string;
  note: string | null;
  /** what the cloud wrote as `note`, for the reader's language (null: a person's note, or older than 0036) */
  noteFacts: LedgerNoteFacts | null;
  /** `note` is the cloud's own English line, written before 0036: shown as it is, labelled for IT */
  cloudNote: boolean;
  overdraft: number;
  at: number;
}

/**
 * The member's page: details, balances and the latest ledger entries. The phone stays masked here
 * too: the whole number comes only from POST /members/:code/phone, which audits who asked.
 */
export interface MemberPage {
  member: MemberListRow & {
    email: string | null;
    birthMonth: number | null;
    aliases: string[];
    enrolledVia: 'admin' | 'register';
    enrolledStoreCode: string | null;
    consents: MemberConsentRow[];
  };
  /** points that pay HK$1, to show what the points are worth */
  pointsPerDollar: number;
}

export const MemberAdjustBody = z.object({
  kind: z.enum(['points', 'credit']),
  /** points, or cents of store credit; negative takes away (never below zero) */
  amount: z
    .number()
    .int()
    .min(-1_000_000_000)
    .max(1_000_000_000)
    .refine((n) => n !== 0, 'not 0'),
  reason: z.text(200),
  /** one per adjustment the person makes: a retried request is applied once */
  idempotencyKey: z.string().regex(/^[A-Za-z0-9._:-]{8,100}$/, '8 to 100 of A-Z a-z 0-9 . _ : -'),
});
export type MemberAdjustBody = z.infer<typeof MemberAdjustBody>;

/** The earn and redeem rules: the one schema of src/shared/member-rules.ts (registers pull the same). */
export const MemberRulesBody = MemberRules;
export type MemberRulesBody = z.infer<typeof MemberRulesBody>;

/** A member's whole phone number, answered only to the request that asks for it (and audits it). */
export interface MemberPhone {
  phone: string | null;
}

export const ledgerExceptionStates = ['open', 'resolved'] as const;

export const MemberExceptionsQuery = z.object({ state: z.enum(ledgerExceptionStates).default('open') });

export const ExceptionIdParams = z.object({ id: z.coerce.number().int().positive() });

/** What the person who looked into an exception found or did (required). */
export const ResolveExceptionBody = z.object({ note: z.text(500) });

/** Why a movement was made (ledger_entry.reason): the console names each in the reader's language. */
export const ledgerReasons = ['earn', 'reverse', 'redeem', 'refund', 'adjust', 'issue', 'void', 'release'] as const;
export type LedgerReason = (typeof ledgerReasons)[number];

const Cents = z.number().int();
const GiftLast4 = z.string().regex(/^[0-9]{4}$/);

/**
 * What a ledger exception is about (ledger_exception.facts, migration 0036): the one shape the
 * cloud's writers store and the console turns into a sentence in the reader's language. The
 * English `detail` the cloud writes beside it stays for the admin CLI and older tooling. Amounts
 * are in the account's unit: points for a points account, cents otherwise; a refund over what was
 * paid is always in cents (points and store credit are paid back as money's worth).
 */
export const LedgerExceptionFacts = z.discriminatedUnion('case', [
  // a movement took the balance below zero (paid offline, points reversed after they were spent)
  z.object({
    case: z.literal('overdraft'),
    reason: z.enum(ledgerReasons),
    account: z.enum(['points', 'credit', 'gift']),
    /** what the movement took, positive */
    taken: z.number().int(),
    before: z.number().int(),
    after: z.number().int(),
  }),
  // a paid document names a member this cloud does not know: no points were given
  z.object({ case: z.literal('unknown_member'), memberCode: z.string() }),
  // a return paid back to points or store credit more than its original sale paid with them
  z.object({
    case: z.literal('refund_over'),
    account: z.enum(['points', 'credit']),
    memberCode: z.string().nullable(),
    paidBack: Cents,
    /** what was credited: what the original paid from that account and was not yet given back */
    credited: Cents,
    why: z.enum(['no_original', 'other_member', 'original_paid_less']),
    originalReceiptNo: z.string().nullable(),
  }),
  // a till redeemed online and neither a sale nor a release of the register followed in time
  z.object({
    case: z.literal('redemption_open'),
    /** the register's code when a register took it (null: another source, named by `source`) */
    registerCode: z.string().nullable(),
    source: z.string(),
    account: z.enum(['points', 'credit', 'gift']),
    taken: z.number().int(),
    takenAt: z.number().int(),
  }),
  // a document names a gift card this cloud did not issue (sold or taken back on it)
  z.object({ case: z.literal('gift_card_not_issued'), last4: GiftLast4 }),
  // a document paid with a gift card this cloud did not issue
  z.object({ case: z.literal('gift_card_paid_not_issued') }),
  // a card was sold at a till while it was void or already active (it was loaded all the same)
  z.object({ case: z.literal('gift_card_sold_while'), last4: GiftLast4, status: z.enum(['void', 'active']) }),
  // a card taken back on a return for more than was left on it
  z.object({ case: z.literal('gift_card_refund_over'), last4: GiftLast4, refunded: Cents, left: Cents }),
  // a return paid back to a card more than its original sale paid with it: only that much was credited
  z.object({
    case: z.literal('gift_card_refund_beyond_paid'),
    last4: GiftLast4,
    paidBack: Cents,
    /** what was credited: what the original paid with the card and was not yet given back */
    credited: Cents,
    why: z.enum(['no_original', 'original_paid_less']),
    originalReceiptNo: z.string().nullable(),
  }),
]);
export type LedgerExceptionFacts = z.infer<typeof LedgerExceptionFacts>;

/**
 * What the cloud itself wrote on a ledger movement or a card's void (ledger_entry.note_facts,
 * gift_card.void_facts, migration 0036), so the console says it in the reader's language. A note a
 * person typed (an adjustment's or a void's reason) has none and is shown as typed.
 */
export const LedgerNoteFacts = z.discriminatedUnion('case', [
  // a card issued loaded, by the admin CLI
  z.object({ case: z.literal('issued_in_batch'), batch: z.string() }),
  // a card a return took back at a till
  z.object({ case: z.literal('returned_on'), receiptNo: z.string() }),
  // a sale paid other than what the till redeemed online under its key: the rest taken, or given back
  z.object({ case: z.literal('sale_paid_other_than_online'), salePaid: z.number().int(), takenOnline: z.number().int() }),
  // a redemption given back by the register that took it: no sale carries it
  z.object({ case: z.literal('released_by_register'), why: RedemptionRelease.shape.reason }),
]);
export type LedgerNoteFacts = z.infer<typeof LedgerNoteFacts>;

export interface LedgerExceptionRow {
  id: number;
  kind: 'overdraft' | 'unknown_member' | 'gift_card' | 'refund_over' | 'redemption_open';
  amount: number;
  document: string | null;
  /** the cloud's English technical line, as written (shown as such where `facts` is null) */
  detail: string;
  /** what it is about, for the reader's language; null: written before the cloud kept facts (0036) */
  facts: LedgerExceptionFacts | null;
  memberCode: string | null;
  account: 'points' | 'credit' | 'gift' | null;
  /** a gift card's exception: its last 4, never more */
  giftCardLast4: string | null;
  storeCode: string | null;
  createdAt: number;
  /** set once resolved: when, by whom (a console user's email) and the note */
  resolvedAt: number | null;
  resolvedBy: string | null;
  resolution: string | null;
}

/**
 * A return by receipt whose points wait for its original sale to reach the cloud
 * (cloud/domain/pending-return-points.ts): waiting, or closed by head office (it then takes none).
 */
export interface PendingReturnPointsRow {
  id: number;
  returnReceiptNo: string;
  originalReceiptNo: string;
  /** the store of the register that pushed the return */
  storeCode: string | null;
  returnedAt: number;
  /** when the cloud took the return, and how long it has waited since (ms; a closed one: until it was closed) */
  createdAt: number;
  waitedMs: number;
  /** when its original arrived and the points it took then (null: never applied) */
  appliedAt: number | null;
  pointsTaken: number | null;
  /** set once closed: when, by whom (a console user's email; null: the admin CLI) and why */
  closedAt: number | null;
  closedBy: string | null;
  closeReason: string | null;
  /** a closed one whose original arrived after all: when (it took nothing) */
  originalArrivedAt: number | null;
}

export const pendingReturnPointsStates = ['waiting', 'closed'] as const;
export type PendingReturnPointsState = (typeof pendingReturnPointsStates)[number];

export const PendingReturnPointsQuery = z.object({ state: z.enum(pendingReturnPointsStates).default('waiting') });

export const PendingReturnPointsIdParams = z.object({ id: z.coerce.number().int().positive() });

/** Why a waiting return is closed for good (required; kept with who and when, and audited). */
export const CloseReturnPointsBody = z.object({ reason: z.text(500) });

// Gift cards (issue 13; cloud/domain/gift-cards.ts): masked (last 4), never a code --------------------

export const GiftCardSearchQuery = z.object({
  /** the last 4 digits (or the whole code's last 4) or a batch name; empty: all cards */
  q: z.string().max(64).default(''),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export const GiftCardIdParams = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 53),
});

export interface GiftCardRow {
  id: number;
  last4: string;
  status: 'issued' | 'active' | 'void';
  /** cents */
  balance: number;
  batch: string;
  issuedAt: number;
}

export interface GiftCardList {
  cards: GiftCardRow[];
  offset: number;
  hasMore: boolean;
}

export interface GiftCardLedgerLine {
  id: number;
  reason: LedgerReason;
  amount: number;
  balanceAfter: number;
  document: string | null;
  source: string;
  note: string | null;
  /** what the cloud wrote as `note`, for the reader's language (null: a person's note, or older than 0036) */
  noteFacts: LedgerNoteFacts | null;
  /** `note` is the cloud's own English line, written before 0036: shown as it is, labelled for IT */
  cloudNote: boolean;
  overdraft: number;
  at: number;
}

export interface GiftCardPage {
  card: GiftCardRow & {
    soldOn: string | null;
    voidedAt: number | null;
    voidReason: string | null;
    /** a void the cloud wrote (a return at a till), for the reader's language; null: a person's reason */
    voidFacts: LedgerNoteFacts | null;
    /** `voidReason` is the cloud's own English line (a return's, before 0036): shown labelled for IT */
    voidReasonCloud: boolean;
    voidedBy: string | null;
  };
  entries: GiftCardLedgerLine[];
}

export const GiftCardVoidBody = z.object({ reason: z.string().trim().min(1).max(200) });
export type GiftCardVoidBody = z.infer<typeof GiftCardVoidBody>;

// Online and social orders (issue 15; cloud/domain/orders.ts) --------------------------------------

export const ORDER_PAGE_SIZE = 50;

export const OrderListQuery = z.object({
  storeId: z.coerce.number().int().positive().optional(),
  status: OrderStatus.optional(),
  channel: OrderChannel.optional(),
  /** created on or after this store day */
  from: IsoDay.optional(),
  /** created on or before this store day */
  to: IsoDay.optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});
export type OrderListQuery = z.infer<typeof OrderListQuery>;

export interface OrderSummary {
  orderNo: string;
  channel: OrderChannel;
  customerName: string;
  /** Masked (`****5678`). */
  customerPhone: string | null;
  items: number;
  total: number;
  paid: number;
  /** What the counter still takes (Order.due: a partly collected order counts what its pickups collected and paid). */
  due: number;
  status: OrderStatus;
  /** Open, with part of it handed over or swapped at a register already (部分取貨). */
  partlyCollected: boolean;
  storeId: number;
  storeCode: string;
  createdAt: number;
  updatedAt: number;
}

export interface OrderListPage {
  orders: OrderSummary[];
  /** how many orders match the filters in all */
  count: number;
  page: number;
  pageSize: number;
}

export interface OrderPayment {
  /** 'prepaid': taken before pickup (the shop's checkout, a transfer); 'at-pickup': on the register's sale. */
  when: 'prepaid' | 'at-pickup';
  method: string;
  amount: number;
  reference: string | null;
}

export interface OrderEvent {
  at: number;
  from: OrderStatus | null;
  to: OrderStatus;
  /** `MK-01` (a register), the shop key's label, `HQ <name>`; the raw actor when it is gone. */
  by: string;
  reason: string | null;
  receiptNo: string | null;
}

export interface OrderDetail {
  /** The phone masked, as registers see it. */
  order: Order;
  storeId: number;
  payments: OrderPayment[];
  history: OrderEvent[];
}

/** The moves the console offers: the registers' state machine, less collecting (that is the till's sale). */
export const consoleOrderMoves = ['preparing', 'ready', 'cancelled'] as const;
export type ConsoleOrderMove = (typeof consoleOrderMoves)[number];

export function consoleMovesFrom(status: OrderStatus): ConsoleOrderMove[] {
  return consoleOrderMoves.filter((to) => orderTransitions[status].includes(to));
}

export const OrderMoveBody = z
  .object({ to: z.enum(consoleOrderMoves), reason: z.text(200).nullable().default(null) })
  .refine((b) => b.to !== 'cancelled' || b.reason !== null, { message: 'a cancelled order needs its reason', path: ['reason'] });
export type OrderMoveBody = z.infer<typeof OrderMoveBody>;

const OrderLinesInput = SocialOrderInput.shape.lines;

export const OrderQuoteBody = z.object({ storeId: z.number().int().positive(), lines: OrderLinesInput });

export interface OrderQuote {
  lines: { line: number; sku: string; nameZh: string; nameEn: string; quantityMilli: number; unitPrice: number; amount: number }[];
  total: number;
}

/**
 * A chat or phone order typed in the console: the till's social order (SocialOrderInput) for a
 * store, paid in full now or at pickup. `orderNo` is the form's own (a retry answers the same
 * order); `expectedTotal` is the quote the person read out, refused (TOTAL_MISMATCH) if prices moved.
 */
export const OrderEntryBody = SocialOrderInput.omit({ paid: true }).extend({
  orderNo: OrderNo,
  storeId: z.number().int().positive(),
  expectedTotal: z.number().int().min(0).max(1e12),
  payment: z.strictObject({ method: z.enum(socialPaidMethods), reference: z.text(64).nullable() }).nullable(),
});
export type OrderEntryBody = z.infer<typeof OrderEntryBody>;

// Stock at the counter (issue 14) ----------------------------------------------------------------

export const OnHandQuery = z.object({
  /** one store (a store manager: one of theirs); omitted: every store in the user's scope */
  store: z.coerce.number().int().positive().optional(),
  /** SKU, barcode or part of a name or SKU */
  q: z.string().max(100).default(''),
  /** low stock (`low=1`): only rows with a reorder level whose available quantity (on-hand − reserved) is at or below it */
  low: z.enum(['0', '1']).default('0'),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export interface OnHandRow {
  storeId: number;
  storeCode: string;
  sku: string;
  nameZh: string;
  nameEn: string;
  active: boolean;
  onHandMilli: number;
  /** held back by open online orders at the store */
  reservedMilli: number;
  availableMilli: number;
  /** the store's reorder level for the product, as head office set it; null: none */
  reorderMilli: number | null;
}

/** A store's reorder level for a product, in units (up to 3 decimals); null clears it. */
export const ReorderLevelBody = z.strictObject({
  storeId: z.number().int().positive(),
  sku: z.string().min(1).max(64),
  reorderLevel: z
    .number()
    .min(0)
    .max(1_000_000)
    .refine((n) => Number.isInteger(Math.round(n * 1000)) && Math.abs(n * 1000 - Math.round(n * 1000)) < 1e-6, 'at most 3 decimals')
    .nullable(),
});

export interface TransferInTransit {
  docId: string;
  docNo: string;
  fromStoreCode: string;
  toStoreCode: string;
  sentAt: number;
  parts: number;
  lines: { sku: string; quantityMilli: number }[];
}

/** A shared stocktake (多機盤點) as head office sees it: one row per session, open or recently closed. */
export interface CountSessionRow {
  sessionId: string;
  docNo: string;
  storeId: number;
  storeCode: string;
  /** what it counts: a category's code, `full`, or `scanned` (only what is scanned) */
  scope: string;
  blind: boolean;
  status: 'open' | 'posted' | 'cancelled';
  openedAt: number;
  /** the register that opened it (its code) and the person */
  openedByRegister: string;
  openedBy: string;
  /** posted (or cancelled): when and by whom (`MK01-01 Amy`) */
  closedAt: number | null;
  closedBy: string | null;
  /** cancelled: why (as typed at the register; may be empty) */
  cancelReason: string;
  /** the registers counting into it, the opener first */
  participants: {
    registerCode: string;
    joinedAt: number;
    /** scans taken into the count, the products they name, and their units */
    scans: number;
    lines: number;
    unitsMilli: number;
    /** scans that arrived after it closed (kept, not counted) */
    refused: number;
    lastScanAt: number | null;
    /** it left the count: when, who (as typed at the register), and what became of its scans (null: still counting) */
    leftAt: number | null;
    leftBy: string | null;
    leftScans: CountLeftScans | null;
  }[];
  lastScanAt: number | null;
}

/** How long a closed session stays on the console's list. */
export const COUNT_SESSION_RECENT_MS = 7 * 24 * 3_600_000;

export const CountSessionQuery = z.object({ store: z.coerce.number().int().positive().optional() });

export const purchaseOrderStatuses = ['open', 'received', 'cancelled'] as const;
export type PurchaseOrderStatus = (typeof purchaseOrderStatuses)[number];

export const PurchaseOrderQuery = z.object({
  store: z.coerce.number().int().positive().optional(),
  status: z.enum(purchaseOrderStatuses).optional(),
});

export interface PurchaseOrderRow {
  poId: string;
  poNo: string;
  storeId: number;
  /** the store's code */
  store: string;
  supplier: string;
  status: PurchaseOrderStatus;
  createdAt: number;
  /** the receiving document's number, once received */
  receivedBy: string | null;
  /** receivedMilli: null while the order is not received */
  lines: { sku: string; orderedMilli: number; receivedMilli: number | null }[];
}

/**
 * A new purchase order from the console: the store, then the order as the admin CLI's `create-po`
 * takes it (cloud/domain/purchase-orders.ts checks it, naming each bad field: poNo, supplier,
 * lines.N.sku, lines.N.quantity, lines.N.costCents).
 */
export const PurchaseOrderCreateBody = z.looseObject({ storeId: z.number().int().positive() });
