/** Value schemas shared by channels and events. Runtime-free: zod only. */
import * as z from './zod';
import { permissions, ROLE_CODE_PATTERN } from './permissions';

/** The most any figure of money may be, either way (HK$10,000,000,000.00): sums of many lines stay exact in a double. */
export const MAX_CENTS = 1e12;

/** HKD cents, within ±MAX_CENTS. */
export const Cents = z.number().int().min(-MAX_CENTS).max(MAX_CENTS);

export const Locale = z.enum(['zh-HK', 'en']);
export type Locale = z.infer<typeof Locale>;

/** A role's code: one of the built-in roles or a custom one a manager added. */
export const Role = z.string().regex(ROLE_CODE_PATTERN, 'a role code: lower-case letters, digits and dashes');
export const PermissionName = z.enum(permissions);

export const StaffSummary = z.object({
  id: z.number().int().positive(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  role: Role,
  roleNameZh: z.string(),
  roleNameEn: z.string(),
  /** What the role may do now, from the permission matrix; the UI hides the rest, main refuses it. */
  permissions: z.array(PermissionName),
  /** Manual discount this staff member may give without approval, in basis points. */
  discountLimitBasisPoints: z.number().int().min(0).max(10_000),
});
export type StaffSummary = z.infer<typeof StaffSummary>;

export const Product = z.object({
  id: z.number().int().positive(),
  sku: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  price: Cents,
  categoryCode: z.string().nullable(),
  barcodes: z.array(z.string()),
  /** Set on a variant (a size or a colour): the product it belongs to. */
  parentSku: z.string().nullable(),
  /** A variant's option label (尺碼 M / Size M); '' or absent when none. */
  optionZh: z.string().optional(),
  optionEn: z.string().optional(),
  /** How many active variants this product has: the till offers them instead of selling it as it is. */
  variants: z.number().int().min(0).optional(),
});
export type Product = z.infer<typeof Product>;

export const Category = z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string() });
export type Category = z.infer<typeof Category>;

export const SyncState = z.enum(['not-enrolled', 'online', 'offline', 'attention']);
/** Why sync needs a person (issue 5): see src/main/sync/sync-status.ts. */
export const SyncAttention = z.enum([
  'token-revoked',
  'token-invalid',
  'update-required',
  'clock-skew',
  'quarantine',
  'changes-held',
  'counts-refused',
]);
export const PrinterState = z.enum(['not-configured', 'ready', 'offline', 'paper-out', 'cover-open', 'error']);

/** 練習模式 (issue 17): whether a manager switched this register's till into training (it stays on across logins and restarts). */
export const TrainingStatus = z.object({
  on: z.boolean(),
  since: z.number().int().nullable(),
  /** Who switched the register into training. */
  by: z.string().nullable(),
  /** The manager chose to let training sales open the cash drawer (default: never). */
  kickDrawer: z.boolean(),
  /** Training documents made since training was switched on (they vanish when it is switched off). */
  documents: z.number().int().min(0),
});
export type TrainingStatus = z.infer<typeof TrainingStatus>;

export const RegisterStatus = z.object({
  store: z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string() }),
  register: z.object({ code: z.string(), name: z.string() }),
  staff: StaffSummary.nullable(),
  appVersion: z.string(),
  /** ms since the epoch, main's clock: the renderer shows time from this, corrected for its own drift. */
  serverTime: z.number().int(),
  /** The store's IANA time zone (setting `store.timeZone`): every time on screen is shown in it. */
  timeZone: z.string(),
  sync: z.object({ state: SyncState, pending: z.number().int().min(0), attention: SyncAttention.nullable() }),
  /** The receipt printer (issue 4): live state, jobs waiting, jobs flagged for the cashier (may have partly printed). */
  printer: z.object({
    state: PrinterState,
    message: z.string().nullable().optional(),
    paperNearEnd: z.boolean().optional(),
    drawerOpen: z.boolean().nullable().optional(),
    queued: z.number().int().min(0).optional(),
    needsAttention: z.number().int().min(0).optional(),
  }),
  /**
   * quick_check runs in the background after start; `damaged` means restore from a backup;
   * `disk-full`: a write found no space (nothing was written) and the disk has had no room since.
   */
  database: z.enum(['checking', 'ok', 'damaged', 'disk-full']),
  /** `tampered`: at start the audit log no longer reached its anchor (newest rows deleted); it is recorded in the log. */
  audit: z.enum(['ok', 'tampered']),
  /** 網上訂單 (issue 15): orders waiting to be started, and clashes found after sync nobody has acknowledged. */
  orders: z
    .object({
      new: z.number().int().min(0),
      conflicts: z.number().int().min(0),
      /** Moves when a pull brings changed orders: an open queue reads its list again. */
      cursor: z.number().int().min(0).optional(),
    })
    .optional(),
  /** 練習模式: the till shows its banner while `on`. */
  training: TrainingStatus.optional(),
});
export type RegisterStatus = z.infer<typeof RegisterStatus>;

/** A code as a scanner or a person types it: printable, no control characters. */
export const ScanCode = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\x21-\x7e]+$/, 'only printable ASCII without spaces');

export const Pin = z.string().regex(/^\d{4,8}$/, '4 to 8 digits');
