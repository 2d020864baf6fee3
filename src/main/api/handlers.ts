/**
 * Channel → handler, assembled from each domain's handlers file. Handlers are plain functions of
 * (validated request, context); no transport here. A channel missing here does not compile.
 */
import type { Db } from '../db/open';
import type { Handlers } from './router';
import type { RegisterStatus } from '../../shared/schemas';
import type { AuditLog } from '../audit/audit-log';
import { createAuditHandlers } from '../audit/audit-handlers';
import type { CatalogService } from '../catalog/catalog-service';
import { createCatalogHandlers } from '../catalog/catalog-handlers';
import type { CartService } from '../checkout/cart-service';
import { createCartHandlers } from '../checkout/cart-handlers';
import type { SaleService } from '../checkout/sale-service';
import { createSaleHandlers } from '../checkout/sale-handlers';
import { createPaymentMethodAdmin } from '../checkout/payment-methods';
import { createPaymentMethodHandlers } from '../checkout/payment-method-handlers';
import type { CustomerDeviceService } from '../devices/customer-display-service';
import { createCustomerDeviceHandlers } from '../devices/customer-device-handlers';
import type { DeviceManager } from '../devices/device-manager';
import { createHardwareHandlers } from '../devices/hardware-handlers';
import { createReceiptLogoHandlers } from '../devices/receipt-logo-handlers';
import type { DayService } from '../shifts/day-service';
import type { ShiftService } from '../shifts/shift-service';
import { createShiftHandlers } from '../shifts/shift-handlers';
import type { StaffAdmin } from '../staff/staff-admin';
import type { StaffService } from '../staff/staff-service';
import { createStaffHandlers } from '../staff/staff-handlers';
import type { SyncController } from '../sync/sync-controller';
import { createSyncHandlers } from '../sync/sync-handlers';
import type { MemberService } from '../members/member-service';
import { createMemberHandlers } from '../members/member-handlers';
import { createMemberRuleHandlers } from '../members/member-rule-handlers';
import { createGiftCardHandlers } from '../members/gift-card-handlers';
import type { GiftCards } from '../members/gift-cards';
import type { BackupService } from '../backup/backup-service';
import { createBackupHandlers, type RestoreHook } from '../backup/backup-handlers';
import { createUpdateHandlers } from '../updates/update-handlers';
import type { UpdateService } from '../updates/update-service';
import type { StockService } from '../stock/stock-service';
import { createStockHandlers } from '../stock/stock-handlers';
import type { SharedCounts } from '../stock/shared-counts';
import { createDiagnosticsHandlers, type DiagnosticsDeps } from '../diagnostics/diagnostics-handlers';
import type { OrderService } from '../orders/order-service';
import { createOrderHandlers } from '../orders/order-handlers';
import type { LabelService } from '../labels/label-service';
import { createLabelHandlers } from '../labels/label-handlers';
import type { TrainingService } from '../training/training-service';
import { createTrainingHandlers } from '../training/training-handlers';
import { routeTraining } from '../training/training-routing';

export interface HandlerDeps {
  db: Db;
  audit: AuditLog;
  staff: StaffService;
  staffAdmin: StaffAdmin;
  status: () => RegisterStatus;
  catalog: CatalogService;
  carts: CartService;
  sales: SaleService;
  customerDevices: CustomerDeviceService;
  devices: DeviceManager;
  sync: SyncController;
  shifts: ShiftService;
  days: DayService;
  members: MemberService;
  giftCards: GiftCards;
  backups: BackupService;
  restore: RestoreHook;
  stock: StockService;
  sharedCounts: SharedCounts;
  diagnostics: DiagnosticsDeps;
  orders: OrderService;
  labels: LabelService;
  updates: UpdateService;
  training: TrainingService;
}

export function createHandlers({
  db,
  staff,
  staffAdmin,
  status,
  catalog,
  carts,
  sales,
  customerDevices,
  audit,
  devices,
  sync,
  shifts,
  days,
  members,
  giftCards,
  backups,
  restore,
  stock,
  sharedCounts,
  diagnostics,
  orders,
  labels,
  updates,
  training,
}: HandlerDeps): Handlers {
  const handlers: Handlers = {
    'register:status': () => status(),
    ...createStaffHandlers({ staff, staffAdmin }),
    ...createCatalogHandlers({ db, catalog }),
    ...createCartHandlers({ carts }),
    ...createSaleHandlers({ db, sales, receiptReprinted: (receipt) => devices.receiptReprinted(receipt) }),
    ...createPaymentMethodHandlers({ db, admin: createPaymentMethodAdmin({ db, audit }) }),
    ...createAuditHandlers({ db, audit }),
    ...createHardwareHandlers({ db, audit, staff, devices, countReprint: (receiptNo) => sales.reprint(receiptNo) }),
    ...createCustomerDeviceHandlers({ devices: customerDevices, audit, carts }),
    ...createReceiptLogoHandlers({ db, audit }),
    ...createSyncHandlers({ db, audit, sync }),
    ...createShiftHandlers({ db, shifts, days }),
    ...createMemberHandlers({ members, carts }),
    ...createMemberRuleHandlers({ db }),
    ...createGiftCardHandlers({ giftCards, carts }),
    ...createBackupHandlers({ backups, audit, restore }),
    ...createStockHandlers({ stock, sharedCounts }),
    ...createDiagnosticsHandlers(diagnostics),
    ...createOrderHandlers({ orders }),
    ...createLabelHandlers({ db, audit, labels }),
    ...createUpdateHandlers({ updates, audit }),
    ...createTrainingHandlers({ training }),
  };
  // 練習模式: the till's channels go to the training database while training is on.
  return routeTraining(handlers, { training, devices, customerDevices, members, audit });
}
