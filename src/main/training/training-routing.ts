/**
 * 練習模式 at the one entrance: while the register is in training, the till's channels (cart, sale,
 * the receipt's preview, the customer's total) are answered by the training session's services on
 * the training database; what would change the shop's real figures (cash in and out, a no-sale
 * drawer, shifts and the day, member enrolment, online orders, stock documents, a new product) is
 * refused with TRAINING_MODE. Everything else (catalogue, reports, settings) reads the real register.
 */
import { PosError } from '../../shared/errors';
import { TRAINING_RECEIPT_PREFIX } from '../../shared/checkout-schemas';
import type { ChannelName } from '../../shared/channels';
import type { StaffSummary } from '../../shared/schemas';
import type { Handlers } from '../api/router';
import type { AuditLog } from '../audit/audit-log';
import { createCartHandlers } from '../checkout/cart-handlers';
import { createSaleHandlers } from '../checkout/sale-handlers';
import type { CustomerDeviceService } from '../devices/customer-display-service';
import { createCustomerDeviceHandlers } from '../devices/customer-device-handlers';
import type { DeviceManager } from '../devices/device-manager';
import { createMemberHandlers } from '../members/member-handlers';
import type { MemberService } from '../members/member-service';
import type { TrainingService, TrainingSession } from './training-service';

/** The till's channels, answered from the training database while training is on. */
export const TRAINING_TILL_CHANNELS = [
  'settings:checkout',
  'cart:get',
  'cart:scan',
  'cart:add-product',
  'cart:set-quantity',
  'cart:remove-line',
  'cart:set-line-discount',
  'cart:set-price',
  'cart:set-cart-discount',
  'cart:approve-discounts',
  'cart:suspend',
  'cart:list-suspended',
  'cart:recall',
  'cart:void',
  'cart:add-return',
  'cart:add-return-without-receipt',
  'cart:set-member',
  'sale:complete',
  'sale:find',
  'sale:reprint',
  'customer:show-total',
  'customer:show-fps',
  'print:preview',
] as const satisfies readonly ChannelName[];
type TillChannel = (typeof TRAINING_TILL_CHANNELS)[number];

/** What would write the shop's real figures (cash, stock, members, orders, the catalogue): refused in training. */
export const REFUSED_IN_TRAINING = [
  'catalog:quick-add',
  'drawer:no-sale',
  'shift:open',
  'shift:cash-movement',
  'shift:count',
  'shift:close',
  'day:close',
  'member:enrol',
  'cart:add-gift-card',
  'order:move',
  'order:print-pick-list',
  'order:collect',
  'order:pickup',
  'order:create',
  'stock:open',
  'stock:scan',
  'stock:set-line',
  'stock:post',
  'stock:cancel',
] as const satisfies readonly ChannelName[];

export interface TrainingRoutingDeps {
  training: TrainingService;
  devices: DeviceManager;
  customerDevices: CustomerDeviceService;
  members: MemberService;
  audit: AuditLog;
}

type AnyHandler = (req: unknown, ctx: { staff: StaffSummary | null }) => unknown;

function tillHandlers(session: TrainingSession, deps: TrainingRoutingDeps): Pick<Handlers, TillChannel> {
  const { devices } = deps;
  const customer = createCustomerDeviceHandlers({ devices: deps.customerDevices, audit: deps.audit, carts: session.carts });
  return {
    ...createCartHandlers({ carts: session.carts }),
    ...createSaleHandlers({
      db: session.db,
      sales: session.sales,
      receiptReprinted: (receipt) => devices.trainingReceipt(receipt, { kickDrawer: false }),
    }),
    'cart:set-member': createMemberHandlers({ members: deps.members, carts: session.carts })['cart:set-member'],
    'customer:show-total': customer['customer:show-total'],
    'customer:show-fps': customer['customer:show-fps'],
    // The last real receipt may still be on the preview when training starts: it is read from the real register.
    'print:preview': (req) =>
      req.receiptNo.startsWith(TRAINING_RECEIPT_PREFIX)
        ? devices.preview(req.receiptNo, session.sales.find(req.receiptNo))
        : devices.preview(req.receiptNo),
  };
}

export function routeTraining(handlers: Handlers, deps: TrainingRoutingDeps): Handlers {
  let built: { session: TrainingSession; handlers: Pick<Handlers, TillChannel> } | null = null;
  const trainingHandlers = (): Pick<Handlers, TillChannel> | null => {
    const session = deps.training.session();
    if (session === null) return (built = null);
    if (built?.session !== session) built = { session, handlers: tillHandlers(session, deps) };
    return built.handlers;
  };

  const routed: Record<string, AnyHandler> = { ...handlers } as unknown as Record<string, AnyHandler>;
  for (const channel of TRAINING_TILL_CHANNELS) {
    const real = handlers[channel] as unknown as AnyHandler;
    routed[channel] = (req, ctx) => {
      const training = trainingHandlers();
      return training ? (training[channel] as unknown as AnyHandler)(req, ctx) : real(req, ctx);
    };
  }
  for (const channel of REFUSED_IN_TRAINING) {
    const real = handlers[channel] as unknown as AnyHandler;
    routed[channel] = (req, ctx) => {
      if (deps.training.session() !== null)
        throw new PosError('TRAINING_MODE', `${channel} would change the shop's real figures: switch training mode off first`);
      return real(req, ctx);
    };
  }
  return routed as unknown as Handlers;
}
