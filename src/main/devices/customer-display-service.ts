/**
 * Everything the customer sees, kept in main: the pole display, the customer window's view and the
 * HID scanner that feeds the till. It follows the register by observing each dispatched request's
 * result (a cart after every cart change, a receipt after `sale:complete`), so the cart and sale
 * services know nothing of displays, and nothing here can slow or fail a sale: updates are fire and
 * forget, after the handler has answered.
 */
import { channels, isChannelName, type PosEvent } from '../../shared/channels';
import { Cart, type Receipt } from '../../shared/checkout-schemas';
import { CustomerDisplayConfig, DisplayConfig, ScannerConfig, type CustomerView } from '../../shared/customer-display-schemas';
import type { Result } from '../../shared/errors';
import type { StaffSummary } from '../../shared/schemas';
import type { Clock } from '../clock';
import type { Db } from '../db/open';
import type { Logger } from '../register-types';
import { readIdentity } from '../settings/identity';
import { readSetting, writeSetting } from '../settings/settings-repo';
import type { CartService } from '../checkout/cart-service';
import { idleView, poleLinesForCart, poleLinesForIdle, poleLinesForReceipt, poleLinesForTotal, viewOfCart, viewOfReceipt } from './customer-view';
import { createPoleDisplayFeed, DEFAULT_DISPLAY_CONFIG, type PoleDisplayFeed, type PoleDisplayFeedOptions } from './pole-display-feed';
import { createScannerFeed, DEFAULT_SCANNER_CONFIG, type OpenHidDevice, type ScannerFeed } from './scanner-feed';

export const SETTING_DISPLAY = 'hardware.display';
export const SETTING_SCANNER = 'hardware.scanner';
export const SETTING_CUSTOMER_DISPLAY = 'hardware.customerDisplay';

const DEFAULT_CUSTOMER_DISPLAY: CustomerDisplayConfig = { paymentQr: null };
const noRecord = () => undefined;
/** How long the change stays up after a sale before the idle message. */
const DEFAULT_IDLE_AFTER_MS = 8000;

export interface CustomerDevicesOptions {
  /** `--display <uri>`: stored in `hardware.display` at start (the command set stays as set). */
  displayUri?: string;
  /** `--scanner <uri>`: stored in `hardware.scanner` at start. */
  scannerUri?: string;
  idleAfterMs?: number;
  /** Tests: a stand-in for node-hid fed with recorded reports. */
  openHid?: OpenHidDevice;
  /** Tests: faster reconnects than the drivers' 250 ms → 5 s. */
  backoff?: PoleDisplayFeedOptions['backoff'];
}

export interface CustomerDeviceService {
  /** Called by the register after every dispatch, with the handler's answer. */
  observe(channel: unknown, result: Result<unknown>): void;
  view(): CustomerView;
  /** The cashier opened the payment screen: show what to pay. */
  showTotal(staff: StaffSummary): void;
  readonly display: PoleDisplayFeed;
  readonly scanner: ScannerFeed;
  displayConfig(): DisplayConfig;
  /** Opens the device first (a bad URI changes nothing), then saves; `record` runs in the saving transaction (the audit entry). */
  configureDisplay(config: DisplayConfig, record?: () => void): Promise<void>;
  configureScanner(config: ScannerConfig, record?: () => void): Promise<void>;
  customerConfig(): CustomerDisplayConfig;
  configureCustomer(config: CustomerDisplayConfig, record?: () => void): void;
  close(): Promise<void>;
}

export interface CustomerDeviceDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  carts: CartService;
  emit(event: PosEvent): void;
  options?: CustomerDevicesOptions;
}

