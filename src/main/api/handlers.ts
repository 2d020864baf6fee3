/** Channel → handler. Handlers are plain functions of (validated request, context); no transport here. */
import type { Db } from '../db/open';
import type { HandlerContext, Handlers } from './router';
import type { StaffService } from '../staff/staff-service';
import type { RegisterStatus, StaffSummary } from '../../shared/schemas';
import { PosError } from '../../shared/errors';
import { lookupProduct, listCategories, listFavourites } from '../catalog/catalog-repo';
import type { CartService } from '../checkout/cart-service';
import { listPaymentMethods, type createSaleService } from '../checkout/sale-service';
import { checkoutSettings } from '../checkout/checkout-settings';
import type { CatalogService } from '../catalog/catalog-service';
import type { AuditLog } from '../audit/audit-log';
import { createPaymentMethodAdmin } from '../checkout/payment-methods';
import { createPaymentMethodHandlers } from '../checkout/payment-method-handlers';
import { createReceiptLogoHandlers } from '../devices/receipt-logo-handlers';
import { createAuditHandlers } from '../audit/audit-handlers';
import { createStaffHandlers } from '../staff/staff-handlers';
import type { StaffAdmin } from '../staff/staff-admin';
import { createCustomerDeviceHandlers } from '../devices/customer-device-handlers';
import type { CustomerDeviceService } from '../devices/customer-display-service';
import { createHardwareHandlers } from '../devices/hardware-handlers';
import type { DeviceManager } from '../devices/device-manager';
import { createSyncHandlers } from '../sync/sync-handlers';
import type { SyncController } from '../sync/sync-controller';

import { createShiftHandlers } from '../shifts/shift-handlers';
import type { ShiftService } from '../shifts/shift-service';
import type { DayService } from '../shifts/day-service';
export interface HandlerDeps {
  db: Db;
  audit: AuditLog;
  staff: StaffService;
  staffAdmin: StaffAdmin;
  status: () => RegisterStatus;
  catalog: CatalogService;
  carts: CartService;
  sales: ReturnType<typeof createSaleService>;
  customerDevices: CustomerDeviceService;
  devices: DeviceManager;
  sync: SyncController;
  shifts: ShiftService;
  days: DayService;
}

/** The router has already checked the channel's permission; this is for the type. */
function actor(ctx: HandlerContext): StaffSummary {
  if (!ctx.staff) throw new PosError('NOT_LOGGED_IN', 'Log in first');
  return ctx.staff;
}

export function createHandlers({ db, staff, staffAdmin, status, catalog, carts, sales, customerDevices, audit, devices, sync, shifts, days }: HandlerDeps): Handlers {
  return {
    ...createStaffHandlers({ staffAdmin }),
    ...createAuditHandlers({ db, audit }),
    ...createHardwareHandlers({ db, audit, staff, devices, countReprint: (receiptNo) => sales.reprint(receiptNo) }),
    ...createCustomerDeviceHandlers({ devices: customerDevices, audit }),
    ...createPaymentMethodHandlers(createPaymentMethodAdmin({ db, audit })),
    ...createReceiptLogoHandlers({ db, audit }),
    ...createSyncHandlers({ db, audit, sync }),
    ...createShiftHandlers({ db, shifts, days }),
    'register:status': () => status(),
    'staff:list-for-login': () => staff.listForLogin(),
    'staff:login': (req) => staff.login(req.staffId, req.pin),
    'staff:logout': () => {
      staff.logout();
      return null;
    },
    'catalog:lookup': (req) => lookupProduct(db, req.code),
    'catalog:favourites': () => listFavourites(db),
    'catalog:categories': () => listCategories(db),
    'catalog:search': (req) => catalog.search(req.text),
    'catalog:quick-add': (req, ctx) => catalog.quickAdd(actor(ctx), req),
    'settings:checkout': (_req, ctx) => checkoutSettings(db, actor(ctx).role),
    'payment:methods': () => listPaymentMethods(db),
    'cart:get': (_req, ctx) => carts.get(actor(ctx)),
    'cart:scan': (req, ctx) => carts.scan(actor(ctx), req.code),
    'cart:add-product': (req, ctx) => carts.addProduct(actor(ctx), req.productId, req.quantity),
    'cart:set-quantity': (req, ctx) => carts.setQuantity(actor(ctx), req.lineId, req.quantity),
    'cart:remove-line': (req, ctx) => carts.removeLine(actor(ctx), req.lineId),
    'cart:set-line-discount': (req, ctx) => carts.setLineDiscount(actor(ctx), req.lineId, req.discount, req.approval),
    'cart:set-price': (req, ctx) => carts.setPrice(actor(ctx), req.lineId, req.unitPrice, req.approval),
    'cart:set-cart-discount': (req, ctx) => carts.setCartDiscount(actor(ctx), req.discount, req.approval),
    'cart:suspend': (req, ctx) => carts.suspend(actor(ctx), req.label),
    'cart:list-suspended': () => carts.listSuspended(),
    'cart:recall': (req, ctx) => carts.recall(actor(ctx), req.cartId),
    'cart:void': (req, ctx) => carts.void(actor(ctx), req.reason),
    'cart:add-return': (req, ctx) => carts.addReturn(actor(ctx), req.receiptNo, req.lines),
    'cart:add-return-without-receipt': (req, ctx) => carts.addReturnWithoutReceipt(actor(ctx), req.code, req.quantity, req.unitPrice, req.approval),
    'sale:complete': (req, ctx) => sales.complete(actor(ctx), req.cartId, req.tenders),
    'sale:find': (req) => sales.find(req.receiptNo),
    'sale:reprint': (req) => {
      const receipt = sales.reprint(req.receiptNo);
      devices.receiptReprinted(receipt);
      return receipt;
    },
  };
}
