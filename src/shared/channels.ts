/**
 * The contract between the renderer and main: every channel, its request and response schema and
 * who may call it. Types are inferred from here and nowhere else; main validates every request
 * against `req` before a handler sees it.
 */
import { z } from 'zod';
import type { ChannelAccess } from './permissions';
import type { Result } from './errors';
import { Cents, Pin, Product, RegisterStatus, ScanCode, StaffSummary } from './schemas';
import { Approval, Cart, CheckoutSettings, Discount, PaymentMethod, Quantity, Receipt, ReceiptNo, ReturnLineInput, SuspendedCart, TenderInput } from './checkout-schemas';
import { channelNames, type ChannelName } from './channel-names';

export { channelNames, type ChannelName };

const Empty = z.strictObject({});
const Id = z.number().int().positive().max(2 ** 31);

interface ChannelSpec {
  req: z.ZodType;
  res: z.ZodType;
  access: ChannelAccess;
}

export const channels = {
  'register:status': { req: Empty, res: RegisterStatus, access: 'public' },
  'staff:list-for-login': { req: Empty, res: z.array(StaffSummary), access: 'public' },
  'staff:login': {
    req: z.strictObject({ staffId: z.number().int().positive().max(2 ** 31), pin: Pin }),
    res: StaffSummary,
    access: 'public',
  },
  'staff:logout': { req: Empty, res: z.null(), access: 'session' },
  'catalog:lookup': { req: z.strictObject({ code: ScanCode }), res: Product.nullable(), access: 'sale.checkout' },
  'catalog:favourites': { req: Empty, res: z.array(Product), access: 'sale.checkout' },
  'catalog:search': { req: z.strictObject({ text: z.string().trim().min(1).max(64) }), res: z.array(Product), access: 'sale.checkout' },
  'catalog:quick-add': {
    req: z.strictObject({
      code: ScanCode,
      nameZh: z.string().trim().min(1).max(100),
      nameEn: z.string().trim().min(1).max(100),
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
  'cart:scan': { req: z.strictObject({ code: ScanCode }), res: Cart, access: 'sale.checkout' },
  'cart:add-product': { req: z.strictObject({ productId: Id, quantity: Quantity.optional() }), res: Cart, access: 'sale.checkout' },
  'cart:set-quantity': { req: z.strictObject({ lineId: Id, quantity: Quantity }), res: Cart, access: 'sale.checkout' },
  'cart:remove-line': { req: z.strictObject({ lineId: Id }), res: Cart, access: 'sale.checkout' },
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
  'cart:set-cart-discount': { req: z.strictObject({ discount: Discount.nullable(), approval: Approval.optional() }), res: Cart, access: 'sale.checkout' },
  'cart:suspend': { req: z.strictObject({ label: z.string().trim().min(1).max(40) }), res: Cart, access: 'sale.checkout' },
  'cart:list-suspended': { req: Empty, res: z.array(SuspendedCart), access: 'sale.checkout' },
  'cart:recall': { req: z.strictObject({ cartId: Id }), res: Cart, access: 'sale.checkout' },
  'cart:void': { req: z.strictObject({ reason: z.string().trim().min(1).max(200) }), res: Cart, access: 'sale.checkout' },
  'cart:add-return': {
    req: z.strictObject({ receiptNo: ReceiptNo, lines: z.array(ReturnLineInput).min(1).max(200) }),
    res: Cart,
    access: 'sale.checkout',
  },
  'cart:add-return-without-receipt': {
    req: z.strictObject({ code: ScanCode, quantity: Quantity, unitPrice: Cents.min(0).optional(), approval: Approval.optional() }),
    res: Cart,
    access: 'sale.checkout',
  },
  'sale:complete': { req: z.strictObject({ cartId: Id, tenders: z.array(TenderInput).max(10) }), res: Receipt, access: 'sale.checkout' },
  'sale:find': { req: z.strictObject({ receiptNo: ReceiptNo }), res: Receipt, access: 'sale.checkout' },
  'sale:reprint': { req: z.strictObject({ receiptNo: ReceiptNo }), res: Receipt, access: 'sale.checkout' },
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
