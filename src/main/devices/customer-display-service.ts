/**
 * Everything the customer sees, kept in main: the pole display, the customer window's view and the
 * HID scanner that feeds the till. The composition root tells it what happened through the cart's
 * and the sale's hooks and the login state, so the cart and sale services know nothing of
 * displays; nothing here can slow or fail a sale: updates are fire and forget, and a failure is
 * logged, never thrown back into the change that caused it.
 */
import type { PosEvent } from '../../shared/channels';
import type { Cart, Receipt } from '../../shared/checkout-schemas';
import {
  CustomerDisplayConfig,
  DisplayConfig,
  ScannerConfig,
  type CustomerView,
  type FpsQrView,
} from '../../shared/customer-display-schemas';
import type { Clock } from '../clock';
import type { Db } from '../db/open';
import type { Logger } from '../log';
import { buildFpsQr } from '../../shared/fps-qr';
import { nextRegisterSeq, receiptNumber } from '../checkout/sale-repo';
import { readIdentity } from '../settings/identity';
import { readSetting, writeSetting } from '../settings/settings-repo';
import {
  idleView,
  poleLinesForCart,
  poleLinesForFps,
  poleLinesForIdle,
  poleLinesForReceipt,
  poleLinesForTotal,
  viewOfCart,
  viewOfReceipt,
} from './customer-view';
import { createPoleDisplayFeed, DEFAULT_DISPLAY_CONFIG, type PoleDisplayFeed, type PoleDisplayFeedOptions } from './pole-display-feed';
import { createScannerFeed, DEFAULT_SCANNER_CONFIG, type OpenHidDevice, type ScannerFeed } from './scanner-feed';

export const SETTING_DISPLAY = 'hardware.display';
export const SETTING_SCANNER = 'hardware.scanner';
export const SETTING_CUSTOMER_DISPLAY = 'hardware.customerDisplay';

const DEFAULT_CUSTOMER_DISPLAY: CustomerDisplayConfig = { paymentQr: null, fps: null };
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
  /** The open cart changed (committed): show it. */
  cartChanged(cart: Cart): void;
  /** A sale committed: show its total and change, then the idle message. */
  saleCompleted(receipt: Receipt): void;
  /** Someone logged in (with the register's open cart, if any) or out (null: the idle message). */
  loginChanged(session: { openCart: Cart | null } | null): void;
  view(): CustomerView;
  /** The cashier opened the payment screen (or left FPS): show what to pay. */
  showTotal(cart: Cart): void;
  /**
   * 轉數快 FPS chosen for `amount` of this cart: the dynamic FPS QR for it, with the receipt number
   * the sale will take as its bill number. Null (and the plain total) when no FPS proxy is set up.
   */
  showFps(cart: Cart, amount: number): FpsQrView | null;
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
  emit(event: PosEvent): void;
  options?: CustomerDevicesOptions;
}

export async function createCustomerDeviceService(deps: CustomerDeviceDeps): Promise<CustomerDeviceService> {
  const { db, clock, log, emit } = deps;
  const options = deps.options ?? {};
  const idleAfterMs = options.idleAfterMs ?? DEFAULT_IDLE_AFTER_MS;
  const warnInvalid = (key: string) => log.warn('a hardware setting is not valid; using the default', { key });

  let displayConfig = readSetting(db, SETTING_DISPLAY, DisplayConfig, DEFAULT_DISPLAY_CONFIG, warnInvalid);
  if (options.displayUri !== undefined) displayConfig = { ...displayConfig, uri: options.displayUri };
  let scannerConfig = readSetting(db, SETTING_SCANNER, ScannerConfig, DEFAULT_SCANNER_CONFIG, warnInvalid);
  if (options.scannerUri !== undefined) {
    const parsed = ScannerConfig.safeParse({ uri: options.scannerUri });
    if (!parsed.success)
      throw new Error(`--scanner ${options.scannerUri}: ${parsed.error.issues[0]?.message ?? 'not a hid://vid:pid URI'}`);
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
  const showCart = (cart: Cart, reread: boolean) => {
    // Seeing the same cart again (a cashier logging in) changes nothing the customer should see:
    // the total while paying and the change after the sale stay up.
    if (reread && (current.phase === 'payment' || current.phase === 'done')) return;
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

  const showTotal = (cart: Cart) => {
    if (cart.lines.length === 0) return;
    cancelIdle();
    publish(viewOfCart(cart, base(), true), poleLinesForTotal(cart.total));
  };

  /** The hooks run after the change committed: a display problem is logged, never thrown into it. */
  const quietly = (what: string, show: () => void) => {
    try {
      show();
    } catch (error) {
      log.error('the customer display could not follow the register', {
        what,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  };

  // The hooks' work runs after the change's answer is sent (setImmediate comes after the reply's
  // microtasks), in the order the changes happened: the cashier's scan or sale does not wait for
  // the customer's screen and pole display. Whatever reads or replaces what the customer sees
  // catches up first, so it never sees, nor is overwritten by, an older change.
  const pending: (() => void)[] = [];
  const catchUp = () => {
    for (let show = pending.shift(); show; show = pending.shift()) show();
  };
  const afterReply = (what: string, show: () => void) => {
    if (pending.push(() => quietly(what, show)) === 1) setImmediate(catchUp);
  };

  showIdle();

  return {
    cartChanged: (cart) => afterReply('cart', () => showCart(cart, false)),
    saleCompleted: (receipt) => afterReply('sale', () => showReceipt(receipt)),
    loginChanged: (session) =>
      afterReply('login', () => {
        if (session === null) showIdle();
        else if (session.openCart !== null) showCart(session.openCart, true);
      }),
    view: () => {
      catchUp();
      return current;
    },
    showTotal(cart) {
      catchUp();
      showTotal(cart);
    },
    showFps(cart, amount) {
      catchUp();
      if (cart.lines.length === 0) return null;
      const payee = customerConfig.fps;
      if (payee === null) {
        showTotal(cart);
        return null;
      }
      // The sale takes the next number of this register's gapless series when it completes; one
      // till, one cart, so nothing else can take it first.
      const identity = readIdentity(db);
      const billNumber = identity ? receiptNumber(identity.store.code, identity.register.code, nextRegisterSeq(db)) : null;
      const fpsQr = { payload: buildFpsQr(payee, { amount, billNumber }), amount, billNumber: billNumber ?? '' };
      cancelIdle();
      publish({ ...viewOfCart(cart, base(), true), fpsQr }, poleLinesForFps(amount));
      return fpsQr;
    },
    // The hardware screen and the health check read (and test-write) the display: after every change so far.
    display: {
      configure: (config) => display.configure(config),
      show(lines) {
        catchUp();
        display.show(lines);
      },
      status() {
        catchUp();
        return display.status();
      },
      close: () => display.close(),
    },
    scanner,
    displayConfig: () => displayConfig,
    async configureDisplay(config, record = noRecord) {
      await display.configure(config);
      saveSetting(SETTING_DISPLAY, config, record);
      displayConfig = config;
      catchUp();
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
      catchUp();
      current = { ...current, paymentQr: config.paymentQr };
      emit({ event: 'customer:cart', payload: current });
    },
    async close() {
      pending.length = 0;
      cancelIdle();
      await display.close();
      await scanner.close();
    },
  };
}