export async function createCustomerDeviceService(deps: CustomerDeviceDeps): Promise<CustomerDeviceService> {
  const { db, clock, log, carts, emit } = deps;
  const options = deps.options ?? {};
  const idleAfterMs = options.idleAfterMs ?? DEFAULT_IDLE_AFTER_MS;
  const warnInvalid = (key: string) => log.warn('a hardware setting is not valid; using the default', { key });

  let displayConfig = readSetting(db, SETTING_DISPLAY, DisplayConfig, DEFAULT_DISPLAY_CONFIG, warnInvalid);
  if (options.displayUri !== undefined) displayConfig = { ...displayConfig, uri: options.displayUri };
  let scannerConfig = readSetting(db, SETTING_SCANNER, ScannerConfig, DEFAULT_SCANNER_CONFIG, warnInvalid);
  if (options.scannerUri !== undefined) {
    const parsed = ScannerConfig.safeParse({ uri: options.scannerUri });
    if (!parsed.success) throw new Error(`--scanner ${options.scannerUri}: ${parsed.error.issues[0]?.message ?? 'not a hid://vid:pid URI'}`);
    scannerConfig = parsed.data;
  }
  let customerConfig = readSetting(db, SETTING_CUSTOMER_DISPLAY, CustomerDisplayConfig, DEFAULT_CUSTOMER_DISPLAY, warnInvalid);

  const display = createPoleDisplayFeed({ log, ...(options.backoff ? { backoff: options.backoff } : {}) });
  const scanner = createScannerFeed({
    log,
    clock,
    onScan: (payload) => emit({ event: 'scanner:scan', payload }),
    ...(options.openHid ? { openHid: options.openHid } : {}),
    ...(options.backoff ? { backoff: options.backoff } : {}),
  });
  // A bad --display URI fails start-up with the parser's message, before anything is stored; a bad
  // stored one (typed into the table by hand) leaves the display off rather than the register.
  try {
    await display.configure(displayConfig);
  } catch (error) {
    if (options.displayUri !== undefined) throw error;
    log.error('the stored pole display URI is not valid; the display stays off', { uri: displayConfig.uri, error: String(error) });
    displayConfig = { ...displayConfig, uri: null };
    await display.configure(displayConfig);
  }
  await scanner.configure(scannerConfig);
  if (options.displayUri !== undefined) writeSetting(db, SETTING_DISPLAY, displayConfig);
  if (options.scannerUri !== undefined) writeSetting(db, SETTING_SCANNER, scannerConfig);

  const base = () => {
    const identity = readIdentity(db);
    return { store: { nameZh: identity?.store.nameZh ?? '', nameEn: identity?.store.nameEn ?? '' }, paymentQr: customerConfig.paymentQr };
  };
  const saveSetting = (key: string, value: unknown, record: () => void) => {
    db.transaction(() => {
      writeSetting(db, key, value);
      record();
    })();
  };
  let current: CustomerView = idleView(base());
  let idleTimer: NodeJS.Timeout | null = null;

  const cancelIdle = () => {
    if (idleTimer !== null) clearTimeout(idleTimer);
    idleTimer = null;
  };
  const publish = (view: CustomerView, lines: readonly [string, string]) => {
    current = view;
    display.show(lines);
    emit({ event: 'customer:cart', payload: view });
  };
  const showIdle = () => {
    cancelIdle();
    publish(idleView(base()), poleLinesForIdle(displayConfig.idleMessage));
  };
  const showCart = (channel: string, cart: Cart) => {
    // The till re-reading its cart changes nothing the customer should see: the total while
    // paying and the change after the sale stay up.
    if (channel === 'cart:get' && (current.phase === 'payment' || current.phase === 'done')) return;
    if (cart.lines.length === 0) {
      // A new empty cart right after a sale: the change stays up until the idle timer.
      if (current.phase === 'done' || current.phase === 'idle') return;
      showIdle();
      return;
    }
    cancelIdle();
    publish(viewOfCart(cart, base()), poleLinesForCart(cart));
  };
  const showReceipt = (receipt: Receipt) => {
    cancelIdle();
    publish(viewOfReceipt(receipt, base()), poleLinesForReceipt(receipt));
    idleTimer = setTimeout(showIdle, idleAfterMs);
    idleTimer.unref();
  };

  showIdle();

  return {
    observe(channel, result) {
      if (!result.ok || !isChannelName(channel)) return;
      if (channel === 'sale:complete') showReceipt(result.value as Receipt);
      else if (channel === 'staff:logout') showIdle();
      else if ((channels[channel].res as unknown) === Cart) showCart(channel, result.value as Cart);
    },
    view: () => current,
    showTotal(staff) {
      const cart = carts.get(staff);
      if (cart.lines.length === 0) return;
      cancelIdle();
      publish(viewOfCart(cart, base(), true), poleLinesForTotal(cart.total));
    },
    display,
    scanner,
    displayConfig: () => displayConfig,
    async configureDisplay(config, record = noRecord) {
      await display.configure(config);
      saveSetting(SETTING_DISPLAY, config, record);
      displayConfig = config;
      if (current.phase === 'idle') display.show(poleLinesForIdle(config.idleMessage));
    },
    async configureScanner(config, record = noRecord) {
      await scanner.configure(config);
      saveSetting(SETTING_SCANNER, config, record);
      scannerConfig = config;
    },
    customerConfig: () => customerConfig,
    configureCustomer(config, record = noRecord) {
      saveSetting(SETTING_CUSTOMER_DISPLAY, config, record);
      customerConfig = config;
      current = { ...current, paymentQr: config.paymentQr };
      emit({ event: 'customer:cart', payload: current });
    },
    async close() {
      cancelIdle();
      await display.close();
      await scanner.close();
    },
  };
}
