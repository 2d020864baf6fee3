/** Value schemas for staff, roles, clock in/out and the audit log (issue 6a). Runtime-free: zod only. */
import * as z from './zod';
import { Pin, PermissionName, Role } from './schemas';

const Id = z
  .number()
  .int()
  .positive()
  .max(2 ** 31);
const Name = z.text(40);
const BasisPoints = z.number().int().min(0).max(10_000);
/** ms since the epoch */
const Instant = z.number().int().min(0).max(8.64e15);

export const RoleInfo = z.object({
  code: Role,
  nameZh: z.string(),
  nameEn: z.string(),
  builtIn: z.boolean(),
  discountLimitBasisPoints: BasisPoints,
  permissions: z.array(PermissionName),
  /** Active staff members holding it; a role in use cannot be deleted. */
  staffCount: z.number().int().min(0),
});
export type RoleInfo = z.infer<typeof RoleInfo>;

export const RoleInput = z.strictObject({
  code: Role,
  nameZh: Name,
  nameEn: Name,
  discountLimitBasisPoints: BasisPoints,
  permissions: z.array(PermissionName).max(200),
});
export type RoleInput = z.infer<typeof RoleInput>;

export const StaffRecord = z.object({
  id: Id,
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  role: Role,
  active: z.boolean(),
  failedPins: z.number().int().min(0),
  lockedUntil: Instant.nullable(),
  clockedInSince: Instant.nullable(),
});
export type StaffRecord = z.infer<typeof StaffRecord>;

export const StaffInput = z.strictObject({
  /** Absent: a new staff member (then `pin` is required). */
  id: Id.optional(),
  code: z
    .string()
    .trim()
    .min(1)
    .max(16)
    .regex(/^[A-Za-z0-9-]+$/, 'letters, digits and dashes'),
  nameZh: Name,
  nameEn: Name,
  role: Role,
  active: z.boolean(),
  /** A new PIN; it also clears a lockout. */
  pin: Pin.optional(),
});
export type StaffInput = z.infer<typeof StaffInput>;

export const ClockDirection = z.enum(['in', 'out']);
export type ClockDirection = z.infer<typeof ClockDirection>;

export const ClockResult = z.object({
  staffId: Id,
  nameZh: z.string(),
  nameEn: z.string(),
  direction: ClockDirection,
  at: Instant,
  /** On clocking out: how long since clocking in. */
  workedMs: z.number().int().min(0).nullable(),
});
export type ClockResult = z.infer<typeof ClockResult>;

/** One staff member's clocked time in a date range: each in/out pair, and the total. */
export const Timesheet = z.object({
  staffId: Id,
  nameZh: z.string(),
  nameEn: z.string(),
  /** `out` is null while still clocked in. */
  periods: z.array(z.object({ in: Instant, out: Instant.nullable() })),
  /** Time inside the range, an open period counted up to now. */
  workedMs: z.number().int().min(0),
});
export type Timesheet = z.infer<typeof Timesheet>;

export const AuditFilter = z.strictObject({
  staffId: Id.optional(),
  kinds: z.array(z.string().min(1).max(40)).max(40).optional(),
  from: Instant.optional(),
  to: Instant.optional(),
  limit: z.number().int().min(1).max(1000).optional(),
});
export type AuditFilter = z.infer<typeof AuditFilter>;

const StaffRef = z.object({ id: Id, nameZh: z.string(), nameEn: z.string() }).nullable();

export const AuditEntryView = z.object({
  seq: z.number().int().positive(),
  at: Instant,
  kind: z.string(),
  staff: StaffRef,
  approver: StaffRef,
  subject: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntryView = z.infer<typeof AuditEntryView>;

export const AuditVerification = z.object({
  ok: z.boolean(),
  rows: z.number().int().min(0),
  /** The first row whose hash or sequence does not match; null when the chain is whole. */
  firstBadSeq: z.number().int().positive().nullable(),
  /**
   * Why: `altered` (the row at firstBadSeq does not chain), `newest-rows-missing` (the log stops
   * before the anchor kept outside the database; firstBadSeq is the first missing row),
   * `rows-missing-at-start` (a start found rows missing and recorded it at firstBadSeq).
   */
  problem: z.enum(['altered', 'newest-rows-missing', 'rows-missing-at-start']).nullable(),
});
export type AuditVerification = z.infer<typeof AuditVerification>;

/** Exception counts for one staff member over a date range. */
export const ExceptionCounts = z.object({
  staffId: Id,
  nameZh: z.string(),
  nameEn: z.string(),
  voids: z.number().int().min(0),
  lineRemovals: z.number().int().min(0),
  noSales: z.number().int().min(0),
  overrides: z.number().int().min(0),
  refunds: z.number().int().min(0),
  priceOverrides: z.number().int().min(0),
  discountsOverLimit: z.number().int().min(0),
  failedPins: z.number().int().min(0),
  lockouts: z.number().int().min(0),
});
export type ExceptionCounts = z.infer<typeof ExceptionCounts>;

export const DateRange = z.strictObject({ from: Instant, to: Instant });
