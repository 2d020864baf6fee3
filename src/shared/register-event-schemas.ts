/**
 * What a register's shift, cash, day-close and void events carry (their outbox kinds:
 * outbox-kinds.ts registerEventKinds): the one schema per kind the register's writers are typed by
 * (src/main/shifts, src/main/checkout/cart-service.ts) and the cloud checks a push against
 * (cloud/domain/register-events.ts). Strict: what the register does not send is refused. Money is
 * integer cents; figures that cannot be negative are refused when they are.
 */
import * as z from './zod';
import type { RegisterEventKind } from './outbox-kinds';
import { Cents } from './schemas';
import { CashMovementKind, DayTotals, DenominationCount, ShiftCash, countTotal } from './shift-schemas';

const Id = z.number().int().positive();
const Time = z.number().int().nonnegative();
const Count = z.number().int().nonnegative();
const Amount = Cents.nonnegative();
/** A register's code as the cloud assigns it (this_register.code: 1 to 8 characters). */
const RegisterCode = z.string().min(1).max(8);

/** `shift.opened`, ref `{store}-{register}-S{shiftId}`: the float counted by denomination. */
export const ShiftOpenedEvent = z
  .strictObject({ shiftId: Id, registerCode: RegisterCode, staffId: Id, openedAt: Time, float: Amount, count: DenominationCount })
  .refine((e) => e.float === countTotal(e.count), { message: 'float is not the total of its count', path: ['float'] });
export type ShiftOpenedEvent = z.infer<typeof ShiftOpenedEvent>;

/** `cash.movement`, ref `{store}-{register}-S{shiftId}-M{movementId}`: a pay-in, pay-out or safe drop. */
export const CashMovementEvent = z.strictObject({
  shiftId: Id,
  movementId: Id,
  kind: CashMovementKind,
  amount: Cents.positive(),
  reason: z.string().max(200),
  staffId: Id,
  at: Time,
});
export type CashMovementEvent = z.infer<typeof CashMovementEvent>;

/** A closed shift's cash section: flows never negative, expected and over/short as the register computes them. */
const closedShiftShape = {
  ...ShiftCash.shape,
  shiftId: Id,
  staffId: Id,
  openedAt: Time,
  closedAt: Time,
  float: Amount,
  cashTendered: Amount,
  changeGiven: Amount,
  cashRefunds: Amount,
  payIns: Amount,
  payOuts: Amount,
  safeDrops: Amount,
  counted: Amount,
  overShort: Cents,
  noSales: Count,
};

function checkShiftArithmetic(s: z.infer<z.ZodObject<typeof closedShiftShape>>, ctx: z.RefinementCtx): void {
  if (s.expected !== s.float + s.cashTendered - s.changeGiven - s.cashRefunds + s.payIns - s.payOuts - s.safeDrops)
    ctx.addIssue({
      code: 'custom',
      path: ['expected'],
      message: 'expected is not float + cash tendered − change − refunds + pay-ins − pay-outs − safe drops',
    });
  if (s.overShort !== s.counted - s.expected)
    ctx.addIssue({ code: 'custom', path: ['overShort'], message: 'overShort is not counted − expected' });
}

const ClosedShiftCash = z.strictObject(closedShiftShape).superRefine(checkShiftArithmetic);

/** `shift.closed`, ref `{store}-{register}-S{shiftId}`: the shift's cash section as the X/Z prints it. */
export const ShiftClosedEvent = z
  .strictObject({ ...closedShiftShape, registerCode: RegisterCode, approvedBy: Id.nullable() })
  .superRefine(checkShiftArithmetic);
export type ShiftClosedEvent = z.infer<typeof ShiftClosedEvent>;

/** `day.closed`, ref `{store}-{register}-Z{zNo}`: the Z report's figures (a Z taken before sales by channel has no `channels`). */
export const DayClosedEvent = DayTotals.extend({
  zNo: Id,
  closedAt: Time,
  openedAt: Time,
  registerCode: RegisterCode,
  counts: z.strictObject({ sales: Count, returns: Count, exchanges: Count, documents: Count, voids: Count, noSales: Count }),
  channels: DayTotals.shape.channels.unwrap().optional(),
  shifts: z.array(ClosedShiftCash),
}).strict();
export type DayClosedEvent = z.infer<typeof DayClosedEvent>;

/** `cart.voided`, ref `cart-{cartId}`: a cart with lines voided (its total is negative when it held only returns). */
export const CartVoidedEvent = z.strictObject({
  cartId: Id,
  reason: z.string().max(200),
  lines: Id,
  total: Cents,
  staff: z.strictObject({ id: Id, nameZh: z.string(), nameEn: z.string() }),
});
export type CartVoidedEvent = z.infer<typeof CartVoidedEvent>;

/** The payload schema of each event kind the register writes: a kind added to outbox-kinds.ts does not compile without one. */
export const registerEventSchemas = {
  'shift.opened': ShiftOpenedEvent,
  'shift.closed': ShiftClosedEvent,
  'cash.movement': CashMovementEvent,
  'day.closed': DayClosedEvent,
  'cart.voided': CartVoidedEvent,
} as const satisfies Record<RegisterEventKind, z.ZodType>;

/**
 * What an event's ref ends with after `{store}-{register}-`, from its payload (checked, or as the
 * register wrote it); null for a voided cart, whose ref (`cart-{cartId}`) names no series.
 */
export function registerEventRefTail(
  kind: RegisterEventKind,
  payload: { shiftId?: number; movementId?: number; zNo?: number | null; cartId?: number },
): string | null {
  switch (kind) {
    case 'shift.opened':
    case 'shift.closed':
      return `S${payload.shiftId}`;
    case 'cash.movement':
      return `S${payload.shiftId}-M${payload.movementId}`;
    case 'day.closed':
      return `Z${payload.zNo}`;
    case 'cart.voided':
      return null;
  }
}
