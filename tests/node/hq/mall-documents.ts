// The mall export tests' documents: a sale or return of product P1 at a Hong Kong time, shared by
// hq-mall-export.test.ts and hq-mall-sftp.test.ts.
import { receipt, type EnrolledRegister } from '../cloud/helpers';

/** A document of `kind` at `at`, with an optional cart discount on its first line. */
export function mallDocument(register: EnrolledRegister, seq: number, at: number, quantity: number, discount = 0) {
  const kind = quantity > 0 ? 'sale' : 'return';
  const payload = receipt(register, seq, [{ sku: 'P1', quantity }], kind, at);
  if (discount > 0) {
    payload.lines[0]!.discountAmount = discount;
    payload.lines[0]!.net -= discount;
    payload.discountTotal = discount;
    payload.total -= discount;
    payload.payments[0]!.amount = payload.total;
    payload.payments[0]!.tendered = payload.total;
  }
  return { seq, kind: `document.${kind}`, ref: payload.receiptNo, payload };
}
