/** Schemas of shifts, cash movements, X/Z reports and the reports screen. Runtime-free: zod only. */
import * as z from './zod';
import { Cents } from './schemas';

/** Hong Kong notes and coins, in cents, largest first: HK$1000 … 10¢. */
export const denominations = [100_000, 50_000, 10_000, 5_000, 2_000, 1_000, 500, 200, 100, 50, 20, 10] as const;
export type Denomination = (typeof denominations)[number];

export const DenominationCount = z
  .array(
    z.strictObject({
      value: z.union(
        denominations.map((d) => z.literal(d)) as unknown as [
          z.ZodLiteral<Denomination>,
          z.ZodLiteral<Denomination>,
          ...z.ZodLiteral<Denomination>[],
        ],
      ),
      count: z.number().int().min(0).max(100_000),
    }),
  )
  .max(denominations.length)
  .refine((rows) => new Set(rows.map((r) => r.value)).size === rows.length, 'each denomination at most once');
export type DenominationCount = z.infer<typeof DenominationCount>;

/** The total of a count by denomination, in cents. */
export function countTotal(count: readonly { value: number; count: number }[]): number {
  return count.reduce((sum, row) => sum + row.value * row.count, 0);
}

export const CashMovementKind = z.enum(['pay-in', 'pay-out', 'safe-drop']);
export type CashMovementKind = z.infer<typeof CashMovementKind>;

export const Reason = z.text(200);

export const CashMovement = z.object({
  id: z.number().int(),
  kind: CashMovementKind,
  amount: Cents,
  reason: z.string(),
  staffId: z.number().int(),
  at: z.number().int(),
});
export type CashMovement = z.infer<typeof CashMovement>;

/** One shift's cash, as the X and Z reports print it. expected = float + cashIn − change − refunds + payIns − payOuts − safeDrops. */
export const ShiftCash = z.object({
  shiftId: z.number().int(),
  staffId: z.number().int(),
  staffNameZh: z.string(),
  staffNameEn: z.string(),
  openedAt: z.number().int(),
  closedAt: z.number().int().nullable(),
  float: Cents,
  /** Cash customers handed over for sales (before change). */
  cashTendered: Cents,
  changeGiven: Cents,
  cashRefunds: Cents,
  payIns: Cents,
  payOuts: Cents,
  safeDrops: Cents,
  expected: Cents,
  counted: Cents.nullable(),
  overShort: Cents.nullable(),
  overShortReason: z.string().nullable(),
  noSales: z.number().int(),
});
export type ShiftCash = z.infer<typeof ShiftCash>;

export const OpenShift = z.object({
  shiftId: z.number().int(),
  staffId: z.number().int(),
  staffNameZh: z.string(),
  staffNameEn: z.string(),
  openedAt: z.number().int(),
  float: Cents,
  movements: z.array(CashMovement),
  /** Set once the blind count is in; the expected amount is shown only after it (when blind). */
  counted: Cents.nullable(),
});
export type OpenShift = z.infer<typeof OpenShift>;

export const ShiftState = z.object({
  shift: OpenShift.nullable(),
  blindCount: z.boolean(),
  toleranceCents: Cents,
  /** With blind counting off: the expected cash now; null when blind or no shift is open. */
  expected: Cents.nullable(),
});
export type ShiftState = z.infer<typeof ShiftState>;

export const CountResult = z.object({
  shiftId: z.number().int(),
  counted: Cents,
  expected: Cents,
  overShort: Cents,
  toleranceCents: Cents,
  needsReason: z.boolean(),
  needsApproval: z.boolean(),
});
export type CountResult = z.infer<typeof CountResult>;

const Named = { nameZh: z.string(), nameEn: z.string() };

/** An X (business day so far) or a Z (a closed business day): every figure the paper prints. */
/** Where a document's sale came from: the counter, an online order or a social order collected here. */
export const SaleChannel = z.enum(['shop', 'online', 'social']);

