/**
 * The channels of the customer display and scanner (issue 4b): setup for the hardware screen
 * (`settings.edit`), the payment-screen total for the till, and the customer window's one
 * read-only view.
 */
import { DeviceUriError } from '../../../drivers/transports';
import { PosError } from '../../shared/errors';
import type { Handlers } from '../api/router';
import type { StaffSummary } from '../../shared/schemas';
import type { AuditLog } from '../audit/audit-log';
import type { CartService } from '../checkout/cart-service';
import type { CustomerDeviceService } from './customer-display-service';

type CustomerDeviceChannels =
  | 'display:status'
  | 'display:configure'
  | 'display:test'
  | 'scanner:status'
  | 'scanner:configure'
  | 'customer:view'
  | 'customer:show-total'
  | 'customer:show-fps'
  | 'customer:settings'
  | 'customer:configure';

/** A URI the drivers refuse is IT's typing mistake: the parser's message says what to fix. */
async function refusingBadUris<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DeviceUriError) throw new PosError('DEVICE_URI_INVALID', error.message);
    throw error;
  }
}

export interface CustomerDeviceHandlerDeps {
  devices: CustomerDeviceService;
  audit: AuditLog;
  carts: CartService;
}

export function createCustomerDeviceHandlers({ devices, audit, carts }: CustomerDeviceHandlerDeps): Pick<Handlers, CustomerDeviceChannels> {
  /** Each setup change is audited in the transaction that saves it, like the printer's. */
  const recordChange = (staff: StaffSummary, subject: string, before: unknown, after: unknown) => () => {
    audit.append({ kind: 'hardware.changed', staffId: staff.id, subject, detail: { before, after } });
  };
  return {
    'display:status': () => devices.display.status(),
    'display:configure': async (req, ctx) => {
      const record = recordChange(ctx.staff, 'customer-display', devices.displayConfig(), req);
      await refusingBadUris(() => devices.configureDisplay(req, record));
      return devices.display.status();
    },
    'display:test': (req) => {
      devices.display.show([req.line1, req.line2]);
      return devices.display.status();
    },
    'scanner:status': () => devices.scanner.status(),
    'scanner:configure': async (req, ctx) => {
      const record = recordChange(ctx.staff, 'hid-scanner', devices.scanner.status().config, req);
      await refusingBadUris(() => devices.configureScanner(req, record));
      return devices.scanner.status();
    },
    'customer:view': () => devices.view(),
    'customer:show-total': (_req, ctx) => {
      devices.showTotal(carts.get(ctx.staff));
      return null;
    },
    'customer:show-fps': (req, ctx) => {
      const cart = carts.get(ctx.staff);
      // The cloud and the tender plan check what is paid; this only refuses a QR for more than is due.
      if (req.amount > Math.abs(cart.total))
        throw new PosError('BAD_REQUEST', `an FPS QR for ${req.amount} cents is more than the cart's ${cart.total}`);
      return devices.showFps(cart, req.amount);
    },
    'customer:settings': () => devices.customerConfig(),
    'customer:configure': (req, ctx) => {
      devices.configureCustomer(req, recordChange(ctx.staff, 'customer-screen', devices.customerConfig(), req));
      return devices.customerConfig();
    },
  };
}
