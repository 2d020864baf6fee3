/** Payment methods as the back office edits them: the built-in seven and the store's own. */
import * as z from './zod';
import { PaymentMethod, PaymentMethodCode } from './checkout-schemas';

export const PaymentMethodSetting = PaymentMethod.extend({
  active: z.boolean(),
  /** Position of the tender button; the first seven get F2…F8 on the payment screen. */
  sort: z.number().int(),
  /** One of the methods every register has (cash, card, Octopus, FPS, PayMe, AlipayHK, WeChat Pay). */
  builtIn: z.boolean(),
});
export type PaymentMethodSetting = z.infer<typeof PaymentMethodSetting>;

const MethodName = z.text(40);

export const SavePaymentMethod = z.strictObject({
  code: PaymentMethodCode,
  nameZh: MethodName,
  nameEn: MethodName,
  /** A store's own method records a reference (a voucher number) or, for a second card terminal, an approval code. */
  kind: z.enum(['card', 'reference']),
  active: z.boolean(),
});
export type SavePaymentMethod = z.infer<typeof SavePaymentMethod>;
