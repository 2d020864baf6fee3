/** Channels of the back office's payment-method editor. */
import { PosError } from '../../shared/errors';
import type { StaffSummary } from '../../shared/schemas';
import type { HandlerContext, Handlers } from '../api/router';
import type { PaymentMethodAdmin } from './payment-methods';

function actor(ctx: HandlerContext): StaffSummary {
  if (!ctx.staff) throw new PosError('NOT_LOGGED_IN', 'Log in first');
  return ctx.staff;
}

export function createPaymentMethodHandlers(admin: PaymentMethodAdmin): Pick<Handlers, 'payment:methods-all' | 'payment:save-method' | 'payment:move-method'> {
  return {
    'payment:methods-all': () => admin.list(),
    'payment:save-method': (req, ctx) => admin.save(actor(ctx), req),
    'payment:move-method': (req, ctx) => admin.move(actor(ctx), req.code, req.direction),
  };
}
