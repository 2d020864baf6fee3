/**
 * 硬件設定's stores, one per panel: the receipt printer, the cash drawer, the receipt logo, the
 * pole display, the scanner and the customer screen's payment QR. Each takes the PosApi (a fake in
 * node tests) and holds the panel's data, its calls to main and their outcome; the panels keep only
 * what IT is typing. The display and scanner are read again every second while their panel is open
 * (`watch`), so IT sees a replugged device come back.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PosApi } from '../../../shared/channels';
import type { CustomerDisplayConfig, DisplayCommandSetName, DisplayStatus, ScannerStatus } from '../../../shared/customer-display-schemas';
import type { PosErrorBody, Result } from '../../../shared/errors';
import type { DrawerRule, HardwareConfig, PrinterStatusReport, PrintJobView } from '../../../shared/hardware-schemas';
import type { LabelPrinterConfig, LabelPrinterSetup } from '../../../shared/label-schemas';
import { newestOnly, type SectionData } from './section-store';

/** How a panel's last call went: words to show (an i18n key and its values, `bad` for a refusal of the panel's own), or main's refusal. */
export type PanelOutcome = { bad: boolean; say: string; values?: Record<string, string | number> } | { bad: true; error: PosErrorBody };

export interface PanelState extends SectionData {
  outcome: PanelOutcome | null;
  /** A call is on its way: the panel's buttons wait. */
  busy: boolean;
}

/** Runs one call of a panel: busy while it runs, then the outcome `done` words (null: nothing to say) or main's refusal. */
function panelCall<S extends PanelState>(set: (patch: Partial<S>) => void) {
  return async <T>(call: Promise<Result<T>>, done: (value: T) => PanelOutcome | null): Promise<boolean> => {
    set({ busy: true, outcome: null } as Partial<S>);
    const answer = await call;
    set({ busy: false, outcome: answer.ok ? done(answer.value) : { bad: true, error: answer.error } } as Partial<S>);
    return answer.ok;
  };
}

