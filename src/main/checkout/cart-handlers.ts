/** Channel handlers for the open cart at the till: lines, discounts, suspend and recall, returns, void. */
import type { Handlers } from '../api/router';
import type { CartService } from './cart-service';

type CartChannel =
  | 'cart:get'
  | 'cart:scan'
  | 'cart:add-product'
  | 'cart:set-quantity'
  | 'cart:remove-line'
  | 'cart:set-line-discount'
  | 'cart:set-price'
  | 'cart:set-cart-discount'
  | 'cart:approve-discounts'
  | 'cart:suspend'
  | 'cart:list-suspended'
  | 'cart:recall'
  | 'cart:void'
  | 'cart:add-return'
  | 'cart:add-return-without-receipt';

export function createCartHandlers({ carts }: { carts: CartService }): Pick<Handlers, CartChannel> {
  return {
    'cart:get': (_req, { staff }) => carts.get(staff),
    'cart:scan': (req, { staff }) => carts.answer(carts.scan(staff, req.code), req.known),
    'cart:add-product': (req, { staff }) => carts.answer(carts.addProduct(staff, req.productId, req.quantity), req.known),
    'cart:set-quantity': async (req, { staff }) =>
      carts.answer(await carts.setQuantity(staff, req.lineId, req.quantity, req.approval), req.known),
    'cart:remove-line': async (req, { staff }) => carts.answer(await carts.removeLine(staff, req.lineId, req.approval), req.known),
    'cart:set-line-discount': (req, { staff }) => carts.setLineDiscount(staff, req.lineId, req.discount, req.approval),
    'cart:set-price': (req, { staff }) => carts.setPrice(staff, req.lineId, req.unitPrice, req.approval),
    'cart:set-cart-discount': (req, { staff }) => carts.setCartDiscount(staff, req.discount, req.approval),
    'cart:approve-discounts': (req, { staff }) => carts.approveDiscounts(staff, req.approval),
    'cart:suspend': (req, { staff }) => carts.suspend(staff, req.label),
    'cart:list-suspended': () => carts.listSuspended(),
    'cart:recall': (req, { staff }) => carts.recall(staff, req.cartId),
    'cart:void': (req, { staff }) => carts.void(staff, req.reason),
    'cart:add-return': (req, { staff }) => carts.addReturn(staff, req.receiptNo, req.lines),
    'cart:add-return-without-receipt': (req, { staff }) =>
      carts.addReturnWithoutReceipt(staff, req.code, req.quantity, req.unitPrice, req.approval),
  };
}