export const DayTotals = z.object({
  storeCode: z.string(),
  registerCode: z.string(),
  /** null for an X report. */
  zNo: z.number().int().nullable(),
  openedAt: z.number().int(),
  closedAt: z.number().int().nullable(),
  firstReceipt: z.string().nullable(),
  lastReceipt: z.string().nullable(),
  counts: z.object({
    sales: z.number().int(),
    returns: z.number().int(),
    exchanges: z.number().int(),
    documents: z.number().int(),
    voids: z.number().int(),
    noSales: z.number().int(),
  }),
  gross: Cents,
  promotions: Cents,
  discounts: Cents,
  returns: Cents,
  voidsValue: Cents,
  net: Cents,
  tax: Cents,
  rounding: Cents,
  tenders: z.array(z.object({ method: z.string(), ...Named, count: z.number().int(), amount: Cents })),
  categories: z.array(z.object({ code: z.string().nullable(), ...Named, quantityMilli: z.number().int(), net: Cents })),
  staff: z.array(z.object({ staffId: z.number().int(), ...Named, documents: z.number().int(), net: Cents })),
  /** By channel (issue 15): a Z taken before it has none. */
  channels: z.array(z.object({ channel: SaleChannel, documents: z.number().int(), net: Cents })).default([]),
  shifts: z.array(ShiftCash),
  /** Cash taken while no shift was open (sales still work then; they belong to the business day). */
  outsideShifts: z.object({ cashTendered: Cents, changeGiven: Cents, cashRefunds: Cents }),
  overShort: Cents,
});
export type DayTotals = z.infer<typeof DayTotals>;

export const ZReport = z.object({
  totals: DayTotals,
  closedByNameZh: z.string(),
  closedByNameEn: z.string(),
  reprintCount: z.number().int(),
  copy: z.boolean(),
});
export type ZReport = z.infer<typeof ZReport>;

export const ZSummary = z.object({
  zNo: z.number().int(),
  closedAt: z.number().int(),
  net: Cents,
  documents: z.number().int(),
  overShort: Cents,
  reprintCount: z.number().int(),
});
export type ZSummary = z.infer<typeof ZSummary>;

export const DayStatus = z.object({
  openShifts: z.number().int(),
  unsyncedSales: z.number().int(),
  nextZNo: z.number().int(),
  documentsToday: z.number().int(),
});
export type DayStatus = z.infer<typeof DayStatus>;

export const PrintJob = z.object({ jobId: z.number().int() });

/** YYYY-MM-DD, a Hong Kong calendar day. */
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2026-11-27');

export const SalesReportRequest = z.strictObject({
  from: IsoDate,
  to: IsoDate,
  storeCode: z.string().max(16).optional(),
  registerCode: z.string().max(8).optional(),
});
export type SalesReportRequest = z.infer<typeof SalesReportRequest>;

const Bucket = z.object({ documents: z.number().int(), net: Cents });

export const SalesReport = z.object({
  from: IsoDate,
  to: IsoDate,
  stores: z.array(z.object({ code: z.string(), ...Named })),
  registers: z.array(z.object({ code: z.string(), name: z.string() })),
  totals: z.object({
    documents: z.number().int(),
    returnsCount: z.number().int(),
    gross: Cents,
    promotions: Cents,
    discounts: Cents,
    returns: Cents,
    net: Cents,
    voids: z.number().int(),
    voidsValue: Cents,
  }),
  /** Hour of the day 0–23 across the range. */
  byHour: z.array(Bucket.extend({ hour: z.number().int() })),
  byDay: z.array(Bucket.extend({ date: IsoDate })),
  byProduct: z.array(
    z.object({
      productId: z.number().int(),
      sku: z.string(),
      ...Named,
      categoryCode: z.string().nullable(),
      soldMilli: z.number().int(),
      returnedMilli: z.number().int(),
      net: Cents,
    }),
  ),
  byCategory: z.array(z.object({ code: z.string().nullable(), ...Named, soldMilli: z.number().int(), net: Cents })),
  byStaff: z.array(z.object({ staffId: z.number().int(), ...Named, documents: z.number().int(), net: Cents })),
  byMethod: z.array(z.object({ method: z.string(), ...Named, payments: z.number().int(), amount: Cents })),
  /** Sales at the counter (shop), online orders paid at pickup, and social (chat, phone) orders paid at pickup (issue 15). */
  byChannel: z.array(z.object({ channel: SaleChannel, documents: z.number().int(), net: Cents })),
});
export type SalesReport = z.infer<typeof SalesReport>;