export interface PollOptions {
  /** For tests: the poll timer. */
  setInterval?: (callback: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
}

export const DEVICE_POLL_MS = 1_000;

function poller(options: PollOptions) {
  const every = options.setInterval ?? ((callback: () => void, ms: number) => setInterval(callback, ms));
  const stop = options.clearInterval ?? ((handle: unknown) => clearInterval(handle as ReturnType<typeof setInterval>));
  return (load: () => Promise<void>) => () => {
    const handle = every(() => void load(), DEVICE_POLL_MS);
    return () => stop(handle);
  };
}

// ---- receipt printer ----------------------------------------------------------------------------

/** What a printer test or status read is aimed at: the URI and profile on the form, else the saved ones. */
export interface PrinterTarget {
  uri?: string;
  profile?: string;
}

export interface PrinterPanelState extends PanelState {
  config: HardwareConfig | null;
  jobs: PrintJobView[];
  /** The last DLE EOT status read. */
  report: PrinterStatusReport | null;
  refreshJobs(): Promise<void>;
  save(printer: { uri: string; profile: string } | null): Promise<boolean>;
  testPrint(target: PrinterTarget): Promise<boolean>;
  readStatus(target: PrinterTarget): Promise<boolean>;
}

export function createPrinterStore(api: PosApi): StoreApi<PrinterPanelState> {
  const jobReads = newestOnly();
  return createStore<PrinterPanelState>()((set, get) => {
    const run = panelCall<PrinterPanelState>(set);
    const saved = (config: HardwareConfig): PanelOutcome => {
      set({ config });
      return { bad: false, say: 'hardware.printer.saved' };
    };
    return {
      config: null,
      jobs: [],
      report: null,
      outcome: null,
      busy: false,

      async load() {
        const [config] = await Promise.all([api['hardware:config']({}), get().refreshJobs()]);
        if (config.ok) set({ config: config.value });
      },

      async refreshJobs() {
        const current = jobReads.begin();
        const jobs = await api['print:jobs']({});
        if (current() && jobs.ok) set({ jobs: jobs.value });
      },

      save: (printer) => run(api['hardware:set-printer']({ printer }), saved),
      testPrint: (target) =>
        run(api['hardware:test-print'](target), (done) => ({ bad: false, say: 'hardware.printer.testPrinted', values: { uri: done.uri } })),
      readStatus: (target) =>
        run(api['hardware:status'](target), (report) => {
          set({ report });
          return null;
        }),
    };
  });
}

// ---- cash drawer --------------------------------------------------------------------------------

export interface DrawerPanelState extends PanelState {
  rule: DrawerRule | null;
  choose(rule: DrawerRule): Promise<boolean>;
  open(): Promise<boolean>;
}

export function createDrawerStore(api: PosApi): StoreApi<DrawerPanelState> {
  return createStore<DrawerPanelState>()((set) => {
    const run = panelCall<DrawerPanelState>(set);
    return {
      rule: null,
      outcome: null,
      busy: false,

      async load() {
        const config = await api['hardware:config']({});
        if (config.ok) set({ rule: config.value.drawerRule });
      },

      choose: (rule) =>
        run(api['hardware:set-drawer-rule']({ rule }), (config) => {
          set({ rule: config.drawerRule });
          return null;
        }),
      open: () =>
        run(api['hardware:open-drawer']({}), (done) => ({ bad: false, say: 'hardware.drawer.opened', values: { uri: done.uri } })),
    };
  });
}

// ---- receipt logo -------------------------------------------------------------------------------

export type LogoInfo = { width: number; height: number } | null;

/** A PBM this big cannot be a logo of at most 576×400 dots (main refuses it anyway); it is not sent. */
export const LOGO_FILE_MAX_BYTES = 45_000;

export interface LogoPanelState extends PanelState {
  /** undefined while loading; null: no logo. */
  logo: LogoInfo | undefined;
  /** A PBM file's bytes, checked and kept by main. */
  upload(bytes: Uint8Array): Promise<boolean>;
  remove(): Promise<boolean>;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function createLogoStore(api: PosApi): StoreApi<LogoPanelState> {
  return createStore<LogoPanelState>()((set) => {
    const run = panelCall<LogoPanelState>(set);
    const save = (pbm: string | null) =>
      run(api['hardware:set-logo']({ pbm }), (logo): PanelOutcome => {
        set({ logo });
        return logo ? { bad: false, say: 'hardware.logo.saved', values: logo } : { bad: false, say: 'hardware.logo.removed' };
      });
    return {
      logo: undefined,
      outcome: null,
      busy: false,

      async load() {
        const logo = await api['hardware:logo']({});
        if (logo.ok) set({ logo: logo.value });
      },

      async upload(bytes) {
        if (bytes.length > LOGO_FILE_MAX_BYTES) {
          set({ outcome: { bad: true, say: 'hardware.logo.tooBig' } });
          return false;
        }
        return save(toBase64(bytes));
      },
      remove: () => save(null),
    };
  });
}

// ---- pole display -------------------------------------------------------------------------------

export interface DisplayForm {
  uri: string;
  profile: DisplayCommandSetName;
  idleMessage: string;
}

export interface DisplayPanelState extends PanelState {
  status: DisplayStatus | null;
  /** The last status read's refusal (the poll goes on). */
  readError: PosErrorBody | null;
  watch(): () => void;
  save(form: DisplayForm): Promise<boolean>;
  test(line1: string, line2: string): Promise<boolean>;
}

export function createDisplayStore(api: PosApi, options: PollOptions = {}): StoreApi<DisplayPanelState> {
  const reads = newestOnly();
  const watching = poller(options);
  return createStore<DisplayPanelState>()((set, get) => {
    const run = panelCall<DisplayPanelState>(set);
    const took = (status: DisplayStatus) => {
      reads.begin(); // a read already under way would show the state from before this call
      set({ status });
    };
    return {
      status: null,
      readError: null,
      outcome: null,
      busy: false,

      async load() {
        const current = reads.begin();
        const answer = await api['display:status']({});
        if (!current()) return;
        if (answer.ok) set({ status: answer.value, readError: null });
        else set({ readError: answer.error });
      },
      watch: watching(() => get().load()),

      save: (form) =>
        run(
          api['display:configure']({
            uri: form.uri.trim() === '' ? null : form.uri.trim(),
            profile: form.profile,
            idleMessage: form.idleMessage,
          }),
          (status) => {
            took(status);
            return { bad: false, say: 'customerDevices.display.saved' };
          },
        ),
      test: (line1, line2) =>
        run(api['display:test']({ line1, line2 }), (status) => {
          took(status);
          return null;
        }),
    };
  });
}

// ---- scanner ------------------------------------------------------------------------------------

export interface ScannerPanelState extends PanelState {
  status: ScannerStatus | null;
  watch(): () => void;
  save(uri: string): Promise<boolean>;
}

export function createScannerStore(api: PosApi, options: PollOptions = {}): StoreApi<ScannerPanelState> {
  const reads = newestOnly();
  const watching = poller(options);
  return createStore<ScannerPanelState>()((set, get) => {
    const run = panelCall<ScannerPanelState>(set);
    return {
      status: null,
      outcome: null,
      busy: false,

      async load() {
        const current = reads.begin();
        const answer = await api['scanner:status']({});
        if (current() && answer.ok) set({ status: answer.value });
      },
      watch: watching(() => get().load()),

      save: (uri) =>
        run(api['scanner:configure']({ uri: uri.trim() === '' ? null : uri.trim() }), (status) => {
          reads.begin();
          set({ status });
          return { bad: false, say: 'customerDevices.scanner.saved' };
        }),
    };
  });
}

// ---- customer screen ----------------------------------------------------------------------------

export interface CustomerScreenPanelState extends PanelState {
  /** The payment QR and FPS payee as saved; null while loading. */
  settings: CustomerDisplayConfig | null;
  save(settings: CustomerDisplayConfig): Promise<boolean>;
}

export function createCustomerScreenStore(api: PosApi): StoreApi<CustomerScreenPanelState> {
  return createStore<CustomerScreenPanelState>()((set) => {
    const run = panelCall<CustomerScreenPanelState>(set);
    return {
      settings: null,
      outcome: null,
      busy: false,

      async load() {
        const answer = await api['customer:settings']({});
        if (answer.ok) set({ settings: answer.value });
      },

      save: (settings) =>
        run(api['customer:configure'](settings), (saved) => {
          set({ settings: saved });
          return { bad: false, say: 'customerDevices.customerScreen.saved' };
        }),
    };
  });
}

// ---- label printer ------------------------------------------------------------------------------

export interface LabelPrinterPanelState extends PanelState {
  setup: LabelPrinterSetup | null;
  save(printer: LabelPrinterConfig | null): Promise<boolean>;
  /** Prints a test label; answers the PDF (base64) when the printer is an A4 sheet. */
  test(): Promise<string | null>;
}

export function createLabelPrinterStore(api: PosApi): StoreApi<LabelPrinterPanelState> {
  return createStore<LabelPrinterPanelState>()((set) => {
    const run = panelCall<LabelPrinterPanelState>(set);
    return {
      setup: null,
      outcome: null,
      busy: false,

      async load() {
        const setup = await api['hardware:label-printer']({});
        if (setup.ok) set({ setup: setup.value });
      },

      save: (printer) =>
        run(api['hardware:set-label-printer']({ printer }), (setup) => {
          set({ setup });
          return { bad: false, say: 'hardware.labelPrinter.saved' };
        }),

      async test() {
        let pdf: string | null = null;
        await run(api['hardware:test-label']({}), (done) => {
          pdf = done.pdf;
          return done.uri
            ? { bad: false, say: 'hardware.labelPrinter.tested', values: { uri: done.uri } }
            : { bad: false, say: 'hardware.labelPrinter.testedPdf' };
        });
        return pdf;
      },
    };
  });
}
