/** Channels of payment methods: the till's active tenders, and the back office's editor. */
import type { Handlers } from '../api/router';
import type { Db } from '../db/open';
import type { PaymentMethodAdmin } from './payment-methods';
import { listPaymentMethods } from './sale-service';

type PaymentMethodChannel = 'payment:methods' | 'payment:methods-all' | 'payment:save-method' | 'payment:move-method';

export function createPaymentMethodHandlers({ db, admin }: { db: Db; admin: PaymentMethodAdmin }): Pick<Handlers, PaymentMethodChannel> {
  return {
    'payment:methods': () => listPaymentMethods(db),
    'payment:methods-all': () => admin.list(),
    'payment:save-method': (req, ctx) => admin.save(ctx.staff, req),
    'payment:move-method': (req, ctx) => admin.move(ctx.staff, req.code, req.direction),
  };
}
